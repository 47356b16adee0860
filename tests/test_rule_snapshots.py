"""Every rule fixture's exact behaviour, pinned in a reviewed snapshot (ruff-style): each finding of the
fixture's rule (position, resource, message, fix text with its rendered fragment) and each verdict
(met, undecidable and what hides it), in `tests/snapshots/rules/<ID>.snap`.

A change of behaviour shows as a diff of the snapshot. After reviewing it, rewrite the snapshots with
`SLENS_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_rule_snapshots.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURES
from slens_lint.engine import Engine, EngineOptions, LintTarget
from slens_lint.rules.registry import rule_classes

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "rules"
UPDATE = os.environ.get("SLENS_UPDATE_SNAPSHOTS") == "1"


def _where(rng) -> str:
    return f"{rng.start_line}:{rng.start_column}-{rng.end_line}:{rng.end_column}" if rng else "?"


def render(rule_id: str) -> str:
    engine = Engine(EngineOptions(select=(rule_id,), enable=(rule_id,), keep_verdicts=True))
    out = [f"# {rule_id}", ""]
    folder = FIXTURES / "rules" / rule_id
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json")):
        result = engine.lint_file(LintTarget(path, path.name, explicit=True))
        out.append(f"## {path.name}")
        for error in result.errors:
            out.append(f"error: {error.reason}")
        for finding in result.findings:
            if finding.rule_id != rule_id:
                continue
            out.append(f"finding {_where(finding.range)} {finding.resource}")
            out.append(f"  message: {finding.message}")
            out.append("  fix: |")
            out.extend(f"    {line}".rstrip() for line in (finding.fix or "").splitlines())
        for verdict in result.verdicts:
            if verdict.not_met:
                continue
            line = f"{verdict.status.value} {_where(verdict.range)} {verdict.subject}"
            if verdict.hidden_by:
                line += " -- hidden by: " + "; ".join(verdict.hidden_by)
            out.append(line)
        out.append("")
    return "\n".join(out)


@pytest.mark.parametrize("rule", rule_classes(), ids=lambda r: r.id)
def test_fixture_snapshot(rule):
    snapshot = SNAPSHOTS / f"{rule.id}.snap"
    rendered = render(rule.id)
    if UPDATE:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(rendered, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot for {rule.id}: run with SLENS_UPDATE_SNAPSHOTS=1 and review it"
    assert rendered == snapshot.read_text(encoding="utf-8")
