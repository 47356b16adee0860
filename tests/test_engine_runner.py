"""The engine's way through cfn-lint (slens_lint/cfn_runner.py: lazily built Template members, linear
de-duplication) gives the findings cfn-lint's own `run_template_by_data` gives: on the rule fixtures,
the bad-input suite and a sample of the corpus, with the default rules and with cfn-lint's."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES
from slens_lint import cfn_runner
from slens_lint.engine import _OPTIONAL_SECTIONS, Engine, EngineOptions
from slens_lint.rules.cfn_adapter import local_spans, template_format
from slens_lint.template import loader
from slens_lint.template.positions import sam_property_spans

# A sample of the corpus: every 4th template with the default rules, every 16th with cfn-lint's (whose
# run costs about ten times more, twice per file here).
CORPUS_STEP = {False: 4, True: 16}


def _files(cfn_lint: bool) -> list[Path]:
    files = sorted((FIXTURES / "bad-input").iterdir())
    if not cfn_lint:
        files += sorted((FIXTURES / "rules").rglob("*.yaml")) + sorted((FIXTURES / "rules").rglob("*.json"))
    if CORPUS.is_dir():
        corpus = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json", ".template"))
        files += corpus[:: CORPUS_STEP[cfn_lint]]
    return files


def _matches(engine: Engine, text: str, run) -> list[tuple] | None:
    decoded = loader.decode_text(text)
    if isinstance(decoded, loader.LoadError) or not loader.looks_like_template(decoded.data):
        return None
    tree = decoded.data
    for section in _OPTIONAL_SECTIONS:
        if section in tree and tree[section] is None:
            del tree[section]
    collection = engine._build()
    format_token = template_format.set(decoded.format)
    spans_token = local_spans.set(sam_property_spans(tree))
    try:
        found = run(tree, collection)
    except Exception as exc:  # noqa: BLE001 - compared, not hidden: both routes must agree
        return [("raised", type(exc).__name__)]
    finally:
        template_format.reset(format_token)
        local_spans.reset(spans_token)
    return [
        (m.rule.id, m.linenumber, m.columnnumber, m.linenumberend, m.columnnumberend, m.message, tuple(getattr(m, "path", ()) or ()))
        for m in found
    ]


def _stock(tree, collection):
    from cfnlint.runner import run_template_by_data

    return list(run_template_by_data(tree, collection.config, collection.rules))


@pytest.mark.parametrize("cfn_lint", [False, True], ids=["default", "cfn-lint"])
def test_same_findings_as_cfn_lint_runner(cfn_lint: bool):
    engine = Engine(EngineOptions(cfn_lint=cfn_lint, enable=("SL",)))
    compared = 0
    differ = []
    for path in _files(cfn_lint):
        text = loader.read_text(path)
        if isinstance(text, loader.LoadError):
            continue
        ours = _matches(engine, text, lambda tree, c: cfn_runner.run(tree, c.config, c.rules, lean=not cfn_lint))
        theirs = _matches(engine, text, _stock)
        if ours is None:
            continue
        compared += 1
        if theirs and theirs[0][0] == "raised" and not cfn_lint:
            # cfn-lint's eager Template raised on this malformed template; the lean one need not.
            assert ours and ours[0][0] != "raised", path
            continue
        if ours != theirs:
            differ.append((path, sorted(set(ours) ^ set(theirs))[:4]))
    assert compared > (40 if cfn_lint else 200)
    assert differ == []


def test_linear_dedup_keeps_first_occurrences_in_order():
    from cfnlint.match import Match
    from cfnlint.rules.errors import ParseError

    a = Match.create("a", "t.yaml", ParseError(), linenumber=1)
    b = Match.create("b", "t.yaml", ParseError(), linenumber=2)
    again = Match.create("a", "t.yaml", ParseError(), linenumber=1)
    assert list(cfn_runner.dedup([a, b, again, b])) == [a, b]
    assert a == again  # what cfn-lint's own de-duplication compares
