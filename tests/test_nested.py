"""Nested stacks with a local location: linted as part of the parent, with its values and chain;
remote ones noted once; cycles, depth, paths outside the root, symlinks, hidden files and FIFOs."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_cli
from slens_lint import nested
from slens_lint.template.environment import Environment
from slens_lint.template.loader import decode_text
from slens_lint.template.model import Template

NESTED = FIXTURES / "nested"
PARENT = "fixtures/nested/template.yaml"


def _check(*args, cwd=ROOT, code=(0, 1)):
    proc = run_cli("check", *args, cwd=cwd, timeout=60)
    assert proc.returncode in code, proc.stdout + proc.stderr
    return proc


def _findings(*args, cwd=ROOT):
    return json.loads(_check("--format", "json", "--min-severity", "info", *args, cwd=cwd).stdout)["findings"]


def _keys(findings):
    return {(f["rule_id"], f["file"], "/".join(f.get("stack", [])), f["resource"]) for f in findings}


# ---- parameters, chains, conditions -----------------------------------------------------------


def test_findings_name_the_child_file_and_the_chain_of_logical_ids():
    findings = _findings("--select", "SL502,SL107", PARENT)
    assert _keys(findings) == {
        ("SL502", "fixtures/nested/stacks/deep.yaml", "ApiStack/DeepStack", "AuditLogs"),
        ("SL107", "fixtures/nested/stacks/api.yaml", "ApiStack", "ApiFunction"),
        ("SL107", "fixtures/nested/stacks/workers.yaml", "WorkersStack", "Worker"),
    }
    deep = next(f for f in findings if f["rule_id"] == "SL502")
    assert deep["root"] == PARENT and deep["range"]["start_line"] == 8
    text = _check("--select", "SL502", PARENT).stdout
    assert "fixtures/nested/stacks/deep.yaml:8:5 SL502 warning Log group 'AuditLogs'" in text
    assert "  stack: fixtures/nested/template.yaml: ApiStack/DeepStack/AuditLogs" in text


def test_the_child_gets_the_parents_values():
    # Without values: the parent's default Stage (dev) flows in, and the child's condition is named.
    (default,) = [f for f in _findings("--select", "SL107", PARENT) if f["resource"] == "ApiFunction"]
    assert default["message"].startswith("When IsProd is false: ")
    # With Stage=prod given to the parent, the child's IsProd holds: its function traces.
    prod = _findings("--select", "SL107", "--parameter-overrides", "Stage=prod", PARENT)
    assert {f["resource"] for f in prod} == {"Worker"}
    dev = _findings("--select", "SL107", "--parameter-overrides", "Stage=dev", PARENT)
    assert {f["resource"] for f in dev} == {"Worker", "ApiFunction"}
    assert all(not f["message"].startswith("When") for f in dev)
    # MemorySize "512" passed by the parent overrides the child's 128 default: no SL401 finding.
    assert not [f for f in _findings("--select", "SL401", PARENT) if f["resource"] == "ApiFunction"]


def test_a_deploy_time_value_leaves_the_child_parameter_unknown_and_secrets_stay_secret():
    parent = Template(decode_text((NESTED / "template.yaml").read_text()).data, env=Environment.of(
        decode_text((NESTED / "template.yaml").read_text()).data, {"Stage": "prod", "DbPassword": "pw-4711"}, "prod"))
    child_tree = decode_text((NESTED / "stacks" / "api.yaml").read_text()).data
    env = nested.environment(parent, "ApiStack", child_tree, "prod")
    assert env.active and env.given["Stage"] == "prod" and env.given["MemorySize"] == "512"
    assert env.parameter_value("TableArn") is None  # !GetAtt Table.Arn: not the child's default
    assert env.parameters["Password"].secret
    # A parameter that does not look secret becomes secret when a secret value is passed to it.
    child_tree["Parameters"]["Plain"] = {"Type": "String"}
    parent.tree["Resources"]["ApiStack"]["Properties"]["Parameters"]["Plain"] = {"Ref": "DbPassword"}
    env = nested.environment(parent, "ApiStack", child_tree, "prod")
    assert env.parameters["Plain"].secret and env.given["Plain"] == "pw-4711"


def test_a_nested_stack_whose_condition_is_false_is_not_followed():
    dev = _findings("--select", "SL307", "--parameter-overrides", "Stage=dev", PARENT)
    prod = _findings("--select", "SL307", "--parameter-overrides", "Stage=prod", PARENT)
    assert dev == []
    assert _keys(prod) == {("SL307", "fixtures/nested/stacks/prod-only.yaml", "ProdOnlyStack", "ProdQueue")}


def test_suppression_on_the_nested_stack_resource_covers_the_child():
    assert not [f for f in _findings("--select", "SL503", PARENT) if f["resource"] == "Worker"]
    # The same child linted on its own reports it: the parent's Metadata made the difference.
    alone = _findings("--select", "SL503", "fixtures/nested/stacks/workers.yaml")
    assert [(f["resource"], f.get("stack")) for f in alone] == [("Worker", None)]


def test_a_folder_scan_reports_children_once_as_part_of_their_parent():
    findings = _findings("--select", "SL107,SL502", "--exclude", "cycle", "fixtures/nested")
    workers = [f for f in findings if f["file"].endswith("workers.yaml")]
    assert [f.get("stack") for f in workers] == [["WorkersStack"]]
    verbose = _check("-v", "--select", "SL107", "--exclude", "cycle", "fixtures/nested").stdout
    assert "fixtures/nested/stacks/workers.yaml: linted as a nested stack of another template, not on its own" in verbose


def test_remote_locations_are_noted_once_and_never_fetched(tmp_path):
    verbose = _check("-v", "--select", "SL502", PARENT).stdout
    assert verbose.count("nested stack 'SharedApp': a Serverless Application Repository application, not fetched") == 1
    assert verbose.count("nested stack 'LegacyStack' is at a remote location (https://s3.amazonaws.com/example-bucket/legacy.yaml), not fetched") == 1
    quiet = _check("--select", "SL502", PARENT).stdout
    assert "not fetched" not in quiet
    # Once, also when the parent is linted in several environments.
    copy = tmp_path / "app"
    shutil.copytree(NESTED, copy)
    (copy / "samconfig.toml").write_text('[dev.deploy.parameters]\nparameter_overrides = "Stage=dev"\n[prod.deploy.parameters]\nparameter_overrides = "Stage=prod"\n')
    both = _check("-v", "--all-envs", "--select", "SL502", "template.yaml", cwd=copy).stdout
    assert both.count("'LegacyStack' is at a remote location") == 1
    assert "SL502 warning [dev, prod] Log group 'AuditLogs'" in both


def test_nested_findings_in_sarif_carry_the_chain(tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from test_sarif import check_document

    proc = _check("--format", "sarif", "--select", "SL502", "--sarif-root", ".", PARENT)
    document = check_document(proc.stdout)
    (result,) = document["runs"][0]["results"]
    logical = result["locations"][0]["logicalLocations"]
    assert {"kind": "resource", "name": "AuditLogs", "fullyQualifiedName": "ApiStack/DeepStack/AuditLogs"} in logical
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "fixtures/nested/stacks/deep.yaml"


# ---- bounds ----------------------------------------------------------------------------------


def test_a_cycle_is_stopped_with_a_message():
    proc = _check("--format", "json", "fixtures/nested/cycle/a.yaml", "--select", "SL502", code=(2,))
    document = json.loads(proc.stdout)
    (error,) = document["errors"]
    assert error["file"] == "fixtures/nested/cycle/b.yaml" and error["kind"] == "nested" and error["line"] == 3
    assert error["reason"] == (
        "nested stack 'BackToA': not followed: a cycle of nested stacks (ToB -> BackToA leads back to fixtures/nested/cycle/a.yaml)"
    )
    assert _keys(document["findings"]) == {("SL502", "fixtures/nested/cycle/b.yaml", "ToB", "Logs")}


def test_deep_chains_are_bounded(tmp_path):
    for level in range(12):
        (tmp_path / f"level{level}.yaml").write_text(
            f"Resources:\n  Next:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: level{level + 1}.yaml\n"
            f"  Logs{level}:\n    Type: AWS::Logs::LogGroup\n"
        )
    proc = _check("--format", "json", "--select", "SL502", "level0.yaml", cwd=tmp_path, code=(2,))
    document = json.loads(proc.stdout)
    assert {f["resource"] for f in document["findings"]} == {f"Logs{i}" for i in range(nested.MAX_DEPTH + 1)}
    (error,) = document["errors"]
    assert error["reason"] == f"nested stack 'Next': not followed: nested stacks deeper than {nested.MAX_DEPTH} levels"


# ---- safety ----------------------------------------------------------------------------------


CHILD_WITH_FINDING = "Resources:\n  Outside:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: OUTSIDE-MARKER\n"


def _parent(location: str) -> str:
    return f"Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: {location}\n"


@pytest.fixture()
def repo(tmp_path):
    (tmp_path / "repo").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "child.yaml").write_text(CHILD_WITH_FINDING)
    return tmp_path / "repo"


def _error(repo: Path, *args) -> str:
    proc = _check("--format", "json", "--select", "SL502", *args, "template.yaml", cwd=repo, code=(2,))
    document = json.loads(proc.stdout)
    assert document["findings"] == []
    assert "OUTSIDE-MARKER" not in proc.stdout + proc.stderr
    (error,) = document["errors"]
    return error["reason"]


def test_a_location_outside_the_root_is_refused_unless_allowed(repo):
    (repo / "template.yaml").write_text(_parent("../outside/child.yaml"))
    assert _error(repo) == (
        "nested stack 'Child': ../outside/child.yaml not followed: outside the folder being linted "
        "(pass --allow-outside-root to follow it)"
    )
    allowed = _findings("--select", "SL502", "--allow-outside-root", "template.yaml", cwd=repo)
    assert _keys(allowed) == {("SL502", str(repo.parent / "outside" / "child.yaml"), "Child", "Outside")}
    (repo / ".slens-lint.toml").write_text("allow-outside-root = true\n")
    assert _findings("--select", "SL502", "template.yaml", cwd=repo) == allowed
    assert "outside the folder" in _error(repo, "--no-allow-outside-root")


def test_an_absolute_location_is_refused(repo):
    (repo / "template.yaml").write_text(_parent(str(repo.parent / "outside" / "child.yaml")))
    assert "an absolute path, outside the folder being linted" in _error(repo)


def test_a_symbolic_link_out_of_the_root_is_refused_and_one_inside_is_followed(repo):
    (repo / "escape.yaml").symlink_to(repo.parent / "outside" / "child.yaml")
    (repo / "template.yaml").write_text(_parent("escape.yaml"))
    assert "escape.yaml not followed: outside the folder being linted" in _error(repo)
    (repo / "stacks").mkdir()
    (repo / "stacks" / "real.yaml").write_text(CHILD_WITH_FINDING.replace("Outside", "Inside"))
    (repo / "inside.yaml").symlink_to(repo / "stacks" / "real.yaml")
    (repo / "template.yaml").write_text(_parent("inside.yaml"))
    assert _keys(_findings("--select", "SL502", "template.yaml", cwd=repo)) == {("SL502", "inside.yaml", "Child", "Inside")}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_never_opened(repo):
    os.mkfifo(repo / "pipe.yaml")
    (repo / "template.yaml").write_text(_parent("pipe.yaml"))
    # A blocking open would hang here (the run has a timeout).
    assert "pipe.yaml not followed: not a regular file (a FIFO, socket or device), never opened" in _error(repo)


def test_hidden_files_are_never_followed_and_contents_never_quoted(repo):
    (repo / ".git").mkdir()
    (repo / ".git" / "config.yaml").write_text('[http]\n  extraheader = "AUTHORIZATION: basic OUTSIDE-MARKER"\n')
    (repo / "template.yaml").write_text(_parent(".git/config.yaml"))
    assert "a hidden file or folder, never followed" in _error(repo)
    assert "a hidden file or folder" in _error(repo, "--allow-outside-root")
    # A child that does not parse: its line, never its text.
    (repo / "broken.yaml").write_text("Resources:\n  X: [OUTSIDE-MARKER\n")
    (repo / "template.yaml").write_text(_parent("broken.yaml"))
    reason = _error(repo)
    assert reason.startswith("nested stack 'Child': broken.yaml: not valid YAML or JSON (line ")
    (repo / "notes.json").write_text('{"token": "OUTSIDE-MARKER"}')
    (repo / "template.yaml").write_text(_parent("notes.json"))
    assert _error(repo) == "nested stack 'Child': notes.json: not a CloudFormation or SAM template"
    (repo / "template.yaml").write_text(_parent("missing.yaml"))
    assert _error(repo) == "nested stack 'Child': missing.yaml not followed: no such file"
