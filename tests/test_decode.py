"""slens_lint.template.decode gives what cfn-lint's decoder gives (without importing cfn-lint): the same
tree (values, the marks of every node and key) and the same parse errors, on the rule fixtures, the
bad-input suite, the real templates (the corpus too when present), tricky hand-written cases and
generated documents. Converted for cfn-lint's own checks (slens_lint.compat.convert), the tree is cfn-lint's
to the node type, with the same recorded aliases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, real_templates
from slens_lint.template import decode, loader


def _reference(text: str):
    from cfnlint.decode.decode import decode_str

    return decode_str(text)


def _shape(node: Any, exact_types: bool = False) -> Any:
    """Everything about a decoded node that a consumer can see: kind, value, marks, recursively (with
    `exact_types`, the node classes too: cfn-lint's own after conversion)."""
    marks = tuple(
        (m.line, m.column) if m is not None else None
        for m in (getattr(node, "start_mark", None), getattr(node, "end_mark", None))
    )
    kind = type(node).__name__ if exact_types else ("str" if isinstance(node, str) else type(node).__name__)
    if isinstance(node, dict):
        items = tuple((_shape(k, exact_types), _shape(v, exact_types)) for k, v in node.items())
        return ("map", type(node).__name__ if exact_types else "", marks, getattr(node, "using_merge", None), items)
    if isinstance(node, list):
        return ("seq", type(node).__name__ if exact_types else "", marks, tuple(_shape(v, exact_types) for v in node))
    return ("scalar", kind, marks, node)


def _aliases(tree: Any) -> Any:
    return [(a.name, a.path, (a.start_mark.line, a.start_mark.column)) for a in getattr(tree, "yaml_aliases", [])]


def _matches(matches: list) -> list:
    return [(m.message, m.linenumber, m.columnnumber) for m in matches]


def assert_same(text: str) -> None:
    from slens_lint.compat.convert import to_cfnlint

    theirs, their_matches = _reference(text)
    ours, our_matches = decode.decode(text)
    if their_matches and "has no attribute 'start_mark'" in their_matches[0].message:
        # cfn-lint's own decoder fails on a key without marks (a repeated integer key); ours names it.
        assert ours is None and our_matches and our_matches[0].message.startswith("Duplicate found")
        return
    if our_matches and "YAML alias amplification" in our_matches[0].message and not their_matches:
        # cfn-lint guards alias expansion since 1.55; with an older one installed there is no reference.
        from cfnlint.decode import cfn_yaml

        assert not hasattr(cfn_yaml, "_guard_alias_expansion")
        return
    if their_matches and their_matches[0].message.startswith("Template could not be parsed: "):
        # cfn-lint wraps a composer or constructor error at line 1; ours keeps PyYAML's own position.
        lines = their_matches[0].message.removeprefix("Template could not be parsed: ").splitlines()
        detail = [line for line in lines if not line.startswith("  in ")]
        assert ours is None and [m.message for m in our_matches] == [", ".join(detail)]
        return
    assert _matches(our_matches) == _matches(their_matches)
    assert _shape(ours) == _shape(theirs)
    if ours is not None:
        converted = to_cfnlint(ours, text)
        assert _shape(converted, exact_types=True) == _shape(theirs, exact_types=True)
        assert _aliases(converted) == _aliases(theirs)


def _files() -> list[Path]:
    files = sorted((FIXTURES / "rules").rglob("*.yaml")) + sorted((FIXTURES / "rules").rglob("*.json"))
    files += sorted((FIXTURES / "bad-input").iterdir())
    return files + real_templates()


def test_same_as_cfn_lint_on_every_file():
    compared = 0
    for path in _files():
        text = loader.read_text(path)
        if isinstance(text, loader.LoadError):
            continue
        assert_same(text.lstrip("\ufeff"))
        compared += 1
    assert compared > 100


TRICKY = {
    "duplicates": "a: 1\nb: 2\na: 3\nb: 4\na: 5\n",
    "nested duplicates": "Resources:\n  X:\n    Properties:\n      A: 1\n      A: 2\n",
    "integer keys": "1: a\n2: b\n",
    "duplicate integer keys": "1: a\n1: b\n",
    "bool and int keys": "true: a\n1: b\n",
    "null key": "~: a\n",
    "empty key": ": a\n",
    "unhashable key": "? [a, b]\n: 1\n",
    "unhashable after duplicate": "a: 1\na: 2\n? [x]\n: 3\n",
    "tagged key": "!Ref x: 1\n",
    "merge key": "base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n",
    "merge list": "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n",
    "value key": "a:\n  =: 1\n  b: 2\n",
    "scalar alias": "a: &x hello\nb: *x\nc: [*x, *x]\n",
    "map alias": "a: &m {k: v}\nb: *m\n",
    "recursive alias": "a: &a [*a]\n",
    "tags": "a: !Ref X\nb: !GetAtt X.Arn\nc: !Sub [s, {v: !Ref Y}]\nd: !If [c, !Ref A, !Ref AWS::NoValue]\ne: !GetAtt [X, Arn]\n",
    "odd tags": "a: !Foo {b: 1}\nb: !!binary aGVsbG8=\nc: !!set {a, b}\nd: !!omap [{a: 1}]\ne: 2001-12-14\n",
    "numbers and flow": "a: [1, 2.5, .inf, 0x10, 0o7, null, ~, yes, 'quoted', \"dq\"]\nb: {c: d}\n",
    "tab fallback to JSON": '{\t"Resources": {"A": {"Type": "AWS::SNS::Topic"}}}',
    "tab broken": "Resources:\n\tA: 1\n",
    "multi document": "a: 1\n---\nb: 2\n",
    "python tag": "a: !!python/object/apply:os.system [echo]\n",
    "empty": "",
    "null document": "~\n",
    "list document": "- a\n- b\n",
    "broken": "a: [b\n",
}


@pytest.mark.parametrize("text", list(TRICKY.values()), ids=list(TRICKY))
def test_same_as_cfn_lint_on_tricky_documents(text: str):
    assert_same(text)


_keys = st.one_of(st.sampled_from(["A", "B", "Type", "Properties", "Ref", "Fn::Sub", "<<", "=", "1", "true"]), st.text(max_size=6))
_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.sampled_from(["!Ref x", "0x1f", "2020-01-01", "~"])),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.dictionaries(_keys, _values, max_size=5), style=st.sampled_from([False, True, None]), dup=st.booleans())
def test_same_as_cfn_lint_on_generated_documents(document: dict, style: Any, dup: bool):
    text = yaml.safe_dump(document, default_flow_style=style, sort_keys=False, allow_unicode=True)
    if dup and document:
        # A repeated top-level key, as people write them by mistake.
        text += text.splitlines()[0] + "\n"
    assert_same(text)
