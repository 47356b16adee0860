"""Every rule's fixtures: pass-* files give no finding of that rule; fail-* files give exactly the
findings their `# expect:` lines name (rule id, resource, line). JSON fixtures keep their expectations
in a sidecar `<name>.expect` file with the same lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, expectations
from slens_lint.engine import Engine, EngineOptions, LintTarget
from slens_lint.rules.registry import rule_classes

RULE_DIRS = FIXTURES / "rules"


def _fixtures(prefix: str) -> list[Path]:
    return sorted(p for p in RULE_DIRS.glob(f"*/{prefix}-*") if p.suffix in (".yaml", ".yml", ".json"))


_engines: dict[str, Engine] = {}


def lint_for_rule(path: Path):
    rule_id = path.parent.name
    if rule_id not in _engines:
        _engines[rule_id] = Engine(EngineOptions(select=(rule_id,), enable=(rule_id,)))
    return _engines[rule_id].lint_file(LintTarget(path, path.name, explicit=True))


@pytest.mark.parametrize("path", _fixtures("pass"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pass_fixture_has_no_finding(path: Path):
    result = lint_for_rule(path)
    assert not result.errors, result.errors
    assert result.skipped is None
    ours = [(f.rule_id, f.resource, f.range.start_line, f.message) for f in result.findings if f.rule_id == path.parent.name]
    assert ours == []


@pytest.mark.parametrize("path", _fixtures("fail"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fail_fixture_has_exactly_the_expected_findings(path: Path):
    expected = expectations(path)
    assert expected, f"{path} names no expected finding (# expect: ID Resource line)"
    result = lint_for_rule(path)
    assert not result.errors, result.errors
    got = {(f.rule_id, f.resource, f.range.start_line) for f in result.findings if f.rule_id == path.parent.name}
    assert got == expected
    for finding in result.findings:
        assert finding.resource and finding.resource in finding.message, "the message names the resource"
        assert finding.fix, "every finding carries a fix hint"


@pytest.mark.parametrize("rule", rule_classes(), ids=lambda r: r.id)
def test_every_rule_has_pass_and_fail_fixtures(rule):
    folder = RULE_DIRS / rule.id
    assert list(folder.glob("pass-*")), f"{rule.id} has no pass fixture in {folder}"
    assert list(folder.glob("fail-*")), f"{rule.id} has no fail fixture in {folder}"


def test_fixture_folders_name_real_rules():
    ids = {r.id for r in rule_classes()}
    for folder in RULE_DIRS.iterdir():
        assert folder.name in ids, f"fixtures/rules/{folder.name} matches no rule"
