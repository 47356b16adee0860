"""Per-environment parameter values: each source (overrides, parameter files, samconfig in every
spelling), condition evaluation, and what a run in an environment reports."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, run_cli
from slens_lint.engine import Engine, EngineOptions, LintTarget
from slens_lint.environments import EnvSpec, ParameterError, environments_for, read_options
from slens_lint.environments.overrides import parse_overrides, read_parameter_file
from slens_lint.environments.samconfig import SamConfig, find_samconfig
from slens_lint.template.environment import Environment

ENVS = FIXTURES / "environments"
TEMPLATE = ENVS / "template.yaml"


# ---- --parameter-overrides: SAM CLI's grammar ------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Stage=prod MemorySize=1024", {"Stage": "prod", "MemorySize": "1024"}),
        ("ParameterKey=Stage,ParameterValue=prod ParameterKey=Size,ParameterValue=2", {"Stage": "prod", "Size": "2"}),
        ('Name="my app" Stage=dev', {"Name": "my app", "Stage": "dev"}),
        ("Name='it is' Other=x", {"Name": "it is", "Other": "x"}),
        ('Quote="say \\"hi\\"" Space=a\\ b', {"Quote": 'say "hi"', "Space": "a b"}),
        ("Subnets=subnet-1,subnet-2", {"Subnets": "subnet-1,subnet-2"}),
        ("  Url=https://example.com/a=b  ", {"Url": "https://example.com/a=b"}),
    ],
)
def test_parameter_overrides_are_read_as_sam_cli_reads_them(text, expected):
    assert parse_overrides([text]) == expected


def test_later_overrides_win_and_an_unreadable_one_is_refused_without_its_value():
    assert parse_overrides(["Stage=dev Size=1", "Stage=prod"]) == {"Stage": "prod", "Size": "1"}
    with pytest.raises(ParameterError) as error:
        parse_overrides(["hunter2-no-equals-sign"])
    assert "hunter2" not in str(error.value)
    assert "Key=Value" in str(error.value)


# ---- --parameters FILE ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("plain.json", {"Stage": "prod", "Size": 1024, "Debug": False, "Subnets": ["a", "b"]}),
        (
            "cloudformation.json",
            [
                {"ParameterKey": "Stage", "ParameterValue": "prod"},
                {"ParameterKey": "Size", "ParameterValue": "1024"},
                {"ParameterKey": "Debug", "ParameterValue": "false"},
                {"ParameterKey": "Subnets", "ParameterValue": "a,b"},
                {"ParameterKey": "Previous", "UsePreviousValue": True},
            ],
        ),
        ("pipeline.json", {"Parameters": {"Stage": "prod", "Size": "1024", "Debug": "false", "Subnets": ["a", "b"]}, "Tags": {"team": "x"}}),
    ],
)
def test_each_parameter_file_shape(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(json.dumps(content), encoding="utf-8")
    values = read_parameter_file(path)
    assert values["Stage"] == "prod"
    assert values["Size"] == "1024"
    assert values["Debug"] == "false"
    assert values["Subnets"] in (["a", "b"], "a,b")
    assert "Previous" not in values  # UsePreviousValue: the deployed value is not known here


def test_a_yaml_parameter_file_and_broken_files(tmp_path):
    good = tmp_path / "prod.yaml"
    good.write_text("Stage: prod\nSize: 512\n", encoding="utf-8")
    assert read_parameter_file(good) == {"Stage": "prod", "Size": "512"}
    broken = tmp_path / "broken.json"
    broken.write_text('{"Stage": "sup3r-s3cret",\n  oops}', encoding="utf-8")
    with pytest.raises(ParameterError) as error:
        read_parameter_file(broken)
    assert "line 2" in str(error.value) and "sup3r-s3cret" not in str(error.value)
    nested = tmp_path / "nested.json"
    nested.write_text('{"Stage": {"deep": "sup3r-s3cret"}}', encoding="utf-8")
    with pytest.raises(ParameterError) as error:
        read_parameter_file(nested)
    assert "'Stage'" in str(error.value) and "sup3r-s3cret" not in str(error.value)


# ---- samconfig in every spelling --------------------------------------------------------------


SAMCONFIG_SPELLINGS = {
    "samconfig.toml": """\
version = 0.1
[dev.deploy.parameters]
parameter_overrides = "Stage=\\"dev\\" Name=\\"my app\\""
[prod.global.parameters]
parameter_overrides = "Stage=test"
[prod.deploy.parameters]
parameter_overrides = ["Stage=prod", "ParameterKey=Name,ParameterValue=shop"]
[qa.global.parameters]
parameter_overrides = "Stage=qa Name=qa-shop"
[sync-only.sync.parameters]
watch = true
""",
    "samconfig.yaml": """\
