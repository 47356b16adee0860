"""slens_lint.compat.decode gives what cfn-lint's decoder gives: the same tree (values, node
types, the marks of every node and key, recorded aliases) and the same parse errors, on the corpus, the
rule fixtures, the bad-input suite, tricky hand-written cases and generated documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, FIXTURES
from slens_lint.compat import decode as fast_decode
from slens_lint.template import loader


def _reference(text: str):
    from cfnlint.decode.decode import decode_str

    return decode_str(text)


def _shape(node: Any) -> Any:
    """Everything about a decoded node that a consumer can see: type, value, marks, recursively."""
    marks = tuple(
        (m.line, m.column) if m is not None else None
        for m in (getattr(node, "start_mark", None), getattr(node, "end_mark", None))
    )
    if isinstance(node, dict):
        items = tuple((_shape(k), _shape(v)) for k, v in node.items())
        return ("map", type(node).__name__, marks, getattr(node, "using_merge", None), items)
    if isinstance(node, list):
        return ("seq", type(node).__name__, marks, tuple(_shape(v) for v in node))
    return ("scalar", type(node).__name__, marks, node)


def _aliases(tree: Any) -> Any:
    return [(a.name, a.path, (a.start_mark.line, a.start_mark.column)) for a in getattr(tree, "yaml_aliases", [])]


def _matches(matches: list) -> list:
    return [(m.message, m.linenumber, m.columnnumber, m.linenumberend, m.columnnumberend, m.rule.id) for m in matches]


def assert_same(text: str) -> None:
    theirs, their_matches = _reference(text)
    ours, our_matches = fast_decode.decode_str(text)
    assert _matches(our_matches) == _matches(their_matches)
    assert _shape(ours) == _shape(theirs)
    assert _aliases(ours) == _aliases(theirs)


def _files() -> list[Path]:
    files = sorted((FIXTURES / "rules").rglob("*.yaml")) + sorted((FIXTURES / "rules").rglob("*.json"))
    files += sorted((FIXTURES / "bad-input").iterdir())
    if CORPUS.is_dir():
        files += sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json", ".template"))
    return files


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
