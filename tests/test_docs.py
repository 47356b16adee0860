"""Rule metadata is complete, and the generated docs under rules/ match the rule classes."""

from __future__ import annotations

import importlib

import pytest

from conftest import ROOT, run_cli
from slens_lint.docs import GENERATED_NOTE, expected_files
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


def test_the_rule_catalogue_outputs_read_is_the_classes_own():
    """Outputs describe rules from the generated catalogue; it says what each class says."""
    from slens_lint.docs import catalogue_text, help_markdown
    from slens_lint.findings import rule_info
    from slens_lint.rules.registry import builtin_rules

    assert (ROOT / "slens_lint" / "rule_catalogue.py").read_text(encoding="utf-8") == catalogue_text(), "run scripts/generate_rule_docs.py"
    for rule in (*rule_classes(), *builtin_rules()):
        info = rule_info(rule.id)
        assert info is not None, rule.id
        assert (info.severity, info.title, info.fix, info.slug, info.docs_url) == (rule.severity, rule.title, rule.fix, rule.slug(), rule.docs_url())
        assert info.help_markdown == help_markdown(rule) and not info.help_markdown.startswith("# ")
    assert rule_info("E0000") is None and rule_info("SL999") is None


def test_the_rule_index_matches_the_rules():
    """The id tables a run selects from without importing rules are the classes' own (generated)."""
    from slens_lint.rules import index
    from slens_lint.rules.registry import index_tables, select

    assert (index.RULES, index.BUILTINS) == index_tables(), "run scripts/generate_rule_docs.py"
    for args in [((), (), ()), (("SL2",), (), ()), (("SL205",), (), ()), ((), ("SL1",), ("SL205",)), (("WSL5",), ("SL501",), ())]:
        assert index.selected_ids(*args) == [cls.id for cls in select(*args)], args


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
    page = (ROOT / "rules" / f"{rule.id}.md").read_text(encoding="utf-8")
    for command in (("explain", rule.id), ("explain", rule.cfn_lint_id().lower()), ("rule", rule.id)):
        result = run_cli(*command)
        assert result.returncode == 0, command
        # The page without its "generated, do not edit" note, which is for the file alone.
        assert "Generated from the rule class" not in result.stdout
        assert result.stdout.strip() == page.replace(GENERATED_NOTE, "").strip()


def test_explain_unknown_rule_is_a_usage_error():
    result = run_cli("explain", "SL999")
    assert result.returncode == 2
    assert "unknown rule" in result.stderr


def _tags() -> set[str]:
    import subprocess

    done = subprocess.run(["git", "tag"], cwd=ROOT, capture_output=True, text=True)
    return set(done.stdout.split()) if done.returncode == 0 else set()


@pytest.mark.parametrize("page", ["README.md", *(f"docs/{p.name}" for p in sorted((ROOT / "docs").glob("*.md")))])
def test_install_routes_in_the_docs_exist(page: str):
    """No page claims a package-index release or a tag that does not exist: every route it gives
    works from the repository as it is (a clone, or a commit of its URL)."""
    import re

    text = (ROOT / page).read_text(encoding="utf-8")
    tags = _tags()
    # pip from the index: `pip install slens-lint` / `'slens-lint[lsp]'` (not a path, not a URL).
    assert not re.search(r"pip install ['\"]?slens-lint(\[[a-z,]+\])?(?!\s*@)['\"]?(\s|$)", text), "claims a PyPI release"
    for ref in re.findall(r"slens-lint/slens-lint@([\w.\-<>]+)", text) + re.findall(r"repo: https://github.com/slens-lint/slens-lint\n\s+rev: (\S+)", text):
        assert ref in tags or ref == "<commit>" or ref == "<tag>" and not tags or re.fullmatch(r"[0-9a-f]{40}", ref), f"{page}: @{ref} does not exist"
