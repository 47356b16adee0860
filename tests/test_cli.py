"""The command line, through the real console script in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli

SAMPLE = FIXTURES / "samples"

FUNCTION_WITHOUT_LOGS = textwrap.dedent(
    """\
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
      Logs:
        Type: AWS::Logs::LogGroup
        Properties:
          LogGroupName: /app/other
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "template.yaml").write_text(FUNCTION_WITHOUT_LOGS)
    (tmp_path / "workflow.yml").write_text("name: ci\non: [push]\n")
    (tmp_path / "node_modules" / "pkg").mkdir(parents=True)
    (tmp_path / "node_modules" / "pkg" / "template.yaml").write_text(FUNCTION_WITHOUT_LOGS)
    (tmp_path / ".aws-sam").mkdir()
    (tmp_path / ".aws-sam" / "template.yaml").write_text(FUNCTION_WITHOUT_LOGS)
    return tmp_path


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("slens-lint ")


def test_no_argument_lints_the_current_folder_and_skips_non_templates(project: Path):
    result = run_cli("check", "--select", "SL501,SL502", "--no-color", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "template.yaml:6:5 SL501 warning Function 'Fn'" in result.stdout
    assert "template.yaml:12:5 SL502 warning Log group 'Logs'" in result.stdout
    assert "fix:" in result.stdout
    assert "node_modules" not in result.stdout and ".aws-sam" not in result.stdout
    assert "workflow" not in result.stdout
    assert "2 findings (2 warnings) in 1 file linted." in result.stdout


def test_parseable_format_matches_cfn_lint(project: Path):
    result = run_cli("check", "-f", "parseable", "--select", "SL501", cwd=project)
    assert result.stdout.splitlines() == [
        "template.yaml:6:5:6:15:WSL501:Function 'Fn' has no log group with a retention period in the template: "
        "Lambda creates /aws/lambda/<name> on first invocation and keeps its logs forever."
    ]


def test_json_format_is_stable(project: Path):
    result = run_cli("check", "-f", "json", "--select", "SL501,SL502", cwd=project)
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["summary"] == {
        "files": 1, "linted": 1, "skipped": 0, "failed": 0, "error": 0, "warning": 2, "info": 0,
        "hidden": {}, "baselined": 0, "baseline_stale": 0, "fixed": 0, "fix_refused": 0,
    }
    first = document["findings"][0]
    assert set(first) == {
        "rule_id", "cfn_lint_id", "severity", "file", "range", "resource", "path", "message", "fix",
        "subject", "fingerprint", "fix_safety", "edits",
    }
    assert (first["subject"], first["fix_safety"]) == ("Resources/Fn", "safe")
    assert len(first["fingerprint"]) == 32 and first["edits"][0]["text"].startswith("\n  FnLogGroup:")
    assert (first["rule_id"], first["cfn_lint_id"], first["severity"], first["resource"]) == ("SL501", "WSL501", "warning", "Fn")
    assert first["range"] == {"start_line": 6, "start_column": 5, "end_line": 6, "end_column": 15}
    assert first["path"] == ["Resources", "Fn", "Properties"]


@pytest.mark.parametrize("name", ["template.yaml", "modèle.yaml"])
def test_json_output_is_what_the_stdlib_encoder_writes(project: Path, name: str):
    # The renderer serializes with pydantic for speed; the bytes must stay json.dumps(indent=2)'s,
    # ASCII-only (non-ASCII escaped) whatever the file names.
    (project / "template.yaml").rename(project / name)
    result = run_cli("check", "-f", "json", "--select", "SL501,SL502", name, cwd=project)
    assert result.returncode == 1, result.stderr
    assert result.stdout.isascii()
    assert result.stdout == json.dumps(json.loads(result.stdout), indent=2) + "\n"
    assert [f["file"] for f in json.loads(result.stdout)["findings"]] == [name, name]


def test_json_output_survives_a_file_name_that_is_not_utf8(project: Path):
    # Python stands for undecodable bytes of a name with lone surrogates, which pydantic's JSON
    # writer refuses; the stdlib encoder escapes them.
    import os

    os.rename(project / "template.yaml", os.path.join(os.fsencode(project), b"bad\xff.yaml"))
    result = run_cli("check", "-f", "json", "--select", "SL501,SL502", ".", cwd=project)
    assert result.returncode == 1, result.stderr
    assert result.stdout.isascii()
    assert [f["file"] for f in json.loads(result.stdout)["findings"]] == ["bad\udcff.yaml"] * 2


def test_a_cfnlintrc_does_not_configure_slens_lint(project: Path):
    # cfn-lint's own configuration file; its `ignore_checks: [W]` would match every WSL id by prefix.
    (project / ".cfnlintrc").write_text("ignore_checks:\n  - W\nregions:\n  - not-a-region\n")
    result = run_cli("check", "-f", "parseable", "--select", "SL501,SL502", "template.yaml", cwd=project)
    assert result.returncode == 1, result.stderr
    assert [line.split(":")[5] for line in result.stdout.splitlines()] == ["WSL501", "WSL502"]


@pytest.mark.parametrize(
    "args, code",
    [
        ((), 1),
        (("--fail-on", "error"), 0),
        (("--fail-on", "never"), 0),
        (("--min-severity", "error"), 0),
        (("--ignore", "SL50"), 0),
        (("--ignore", "WSL501,WSL502"), 0),
    ],
)
def test_exit_codes_follow_fail_on_and_filters(project: Path, args, code):
    assert run_cli("check", "template.yaml", "--select", "SL501,SL502", *args, cwd=project).returncode == code


def test_select_by_cfn_lint_id_prefix(project: Path):
    result = run_cli("check", "-f", "parseable", "--select", "WSL502", cwd=project)
    assert [line.split(":")[5] for line in result.stdout.splitlines()] == ["WSL502"]


def test_unknown_rule_id_is_a_usage_error(project: Path):
    result = run_cli("check", "--select", "SL999", cwd=project)
    assert result.returncode == 2
    assert "unknown rule id or prefix 'SL999'" in result.stderr


def test_bad_files_do_not_stop_the_others(project: Path):
    (project / "broken.yaml").write_text("Resources:\n  A: [unclosed\n")
    result = run_cli("check", "template.yaml", "broken.yaml", "missing.yaml", "--select", "SL501,SL502", "--no-color", cwd=project)
    assert result.returncode == 2
    assert "SL501" in result.stdout  # the good file was still linted
    # Each bad file once, on stderr (it stays on the terminal with --output), none among the findings.
    assert result.stderr.splitlines() == [
        "slens-lint: broken.yaml:3: did not find expected ',' or ']'",
        "slens-lint: missing.yaml: no such file or directory",
    ]
    assert "broken.yaml" not in result.stdout and "missing.yaml" not in result.stdout
    assert "in 1 file linted, 2 files not linted (see above)." in result.stdout


def test_explicit_non_template_is_skipped_with_a_note_in_verbose(project: Path):
    result = run_cli("check", "workflow.yml", "--verbose", "--no-color", cwd=project)
    assert result.returncode == 0
    assert "workflow.yml: skipped (not a CloudFormation or SAM template)" in result.stdout


def test_exclude_glob(project: Path):
    sub = project / "infra"
    sub.mkdir()
    (sub / "template.yaml").write_text(FUNCTION_WITHOUT_LOGS)
    result = run_cli("check", "-f", "parseable", "--select", "SL501", "--exclude", "infra", cwd=project)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["template.yaml"]


def test_config_file_is_found_upward(project: Path):
    (project / "pyproject.toml").write_text('[tool.slens-lint]\nignore = ["SL502"]\nfail-on = "error"\n')
    nested = project / "deep" / "er"
    nested.mkdir(parents=True)
    result = run_cli("check", "-f", "parseable", "../../template.yaml", "--select", "SL501,SL502", cwd=nested)
    assert result.returncode == 0  # fail-on error from the config
    assert [line.split(":")[5] for line in result.stdout.splitlines()] == ["WSL501"]


def test_dedicated_config_file_and_invalid_setting(project: Path):
    (project / ".slens-lint.toml").write_text('fail-on = "sometimes"\n')
    result = run_cli("check", cwd=project)
    assert result.returncode == 2
    assert "invalid value for 'fail-on'" in result.stderr and "must be one of error, warning, info, never" in result.stderr


def test_opt_in_rule_only_when_enabled(project: Path):
    listing = json.loads(run_cli("rules", "-f", "json").stdout)
    opt_in = [r["id"] for r in listing if r["opt_in"]]
    if not opt_in:
        pytest.skip("no opt-in rule registered yet")
    rule = opt_in[0]
    off = run_cli("check", "-f", "parseable", cwd=project)
    on = run_cli("check", "-f", "parseable", "--enable", rule, "--min-severity", "info", cwd=project)
    assert rule not in off.stdout
    assert rule in on.stdout


def test_rules_lists_every_rule():
    result = run_cli("rules")
    assert result.returncode == 0
    for line in ("SL501", "WSL501", "SL502"):
        assert line in result.stdout
    listing = json.loads(run_cli("rules", "-f", "json").stdout)
    assert [r["id"] for r in listing] == sorted(r["id"] for r in listing)


def test_output_file(project: Path, tmp_path: Path):
    target = tmp_path / "report.json"
    result = run_cli("check", "-f", "json", "-o", str(target), "--select", "SL501", cwd=project)
    assert result.stdout == ""
    assert json.loads(target.read_text())["findings"][0]["rule_id"] == "SL501"


def test_bundled_sample_shows_findings():
    result = run_cli("check", str(SAMPLE), "--no-color")
    assert result.returncode == 1
    assert "CreateOrderFunction" in result.stdout
    assert "not-a-template" not in result.stdout


# ---- in process, through typer's runner (fast; the subprocess tests above cover the real entry point)


def test_typer_runner_check_and_rules(project: Path, monkeypatch):
    from typer.testing import CliRunner

    from slens_lint.cli import app

    monkeypatch.chdir(project)
    runner = CliRunner()
    result = runner.invoke(app, ["check", "-f", "parseable", "--select", "SL501", "template.yaml"])
    assert result.exit_code == 1
    assert result.stdout.startswith("template.yaml:6:5:6:15:WSL501:")
    listing = runner.invoke(app, ["rules", "-f", "json"])
    assert listing.exit_code == 0 and '"SL501"' in listing.stdout
    usage = runner.invoke(app, ["check", "--fail-on", "sometimes"])
    assert usage.exit_code == 2


def test_cfn_lint_flag_adds_built_in_rules(project: Path):
    (project / "template.yaml").write_text(
        FUNCTION_WITHOUT_LOGS.replace("Runtime: python3.12", "Runtime: python3.12\n      MemorySize: lots")
    )
    without = run_cli("check", "-f", "json", "template.yaml", cwd=project)
    with_builtins = run_cli("check", "-f", "json", "--cfn-lint", "template.yaml", cwd=project)
    ids_without = {f["rule_id"] for f in json.loads(without.stdout)["findings"]}
    ids_with = {f["rule_id"] for f in json.loads(with_builtins.stdout)["findings"]}
    # MemorySize: lots is a type error only cfn-lint's schema rules report (E3012).
    assert "E3012" in ids_with and "E3012" not in ids_without
    assert {i for i in ids_without if i.startswith("SL")} <= ids_with


@pytest.mark.parametrize("command", [(), ("check",), ("review",), ("rules",), ("explain",), ("rule",), ("lsp",)])
def test_help_reads_well_at_80_columns(command):
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    exe = shutil.which("slens-lint", path=str(Path(sys.executable).parent))
    done = subprocess.run([exe, *command, "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Usage: slens-lint")
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    # No Python types as metavars, no rich markup eating brackets, no truncated names.
    for bad in ("<list[", "<bool>", "<str>", "<path>", "<int", "<Path>", "…"):
        assert bad not in done.stdout, bad
    if command == ("lsp",):
        assert "'slens-lint[lsp]'" in done.stdout
    if command == ("check",):
        for option in ("--fix", "--unsafe-fixes", "--diff", "--baseline FILE", "--write-baseline FILE", "--statistics",
                       "--show-fixes", "--stdin-filename NAME", "--show-settings", "--cache / --no-cache"):
            assert option in done.stdout, option
