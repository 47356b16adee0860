"""Property-based tests: template-shaped documents (every modelled SAM and CloudFormation type, with
intrinsics, nulls, wrong types and unknown keys at any position) never make the model or a rule raise,
and every finding has a file, a valid range and a known rule id.

The number of examples per test is SLENS_HYPOTHESIS_EXAMPLES (default 1500: about a minute each in CI).
"""

from __future__ import annotations

import json
import os
import string
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slens_lint.engine import PARSE_ERROR_ID, Engine, EngineOptions
from slens_lint.rules import registry
from slens_lint.template import loader
from slens_lint.template.expressions import INTRINSIC_KEYS
from slens_lint.template.model import Template
from slens_lint.template.resources import MODELS
from slens_lint.template.resources.base import Props

EXAMPLES = int(os.environ.get("SLENS_HYPOTHESIS_EXAMPLES", "1500"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


# Every property name any model knows (nested ones included), and each type's own top-level names.
VOCABULARY = sorted({name for cls in _subclasses(Props) for name in cls.model_fields} | {"Type", "Properties"})
TOP_LEVEL = {
    resource_type: sorted(cls.PROPS.model_fields)
    for resource_type, cls in MODELS.items()
}
TYPES = sorted(MODELS) + ["Custom::Thing", "AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::Made::Up", "", "Fn::If"]
LOGICAL_IDS = ["Fn", "Api", "HttpApi", "Queue", "Topic", "Role", "Logs", "Alarm", "Stage", "ServerlessRestApi", "ServerlessHttpApi"]
EVENT_TYPES = ["Api", "HttpApi", "SQS", "SNS", "S3", "Schedule", "ScheduleV2", "EventBridgeRule", "Kinesis", "DynamoDB",
               "CloudWatchLogs", "MSK", "MQ", "SelfManagedKafka", "IoTRule", "Cognito", "Nope"]
STRINGS = ["python3.12", "python2.7", "nodejs20.x", "arm64", "x86_64", "Active", "PassThrough", "JSON", "Text", "DEBUG",
           "AWS_IAM", "NONE", "*", "lambda:*", "sqs:*", "arn:aws:iam::aws:policy/AdministratorAccess", "${Fn}",
           "/aws/lambda/${Fn}", "${Fn.Arn}", "AWS::NoValue", "AWS::Region", "Fn.Arn", "{{resolve:ssm:x}}",
           "AKIAIOSFODNN7EXAMPLE", "hunter2-password", "GET", "/items", "true", "false", "0", "-1", "1e9"]

names = st.one_of(st.sampled_from(VOCABULARY), st.text(string.ascii_letters + ":.-_", min_size=1, max_size=10))
logical_ids = st.one_of(st.sampled_from(LOGICAL_IDS), st.text(string.ascii_letters + string.digits, min_size=1, max_size=8))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(STRINGS),
    st.text(max_size=12),
)


def _intrinsic(children: st.SearchStrategy) -> st.SearchStrategy:
    """Intrinsic functions in their right shapes and in wrong ones (`!Sub` with a map, `!GetAtt` with a
    number, `!If` with one branch, unknown `Fn::` keys)."""
    ref_target = st.one_of(logical_ids, st.sampled_from(["AWS::NoValue", "AWS::Region", "AWS::StackName"]))
    return st.one_of(
        st.builds(lambda t: {"Ref": t}, ref_target),
        st.builds(lambda t, a: {"Fn::GetAtt": [t, a]}, logical_ids, st.sampled_from(["Arn", "Name", "Outputs.X"])),
        st.builds(lambda t: {"Fn::GetAtt": t}, st.one_of(st.builds(lambda a: f"{a}.Arn", logical_ids), st.integers())),
        st.builds(lambda s, m: {"Fn::Sub": [s, m]}, st.sampled_from(STRINGS), st.dictionaries(names, children, max_size=2)),
        st.builds(lambda c, a, b: {"Fn::If": [c, a, b]}, st.sampled_from(["IsProd", "Nope"]), children, children),
        st.builds(lambda items: {"Fn::Join": ["", items]}, st.lists(children, max_size=3)),
        st.builds(lambda fn, args: {fn: args}, st.sampled_from(sorted(INTRINSIC_KEYS) + ["Fn::Nope", "Fn::Sub"]), children),
        st.builds(lambda a, b: {"Fn::If": a, "Fn::Sub": b}, children, children),
    )


values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(names, children, max_size=5),
        _intrinsic(children),
    ),
    max_leaves=20,
)


@st.composite
def properties(draw: Any, resource_type: str) -> Any:
    own = TOP_LEVEL.get(resource_type, [])
    keys = st.one_of(st.sampled_from(own), names) if own else names
    props = draw(st.dictionaries(keys, values, max_size=7))
    if resource_type in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine") and draw(st.booleans()):
        props["Events"] = draw(
            st.dictionaries(
                logical_ids,
                st.one_of(
                    st.fixed_dictionaries(
                        {"Type": st.sampled_from(EVENT_TYPES)}, optional={"Properties": st.dictionaries(names, values, max_size=5)}
                    ),
                    values,
                ),
                max_size=3,
            )
        )
    # Now and then not a mapping at all.
    return draw(st.one_of(st.just(props), st.just(props), st.just(props), values))


