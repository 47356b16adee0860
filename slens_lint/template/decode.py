"""Decoding template text into a tree that remembers where everything is.

Templates are YAML (JSON is read as YAML too, as CloudFormation tools do). PyYAML's safe loader
parses (libyaml, in C, where installed): no Python tags, no code. The constructor here builds plain
mappings, lists and strings that carry their source marks (`start_mark`, `end_mark`, 0-based line
and column) in one pass, finds duplicate keys with a dict, turns short-form tags into intrinsic
functions (`!Ref X` -> `{"Ref": "X"}`, `!GetAtt A.B` -> `{"Fn::GetAtt": ["A", "B"]}`), and refuses a
document whose aliases expand past a bound (a "billion laughs" file).

The result is the same tree, marks and errors cfn-lint's decoder gives (tests/test_decode.py compares
them on every fixture, the real templates and generated documents), without importing cfn-lint:
`slens_lint.compat` converts it to cfn-lint's node types when cfn-lint's own checks run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:  # libyaml, where PyYAML was built with it: several times faster than the pure-Python parser
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_EXPANDED_NODES = 250_000
"""CloudFormation rejects YAML aliases; SAM and `aws cloudformation package` expand them, so they are
expanded here too, up to this many nodes."""

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SPECIAL_KEYS = frozenset({_MERGE, "tag:yaml.org,2002:value"})
# Short-form tags that keep their name (`!Ref`, `!Condition`); every other one is `Fn::<name>`.
_UNPREFIXED = frozenset({"Ref", "Condition"})


class Mark:
    """A position in the text: 0-based line and column."""

    __slots__ = ("line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column

    def __repr__(self) -> str:
        return f"Mark({self.line}, {self.column})"


class MarkedStr(str):
    """A string from the template, with where it was written."""

    __slots__ = ("start_mark", "end_mark")

    def __new__(cls, value: str, start: Mark, end: Mark) -> "MarkedStr":
        node = super().__new__(cls, value)
        node.start_mark = start
        node.end_mark = end
        return node

    def __deepcopy__(self, memo: dict[int, Any]) -> "MarkedStr":
        return self

    def __copy__(self) -> "MarkedStr":
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Verdicts sent back from worker processes hold these strings: keep value and marks (str's
        # default pickling would call __new__ with the value alone).
        return (MarkedStr, (str(self), self.start_mark, self.end_mark))


class MarkedDict(dict):
    """A mapping from the template, with where it was written."""

    def __init__(self, value: Any, start: Mark, end: Mark, using_merge: bool = False) -> None:
        super().__init__(value)
        self.start_mark = start
        self.end_mark = end
        self.using_merge = using_merge


class MarkedList(list):
    """A list from the template, with where it was written."""

    def __init__(self, value: Any, start: Mark, end: Mark) -> None:
        super().__init__(value)
        self.start_mark = start
        self.end_mark = end


def _mark(yaml_mark: Any) -> Mark:
    return Mark(yaml_mark.line, yaml_mark.column)


@dataclass
class Problem:
    """Why a text is not a template: the message, with 1-based line and column (cfn-lint's convention)."""

    message: str
    linenumber: int = 1
    columnnumber: int = 1


class DecodeError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def _problem(message: str, node_mark: Any) -> Problem:
    return Problem(message, node_mark.line + 1, node_mark.column + 1)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    def _child(self, node: Any) -> Any:
        if node.__class__ is ScalarNode and node.tag == _STR:
            return MarkedStr(node.value, _mark(node.start_mark), _mark(node.end_mark))
        return self.construct_object(node, False)

    def construct_marked_map(self, node: Any) -> Any:
        if any(key_node.tag in _SPECIAL_KEYS for key_node, _ in node.value):
            return self._merged_map(node)
        mapping: dict[Any, Any] = {}
        firsts: dict[Any, Any] = {}
        problems: list[Problem] = []
        for key_node, value_node in node.value:
            key = self._child(key_node)
            value = self._child(value_node)
            if key is None:
                line = key_node.start_mark.line + 1
                raise DecodeError([_problem(f"Null key {key_node.value!r} not supported (line {line})", key_node.start_mark)])
            try:
                first = firsts.get(key, _MISSING)
            except TypeError as exc:
                where = getattr(key, "start_mark", key_node.start_mark)
                raise DecodeError([_problem(f'Unhashable type "{key}" (line {where.line + 1})', where)]) from exc
            if first is _MISSING:
                firsts[key] = key
            else:
                if not problems:
                    problems.append(self._duplicate(key, getattr(first, "start_mark", None) or key_node.start_mark))
                problems.append(self._duplicate(key, key_node.start_mark))
            mapping[key] = value
        if problems:
            raise DecodeError(problems)
        return MarkedDict(mapping, _mark(node.start_mark), _mark(node.end_mark))

    def _merged_map(self, node: Any) -> Any:
        """A mapping with merge (`<<`) or value (`=`) keys: PyYAML resolves them; later keys win and
        repeated keys are not errors there (that is what merging is for)."""
        using_merge = any(key_node.tag == _MERGE for key_node, _ in node.value)
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._child(key_node)
            if key is None:
                line = key_node.start_mark.line + 1
                raise DecodeError([_problem(f"Null key {key_node.value!r} not supported (line {line})", key_node.start_mark)])
            try:
                mapping[key] = self._child(value_node)
            except TypeError as exc:
                where = getattr(key, "start_mark", key_node.start_mark)
                raise DecodeError([_problem(f'Unhashable type "{key}" (line {where.line + 1})', where)]) from exc
        return MarkedDict(mapping, _mark(node.start_mark), _mark(node.end_mark), using_merge)

    @staticmethod
    def _duplicate(key: Any, mark: Any) -> Problem:
        return _problem(f"Duplicate found {key!r} (line {mark.line + 1})", mark)

    def construct_marked_seq(self, node: Any) -> Any:
        return MarkedList([self._child(child) for child in node.value], _mark(node.start_mark), _mark(node.end_mark))

    def construct_marked_str(self, node: Any) -> Any:
        return MarkedStr(self.construct_scalar(node), _mark(node.start_mark), _mark(node.end_mark))

    def construct_short_form(self, tag_suffix: str, node: Any) -> Any:
        """`!Ref X`, `!Sub ...`, `!GetAtt A.B`: the intrinsic function as a one-key mapping."""
        name = tag_suffix if tag_suffix in _UNPREFIXED else f"Fn::{tag_suffix}"
        start, end = _mark(node.start_mark), _mark(node.end_mark)
        if name == "Fn::GetAtt":
            return MarkedDict({name: self._getatt(node)}, start, end)
        if isinstance(node, ScalarNode):
            return MarkedDict({name: self.construct_scalar(node)}, start, end)
        if isinstance(node, SequenceNode):
            return MarkedDict({name: self.construct_sequence(node, True)}, start, end)
        if isinstance(node, MappingNode):
            return MarkedDict({name: self.construct_mapping(node, True)}, start, end)
        raise DecodeError([_problem(f"Bad tag: !{tag_suffix}", node.start_mark)])

    def _getatt(self, node: Any) -> Any:
        start, end = _mark(node.start_mark), _mark(node.end_mark)
        if isinstance(node.value, str):
            return MarkedList(node.value.split(".", 1), start, end)
        if isinstance(node.value, list):
            if any(isinstance(value, tuple) for value in node.value):
                return self.construct_object(MappingNode("tag:yaml.org,2002:map", node.value, node.start_mark, node.end_mark), True)
            return MarkedList([self.construct_object(child, True) for child in node.value], start, end)
        raise DecodeError([_problem(f"Unexpected GetAtt format: {type(node.value)}", node.start_mark)])


_MISSING = object()

_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_marked_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_marked_seq)
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_marked_str)
_Loader.add_multi_constructor("!", _Loader.construct_short_form)


