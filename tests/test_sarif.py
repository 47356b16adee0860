"""`--format sarif`: what GitHub code scanning reads.

Every document a test produces goes through `check_document`: the official SARIF 2.1.0 schema (the
copy under tests/schemas/) and the properties code scanning relies on. A few representative documents
also go through the Microsoft SARIF Multitool with GitHub's ingestion rules (`SLENS_SARIF_MULTITOOL`,
else `sarif-multitool` on PATH or under .ci/node; skipped with a message where there is none).

The snapshot under tests/snapshots/ makes every change of the format a reviewed diff; regenerate it
with `SLENS_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_sarif.py`.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import jsonschema
import pytest

from conftest import CORPUS, ROOT, lint_string, needs_corpus, run_cli
from slens_lint.docs import rule_markdown
from slens_lint.findings import FileError, FileResult, Finding, Pillar, Range, Report, RuleInfo, Severity
from slens_lint.output import OutputOptions
from slens_lint.output import sarif
from slens_lint.rules.registry import rule_classes

SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
SNAPSHOT = ROOT / "tests" / "snapshots" / "sarif-fixtures.sarif.json"
SNAPSHOT_FIXTURES = "fixtures/sarif"
UPDATE_SNAPSHOTS = os.environ.get("SLENS_UPDATE_SNAPSHOTS") == "1"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


# ---- checks every document passes ----------------------------------------------------------------


@lru_cache(maxsize=None)
def _schema_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def effective_level(document: dict, result: dict) -> str:
    """A result's level as a SARIF reader sees it: its own, else its rule's default, else warning."""
    if "level" in result:
        return result["level"]
    rule = document["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]
    return rule.get("defaultConfiguration", {}).get("level", "warning")


def check_document(text: str) -> dict:
    """Parse a SARIF document, validate it against the schema, and check what code scanning needs."""
    document = json.loads(text)
    errors = sorted(_schema_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules), "duplicate rule ids"
    assert run["automationDetails"]["id"].endswith("/")
    for result in run.get("results", []):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert effective_level(document, result) in ("error", "warning", "note")
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        uri = artifact["uri"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert ":" not in uri.split("/")[0] and not uri.startswith("/"), uri
        assert ".." not in uri.split("/"), uri
        region = location["physicalLocation"]["region"]
        assert region["endLine"] >= region["startLine"] >= 1
        if region["endLine"] == region["startLine"]:
            assert region["endColumn"] >= region["startColumn"] >= 1
        fingerprints = result["partialFingerprints"]
        assert sarif.FINGERPRINT_KEY in fingerprints and "primaryLocationLineHash" not in fingerprints
        assert result["message"]["text"].endswith(".")
    return document


def render(report: Report, options: Optional[OutputOptions] = None, **limits: int) -> tuple[dict, OutputOptions]:
    options = options or OutputOptions()
    return check_document(sarif.render(report, options, **limits)), options


# ---- the Multitool --------------------------------------------------------------------------------


def multitool() -> Optional[str]:
    configured = os.environ.get("SLENS_SARIF_MULTITOOL")
    if configured:
        # CI says where it installed the tool: a wrong path is a broken setup, not a reason to skip.
        assert Path(configured).exists(), f"SLENS_SARIF_MULTITOOL={configured} does not exist"
        return configured
    local = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "sarif-multitool"
    return shutil.which("sarif-multitool") or (str(local) if local.exists() else None)


def multitool_problems(path: Path, tmp_path: Path) -> list[str]:
    """Errors and warnings of `sarif-multitool validate --rule-kind "Gh;Sarif"` on `path`."""
    tool = multitool()
    if tool is None:
        pytest.skip(
            "SARIF Multitool not found (set SLENS_SARIF_MULTITOOL, or run `npm install --prefix .ci/node "
            "@microsoft/sarif-multitool@5`); the schema check still ran"
        )
    report = tmp_path / f"{path.stem}.multitool.sarif"
    args = ["validate", "--rule-kind", "Gh;Sarif", "--output", str(report), str(path)]
    # npm's launcher (bin.js) hands its arguments to a shell, where ';' would end the command.
    if os.path.realpath(tool).endswith(".js"):
        args = [shlex.quote(a) for a in args]
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    proc = subprocess.run([tool, *args], capture_output=True, text=True, timeout=300, env=env)
    assert report.exists(), f"the Multitool wrote no report (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    results = json.loads(report.read_text(encoding="utf-8-sig"))["runs"][0].get("results", [])
    return [
        f"{r['ruleId']} {r.get('level', 'warning')}: {json.dumps(r['message'])} at {json.dumps(r.get('locations', []))[:300]}"
        for r in results
        if r.get("level", "warning") in ("error", "warning")
    ]


# ---- findings built by hand (for what no template produces) ---------------------------------------


def finding(file: str, rule_id: str = "SL501", severity: Severity = Severity.WARNING, line: int = 3, **kw: Any) -> Finding:
    values = dict(
        rule_id=rule_id,
        cfn_lint_id=(severity.letter + rule_id) if rule_id.startswith("SL") else rule_id,
        severity=severity,
        file=file,
        range=Range(start_line=line, start_column=5, end_line=line, end_column=12),
        resource="Fn",
        path=("Resources", "Fn", "Properties"),
        message="Function 'Fn' keeps its logs forever.",
    )
    values.update(kw)
    return Finding(**values)


def one_file_report(file: str, findings: list[Finding], errors: tuple[FileError, ...] = ()) -> Report:
    return Report(files=[FileResult(file=file, findings=findings, errors=list(errors))], rule_ids=["SL501", "SL502"])


# ---- the snapshot ---------------------------------------------------------------------------------


def _snapshot_run() -> subprocess.CompletedProcess:
    return run_cli(
        "check", "--format", "sarif", "--select", "SL501,SL502", "--sarif-root", ".", SNAPSHOT_FIXTURES, cwd=ROOT
    )


def test_snapshot_of_a_representative_run():
    proc = _snapshot_run()
    assert proc.returncode == 2, proc.stderr  # broken.yaml cannot be parsed: the usual exit code
    document = check_document(proc.stdout)
    run = document["runs"][0]
    found = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in run["results"]}
    assert found == {
        ("E0000", "fixtures/sarif/broken.yaml"),
        ("SL501", "fixtures/sarif/cfn/template.json"),
        ("SL501", "fixtures/sarif/sam/template.yaml"),
        ("SL502", "fixtures/sarif/sam/template.yaml"),
    }
    names = [loc["name"] for r in run["results"] for loc in r["locations"][0].get("logicalLocations", [])]
    assert "LegacyFunction" not in names, "a finding suppressed in the template's Metadata became a result"

    document["runs"][0]["tool"]["driver"]["semanticVersion"] = "<version>"
    text = json.dumps(document, indent=2) + "\n"
    if UPDATE_SNAPSHOTS:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.exists(), f"no snapshot yet: run with SLENS_UPDATE_SNAPSHOTS=1 to write {SNAPSHOT.name}"
    assert text == SNAPSHOT.read_text(encoding="utf-8"), (
        "the SARIF output changed: review the difference and, if intended, rerun with SLENS_UPDATE_SNAPSHOTS=1"
    )


def test_snapshot_passes_the_multitool(tmp_path):
    path = tmp_path / "snapshot.sarif"
    path.write_text(_snapshot_run().stdout, encoding="utf-8")
    assert multitool_problems(path, tmp_path) == []


def test_cfn_lint_rules_unreadable_files_and_limits_pass_the_multitool(tmp_path):
    """The parts the snapshot does not have: cfn-lint's own rules, a missing file, a truncated run,
    a file outside the SARIF root, explicit levels."""
    proc = run_cli(
        "check", "--format", "sarif", "--cfn-lint", "--min-severity", "info", "--sarif-root", ".", "--output", str(tmp_path / "cfn.sarif"),
        "fixtures/rules/SL501", "fixtures/sarif/broken.yaml", "no-such-template.yaml", cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr
    document = check_document((tmp_path / "cfn.sarif").read_text(encoding="utf-8"))
    assert any(not r["ruleId"].startswith(("SL", "E0000")) for r in document["runs"][0]["results"]), "no cfn-lint finding"

    inside = tmp_path / "repo" / "t.yaml"
    findings = [finding(str(inside), severity=s, line=n + 1) for n, s in enumerate([Severity.INFO, Severity.ERROR, Severity.WARNING])]
    findings.append(finding(str(inside), rule_id="E0000", severity=Severity.WARNING, resource=None, path=()))
    findings.append(finding(str(tmp_path / "elsewhere.yaml")))
    text = sarif.render(one_file_report(str(inside), findings), OutputOptions(sarif_root=str(tmp_path / "repo")), max_results=3)
    check_document(text)
    (tmp_path / "limits.sarif").write_text(text, encoding="utf-8")

    for path in (tmp_path / "cfn.sarif", tmp_path / "limits.sarif"):
        assert multitool_problems(path, tmp_path) == [], path.name


@needs_corpus()
def test_the_whole_corpus_validates(tmp_path):
    output = tmp_path / "corpus.sarif"
    proc = run_cli("check", "--no-cache", "--format", "sarif", "--sarif-root", ".", "--output", str(output), ".", cwd=CORPUS, timeout=600)
    assert proc.returncode == 2, proc.stderr  # the corpus has unparseable files on purpose
    assert proc.stdout == ""
    text = output.read_text(encoding="utf-8")
    document = check_document(text)
    results = document["runs"][0]["results"]
    assert len(results) > 100 and sarif.gzip_size(text) < sarif.MAX_GZIP_BYTES
    notifications = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    parse_errors = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results if r["ruleId"] == "E0000"}
    assert parse_errors and len(notifications) == len(parse_errors)
    assert multitool_problems(output, tmp_path) == []


# ---- rules ----------------------------------------------------------------------------------------


def test_every_rule_that_ran_is_described_from_its_documentation():
    classes = rule_classes()
    document, _ = render(Report(rule_ids=[c.id for c in classes]))
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.id for c in classes] + ["E0000"]
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "slens-lint" and driver["semanticVersion"] and driver["informationUri"].startswith("https://")
    for cls, descriptor in zip(classes, rules):
        assert descriptor["name"] == cls.slug()
        assert descriptor["helpUri"] == cls.docs_url()
        assert descriptor["shortDescription"]["text"].rstrip(".") == cls.title.rstrip(".")
        assert descriptor["fullDescription"]["text"].startswith(cls.rationale.rstrip("."))
        # The help is the rule's page (rules/<ID>.md) without its title line and generator comment.
        assert descriptor["help"]["markdown"].strip() in rule_markdown(cls)
        assert "## How to fix" in descriptor["help"]["markdown"]
        assert cls.rationale in descriptor["help"]["text"] and cls.fix in descriptor["help"]["text"]
        assert descriptor.get("defaultConfiguration", {}).get("level", "warning") == LEVEL[cls.severity.value]
        properties = descriptor["properties"]
        assert properties["tags"][:3] == [cls.pillar().value, "serverless-lens", cls.service]
        assert properties["precision"] == cls.precision
        assert properties["problem.severity"] == {"error": "error", "warning": "warning", "info": "recommendation"}[cls.severity.value]
        is_security = cls.pillar().value == "security"
        assert ("security" in properties["tags"]) == is_security
        assert ("security-severity" in properties) == is_security


# A security rule described here so the security-only properties are checked whatever rules exist.
PUBLIC_BUCKET_POLICY = RuleInfo(
    id="SL299",
    severity=Severity.ERROR,
    title="Bucket policy allows public access",
    rationale="Anyone can read the data.",
    fix="Remove the `*` principal.",
    pillar=Pillar.SECURITY,
    service="s3",
    precision="very-high",
    slug="public-bucket-policy",
    docs_url="https://example.invalid/SL299.md",
    help_markdown="Anyone can read the data.\n",
)


def test_security_rules_are_tagged_for_code_scanning_security_views():
    descriptor = sarif.to_data(sarif.rule_descriptor(PUBLIC_BUCKET_POLICY))
    properties = descriptor["properties"]
    assert properties["tags"] == ["security", "serverless-lens", "s3"]
    # GitHub reads security-severity as a number: 7.0 and above is "high".
    assert float(properties["security-severity"]) >= 7.0
    assert properties["precision"] == "very-high"
    assert descriptor["defaultConfiguration"]["level"] == "error"


# ---- results --------------------------------------------------------------------------------------


def test_level_keeps_its_meaning_after_to_json_drops_defaults(tmp_path):
    file = str(tmp_path / "t.yaml")
    findings = [
        finding(file, severity=Severity.WARNING, line=1),  # same as the rule's default: may be left out
        finding(file, severity=Severity.ERROR, line=2),
        finding(file, severity=Severity.INFO, line=3),
        # Warning on a rule whose default is error: to_json would drop "warning" and the reader would
        # see the rule's "error".
        finding(file, rule_id="E0000", severity=Severity.WARNING, line=4, resource=None, path=()),
    ]
    document, _ = render(one_file_report(file, findings), OutputOptions(sarif_root=str(tmp_path)))
    levels = [effective_level(document, r) for r in document["runs"][0]["results"]]
    assert levels == ["warning", "error", "note", "warning"]


def test_message_puts_the_risk_first_then_the_fix(tmp_path):
    text = (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n"
        "    Properties:\n      LogGroupName: /app\n"
    )
    result = lint_string(text, select=("SL502",), name=str(tmp_path / "t.yaml"))
    (found,) = result.findings
    document, _ = render(Report(files=[result], rule_ids=["SL502"]), OutputOptions(sarif_root=str(tmp_path)))
    message = document["runs"][0]["results"][0]["message"]["text"]
    first_sentence = message.split(". ")[0] + "."
    assert first_sentence == found.message
    assert message.startswith(found.message) and " Fix: " in message and message.endswith(".")


def test_location_region_and_logical_location(tmp_path):
    text = (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n"
        "    Properties:\n      LogGroupName: /app\n"
    )
    result = lint_string(text, select=("SL502",), name=str(tmp_path / "infra" / "t.yaml"))
    (found,) = result.findings
    document, _ = render(Report(files=[result], rule_ids=["SL502"]), OutputOptions(sarif_root=str(tmp_path)))
    (location,) = document["runs"][0]["results"][0]["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "infra/t.yaml", "uriBaseId": "%SRCROOT%"}
    r = found.range
    assert physical["region"] == {
        "startLine": r.start_line, "startColumn": r.start_column, "endLine": r.end_line, "endColumn": r.end_column
    }
    # The end column is exclusive: the region covers the key the finding points at, no more.
    line = text.splitlines()[r.start_line - 1]
    assert line[r.start_column - 1 : r.end_column - 1] == "Properties"
    assert location["logicalLocations"] == [
        {"name": "Logs", "fullyQualifiedName": "Resources.Logs.Properties", "kind": "resource"}
    ]


def test_fingerprint_survives_lines_moving_above_and_follows_the_resource(tmp_path):
    template = (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  {name}:\n    Type: AWS::Logs::LogGroup\n"
        "    Properties:\n      LogGroupName: /app\n"
    )
    name = str(tmp_path / "t.yaml")

    def result_for(text: str) -> dict:
        result = lint_string(text, select=("SL502",), name=name)
        document, _ = render(Report(files=[result], rule_ids=["SL502"]), OutputOptions(sarif_root=str(tmp_path)))
        (only,) = document["runs"][0]["results"]
        return only

    before = result_for(template.format(name="Logs"))
    moved = result_for("# a comment\n# another\n" + template.format(name="Logs"))
    renamed = result_for(template.format(name="AuditLogs"))
    line = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    assert line(moved) == line(before) + 2
    assert moved["partialFingerprints"] == before["partialFingerprints"]
    assert renamed["partialFingerprints"] != before["partialFingerprints"]


def test_same_rule_twice_on_one_path_gets_distinct_fingerprints(tmp_path):
    file = str(tmp_path / "t.yaml")
    document, _ = render(one_file_report(file, [finding(file, line=3), finding(file, line=3)]), OutputOptions(sarif_root=str(tmp_path)))
    first, second = (r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in document["runs"][0]["results"])
    assert first.endswith(":1") and second.endswith(":2") and first.split(":")[0] == second.split(":")[0]


def test_uris_are_percent_encoded_repo_relative_paths(tmp_path):
    file = str(tmp_path / "my templates" / "app #1.yaml")
    document, _ = render(one_file_report(file, [finding(file)]), OutputOptions(sarif_root=str(tmp_path)))
    uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20templates/app%20%231.yaml"


def test_results_of_files_outside_the_root_are_left_out_and_said_so(tmp_path):
    inside, outside = str(tmp_path / "repo" / "t.yaml"), str(tmp_path / "other" / "t.yaml")
    report = Report(
        files=[FileResult(file=inside, findings=[finding(inside)]), FileResult(file=outside, findings=[finding(outside)])],
        rule_ids=["SL501"],
    )
    document, options = render(report, OutputOptions(sarif_root=str(tmp_path / "repo")))
    results = document["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == ["t.yaml"]
    (note,) = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    # A notification without a level is a warning (SARIF's default, which to_json leaves out).
    assert note.get("level", "warning") == "warning" and "outside the SARIF root" in note["message"]["text"]
    assert any("--sarif-root" in w for w in options.warnings)


def test_source_root_is_the_option_else_the_git_top_level_else_the_current_folder(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra" / "app").mkdir(parents=True)
    assert sarif.source_root(OutputOptions(), cwd=repo / "infra" / "app") == repo
    assert sarif.source_root(OutputOptions(sarif_root="infra"), cwd=repo) == repo / "infra"
    plain = tmp_path / "plain"
    plain.mkdir()
    if any((p / ".git").exists() for p in plain.parents):
        pytest.skip("the temporary folder is inside a git repository")
    assert sarif.source_root(OutputOptions(), cwd=plain) == plain


def test_repo_path_never_climbs_out_of_the_root(tmp_path):
    root = tmp_path / "repo"
    (root / "a").mkdir(parents=True)
    assert sarif.repo_path("a/t.yaml", root, cwd=root) == "a/t.yaml"
    assert sarif.repo_path("../a/t.yaml", root, cwd=root / "a") == "a/t.yaml"
    assert sarif.repo_path("../t.yaml", root, cwd=root) is None
    assert sarif.repo_path(str(tmp_path / "repo2" / "t.yaml"), root) is None
    # A root reached through a symlink still contains the files under its real path.
    (tmp_path / "link").symlink_to(root)
    assert sarif.repo_path(str(root / "a" / "t.yaml"), tmp_path / "link") == "a/t.yaml"


def test_parse_and_read_errors_are_results_and_notifications(tmp_path):
    proc = run_cli(
        "check", "--format", "sarif", "--select", "SL501", "--sarif-root", ".",
        "fixtures/sarif/broken.yaml", "no-such-template.yaml", cwd=ROOT,
    )
    assert proc.returncode == 2
    document = check_document(proc.stdout)
    run = document["runs"][0]
    (parse_error,) = run["results"]
    assert parse_error["ruleId"] == "E0000" and effective_level(document, parse_error) == "error"
    assert parse_error["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True  # bad input is not a failure of the tool
    parse_note, read_note = invocation["toolExecutionNotifications"]
    assert parse_note["level"] == "error" and parse_note["associatedRule"]["id"] == "E0000"
    assert parse_note["message"]["text"].startswith("fixtures/sarif/broken.yaml: ")
    assert read_note["level"] == "error" and "no-such-template.yaml" in read_note["message"]["text"]


def test_an_internal_error_marks_the_invocation_unsuccessful(tmp_path):
    file = str(tmp_path / "t.yaml")
    report = one_file_report(file, [], errors=(FileError(file=file, reason="cfn-lint failed on this template", kind="internal"),))
    document, _ = render(report, OutputOptions(sarif_root=str(tmp_path)))
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["level"] == "error"


@pytest.mark.parametrize(("category", "expected"), [(None, "slens-lint/"), ("infra/prod", "infra/prod/"), ("lint/", "lint/")])
def test_automation_details_id_is_the_category(category, expected):
    document, _ = render(Report(rule_ids=["SL501"]), OutputOptions(sarif_category=category))
    assert document["runs"][0]["automationDetails"]["id"] == expected


# ---- GitHub's limits ------------------------------------------------------------------------------


def test_results_over_the_limit_keep_the_most_severe(tmp_path):
    file = str(tmp_path / "t.yaml")
    severities = [Severity.INFO, Severity.WARNING, Severity.ERROR, Severity.INFO, Severity.ERROR, Severity.WARNING, Severity.WARNING]
    findings = [finding(file, severity=s, line=n + 1) for n, s in enumerate(severities)]
    document, options = render(one_file_report(file, findings), OutputOptions(sarif_root=str(tmp_path)), max_results=3)
    kept = [(r["locations"][0]["physicalLocation"]["region"]["startLine"], effective_level(document, r)) for r in document["runs"][0]["results"]]
    # Both errors, then the first warning; in file order.
    assert kept == [(2, "warning"), (3, "error"), (5, "error")]
    (note,) = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "3 most severe of 7" in note["message"]["text"]
    assert any("3 most severe of 7" in w for w in options.warnings)


def test_a_file_over_the_size_limit_keeps_the_most_severe(tmp_path):
    file = str(tmp_path / "t.yaml")
    findings = [
        finding(file, severity=Severity.ERROR if n % 10 == 0 else Severity.INFO, line=n + 1, resource=f"Fn{n}",
                path=("Resources", f"Fn{n}"), message=f"Function 'Fn{n}' {os.urandom(40).hex()}.")
        for n in range(400)
    ]
    report = one_file_report(file, findings)
    full = sarif.render(report, OutputOptions(sarif_root=str(tmp_path)))
    limit = sarif.gzip_size(full) // 3
    document, options = render(report, OutputOptions(sarif_root=str(tmp_path)), max_gzip_bytes=limit)
    results = document["runs"][0]["results"]
    text = sarif.render(report, OutputOptions(sarif_root=str(tmp_path)), max_gzip_bytes=limit)
    assert sarif.gzip_size(text) <= limit
    assert 40 <= len(results) < 400
    assert sum(effective_level(document, r) == "error" for r in results) == 40  # every error kept
    assert any("gzipped" in w for w in options.warnings)


def test_github_limits_are_the_documented_ones():
    assert sarif.MAX_RESULTS == 25_000
    assert sarif.MAX_GZIP_BYTES <= 10 * 1024 * 1024


# ---- the command line -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "expected"),
    [(["fixtures/rules/SL501/pass-sam.yaml"], 0), (["fixtures/sarif/sam"], 1), (["fixtures/sarif/broken.yaml"], 2)],
)
def test_exit_code_does_not_depend_on_the_format(paths, expected):
    codes = {}
    for fmt in ("text", "sarif", "github"):
        proc = run_cli("check", "--format", fmt, "--select", "SL501,SL502", *paths, cwd=ROOT)
        codes[fmt] = proc.returncode
        if fmt == "sarif":
            assert proc.stdout.startswith("{") and proc.stdout.endswith("}\n")
            check_document(proc.stdout)  # stdout is the SARIF document and nothing else
    assert codes == {"text": expected, "sarif": expected, "github": expected}


def test_output_file_leaves_stdout_empty(tmp_path):
    target = tmp_path / "out.sarif"
    proc = run_cli("check", "--format", "sarif", "--select", "SL501", "--output", str(target), "fixtures/sarif/sam", cwd=ROOT)
    assert proc.returncode == 1 and proc.stdout == ""
    document = check_document(target.read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in document["runs"][0]["results"]] == ["SL501"]


def test_serialized_key_for_key_as_jschema_to_python_writes_it(tmp_path, monkeypatch):
    """sarif_json replaces to_json for speed only: the document must be the same text, property order
    included, for every kind of object a run holds (rules, results with fixes and an explicit level,
    property bags, notifications, parse errors)."""
    from jschema_to_python.to_json import to_json

    from slens_lint.output.sarif_json import to_data

    from slens_lint.engine import Engine, EngineOptions

    text = (ROOT / "fixtures" / "fixes" / "yaml-apis" / "before.yaml").read_text(encoding="utf-8")
    template = tmp_path / "template.yaml"
    template.write_text(text, encoding="utf-8")
    result = Engine(EngineOptions(enable=("SL",), fix_edits=True)).lint_text(text, str(template))
    assert any(f.edits for f in result.findings), "the sample should carry fixes"
    assert {f.severity for f in result.findings} >= {Severity.WARNING, Severity.INFO}
    broken = FileResult(file=str(tmp_path / "broken.yaml"), errors=[FileError(file=str(tmp_path / "broken.yaml"), reason="could not parse", kind="parse", line=3, column=1)])
    report = Report(files=[result, broken], rule_ids=sorted({f.rule_id for f in result.findings}))
    logs: list[Any] = []
    monkeypatch.setattr(sarif, "to_data", lambda log: logs.append(log) or to_data(log))
    text = sarif.render(report, OutputOptions(sarif_root=str(tmp_path)))
    assert len(logs) == 1
    assert json.dumps(to_data(logs[0]), indent=2) == to_json(logs[0])
    # Written by pydantic's encoder: the very text json.dumps would write.
    assert text == json.dumps(json.loads(text), indent=2) + "\n"
