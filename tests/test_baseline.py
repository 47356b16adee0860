"""Baselines end to end through the command line: what a team accepted stays quiet through the edits a
repository sees every day, and exactly the new findings are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_check

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Timeout: 10
  Audit:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /orders/audit
  Spare:
    Type: AWS::SNS::Topic
"""

# What the template above reports (warnings, the default): each finding is (rule, resource).
ACCEPTED = [("SL107", "Orders"), ("SL501", "Orders"), ("SL502", "Audit")]




def _reported(folder: Path, *args: str) -> tuple[list[tuple[str, str]], dict]:
    done = run_check(folder, "-f", "json", *args, "template.yaml")
    assert done.returncode in (0, 1), done.stderr
    document = json.loads(done.stdout)
    return sorted((f["rule_id"], f["resource"]) for f in document["findings"]), document["summary"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    done = run_check(tmp_path, "--write-baseline", "baseline.json", "template.yaml")
    assert done.returncode == 1, done.stderr  # the findings are still reported while recording them
    return tmp_path


def test_the_baseline_holds_every_finding_and_reports_none(project: Path):
    assert _reported(project)[0] == ACCEPTED
    findings, summary = _reported(project, "--baseline", "baseline.json")
    assert findings == []
    assert (summary["baselined"], summary["baseline_stale"]) == (3, 0)
    done = run_check(project, "--baseline", "baseline.json", "template.yaml")
    assert done.returncode == 0
    assert "; 3 in the baseline." in done.stdout, done.stdout


def test_the_file_is_sorted_one_entry_per_line_and_rewritten_byte_for_byte(project: Path):
    first = (project / "baseline.json").read_bytes()
    lines = first.decode().splitlines()
    entries = [json.loads(line.strip().rstrip(",")) for line in lines if line.strip().startswith('{"file"')]
    assert [(e["rule"], e["resource"]) for e in entries] == ACCEPTED
    assert all(set(e) == {"file", "rule", "resource", "fingerprint", "message"} for e in entries)
    assert {e["file"] for e in entries} == {"template.yaml"}
    assert run_check(project, "--write-baseline", "baseline.json", "template.yaml").returncode == 1
    assert (project / "baseline.json").read_bytes() == first


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda t: t.replace("Resources:\n", "# Orders service\n\n\nResources:\n"), id="lines-inserted-above"),
        pytest.param(lambda t: "\n".join("  " + line if line.startswith(" ") else line for line in t.splitlines()) + "\n", id="reindented"),
        pytest.param(lambda t: t.replace("Handler: app.handler\n      Runtime: python3.12", "Runtime: python3.12\n      Handler: app.handler"), id="keys-reordered"),
        pytest.param(lambda t: t.replace("Spare:", "Renamed:"), id="unrelated-resource-renamed"),
        pytest.param(lambda t: t.replace("Timeout: 10", "Timeout: 30"), id="unrelated-property-changed"),
        pytest.param(lambda t: t.replace("LogGroupName: /orders/audit", "LogGroupName: '/orders/audit'  # quoted"), id="same-value-rewritten"),
    ],
)
def test_edits_elsewhere_keep_every_entry_matching(project: Path, edit):
    path = project / "template.yaml"
    path.write_text(edit(path.read_text()))
    assert _reported(project)[0] == ACCEPTED  # the edit changed nothing the rules see
    findings, summary = _reported(project, "--baseline", "baseline.json")
    assert findings == []
    assert (summary["baselined"], summary["baseline_stale"]) == (3, 0)


def test_the_flagged_property_changed_reports_that_finding_again(project: Path):
    path = project / "template.yaml"
    # Tracing still not active, but now set to another value: the decision is new, so is the finding.
    path.write_text(path.read_text().replace("Timeout: 10", "Timeout: 10\n      Tracing: PassThrough"))
    findings, summary = _reported(project, "--baseline", "baseline.json")
    assert findings == [("SL107", "Orders")]
    assert (summary["baselined"], summary["baseline_stale"]) == (2, 1)


def test_a_new_offending_resource_is_reported_alone(project: Path):
    path = project / "template.yaml"
    path.write_text(path.read_text() + "  Access:\n    Type: AWS::Logs::LogGroup\n")
    findings, summary = _reported(project, "--baseline", "baseline.json")
    assert findings == [("SL502", "Access")]
    assert (summary["baselined"], summary["baseline_stale"]) == (3, 0)


def test_fixed_findings_leave_stale_entries_that_a_rewrite_removes(project: Path):
    path = project / "template.yaml"
    path.write_text(path.read_text().replace("LogGroupName: /orders/audit", "LogGroupName: /orders/audit\n      RetentionInDays: 30"))
    done = run_check(project, "--baseline", "baseline.json", "template.yaml")
    assert done.returncode == 0
    assert "1 baseline entry no longer match anything" in done.stdout or "1 baseline entry no longer matches anything" in done.stdout, done.stdout
    run_check(project, "--write-baseline", "baseline.json", "template.yaml")
    assert '"SL502"' not in (project / "baseline.json").read_text()


def test_the_baseline_from_configuration_and_a_bad_baseline_file(project: Path):
    (project / "pyproject.toml").write_text('[tool.slens-lint]\nbaseline = "baseline.json"\n')
    assert _reported(project)[0] == []
    (project / "baseline.json").write_text("{not json")
    done = run_check(project, "template.yaml")
    assert done.returncode == 2
    assert done.stderr.startswith("slens-lint: error: ") and "baseline.json: not a slens-lint baseline" in done.stderr
    assert "Traceback" not in done.stderr


def test_baselined_findings_are_not_fixed(project: Path):
    path = project / "template.yaml"
    path.write_text(path.read_text() + "  Access:\n    Type: AWS::Logs::LogGroup\n")
    done = run_check(project, "--baseline", "baseline.json", "--fix", "template.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    text = path.read_text()
    # Only the new finding was fixed: the accepted log group keeps having no retention.
    assert text.count("RetentionInDays") == 1 and text.endswith("    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 30\n")
