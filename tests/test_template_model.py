"""The model: typed resources, SAM Globals merged on values (each keeping where it was written), implicit
APIs and typed events, resources whose condition is false, positions."""

from __future__ import annotations

import inspect
import re
import textwrap

from slens_lint.template.loader import decode_text
from slens_lint.template.model import Template
from slens_lint.template.positions import anchor_candidates
from slens_lint.template.resources.apigateway import SamApi
from slens_lint.template.resources.events import ApiEvent, SqsEvent
from slens_lint.template.resources.lambda_ import LambdaFunction, SamFunction

SAM = textwrap.dedent(
    """\
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function:
        Timeout: 10
        Layers: [global-layer]
        MemorySize: 256
      Api:
        TracingEnabled: true
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          Layers: [local-layer]
          MemorySize: "512"
          VpcConfig:
            SubnetIds: !Ref Subnets
            SecurityGroupIds: [sg-1]
          Events:
            Get:
              Type: Api
              Properties: {Path: /items, Method: get}
            Http:
              Type: HttpApi
            Queue:
              Type: SQS
              Properties: {Queue: !GetAtt Q.Arn, BatchSize: 5}
      Broken:
        Type: AWS::Lambda::Function
        Properties:
          Timeout: [not, a, number]
          MemorySize: !If [Big, 1024, 128]
      ListProps:
        Type: AWS::Lambda::Function
        Properties: [1, 2]
    """
)


def model(text: str) -> Template:
    decoded = decode_text(text)
    return Template(decoded.data, decoded.format, "t.yaml")


def line(template: Template, value) -> int:
    return template.positions.lookup(value.path).start_line


def test_typed_resources_and_globals_merged_with_their_origin():
    t = model(SAM)
    fn = t.resources["Fn"]
    assert isinstance(fn, SamFunction)
    assert fn.props.Timeout.literal == 10 and fn.props.Timeout.path == ("Globals", "Function", "Timeout")
    assert line(t, fn.props.Timeout) == 5  # the Globals line
    assert fn.props.MemorySize.literal == "512" or fn.props.MemorySize.number() == 512
    assert line(t, fn.props.MemorySize) == 17  # the local override, not Globals
    assert [(item.text(), line(t, item)) for item in fn.props.Layers.items()] == [("global-layer", 6), ("local-layer", 16)]
    assert fn.props.VpcConfig.SubnetIds.unknown and fn.props.VpcConfig.SubnetIds.ref == "Subnets"
    assert [item.text() for item in fn.props.VpcConfig.SecurityGroupIds.items()] == ["sg-1"]


def test_unexpected_shapes_are_unknown_not_errors():
    t = model(SAM)
    broken = t.resources["Broken"]
    assert isinstance(broken, LambdaFunction)
    assert broken.props.Timeout.unknown and broken.props.Timeout.reason == "Timeout is not a whole number"
    assert broken.props.MemorySize.conditional
    listed = t.resources["ListProps"]
    assert listed.properties_valid is False and listed.props.Timeout.absent


def test_implicit_apis_and_typed_events():
    t = model(SAM)
    rest = t.implicit["ServerlessRestApi"]
    assert isinstance(rest, SamApi) and rest.implicit
    assert rest.props.TracingEnabled.literal is True and rest.props.TracingEnabled.path == ("Globals", "Api", "TracingEnabled")
    assert rest.origin == ("Resources", "Fn", "Properties", "Events", "Get") and rest.owners == ("ServerlessRestApi", "Fn")
    assert "ServerlessHttpApi" in t.implicit and list(t.of_type("AWS::Serverless::Api")) == []
    events = {e.name: e for e in t.events(t.resources["Fn"])}
    assert isinstance(events["Get"].properties, ApiEvent) and events["Get"].rest_api_id == "ServerlessRestApi"
    assert isinstance(events["Queue"].properties, SqsEvent) and events["Queue"].properties.Queue.ref == "Q"
    assert events["Queue"].properties.BatchSize.literal == 5


def test_an_absent_property_points_at_its_nearest_parent_then_the_resource():
    t = model(SAM)
    fn = t.resources["Fn"]
    path, rng = t.positions.resolve(anchor_candidates(fn.props.VpcConfig.Missing.path, fn.anchors))
    assert path == ("Resources", "Fn", "Properties", "VpcConfig") and rng.start_line == 18
    path, rng = t.positions.resolve(anchor_candidates(fn.props.Tracing.path, fn.anchors))
    assert path == ("Resources", "Fn", "Properties") and rng.start_line == 13
    rest = t.implicit["ServerlessRestApi"]
    path, _ = t.positions.resolve(anchor_candidates(rest.props.MethodSettings.path, rest.anchors))
    assert path == ("Resources", "Fn", "Properties", "Events", "Get")


def test_globals_apply_without_a_transform_line_and_ignore_globals_opts_out():
    text = textwrap.dedent(
        """\
        Globals:
          Function:
            Timeout: 30
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties: {Handler: a.b, Runtime: python3.12, CodeUri: .}
          Own:
            Type: AWS::Serverless::Function
            IgnoreGlobals: [Timeout]
            Properties: {Handler: a.b, Runtime: python3.12, CodeUri: .}
        """
    )
    t = model(text)
    assert t.resources["Fn"].props.Timeout.literal == 30
    assert t.resources["Own"].props.Timeout.absent


def test_a_resource_whose_condition_is_false_is_not_modelled():
    text = textwrap.dedent(
        """\
        Conditions:
          Never: !Equals [a, b]
          Prod: !Equals [!Ref Env, prod]
        Parameters:
          Env: {Type: String, Default: dev}
        Resources:
          Gone: {Type: AWS::Logs::LogGroup, Condition: Never}
          Kept: {Type: AWS::Logs::LogGroup, Condition: Prod}
        """
    )
    t = model(text)
    assert list(t.resources) == ["Kept"] and t.excluded == {"Gone": "Never"}


def test_json_positions():
    text = '{\n  "Resources": {\n    "Q": {\n      "Type": "AWS::SQS::Queue",\n      "Properties": {"VisibilityTimeout": 30}\n    }\n  }\n}\n'
    t = model(text)
    assert t.format == "json"
    assert t.positions.lookup(("Resources", "Q", "Type")).start_line == 4
    assert line(t, t.resources["Q"].props.VisibilityTimeout) == 5


def test_no_field_shadows_a_model_class():
    """With postponed annotations, a field named like its type (`VpcConfig: V[VpcConfig]`) resolves its
    type to the field's default, and every value would silently read as free-form."""
    from slens_lint.template import resources
    from slens_lint.template.resources import events
    from slens_lint.template.resources.base import Props

    for module in (*resources._MODULES, events):
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Props) and obj.__module__ == module.__name__:
                for field, annotation in inspect.get_annotations(obj).items():
                    words = set(re.findall(r"\w+", str(annotation)))
                    assert field not in words, f"{module.__name__}.{name}.{field} is typed with its own name"


def test_memo_builds_once_per_template():
    calls: list[Template] = []

    def build(template: Template) -> list[str]:
        calls.append(template)
        return sorted(template.resources)

    first, second = Template({"Resources": {"B": {"Type": "X"}, "A": {"Type": "Y"}}}), Template({})
    assert first.memo("test.ids", build) == ["A", "B"]
    assert first.memo("test.ids", build) is first.memo("test.ids", build)
    assert second.memo("test.ids", build) == []
    assert calls == [first, second]
