"""The real-world corpus (../shared/corpus, aws-samples/serverless-patterns): every file is linted or
cleanly reported, never a crash or a traceback."""

from __future__ import annotations

import json

import pytest

from conftest import CORPUS, run_cli

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS} (set SLENS_CORPUS)")


@pytest.fixture(scope="module")
def corpus_run():
    result = run_cli("check", "--no-cache", "-f", "json", "--enable", "SL", str(CORPUS), timeout=900)
    return result, json.loads(result.stdout)


def test_corpus_run_never_crashes(corpus_run):
    result, document = corpus_run
    assert "Traceback" not in result.stderr
    assert result.returncode in (1, 2), result.stderr[-2000:]  # findings, and a few unparseable files
    assert document["summary"]["linted"] >= 540
    kinds = {e["kind"] for e in document["errors"]}
    assert kinds <= {"parse", "read"}, [e for e in document["errors"] if e["kind"] not in ("parse", "read")]


def test_every_corpus_error_is_one_clean_line(corpus_run):
    result, document = corpus_run
    for error in document["errors"]:
        assert "\n" not in error["reason"]
        assert "{filename}" not in error["reason"] and "None" not in error["reason"]
    # stderr repeats each file error as one line naming the file.
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == len(document["errors"])
    for line, error in zip(lines, document["errors"]):
        assert error["file"] in line


def test_corpus_findings_are_well_formed(corpus_run):
    _, document = corpus_run
    from slens_lint.rules.registry import builtin_rules, rule_classes

    # Our rules, the cfn-lint built-ins the default run includes (rules/builtin.py), parse errors.
    known = {r.id for r in rule_classes()} | {b.id for b in builtin_rules()} | {"E0000"}
    for finding in document["findings"]:
        assert finding["rule_id"] in known
        r = finding["range"]
        assert 1 <= r["start_line"] <= r["end_line"]
        assert r["start_column"] >= 1 and r["end_column"] >= 1
        assert not finding["file"].startswith("/") or str(CORPUS).startswith("/")
