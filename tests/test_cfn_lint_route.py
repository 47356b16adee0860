"""The cfn-lint route to editors: exactly what VS Code's cfn-lint extension runs, with
`"cfnLint.appendRules": ["slens_lint.cfn_rules"]` in its settings.

The extension spawns `cfn-lint --format json --include-checks I --append-rules <rule> -- <file>`, maps
each entry's `Level` ("Error", "Warning", "Informational", else Error) to a diagnostic, and turns any
text on stderr into a warning diagnostic of its own. It runs from the editor's folder, not from ours:
the rules must load from the installed package.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ORDERS_TEMPLATE
from slens_lint.rules import registry

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "rules"
LEVELS = {"Error", "Warning", "Informational"}

TEMPLATE = ORDERS_TEMPLATE


def cfn_lint_like_the_extension(*files: Path, cwd: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("cfn-lint", path=str(Path(sys.executable).parent)) or "cfn-lint"
    command = [exe, "--format", "json", "--include-checks", "I", "--append-rules", "slens_lint.cfn_rules", "--", *map(str, files)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_findings_as_the_extension_reads_them(tmp_path: Path):
    workspace = tmp_path / "someone-elses-project"
    workspace.mkdir()
    template = workspace / "template.yaml"
    template.write_text(TEMPLATE)

    result = cfn_lint_like_the_extension(template, cwd=workspace)

    # Anything on stderr would show up in the editor as a warning of its own.
    assert result.stderr == ""
    entries = json.loads(result.stdout)
    assert {e["Level"] for e in entries} <= LEVELS
    ours = {e["Rule"]["Id"]: e for e in entries if e["Rule"]["Id"] in ("WSL501", "WSL502")}
    assert set(ours) == {"WSL501", "WSL502"}
    for rule_id, line in (("WSL501", 6), ("WSL502", 12)):
        entry = ours[rule_id]
        assert entry["Level"] == "Warning"
        assert entry["Filename"] == str(template)
        # The extension subtracts one from each: 1-based lines and columns, end after start.
        start, end = entry["Location"]["Start"], entry["Location"]["End"]
        assert (start["LineNumber"], start["ColumnNumber"]) == (line, 5)
        assert (end["LineNumber"], end["ColumnNumber"]) == (line, 5 + len("Properties"))
        assert entry["Rule"]["Source"] == registry.get(rule_id).docs_url()
        assert "Fix: " in entry["Message"]


def test_every_rule_maps_to_an_extension_level(tmp_path: Path):
    """All rules present, whatever their severity: lint every failing fixture in one cfn-lint run and
    check each of our findings' Level against the rule's severity."""
    fixtures = sorted(p for p in FIXTURES.glob("*/fail-*") if p.suffix in (".yaml", ".yml", ".json"))
    assert fixtures
    result = cfn_lint_like_the_extension(*fixtures, cwd=tmp_path)
    entries = json.loads(result.stdout)
    expected = {"error": "Error", "warning": "Warning", "info": "Informational"}
    seen = set()
    for entry in entries:
        assert entry["Level"] in LEVELS, entry
        rule = registry.get(entry["Rule"]["Id"])
        if rule is not None:
            assert entry["Level"] == expected[rule.severity.value], entry
            seen.add(rule.id)
    assert {"SL501", "SL502"} <= seen
