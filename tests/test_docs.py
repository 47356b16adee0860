"""Rule metadata is complete, and the generated docs under rules/ match the rule classes."""

from __future__ import annotations

import importlib

import pytest

from conftest import ROOT, run_cli
from slens_lint.docs import expected_files
from slens_lint.rules.base import CANONICAL_ID, Rule
from slens_lint.rules.registry import rule_classes


def test_generated_docs_are_current():
    stale = []
    for name, content in expected_files().items():
        path = ROOT / "rules" / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            stale.append(name)
    extra = [p.name for p in (ROOT / "rules").glob("*.md") if p.name not in expected_files()]
    assert not stale and not extra, f"run scripts/generate_rule_docs.py (stale: {stale}, extra: {extra})"


@pytest.mark.parametrize("rule", rule_classes(), ids=lambda r: r.id)
def test_rule_metadata_is_complete(rule):
    assert CANONICAL_ID.match(rule.id)
    assert "subject" in vars(rule), f"{rule.id} does not say what it judges (subject)"
    for attribute in ("title", "practice", "rationale", "fix", "service", "severity_reason"):
        assert getattr(rule, attribute), f"{rule.id} has no {attribute}"
    assert rule.example is not None, f"{rule.id} has no passing example"
    assert rule.references, f"{rule.id} has no reference"
    assert rule.resource_types, f"{rule.id} names no resource type"
    # One rule per module, in the package of its pillar.
    module = importlib.import_module(rule.__module__)
    assert rule.__module__.split(".")[-2] == rule.pillar().package
    defined = [c for c in vars(module).values() if isinstance(c, type) and issubclass(c, Rule) and c.__module__ == module.__name__]
    assert defined == [rule], f"{rule.__module__} must define exactly one rule"


@pytest.mark.parametrize("rule", rule_classes(), ids=lambda r: r.id)
def test_cfn_lint_reads_the_severity_we_document(rule):
    """cfn-lint takes a rule's severity from the first letter of its id: the generated cfn-lint rule must
    land where our metadata says (error, warning, informational)."""
    import slens_lint.cfn_rules as module

    generated = getattr(module, rule.__name__)()
    assert generated.id == f"{rule.severity.letter}{rule.id}"
    assert generated.severity == {"error": "error", "warning": "warning", "info": "informational"}[rule.severity.value]


def test_explain_prints_the_generated_page():
    rule = rule_classes()[0]
    result = run_cli("explain", rule.id)
    assert result.returncode == 0
    assert result.stdout.strip() == (ROOT / "rules" / f"{rule.id}.md").read_text(encoding="utf-8").strip()


def test_explain_unknown_rule_is_a_usage_error():
    result = run_cli("explain", "SL999")
    assert result.returncode == 2
    assert "unknown rule" in result.stderr
