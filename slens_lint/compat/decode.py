"""cfn-lint's YAML decoder with a faster constructor; the same tree, marks and errors.

`cfnlint.decode.decode_str` parses with libyaml (C) and builds the tree in Python. Once garbage
collection is tuned (see engine.batch), that Python construction is two thirds of decoding and
decoding a third of a run. cfn-lint's constructor builds every mapping twice (its own pass to find
duplicate keys, comparing each key with every earlier one, then PyYAML's pass) and sends every
scalar through PyYAML's generic dispatch. Here:

- a plain string scalar becomes its `str_node` directly (as cfn-lint's `construct_yaml_str` makes it);
- a mapping is built in one pass, duplicate keys found with a dict: the same `CfnParseError` matches
  in the same order (first occurrence, then each repeat), the same null-key and unhashable-key errors;
- mappings with merge (`<<`) or value (`=`) keys, tags (`!Ref`...), aliases, numbers, booleans: cfn-lint's
  own code, unchanged.

Parsing is still PyYAML's safe loader (cfn-lint's `CfnFullLoader` is a `SafeConstructor`), and the
alias-expansion guard, alias recording, JSON fallback and error conversion are cfn-lint's functions.
tests/test_fast_decode.py compares trees, marks and errors with cfn-lint's decoder on the corpus, the
fixtures, the bad-input suite and generated documents.
"""

from __future__ import annotations

from typing import Any

from slens_lint.compat.cfnlint import Mark, cfn_json, cfn_yaml, decode_with, dict_node, list_node, str_node
from yaml.nodes import ScalarNode
from yaml.parser import ParserError
from yaml.scanner import ScannerError

_STR = "tag:yaml.org,2002:str"
_SPECIAL_KEYS = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})
_MISSING = object()


class FastLoader(cfn_yaml.CfnFullLoader):
    def _child(self, node: Any) -> Any:
        if node.__class__ is ScalarNode and node.tag == _STR:
            return str_node(node.value, node.start_mark, node.end_mark)
        return self.construct_object(node, False)

    def construct_yaml_map(self, node: Any) -> Any:
        pairs = node.value
        for key_node, _ in pairs:
            if key_node.tag in _SPECIAL_KEYS:
                return super().construct_yaml_map(node)
        mapping: dict[Any, Any] = {}
        firsts: dict[Any, Any] = {}
        matches: list[Any] = []
        for key_node, value_node in pairs:
            key = self._child(key_node)
            value = self._child(value_node)
            if key is None:
                raise cfn_yaml.CfnParseError(
                    self.filename,
                    [
                        cfn_yaml.build_match(
                            filename=self.filename,
                            message=f"Null key {key_node.value!r} not supported (line {key_node.start_mark.line + 1})",
                            line_number=key_node.start_mark.line,
                            column_number=key_node.start_mark.column,
                            key=key_node.value,
                        )
                    ],
                )
            try:
                first = firsts.get(key, _MISSING)
            except TypeError as exc:
                raise cfn_yaml.CfnParseError(
                    self.filename,
                    [
                        cfn_yaml.build_match(
                            filename=self.filename,
                            message=f'Unhashable type "{key}" (line {key.start_mark.line + 1})',
                            line_number=key.start_mark.line,
                            column_number=key.start_mark.column,
                            key=key,
                        )
                    ],
                ) from exc
            if first is _MISSING:
                firsts[key] = key
            else:
                if not matches:
                    matches.append(self._duplicate(key, first))
                matches.append(self._duplicate(key, key_node))
            mapping[key] = value
        if matches:
            raise cfn_yaml.CfnParseError(self.filename, matches)
        return dict_node(mapping, node.start_mark, node.end_mark, False)

    def _duplicate(self, key: Any, where: Any) -> Any:
        # `where` is a key node, or the first key object (a str_node: its own marks), as in cfn-lint.
        mark = where.start_mark
        return cfn_yaml.build_match(
            filename=self.filename,
            message=f"Duplicate found {key!r} (line {mark.line + 1})",
            line_number=mark.line,
            column_number=mark.column,
            key=key,
        )

    def construct_yaml_seq(self, node: Any) -> Any:
        return list_node([self._child(child) for child in node.value], node.start_mark, node.end_mark)


FastLoader.add_constructor("tag:yaml.org,2002:map", FastLoader.construct_yaml_map)
FastLoader.add_constructor("tag:yaml.org,2002:seq", FastLoader.construct_yaml_seq)
FastLoader.add_multi_constructor("!", cfn_yaml.multi_constructor)


def loads(yaml_string: str, fname: Any = None) -> Any:
    """`cfnlint.decode.cfn_yaml.loads`, with `FastLoader`."""
    try:
        loader = FastLoader(yaml_string, fname)
        template = loader.get_single_data()
        if template is None:
            template = dict_node({}, Mark(0, 0), Mark(0, 0))
        if isinstance(yaml_string, str) and "&" in yaml_string:
            cfn_yaml._guard_alias_expansion(template, fname)
            if isinstance(template, dict):
                aliases = cfn_yaml._find_aliases(yaml_string, template)
                if aliases:
                    setattr(template, "yaml_aliases", aliases)
        return template
    except cfn_yaml.CfnParseError:
        raise
    except (ScannerError, ParserError):
        raise
    except Exception as exc:
        raise cfn_yaml.CfnParseError(
            fname,
            [
                cfn_yaml.build_match(
                    filename=fname,
                    message=f"Template could not be parsed: {str(exc)}",
                    line_number=0,
                    column_number=0,
                    key="",
                )
            ],
        ) from exc


def decode_str(text: str) -> tuple[Any, list[Any]]:
    """`cfnlint.decode.decode_str`: (tree, []) or (None, parse-error matches)."""
    return decode_with(loads, cfn_json.loads, text, None)
