"""Configuration as a repository lives with it: found per folder, per-rule options, per-file ignores,
fix values, and every mistake refused with one line that names the file and the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_check

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Timeout: 10
      Tracing: Active
  Logs:
    Type: AWS::Logs::LogGroup
"""




def _findings(folder: Path, *args: str) -> list[tuple[str, str, str]]:
    done = run_check(folder, "-f", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return sorted((f["file"], f["rule_id"], f["severity"]) for f in json.loads(done.stdout)["findings"])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name in ("services/orders", "services/billing", "legacy"):
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "template.yaml").write_text(TEMPLATE)
    return tmp_path


def test_each_file_gets_the_nearest_configuration(repo: Path):
    (repo / "pyproject.toml").write_text('[tool.slens-lint]\nselect = ["SL501", "SL502"]\n')
    # The nearest file wins whole (no merging with the one above), as with ruff.
    (repo / "services" / "billing" / ".slens-lint.toml").write_text('select = ["SL501", "SL502"]\nignore = ["SL502"]\n')
    # A pyproject.toml without a [tool.slens-lint] table is passed over on the way up.
    (repo / "legacy" / "pyproject.toml").write_text('[project]\nname = "legacy"\n')
    expected = [
        ("legacy/template.yaml", "SL501", "warning"),
        ("legacy/template.yaml", "SL502", "warning"),
        ("services/billing/template.yaml", "SL501", "warning"),
        ("services/orders/template.yaml", "SL501", "warning"),
        ("services/orders/template.yaml", "SL502", "warning"),
    ]
    assert _findings(repo, ".") == expected
    # From anywhere: the files' own configurations apply, not the current folder's.
    outside = _findings(repo / "legacy", "..")
    assert sorted(((repo / "legacy" / f).resolve().relative_to(repo).as_posix(), r, s) for f, r, s in outside) == expected


def test_a_dedicated_file_beats_pyproject_in_the_same_folder_and_config_names_one_for_all(repo: Path):
    (repo / "pyproject.toml").write_text('[tool.slens-lint]\nselect = ["SL502"]\n')
    (repo / ".slens-lint.toml").write_text('select = ["SL501"]\n')
    assert {rule for _, rule, _ in _findings(repo, ".")} == {"SL501"}
    assert {rule for _, rule, _ in _findings(repo / "legacy", "--config", str(repo / "pyproject.toml"), ".")} == {"SL502"}


def test_rule_tables_switch_rules_and_change_severities(repo: Path):
    (repo / ".slens-lint.toml").write_text(
        'select = ["SL5", "SL205"]\n'
        '[rules.SL502]\nseverity = "error"\n'
        '[rules.SL501]\nenabled = false\n'
        '[rules.SL205]\nenabled = true\nseverity = "warning"\n'
    )
    found = {(rule, severity) for _, rule, severity in _findings(repo, "legacy")}
    assert ("SL502", "error") in found
    assert not any(rule == "SL501" for rule, _ in found)
    assert ("SL205", "warning") in found  # opt-in, switched on, and shown at the severity it was given
    done = run_check(repo, "--fail-on", "error", "--select", "SL502", "legacy")
    assert done.returncode == 1  # an error now


def test_per_file_ignores_are_globs_relative_to_the_configuration(repo: Path):
    (repo / "pyproject.toml").write_text(
        '[tool.slens-lint]\nselect = ["SL501", "SL502"]\n'
        '[tool.slens-lint.per-file-ignores]\n"legacy/*.yaml" = ["SL5"]\n"services/*/template.yaml" = ["sl502"]\n'
    )
    assert _findings(repo / "services", ".") == [
        ("billing/template.yaml", "SL501", "warning"),
        ("orders/template.yaml", "SL501", "warning"),
    ]
    assert [f for f in _findings(repo, ".") if f[0].startswith("legacy/")] == []


def test_fix_values_come_from_the_configuration(repo: Path):
    (repo / ".slens-lint.toml").write_text('select = ["SL502"]\n[fix]\nlog-retention-days = 90\n')
    done = run_check(repo, "--fix", "legacy/template.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (repo / "legacy" / "template.yaml").read_text().endswith("    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 90\n")


@pytest.mark.parametrize(
    "text, message",
    [
        ('selct = ["SL5"]\n', "unknown key 'selct' at the top level; valid keys: "),
        ('[rules.SL502]\nlevel = "error"\n', "unknown key 'level' in [rules.SL502]; valid keys: enabled, severity"),
        ('[rules.SL502]\nseverity = "fatal"\n', "invalid value for 'rules.SL502.severity': must be one of error, warning, info"),
        ('[rules.SL599]\nenabled = false\n', "unknown rule id or prefix 'SL599' in rules"),
        ('ignore = ["SL42"]\n', "unknown rule id or prefix 'SL42' in ignore"),
        ('[per-file-ignores]\n"a/*" = ["SLX"]\n', "unknown rule id or prefix 'SLX' in per-file-ignores.'a/*'"),
        ('[fix]\nlog-retention = 30\n', "unknown fix setting 'log-retention'; valid: "),
        ('[fix]\nlog-retention-days = "30"\n', "'log-retention-days' must be a int"),
        ("select = [\n", "is not valid TOML"),
    ],
)
def test_mistakes_are_refused_in_one_line_naming_the_file(repo: Path, text: str, message: str):
    (repo / ".slens-lint.toml").write_text(text)
    done = run_check(repo, ".")
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"slens-lint: error: {repo / '.slens-lint.toml'}"), line
    assert message in line, line


def test_show_settings_names_the_file_and_the_effective_values(repo: Path):
    (repo / "pyproject.toml").write_text('[tool.slens-lint]\nmin-severity = "info"\n[tool.slens-lint.rules.SL502]\nseverity = "error"\n')
    done = run_check(repo, "--show-settings", "--fail-on", "error", "legacy")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["configuration"] == str(repo / "pyproject.toml")
    assert (shown["min-severity"], shown["fail-on"], shown["severity"]) == ("info", "error", {"SL502": "error"})
    assert shown["fix"] == {} and shown["baseline"] is None
