"""First contact: what a new user sees in the first minutes, end to end through the real console script.

Each test guards one point of the first-contact review: quiet defaults, a readable text report, advice
that does not contradict itself, fix snippets that name only what exists, clean cfn-lint messages,
configuration that says what is wrong, suppressions that say what they did, bad input reported once,
and the small things (statistics, stdin, JUnit, colour, plurals).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import FIXTURES, ORDERS_TEMPLATE, run_cli

# ---- helpers ---------------------------------------------------------------------------------

# A function (SL107, SL501 and several info findings) and a log group without retention (SL502).
ORDERS = ORDERS_TEMPLATE

# Two functions and three log groups: SL502 three times, SL107 and SL501 twice each.
MANY = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
  BillingFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
  AuditLogs:
    Type: AWS::Logs::LogGroup
  AccessLogs:
    Type: AWS::Logs::LogGroup
  DebugLogs:
    Type: AWS::Logs::LogGroup
"""

LOG_GROUP = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AuditLogs:
    Type: AWS::Logs::LogGroup
"""

# `path:line:col SLxxx severity message`, as the text format prints a finding.
FINDING_LINE = re.compile(r"^(?P<file>\S+):(?P<line>\d+):(?P<col>\d+) (?P<id>SL\d{3}) (?P<severity>error|warning|info) \S")
ANSI = "\x1b["


def make_project(folder: Path, templates: dict[str, str], config: str = "") -> Path:
    """A project: `[tool.slens-lint]` (plus `config`) in pyproject.toml, and the given templates."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text("[tool.slens-lint]\n" + config, encoding="utf-8")
    for name, text in templates.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def check(folder: Path, *args: str, color: bool = False, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """`slens-lint check` in `folder` without the cache (and without colour unless asked)."""
    options = ["--no-cache"] + ([] if color else ["--no-color"])
    return run_cli("check", *options, *args, cwd=folder, input=input)


def check_json(folder: Path, *args: str) -> dict:
    done = check(folder, "-f", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def summary_lines(stdout: str) -> list[str]:
    """The text report's summary: every line after the last finding and its fix lines."""
    lines = stdout.splitlines()
    start = 0
    for index, line in enumerate(lines):
        if FINDING_LINE.match(line) or line.startswith("  "):
            start = index + 1
    return lines[start:]


# Names a fix text refers to: `!Ref X`, `Ref: X` / `"Ref": "X"`, `!GetAtt X.Y`, `Fn::GetAtt: [X, Y]`
# (YAML or JSON, on one line or the next), and `${X}` / `${X.Y}` in a Sub (`${!X}` is a literal).
_REFERENCES = (
    re.compile(r"!Ref\s+([A-Za-z][\w:]*)"),
    re.compile(r"""\bRef["']?\s*:\s*["']?([A-Za-z][\w:]*)"""),
    re.compile(r"!GetAtt\s+\[?\s*([A-Za-z]\w*)"),
    re.compile(r"""Fn::GetAtt["']?\s*:\s*(?:\[\s*|\n\s*-\s*)?["']?([A-Za-z]\w*)"""),
    re.compile(r"\$\{([A-Za-z][\w:]*)"),
)
# Keys a snippet writes (`Name:` in YAML, `"Name":` in JSON): what it creates, among others.
_KEYS = re.compile(r"""^[ \t]*(?:-[ \t]+)?["']?([A-Za-z]\w*)["']?[ \t]*:(?!:)""", re.M)


def referenced_names(text: str) -> set[str]:
    return {name for pattern in _REFERENCES for name in pattern.findall(text)}


def load_template(path: Path) -> dict:
    """A template (YAML or JSON) as data, read as cfn-lint reads it."""
    from cfnlint.decode import decode

    template, problems = decode(str(path))
    assert template is not None, problems
    return template


def template_names(path: Path) -> set[str]:
    """The logical ids and parameter names of a template."""
    template = load_template(path)
    return set(template.get("Resources") or {}) | set(template.get("Parameters") or {})


@pytest.fixture(scope="module")
def rule_fixtures(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Every rule fixture (pass and fail) copied into a project, linted once with every rule on and
    every severity shown: (the project, the JSON report)."""
    folder = tmp_path_factory.mktemp("fixtures")
    shutil.copytree(FIXTURES / "rules", folder / "rules")
    make_project(folder, {})
    return folder, check_json(folder, "--min-severity", "info", "--enable", "SL", "rules")


# ---- 1. quiet by default ---------------------------------------------------------------------


def test_info_findings_are_counted_not_printed_by_default(tmp_path: Path):
    """Point 1: info findings are hidden by default, counted in the summary with how to see them."""
    project = make_project(tmp_path, {"template.yaml": ORDERS})
    every = check_json(project, "--min-severity", "info")
    info = [f for f in every["findings"] if f["severity"] == "info"]
    assert len(info) >= 2  # the template has advice to hide

    default = check(project)
    assert default.returncode == 1, default.stderr
    severities = [m["severity"] for m in map(FINDING_LINE.match, default.stdout.splitlines()) if m]
    assert severities and "info" not in severities
    assert f"Also: {len(info)} info findings not shown (--min-severity info, or `slens-lint review`)." in default.stdout
    assert check_json(project)["summary"]["hidden"] == {"info": len(info)}

    shown = check(project, "--min-severity", "info")
    printed = [m["id"] for m in map(FINDING_LINE.match, shown.stdout.splitlines()) if m and m["severity"] == "info"]
    assert sorted(printed) == sorted(f["rule_id"] for f in info)
    assert "not shown" not in shown.stdout


# ---- 2. text output ----------------------------------------------------------------------------


def test_text_output_is_one_line_per_finding_and_at_most_one_short_fix_line(tmp_path: Path):
    """Point 2: each finding is one line, followed by at most one `fix:` line (no snippet by default)."""
    project = make_project(tmp_path, {"template.yaml": MANY})
    done = check(project)
    lines = done.stdout.splitlines()
    summary = summary_lines(done.stdout)
    body = lines[: len(lines) - len(summary)]
    findings = 0
    for index, line in enumerate(body):
        if FINDING_LINE.match(line):
            findings += 1
            continue
        # Anything else is the one fix line of the finding just above it.
        assert line.startswith("  fix: "), line
        assert FINDING_LINE.match(body[index - 1]), f"a second line under a finding: {line!r}"
        hint = line.removesuffix(" [fixable]").removesuffix(" [fixable with --unsafe-fixes]")
        assert not hint.endswith(":"), line  # the fragment it would introduce is not shown
    assert findings == 7
    assert summary[0] == "7 findings (7 warnings) in 1 file linted."
    assert "LogGroupName: !Sub '/aws/lambda/${OrdersFunction}'" not in done.stdout


def test_show_fixes_prints_the_whole_fix_snippet(tmp_path: Path):
    """Point 2: `--show-fixes` prints each fix with the template fragment to add, indented under it."""
    project = make_project(tmp_path, {"template.yaml": ORDERS})
    done = check(project, "--select", "SL501", "--show-fixes")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  fix: "))
    assert lines[start].endswith("a log group of the template: [fixable]")
    assert lines[start + 1 : start + 6] == [
        "    OrdersFunctionLogGroup:",
        "      Type: AWS::Logs::LogGroup",
        "      Properties:",
        "        LogGroupName: !Sub '/aws/lambda/${OrdersFunction}'",
        "        RetentionInDays: 30",
    ]


def test_summary_names_what_is_fixable_and_ends_with_the_most_frequent_rule(tmp_path: Path):
    """Point 2: the summary says how many findings `--fix` fixes and ends with `slens-lint explain` of the most frequent rule."""
    project = make_project(tmp_path, {"template.yaml": MANY})
    done = check(project)
    summary = summary_lines(done.stdout)
    assert "7 findings fixable with `slens-lint check --fix`." in summary
    assert summary[-1] == "Most frequent: SL502 (3), SL107 (2); see `slens-lint explain SL502` or `slens-lint explain SL107`."


# ---- 3. advice never contradicts itself ------------------------------------------------------


def _api_of_validation_finding(template: dict, finding: dict) -> str | None:
    """The REST API an SL201 finding (validate this method's body, a REST-only feature) is about."""
    resource = template["Resources"][finding["resource"]]
    props = resource.get("Properties") or {}
    if resource["Type"] in ("AWS::Serverless::Api", "AWS::ApiGateway::RestApi"):
        return finding["resource"]  # an operation of its OpenAPI definition
    if resource["Type"] == "AWS::ApiGateway::Method":
        api = props.get("RestApiId")
        return api.get("Ref") if isinstance(api, dict) else None
    path = finding["path"]
    event = props["Events"][path[path.index("Events") + 1]]  # a SAM function's Api event
    event_props = event.get("Properties") or {}
    if "RestApiId" not in event_props:
        return "ServerlessRestApi"
    api = event_props["RestApiId"]
    return api.get("Ref") if isinstance(api, dict) else None


def test_rest_api_is_not_told_to_move_to_http_when_asked_for_body_validation(rule_fixtures):
    """Point 3: across every rule fixture, SL504 (use an HTTP API) never fires on an API SL201 asks to validate bodies."""
    folder, report = rule_fixtures
    by_file: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        by_file.setdefault(finding["file"], []).append(finding)
    validated = 0
    for file, findings in by_file.items():
        asked = [f for f in findings if f["rule_id"] == "SL201"]
        if not asked:
            continue
        template = load_template(folder / file)
        apis = {_api_of_validation_finding(template, f) for f in asked}
        told_to_move = {f["resource"] for f in findings if f["rule_id"] == "SL504"}
        assert not apis & told_to_move, f"{file}: SL504 and SL201 on {sorted(apis & told_to_move)}"
        validated += len(asked)
    assert validated >= 20  # the fixtures do exercise it (29 SL201 findings today)


def test_a_method_that_takes_a_body_keeps_its_api_on_rest(tmp_path: Path):
    """Point 3: the same implicit API gets SL504 with GET only, and SL201 instead of SL504 once a POST is added."""
    get_only = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ItemsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Events:
        List:
          Type: Api
          Properties: {Path: /items, Method: get}
"""
    with_post = get_only + "        Create:\n          Type: Api\n          Properties: {Path: /items, Method: post}\n"
    project = make_project(tmp_path, {"get.yaml": get_only, "post.yaml": with_post})
    report = check_json(project, "--min-severity", "info", "--select", "SL201,SL504")
    found = sorted((f["file"], f["rule_id"], f["resource"]) for f in report["findings"])
    assert found == [("get.yaml", "SL504", "ServerlessRestApi"), ("post.yaml", "SL201", "ItemsFunction")]


def _publishes_alias(template: dict, resource: dict) -> bool:
    """Whether a SAM function or state machine always has an AutoPublishAlias (its own, as a literal or
    a parameter, or inherited from Globals)."""
    props = resource.get("Properties") or {}
    if "AutoPublishAlias" in props:
        value = props["AutoPublishAlias"]
        return isinstance(value, str) or (isinstance(value, dict) and list(value) == ["Ref"])
    if resource["Type"] != "AWS::Serverless::Function":
        return False
    ignored = resource.get("IgnoreGlobals")
    if ignored == "*" or (isinstance(ignored, list) and "AutoPublishAlias" in ignored):
        return False
    inherited = ((template.get("Globals") or {}).get("Function") or {}).get("AutoPublishAlias")
    return isinstance(inherited, str)


def test_no_fix_asks_for_an_alias_a_function_already_publishes(rule_fixtures):
    """Point 3: SL101 never suggests AutoPublishAlias, and no finding on a function that has one suggests it."""
    folder, report = rule_fixtures
    sl101 = [f for f in report["findings"] if f["rule_id"] == "SL101"]
    assert len(sl101) >= 20
    assert [f for f in sl101 if "AutoPublishAlias" in (f["fix"] or "")] == []
    templates: dict[str, dict] = {}
    checked = 0
    for finding in report["findings"]:
        if finding["file"] not in templates:
            templates[finding["file"]] = load_template(folder / finding["file"])
        template = templates[finding["file"]]
        resource = (template.get("Resources") or {}).get(finding["resource"])
        if not isinstance(resource, dict) or resource.get("Type") not in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
            continue
        if _publishes_alias(template, resource):
            checked += 1
            assert "AutoPublishAlias" not in (finding["fix"] or ""), (finding["file"], finding["rule_id"], finding["resource"])
    assert checked >= 100  # findings on alias-publishing functions, Globals included (326 today)


# ---- 4. fix snippets reference only what exists ----------------------------------------------


def test_reference_names_are_read_from_yaml_and_json_snippets():
    """Point 4 (the test's own parser): every reference form of a snippet is read."""
    text = (
        "Add it:\nA:\n  Value: !Ref Queue\n  Arn: !GetAtt Topic.Arn\n  Name: !Sub '/aws/lambda/${Fn}-${AWS::Region}-${!Literal}'\n"
        '{\n    "B": {\n        "Ref": "Table"\n    },\n    "C": {\n        "Fn::GetAtt": [\n            "Bucket",\n            "Arn"\n        ]\n    },\n'
        '    "D": {"Fn::Sub": "${Role.Arn}"}\n}\n'
        "E:\n  Fn::GetAtt:\n    - Stream\n    - Arn\n  F: {Ref: Key}\n"
    )
    assert referenced_names(text) == {"Queue", "Topic", "Fn", "AWS::Region", "Table", "Bucket", "Role", "Stream", "Key"}
    assert {"A", "B", "C", "D", "E", "F"} <= set(_KEYS.findall(text))


def test_fix_snippets_reference_only_what_exists(rule_fixtures):
    """Point 4: every Ref/GetAtt/${} in a fail fixture's fix names a resource, parameter, pseudo parameter, or a key the snippet creates."""
    folder, report = rule_fixtures
    names: dict[str, set[str]] = {}
    problems, checked, rules = [], 0, set()
    for finding in report["findings"]:
        if not Path(finding["file"]).name.startswith("fail-") or not finding["fix"]:
            continue
        rules.add(finding["rule_id"])
        fix = finding["fix"]
        if finding["file"] not in names:
            names[finding["file"]] = template_names(folder / finding["file"])
        known = names[finding["file"]] | set(_KEYS.findall(fix))
        for name in referenced_names(fix):
            checked += 1
            if not name.startswith("AWS::") and name not in known:
                problems.append(f"{finding['file']}: {finding['rule_id']} on {finding['resource']} refers to '{name}'")
    assert problems == []
    assert checked >= 1000 and len(rules) >= 40  # about 1,900 references from 47 rules today


# ---- 5. through cfn-lint -----------------------------------------------------------------------


def test_cfn_lint_messages_end_cleanly(rule_fixtures):
    """Point 5: through `cfn-lint --append-rules slens_lint.cfn_rules`, no message of ours ends with a colon."""
    folder, _ = rule_fixtures
    files = sorted(str(p) for p in (folder / "rules").glob("*/fail-*") if p.suffix in (".yaml", ".json"))
    exe = shutil.which("cfn-lint", path=str(Path(sys.executable).parent)) or "cfn-lint"
    command = [exe, "--format", "json", "--include-checks", "I", "--append-rules", "slens_lint.cfn_rules",
               "--configure-rule", "ISL205:enabled=true", "--", *files]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)
    entries = json.loads(done.stdout)
    ours = [e for e in entries if re.fullmatch(r"[EWI]SL\d{3}", e["Rule"]["Id"])]
    assert len({e["Rule"]["Id"] for e in ours}) >= 45  # every rule, the opt-in one included
    assert [e["Message"][-80:] for e in ours if e["Message"].rstrip().endswith(":")] == []
    assert any(" Fix: " in e["Message"] for e in ours)


# ---- 6. configuration --------------------------------------------------------------------------


def test_rule_tables_in_pyproject_switch_a_rule_off_and_change_a_severity(tmp_path: Path):
    """Point 6: `[tool.slens-lint.rules.<ID>]` with `enabled = false` and `severity = "error"` work."""
    config = '[tool.slens-lint.rules.SL107]\nenabled = false\n[tool.slens-lint.rules.SL502]\nseverity = "error"\n'
    project = make_project(tmp_path, {"template.yaml": ORDERS}, config)
    found = {(f["rule_id"], f["severity"]) for f in check_json(project)["findings"]}
    assert found == {("SL501", "warning"), ("SL502", "error")}
    assert check(project, "--fail-on", "error").returncode == 1  # an error now fails the run


@pytest.mark.parametrize(
    "config, message",
    [
        ('selct = ["SL5"]\n', "unknown key 'selct' in [tool.slens-lint]; valid keys: allow-outside-root, baseline, cache, "),
        ('[tool.slens-lint.rules.SL502]\nlevel = "error"\n', "unknown key 'level' in [tool.slens-lint.rules.SL502]; valid keys: enabled, severity"),
        ("[tool.slens-lint.rules]\nSL502 = 3\n", "invalid value for 'tool.slens-lint.rules.SL502': expected a table"),
        ('[tool.slens-lint.rules.SL502]\nenabled = "nope"\n', "invalid value for 'tool.slens-lint.rules.SL502.enabled': expected true or false"),
    ],
)
def test_a_configuration_mistake_is_refused_in_the_tools_words(tmp_path: Path, config: str, message: str):
    """Point 6: an unknown key or a value of the wrong kind in pyproject.toml is refused in one line naming
    the file, the key and (for a key) the valid keys or (for a value) what is expected, never pydantic's words."""
    project = make_project(tmp_path, {"template.yaml": ORDERS}, config)
    done = check(project)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"slens-lint: error: {project / 'pyproject.toml'}: {message}"), line
    for words in ("Extra inputs are not permitted", "RuleOptions", "Input should be"):
        assert words not in done.stdout + done.stderr


def test_a_dedicated_file_with_a_tool_table_is_accepted(tmp_path: Path):
    """Point 6: a `.slens-lint.toml` whose first table is `[tool.slens-lint]` (copied from pyproject.toml) is read as is."""
    project = make_project(tmp_path, {"template.yaml": ORDERS})
    (project / ".slens-lint.toml").write_text('[tool.slens-lint]\nselect = ["SL502"]\n[tool.slens-lint.rules.SL502]\nseverity = "error"\n')
    assert {(f["rule_id"], f["severity"]) for f in check_json(project)["findings"]} == {("SL502", "error")}
    (project / ".slens-lint.toml").write_text('[tool.slens-lint]\nselct = ["SL502"]\n')
    done = check(project)
    assert done.returncode == 2
    assert f"{project / '.slens-lint.toml'}: unknown key 'selct' in [tool.slens-lint]; valid keys: " in done.stderr
    assert "Extra inputs are not permitted" not in done.stderr


def test_a_dedicated_file_mixing_both_forms_says_what_to_do(tmp_path: Path):
    """Point 6: a `.slens-lint.toml` with keys both at the top level and under `[tool.slens-lint]` is refused with what to do."""
    project = make_project(tmp_path, {"template.yaml": ORDERS})
    (project / ".slens-lint.toml").write_text('ignore = ["SL107"]\n[tool.slens-lint]\nselect = ["SL502"]\n')
    done = check(project)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"slens-lint: error: {project / '.slens-lint.toml'}: keys both at the top level and under [tool.slens-lint]; "
        "in a .slens-lint.toml write them at the top level (or keep [tool.slens-lint] alone)"
    ]


# ---- 7. rule ids in any case -------------------------------------------------------------------


def test_rule_ids_on_the_command_line_are_case_insensitive(tmp_path: Path):
    """Point 7: `--select sl5` and `--ignore sl501` work as their upper-case forms."""
    project = make_project(tmp_path, {"template.yaml": ORDERS})
    selected = {f["rule_id"] for f in check_json(project, "--select", "sl5")["findings"]}
    assert selected == {"SL501", "SL502"}
    narrowed = {f["rule_id"] for f in check_json(project, "--select", "sl5", "--ignore", "sl501")["findings"]}
    assert narrowed == {"SL502"}


# ---- 8. suppressions ---------------------------------------------------------------------------


SUPPRESSED = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AuditLogs:
    Type: AWS::Logs::LogGroup
    Metadata:
      slens-lint:
        ignore:
          - id: SL502
            reason: audit logs are kept indefinitely by policy
  DebugLogs:
    Type: AWS::Logs::LogGroup
    Metadata:
      slens-lint:
        ignore:
          - id: SL502
  AccessLogs:
    Type: AWS::Logs::LogGroup
    Metadata:
      slens-lint:
        ignore:
          - id: SL5O2
            reason: a typo silences nothing
"""


def test_a_suppression_with_an_unknown_id_or_no_reason_is_warned_about_and_counted(tmp_path: Path):
    """Point 8: a suppression naming no rule, or giving no reason, is a warning naming file and resource; suppressed findings are counted."""
    project = make_project(tmp_path, {"infra/template.yaml": SUPPRESSED})
    done = check(project)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        "slens-lint: warning: infra/template.yaml: the suppression of 'SL502' on resource 'DebugLogs' gives no reason",
        "slens-lint: warning: infra/template.yaml: the suppression of 'SL5O2' on resource 'AccessLogs' names no rule (see `slens-lint rules`)",
    ]
    # The typo silences nothing; the two others are counted, not shown.
    assert [m["id"] for m in map(FINDING_LINE.match, done.stdout.splitlines()) if m] == ["SL502"]
    assert "Log group 'AccessLogs'" in done.stdout
    assert "Also: 2 suppressed in Metadata." in summary_lines(done.stdout)


# ---- 9. bad input ------------------------------------------------------------------------------


def test_an_unparseable_file_is_one_error_on_stderr_even_with_output(tmp_path: Path):
    """Point 9: with `--output FILE`, a file that cannot be parsed is one line on stderr, not a finding, and the counts add up."""
    project = make_project(tmp_path, {"template.yaml": ORDERS, "broken.yaml": "Resources:\n  A: [unclosed\n"})
    report_file = project / "report.json"
    done = check(project, "-f", "json", "--output", str(report_file))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == ["slens-lint: broken.yaml:3: did not find expected ',' or ']'"]
    report = json.loads(report_file.read_text())
    assert [(e["file"], e["kind"]) for e in report["errors"]] == [("broken.yaml", "parse")]
    assert not [f for f in report["findings"] if f["file"] == "broken.yaml"]
    summary = report["summary"]
    assert (summary["files"], summary["linted"], summary["failed"]) == (2, 1, 1)
    assert summary["files"] == summary["linted"] + summary["skipped"] + summary["failed"]
    assert summary["warning"] + summary["error"] + summary["info"] == len(report["findings"])


def test_a_glob_that_matches_nothing_says_so(tmp_path: Path):
    """Point 9: a glob that matches no file is reported as such (exit 2), not as a clean run."""
    project = make_project(tmp_path, {"template.yaml": ORDERS})
    done = check(project, "stacks/**/*.json")
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["slens-lint: stacks/**/*.json: no file matches this pattern"]
    assert "0 findings in 0 files linted, 1 file not linted (see above)." in done.stdout


def test_a_folder_without_templates_says_so_and_exits_0(tmp_path: Path):
    """Point 9: a folder with no template says so on stderr and exits 0."""
    project = make_project(tmp_path, {"config/settings.yaml": "name: orders\nretries: 3\n"})
    done = check(project, "config")
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        "slens-lint: warning: no templates found in config "
        "(YAML or JSON files with Resources, AWSTemplateFormatVersion or a SAM Transform)"
    ]
    assert done.stdout == "0 findings in 0 files linted.\n"


# ---- 10. the rest of a first session -----------------------------------------------------------


def test_statistics_count_findings_per_rule_most_first(tmp_path: Path):
    """Point 10: `--statistics` prints one line per rule, sorted by count (not by id), fixable ones marked."""
    project = make_project(tmp_path, {"template.yaml": MANY})
    done = check(project, "--statistics", "--select", "SL107,SL501,SL502")
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[:3] == [
        "3 SL502  [*] Log group without retention",
        "2 SL107  [*] Function without active X-Ray tracing",
        "2 SL501  [*] Function without a log group with retention",
    ]
    assert not [line for line in done.stdout.splitlines() if FINDING_LINE.match(line)]


def test_a_template_read_from_stdin_is_reported_under_its_stdin_filename(tmp_path: Path):
    """Point 10: `-` with `--stdin-filename` gives the report of the same file on disk."""
    project = make_project(tmp_path, {"infra/orders.yaml": ORDERS})
    from_disk = check(project, "infra/orders.yaml")
    from_stdin = check(project, "-", "--stdin-filename", "infra/orders.yaml", input=ORDERS)
    assert from_stdin.returncode == from_disk.returncode == 1
    assert "infra/orders.yaml:6:5 SL501 warning" in from_stdin.stdout
    assert from_stdin.stdout == from_disk.stdout


def test_junit_has_a_suite_per_file_a_case_per_rule_and_a_failure_per_rule_that_found_something(tmp_path: Path):
    """Point 10: `--format junit` parses, and its testsuites/testcase/failure/error counts agree with the findings."""
    project = make_project(tmp_path, {"template.yaml": MANY, "broken.yaml": "Resources:\n  A: [unclosed\n"})
    done = check(project, "-f", "junit", "--select", "SL5")
    assert done.returncode == 2
    root = ElementTree.fromstring(done.stdout)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"template.yaml", "broken.yaml"}

    broken = suites["broken.yaml"]
    (case,) = broken.findall("testcase")
    assert [e.get("type") for e in case.findall("error")] == ["parse"]
    assert (broken.get("tests"), broken.get("failures"), broken.get("errors")) == ("1", "0", "1")

    linted = suites["template.yaml"]
    cases = {c.get("classname"): c for c in linted.findall("testcase")}
    failures = {name: c.find("failure") for name, c in cases.items() if c.find("failure") is not None}
    assert set(failures) == {"slens-lint.SL501", "slens-lint.SL502"}
    assert failures["slens-lint.SL502"].get("message").startswith("3 findings of SL502: Log group ")
    assert len(failures["slens-lint.SL502"].text.splitlines()) == 3
    assert failures["slens-lint.SL501"].get("message").startswith("2 findings of SL501: ")
    assert linted.get("tests") == str(len(cases)) and linted.get("failures") == "2"
    assert root.get("tests") == str(len(cases) + 1)
    assert (root.get("failures"), root.get("errors")) == ("2", "1")


def test_force_color_colours_piped_output_and_no_color_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Point 10: FORCE_COLOR=1 colours text on a pipe; `--no-color` removes it; neither: plain."""
    project = make_project(tmp_path, {"template.yaml": LOG_GROUP})
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert ANSI not in check(project, color=True).stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = check(project, color=True).stdout
    assert ANSI in coloured and "SL502" in coloured
    assert ANSI not in check(project, "--no-color", color=True).stdout


def test_summary_plurals(tmp_path: Path):
    """Point 10: "1 finding", "2 findings", "1 warning", "1 file", "2 files", "1 info finding" read right."""
    one = make_project(tmp_path / "one", {"template.yaml": LOG_GROUP})
    assert summary_lines(check(one).stdout) == [
        "1 finding (1 warning) in 1 file linted.",
        "1 finding fixable with `slens-lint check --fix`.",
    ]
    two = make_project(tmp_path / "two", {"a.yaml": LOG_GROUP, "b.yaml": LOG_GROUP})
    assert summary_lines(check(two).stdout)[0] == "2 findings (2 warnings) in 2 files linted."
    hidden = make_project(tmp_path / "hidden", {"template.yaml": ORDERS})
    lines = summary_lines(check(hidden, "--select", "SL401,SL502").stdout)
    assert lines[:2] == [
        "1 finding (1 warning) in 1 file linted.",
        "Also: 1 info finding not shown (--min-severity info, or `slens-lint review`).",
    ]