version: 0.1
dev:
  deploy:
    parameters:
      parameter_overrides: Stage="dev" Name="my app"
prod:
  global:
    parameters:
      parameter_overrides: Stage=test
  deploy:
    parameters:
      parameter_overrides:
        - Stage=prod
        - ParameterKey=Name,ParameterValue=shop
qa:
  global:
    parameters:
      parameter_overrides: Stage=qa Name=qa-shop
sync-only:
  sync:
    parameters:
      watch: true
""",
    "samconfig.json": json.dumps(
        {
            "version": 0.1,
            "dev": {"deploy": {"parameters": {"parameter_overrides": 'Stage="dev" Name="my app"'}}},
            "prod": {
                "global": {"parameters": {"parameter_overrides": "Stage=test"}},
                "deploy": {"parameters": {"parameter_overrides": ["Stage=prod", "ParameterKey=Name,ParameterValue=shop"]}},
            },
            "qa": {"global": {"parameters": {"parameter_overrides": "Stage=qa Name=qa-shop"}}},
            "sync-only": {"sync": {"parameters": {"watch": True}}},
        }
    ),
}


@pytest.mark.parametrize("name", [*SAMCONFIG_SPELLINGS, "samconfig.yml"])
def test_samconfig_spellings_deploy_first_then_global(tmp_path, name):
    text = SAMCONFIG_SPELLINGS["samconfig.yaml" if name == "samconfig.yml" else name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    found = find_samconfig(tmp_path)
    assert found == tmp_path / name
    config = SamConfig.load(found)
    assert config.environments() == ["dev", "prod", "qa"]  # sync-only deploys nothing
    assert config.overrides("dev") == {"Stage": "dev", "Name": "my app"}
    assert config.overrides("prod") == {"Stage": "prod", "Name": "shop"}  # deploy replaces global whole
    assert config.overrides("qa") == {"Stage": "qa", "Name": "qa-shop"}  # global when deploy sets none


def test_samconfig_lookup_order_and_a_missing_environment(tmp_path):
    (tmp_path / "samconfig.json").write_text(SAMCONFIG_SPELLINGS["samconfig.json"], encoding="utf-8")
    (tmp_path / "samconfig.toml").write_text(SAMCONFIG_SPELLINGS["samconfig.toml"], encoding="utf-8")
    assert find_samconfig(tmp_path) == tmp_path / "samconfig.toml"
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE.read_text(), encoding="utf-8")
    plan = environments_for(template, read_options(config_env="staging"), "template.yaml")
    assert plan.environments == []
    assert "no environment 'staging'" in plan.error and "dev, prod, qa" in plan.error


def test_values_are_layered_samconfig_then_files_then_overrides(tmp_path):
    (tmp_path / "samconfig.toml").write_text(SAMCONFIG_SPELLINGS["samconfig.toml"], encoding="utf-8")
    params = tmp_path / "params.json"
    params.write_text('{"Name": "from-file", "Extra": "x"}', encoding="utf-8")
    options = read_options(["Extra=from-override"], [params], config_env="prod")
    (spec,) = environments_for(tmp_path / "template.yaml", options, "template.yaml").environments
    assert spec.name == "prod"
    assert spec.given == {"Stage": "prod", "Name": "from-file", "Extra": "from-override"}


def test_option_combinations_that_make_no_sense_are_refused(tmp_path):
    with pytest.raises(ParameterError, match="cannot be combined"):
        read_options(config_env="prod", all_envs=True)
    with pytest.raises(ParameterError, match="needs --config-env"):
        read_options(samconfig=tmp_path / "samconfig.toml")
    with pytest.raises(ParameterError, match="no such file"):
        read_options(samconfig=tmp_path / "missing.toml", all_envs=True)


# ---- conditions ------------------------------------------------------------------------------


CONDITIONS = {
    "Parameters": {"Stage": {"Type": "String", "Default": "dev"}, "Email": {"Type": "String", "Default": ""}},
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
        "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
        "NonProd": {"Fn::Or": [{"Fn::Equals": ["dev", {"Ref": "Stage"}]}, {"Fn::Equals": [{"Ref": "Stage"}, "test"]}]},
        "HasEmail": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Email"}, ""]}]},
        "Alarms": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "HasEmail"}]},
        "Deep": {"Fn::Or": [{"Fn::And": [{"Fn::Not": [{"Condition": "NonProd"}]}, {"Condition": "HasEmail"}]}, {"Fn::Equals": ["a", "b"]}]},
        "Literal": {"Fn::Equals": ["x", "x"]},
    },
    "Resources": {},
}


@pytest.mark.parametrize(
    "given, expected",
    [
        ({"Stage": "prod", "Email": "ops@example.com"}, dict(IsProd=True, IsDev=False, NonProd=False, HasEmail=True, Alarms=True, Deep=True, Literal=True)),
        ({"Stage": "prod"}, dict(IsProd=True, IsDev=False, NonProd=False, HasEmail=False, Alarms=False, Deep=False, Literal=True)),
        ({"Stage": "test", "Email": "x"}, dict(IsProd=False, IsDev=True, NonProd=True, HasEmail=True, Alarms=False, Deep=False, Literal=True)),
        ({}, dict(IsProd=False, IsDev=True, NonProd=True, HasEmail=False, Alarms=False, Deep=False, Literal=True)),  # defaults
    ],
)
def test_every_condition_function_and_nesting_is_decided_in_an_environment(given, expected):
    env = Environment.of(CONDITIONS, given, "x")
    assert {name: env.condition(name) for name in expected} == expected


def test_without_an_environment_only_literal_conditions_are_decided():
    env = Environment.of(CONDITIONS)
    assert env.condition("Literal") is True
    assert {env.condition(n) for n in ("IsProd", "IsDev", "NonProd", "HasEmail", "Alarms", "Deep")} == {None}


# ---- a template in its environments ----------------------------------------------------------


def _findings(spec):
    engine = Engine(EngineOptions(select=("SL",)))
    result = engine.lint_file(LintTarget(TEMPLATE, "template.yaml", explicit=True, environment=spec))
    return {(f.rule_id, f.resource, f.range.start_line) for f in result.findings}


COMMON = {("SL102", "OrdersFunction", 30), ("SL112", "OrdersFunction", 30), ("SL503", "OrdersFunction", 30)}
DEV_ONLY = {
    ("SL114", "OrdersFunction", 30),  # the alarm is only deployed in prod
    ("SL401", "OrdersFunction", 35),  # MemorySize: !If [IsProd, 1024, NoValue]
    ("SL107", "OrdersFunction", 36),  # Tracing: !If [IsProd, Active, PassThrough]
    ("SL307", "DebugQueue", 48),  # Condition: IsDev
}


def test_findings_are_those_of_the_environment():
    dev = _findings(EnvSpec("dev", (("Stage", "dev"), ("LogLevel", "DEBUG"))))
    prod = _findings(EnvSpec("prod", (("Stage", "prod"), ("AlarmEmail", "ops@example.com"))))
    assert dev == COMMON | DEV_ONLY | {("SL505", "OrdersFunction", 39)}
    assert prod == COMMON
    # Without values: defaults apply and condition-dependent findings name the condition.
    engine = Engine(EngineOptions(select=("SL107",)))
    (finding,) = engine.lint_file(LintTarget(TEMPLATE, "template.yaml")).findings
    assert finding.message.startswith("When IsProd is false: ")


def test_a_prod_run_reports_no_finding_of_a_resource_prod_leaves_out():
    prod = _findings(EnvSpec("prod", (("Stage", "prod"),)))
    assert not any(resource == "DebugQueue" for _, resource, _ in prod)


# ---- the command line ------------------------------------------------------------------------


def _json(*args, cwd=None):
    proc = run_cli("check", "--format", "json", "--select", "SL", "--min-severity", "info", *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return {(f["rule_id"], f["range"]["start_line"], tuple(f.get("environments", ()))) for f in json.loads(proc.stdout)["findings"]}


def test_each_source_on_the_command_line(tmp_path):
    plain = tmp_path / "prod.json"
    plain.write_text('{"Stage": "prod", "AlarmEmail": "ops@example.com"}', encoding="utf-8")
    listed = tmp_path / "prod-cfn.json"
    listed.write_text('[{"ParameterKey": "Stage", "ParameterValue": "prod"}, {"ParameterKey": "AlarmEmail", "ParameterValue": "x@y"}]', encoding="utf-8")
    prod = {(rule, line, ()) for rule, _, line in COMMON}
    assert _json(str(TEMPLATE), "--parameter-overrides", "Stage=prod AlarmEmail=ops@example.com") == prod
    assert _json(str(TEMPLATE), "--parameter-overrides", "ParameterKey=Stage,ParameterValue=prod", "--parameter-overrides", "AlarmEmail=x") == prod
    assert _json(str(TEMPLATE), "--parameters", str(plain)) == prod
    assert _json(str(TEMPLATE), "--parameters", str(listed)) == prod
    assert _json(str(TEMPLATE), "--config-env", "prod") == prod  # samconfig.toml beside the template
    dev = _json(str(TEMPLATE), "--config-env", "dev")
    assert ("SL505", 39, ()) in dev and ("SL307", 48, ()) in dev


def test_samconfig_yaml_and_json_named_with_samconfig(tmp_path):
    for name in ("samconfig.yaml", "samconfig.json"):
        config = tmp_path / name
        config.write_text(SAMCONFIG_SPELLINGS[name].replace("Stage=test", "Stage=dev"), encoding="utf-8")
        found = _json(str(TEMPLATE), "--config-env", "prod", "--samconfig", str(config))
        assert ("SL107", 36, ()) not in found and ("SL503", 30, ()) in found, name


def test_all_envs_labels_each_finding_once_with_its_environments():
    proc = run_cli("check", "--format", "json", "--select", "SL", "--min-severity", "info", "--all-envs", str(TEMPLATE))
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    labels = {(f["rule_id"], f["range"]["start_line"]): f["environments"] for f in findings if f["rule_id"] != "SL102"}
    assert labels == {
        ("SL112", 30): ["default", "dev", "prod"],
        ("SL503", 30): ["default", "dev", "prod"],
        ("SL114", 30): ["default", "dev"],
        ("SL401", 35): ["default", "dev"],
        ("SL107", 36): ["default", "dev"],
        ("SL505", 39): ["dev"],
        ("SL307", 48): ["default", "dev"],
    }
    assert len(findings) == len({json.dumps(f, sort_keys=True) for f in findings})  # no duplicates
    text = run_cli("check", "--select", "SL503,SL505", "--min-severity", "info", "--all-envs", str(TEMPLATE)).stdout
    assert "SL503 info [default, dev, prod] Function 'OrdersFunction' runs on x86_64" in text
    assert "SL505 warning [dev] Function 'OrdersFunction' logs at DEBUG" in text
    sarif = json.loads(run_cli("check", "-f", "sarif", "--select", "SL505", "--all-envs", str(TEMPLATE)).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert result["properties"]["environments"] == ["dev"] and result["message"]["text"].startswith("[dev] ")


def test_without_all_envs_the_json_output_has_no_new_keys():
    proc = run_cli("check", "--format", "json", "--select", "SL503", "--min-severity", "info", str(TEMPLATE))
    (finding,) = json.loads(proc.stdout)["findings"]
    assert list(finding) == [
        "rule_id", "cfn_lint_id", "severity", "file", "range", "resource", "path", "message", "fix",
        "fix_safety", "edits", "subject", "fingerprint",
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--config-env", "staging"], "no environment 'staging' (environments: default, dev, prod)"),
        (["--config-env", "dev", "--all-envs"], "cannot be combined"),
        (["--samconfig", "samconfig.toml"], "--samconfig needs --config-env NAME or --all-envs"),
        (["--parameter-overrides", "t0ps3cret"], "not in the form"),
    ],
)
def test_usage_errors_exit_2_and_name_no_value(args, message):
    proc = run_cli("check", str(TEMPLATE), *args, cwd=ENVS)
    assert proc.returncode == 2
    assert message in proc.stderr or message in proc.stdout
    assert "t0ps3cret" not in proc.stderr + proc.stdout


# ---- secrets ---------------------------------------------------------------------------------


SECRET_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  LogLevel:
    Type: String
    NoEcho: true
    Default: INFO
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: .
      Environment:
        Variables:
          LOG_LEVEL: !Ref LogLevel
"""


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "parseable"])
def test_a_secret_parameter_value_never_appears_in_any_output(tmp_path, fmt):
    (tmp_path / "template.yaml").write_text(SECRET_TEMPLATE, encoding="utf-8")
    (tmp_path / "samconfig.toml").write_text('[dev.deploy.parameters]\nparameter_overrides = "LogLevel=debug"\n', encoding="utf-8")
    proc = run_cli("check", "-f", fmt, "-v", "--select", "SL505", "--all-envs", "template.yaml", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout + proc.stderr
    if fmt == "sarif":  # the rule's own documentation speaks of DEBUG: look at the results only
        out = json.dumps(json.loads(proc.stdout)["runs"][0]["results"])
    assert "debug" not in out.lower().replace("debug-level", "")
    assert "value not shown: secret" in out
    assert "****" in out