def _expanded_size(tree: Any) -> int:
    """Node count once aliases are expanded (shared nodes counted each time they appear), computed in
    time linear in the distinct nodes; stops counting past the bound."""
    sizes: dict[int, int] = {}
    # Iterative post-order: a hostile document can nest deeper than the recursion limit.
    stack: list[tuple[Any, bool]] = [(tree, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else []
        if not children:
            sizes[key] = 1
            continue
        if not expanded:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        total = 1
        for child in children:
            total += sizes.get(id(child), 1)
            if total > MAX_EXPANDED_NODES:
                return total
        sizes[key] = total
    return sizes.get(id(tree), 1)


def _load_yaml(text: str) -> Any:
    loader = _Loader(text)
    try:
        tree = loader.get_single_data()
    finally:
        loader.dispose()
    if tree is None:
        return MarkedDict({}, Mark(0, 0), Mark(0, 0))
    if "&" in text and _expanded_size(tree) > MAX_EXPANDED_NODES:
        # Only a text with an anchor can hold an alias: the check costs nothing for the others.
        raise DecodeError(
            [
                Problem(
                    f"Template resolves to more than {MAX_EXPANDED_NODES} nodes once YAML aliases are "
                    "expanded; this is not supported and may indicate YAML alias amplification"
                )
            ]
        )
    return tree


def _json_fallback(error: yaml.scanner.ScannerError) -> bool:
    problem = error.problem or ""
    return problem == "found character '\\t' that cannot start any token" or problem.startswith("found unknown escape character")


def decode(text: str) -> tuple[Optional[Any], list[Problem]]:
    """(tree, []) or (None, problems). JSON that YAML cannot read (tabs between tokens, JSON-only
    escapes) is read again with the tabs as spaces (the same columns: JSON allows no raw tab inside a
    string), and a JSON error is reported as JSON reports it."""
    try:
        return _load_yaml(text), []
    except DecodeError as error:
        return None, error.problems
    except yaml.scanner.ScannerError as error:
        if not _json_fallback(error):
            return None, [_yaml_problem(error)]
        try:
            return _load_yaml(text.replace("\t", " ")), []
        except (DecodeError, yaml.YAMLError):
            pass
        try:
            json.loads(text)
        except json.JSONDecodeError as json_error:
            return None, [Problem(json_error.msg, json_error.lineno, json_error.colno)]
        return None, [_yaml_problem(error)]
    except (yaml.parser.ParserError, yaml.scanner.ScannerError) as error:
        return None, [_yaml_problem(error)]
    except yaml.MarkedYAMLError as error:
        # A composer or constructor error: its context says what was expected ("expected a single
        # document in the stream"), its problem what was found.
        return None, [_yaml_problem(error, with_context=True)]
    except yaml.YAMLError as error:
        return None, [Problem(str(error))]


def _yaml_problem(error: Any, with_context: bool = False) -> Problem:
    mark = getattr(error, "problem_mark", None)
    message = error.problem or str(error)
    if with_context and error.context:
        message = f"{error.context}, {message}" if error.problem else error.context
    if mark is None:
        return Problem(message)
    return Problem(message, mark.line + 1, mark.column + 1)