@st.composite
def resources(draw: Any) -> Any:
    found: dict[str, Any] = {}
    for logical_id in draw(st.lists(logical_ids, max_size=6, unique=True)):
        resource_type = draw(st.sampled_from(TYPES))
        resource: dict[str, Any] = {"Type": resource_type}
        if draw(st.integers(0, 9)):
            resource["Properties"] = draw(properties(resource_type))
        for key, strategy in (("Condition", st.sampled_from(["IsProd", "Nope"])), ("Metadata", values),
                              ("DependsOn", values), ("UpdatePolicy", values)):
            if draw(st.integers(0, 5)) == 0:
                resource[key] = draw(strategy)
        found[logical_id] = draw(st.one_of(st.just(resource), st.just(resource), st.just(resource), values))
    return found


@st.composite
def templates(draw: Any) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if draw(st.booleans()):
        document["AWSTemplateFormatVersion"] = "2010-09-09"
    if draw(st.integers(0, 3)):
        document["Transform"] = draw(
            st.sampled_from(["AWS::Serverless-2016-10-31", ["AWS::Serverless-2016-10-31"], "AWS::LanguageExtensions", 5])
        )
    if draw(st.booleans()):
        document["Globals"] = draw(
            st.one_of(
                st.dictionaries(
                    st.sampled_from(["Function", "Api", "HttpApi", "StateMachine", "SimpleTable", "Nope"]),
                    st.one_of(properties("AWS::Serverless::Function"), properties("AWS::Serverless::Api"), values),
                    max_size=3,
                ),
                values,
            )
        )
    if draw(st.integers(0, 3)) == 0:
        document["Conditions"] = {"IsProd": {"Fn::Equals": [{"Ref": "AWS::StackName"}, "prod"]}}
    for section in ("Parameters", "Metadata", "Outputs", "Mappings"):
        if draw(st.integers(0, 4)) == 0:
            document[section] = draw(values)
    document["Resources"] = draw(st.one_of(resources(), resources(), resources(), values))
    return document


def _as_text(document: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(document, indent=1)
    return yaml.safe_dump(document, sort_keys=False, default_flow_style=False, allow_unicode=True)


# E0001: cfn-lint could not apply a transform (AWS::LanguageExtensions) to the template.
KNOWN_IDS = {c.id for c in registry.rule_classes()} | {b.id for b in registry.builtin_rules()} | {PARSE_ERROR_ID, "E0001"}
_ENGINE = Engine(EngineOptions(enable=("SL",)))  # every rule, the opt-in ones included


@SETTINGS
@given(document=templates(), fmt=st.sampled_from(["yaml", "json"]))
def test_linting_any_template_shaped_document_never_raises(document: dict[str, Any], fmt: str):
    text = _as_text(document, fmt)
    name = f"generated.{fmt}"
    result = _ENGINE.lint_text(text, name)
    internal = [e.reason for e in result.errors if e.kind == "internal"]
    assert internal == [], internal
    lines = text.count("\n") + 1
    for finding in result.findings:
        assert finding.file == name
        assert finding.rule_id in KNOWN_IDS, finding.rule_id
        r = finding.range
        assert 1 <= r.start_line <= r.end_line <= lines, (r, lines)
        assert r.start_column >= 1 and r.end_column >= 1
        assert (r.end_line, r.end_column) >= (r.start_line, r.start_column)
        assert finding.message and "\n" not in finding.message


@SETTINGS
@given(document=templates())
def test_model_and_every_rule_accept_any_tree(document: dict[str, Any]):
    # Straight on the Python tree (no decoder, so no positions): the model must still build, and every
    # rule (opt-in ones included) must judge every subject: a status, a subject, and a message when not met.
    from slens_lint.findings import Status

    model = Template(document, "yaml", "generated.yaml")
    for rule in registry.rule_classes():
        for verdict in rule().verdicts(model):
            assert verdict.rule_id == rule.id and verdict.subject
            assert verdict.status in Status
            assert verdict.message if verdict.not_met else verdict.hidden_by or verdict.status is not Status.UNDECIDABLE


@settings(max_examples=max(200, EXAMPLES // 3), deadline=None)
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_reading_arbitrary_bytes_never_raises(raw: bytes):
    text = loader.decode_bytes(raw)
    if isinstance(text, loader.LoadError):
        assert text.reason and "\n" not in text.reason
        return
    decoded = loader.decode_text(text)
    if isinstance(decoded, loader.LoadError):
        assert decoded.reason and "\n" not in decoded.reason and "{filename}" not in decoded.reason
    else:
        assert isinstance(decoded.data, dict)
