"""`--format github` (workflow commands) and the composite action in action.yml."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_cli
from slens_lint.output.github import escape_data, escape_property

COMMAND = re.compile(r"^::(?P<kind>error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$")


def unescape(value: str) -> str:
    # The runner's decoding (actions/runner ActionCommand): %25 last, so "%253A" stays "%3A".
    for encoded, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(encoded, char)
    return value


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    props = dict(item.split("=", 1) for item in match["props"].split(","))
    return match["kind"], {k: unescape(v) for k, v in props.items()}, unescape(match["data"])


def test_escaping_follows_the_runner():
    assert escape_data("100% sure\r\nnext") == "100%25 sure%0D%0Anext"
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    for value in ("AWS::Logs::LogGroup, 50%", "x\ny\r\n%0A"):
        assert unescape(escape_property(value)) == value
        assert unescape(escape_data(value)) == value


def test_one_annotation_per_finding_matching_the_json_output():
    args = ("check", "--select", "SL501,SL502", "fixtures/sarif")
    github = run_cli(*args, "--format", "github", cwd=ROOT)
    as_json = run_cli(*args, "--format", "json", cwd=ROOT)
    assert github.returncode == as_json.returncode == 2  # broken.yaml
    findings = json.loads(as_json.stdout)["findings"]
    lines = github.stdout.splitlines()
    assert len(lines) == len(findings)  # the parse error is its finding, not a second annotation
    for line, finding in zip(lines, findings):
        kind, props, message = parse(line)
        r = finding["range"]
        assert kind == {"error": "error", "warning": "warning", "info": "notice"}[finding["severity"]]
        assert props == {
            "file": finding["file"],
            "line": str(r["start_line"]),
            "endLine": str(r["end_line"]),
            "col": str(r["start_column"]),
            "endColumn": str(r["end_column"]),
            "title": finding["rule_id"],
        }
        assert message.startswith(finding["message"])
        if finding["fix"]:
            # The whole fix, snippet included, on the lines after the risk.
            assert f"\nFix: {finding['fix']}" in message
        if finding["rule_id"].startswith("SL"):
            assert message.endswith(f"/rules/{finding['rule_id']}.md")


def test_unreadable_file_gets_an_error_of_its_own():
    proc = run_cli("check", "--format", "github", "--select", "SL501", "no-such-template.yaml", cwd=ROOT)
    assert proc.returncode == 2
    (line,) = proc.stdout.splitlines()
    kind, props, message = parse(line)
    assert (kind, props, message) == ("error", {"file": "no-such-template.yaml", "title": "slens-lint"}, "no such file or directory")


def test_paths_are_relative_to_the_sarif_root(tmp_path):
    proc = run_cli(
        "check", "--format", "github", "--select", "SL502", "--sarif-root", str(ROOT / "fixtures"),
        str(ROOT / "fixtures" / "sarif" / "sam" / "template.yaml"), cwd=tmp_path,
    )
    assert proc.returncode == 1
    (line,) = proc.stdout.splitlines()
    assert parse(line)[1]["file"] == "sarif/sam/template.yaml"


# ---- action.yml -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_action_is_a_composite_that_uploads_to_code_scanning(action):
    assert action["runs"]["using"] == "composite"
    assert {"paths", "category", "fail-on", "args"} <= set(action["inputs"])
    steps = action["runs"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["category"] == "${{ inputs.category }}"
    assert "always()" in upload["if"]
    # The step that fails on findings comes after the upload, so alerts are uploaded either way.
    assert steps.index(upload) < next(i for i, s in enumerate(steps) if s.get("name") == "Report the result")


def _run_step(action: dict, tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, dict, Path]:
    """The action's "Run slens-lint" script, in bash as the runner runs it, with this checkout's slens-lint."""
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "lint")
    runner_temp = tmp_path / "runner"
    bin_dir = runner_temp / "slens-lint-venv" / "bin"
    bin_dir.mkdir(parents=True)
    launcher = bin_dir / "slens-lint"
    launcher.write_text(f"#!/bin/sh\nexec '{sys.executable}' -m slens_lint \"$@\"\n", encoding="utf-8")
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
    outputs = tmp_path / "github_output"
    outputs.write_text("", encoding="utf-8")
    env = dict(
        os.environ,
        RUNNER_TEMP=str(runner_temp),
        GITHUB_OUTPUT=str(outputs),
        GITHUB_WORKSPACE=str(ROOT),
        **{name: inputs.get(key, action["inputs"][key].get("default", "")) for key, name in (
            ("paths", "INPUT_PATHS"), ("category", "INPUT_CATEGORY"), ("fail-on", "INPUT_FAIL_ON"), ("args", "INPUT_ARGS"),
            ("baseline", "INPUT_BASELINE"))},
    )
    # The runner's default for `shell: bash`.
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    values = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines() if "=" in line)
    return proc, values, runner_temp


def test_action_lint_step_writes_sarif_and_reports_the_exit_code(action, tmp_path):
    proc, outputs, runner_temp = _run_step(
        action, tmp_path, paths="fixtures/sarif/sam\nfixtures/sarif/cfn", args="--select SL501", **{"fail-on": "warning"}
    )
    assert proc.returncode == 0, proc.stderr  # the step itself never fails: the last step does, after the upload
    assert outputs["exit-code"] == "1"
    assert outputs["sarif-file"] == str(runner_temp / "slens-lint.sarif")
    document = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))
    run = document["runs"][0]
    assert run["automationDetails"]["id"] == "slens-lint/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"fixtures/sarif/sam/template.yaml", "fixtures/sarif/cfn/template.json"}
    assert {r["ruleId"] for r in run["results"]} == {"SL501"}


def test_action_takes_a_baseline(action, tmp_path):
    baseline = tmp_path / "accepted baseline.json"
    recorded = subprocess.run(
        [sys.executable, "-m", "slens_lint", "check", "--no-cache", "--select", "SL501", "--write-baseline", str(baseline), "fixtures/sarif/sam"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert recorded.returncode == 1 and baseline.is_file(), recorded.stderr
    proc, outputs, _ = _run_step(
        action, tmp_path, paths="fixtures/sarif/sam\nfixtures/sarif/cfn", args="--select SL501",
        baseline=str(baseline), **{"fail-on": "warning"},
    )
    assert outputs["exit-code"] == "1", proc.stderr  # the cfn template's finding is new
    run = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"fixtures/sarif/cfn/template.json"}


def test_action_inputs_cannot_inject_shell_code(action, tmp_path):
    marker = tmp_path / "injected"
    proc, outputs, _ = _run_step(action, tmp_path, paths=f"fixtures/sarif/sam $(touch {marker})", category="x`touch {marker}`")
    assert not marker.exists()
    assert outputs["exit-code"] == "2"  # the odd path is a missing file, reported as such
    assert "no such file or directory" in proc.stderr
