"""The model: typed resources, leniency, positions, SAM semantics (Globals as merged by cfn-lint,
implicit APIs), suppression."""

from __future__ import annotations

import re
import textwrap

from slens_lint.legacy.testing import model_of
from slens_lint.legacy.intrinsics import Intrinsic, Unknown
from slens_lint.template.loader import decode_text
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.apigateway import SamApi
from slens_lint.legacy.resources.lambda_ import LambdaFunction, SamFunction

SAM = textwrap.dedent(
    """\
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function:
        Timeout: 10
        Layers: [global-layer]
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


def merged_model(text: str) -> Template:
    """The model as rules see it: built by cfn-lint's Template (Globals merged in place)."""
    from cfnlint.template import Template as CfnTemplate

    decoded = decode_text(text)
    cfn = CfnTemplate("t.yaml", decoded.data, ["us-east-1"])
    cfn.transform()
    return model_of(cfn)


def test_typed_resources_and_globals_merged_once():
    model = merged_model(SAM)
    fn = model.resources["Fn"]
    assert isinstance(fn, SamFunction)
    assert fn.properties.Timeout == 10  # from Globals
    assert fn.properties.MemorySize == 512  # CloudFormation's string numbers are read as numbers
    # cfn-lint concatenates Globals lists with local ones; the model must not merge a second time.
    assert fn.properties.Layers == ["global-layer", "local-layer"]
    assert isinstance(fn.properties.VpcConfig.SubnetIds, Intrinsic)
    assert fn.properties.VpcConfig.SecurityGroupIds == ["sg-1"]


def test_unexpected_shapes_become_unknown_not_errors():
    model = merged_model(SAM)
    broken = model.resources["Broken"]
    assert isinstance(broken, LambdaFunction)
    assert isinstance(broken.properties.Timeout, Unknown)
    assert isinstance(broken.properties.MemorySize, Intrinsic) and broken.properties.MemorySize.fn == "Fn::If"
    listed = model.resources["ListProps"]
    assert listed.properties_valid is False
    assert listed.properties.Timeout is None


def test_implicit_apis_from_events_configured_by_globals():
    model = merged_model(SAM)
    rest = model.implicit["ServerlessRestApi"]
    assert isinstance(rest, SamApi) and rest.implicit
    assert rest.properties.TracingEnabled is True  # Globals.Api
    assert rest.origin == ("Resources", "Fn", "Properties", "Events", "Get")
    assert "ServerlessHttpApi" in model.implicit
    assert [r.logical_id for r in model.of_type("AWS::Serverless::Api", implicit=True)] == ["ServerlessRestApi"]
    assert list(model.of_type("AWS::Serverless::Api")) == []
    events = model.events(model.resources["Fn"])
    assert [(e.name, e.type, e.rest_api_id) for e in events] == [("Get", "Api", "ServerlessRestApi"), ("Http", "HttpApi", None)]


def test_positions_point_at_keys_and_globals_lines():
    model = merged_model(SAM)
    # Timeout came from Globals: its key keeps the Globals line (5).
    path, rng = model.anchor(model.resources["Fn"], "Timeout")
    assert path == ("Resources", "Fn", "Properties", "Timeout")
    assert (rng.start_line, rng.start_column) == (5, 5)
    # A missing property points at the resource's Properties key.
    path, rng = model.anchor(model.resources["Fn"], "Tracing")
    assert path == ("Resources", "Fn", "Properties") and rng.start_line == 12
    # Nearest ancestor with a mark for values without one (ints carry no marks).
    assert model.positions.lookup(("Resources", "Fn", "Properties", "MemorySize", "deeper")).start_line == 16
    # An implicit API property set in Globals points there; a missing one at the creating event.
    rest = model.implicit["ServerlessRestApi"]
    assert model.anchor(rest, "TracingEnabled")[1].start_line == 8
    assert model.anchor(rest, "MethodSettings")[0] == ("Resources", "Fn", "Properties", "Events", "Get")


def test_json_positions():
    text = '{\n  "Resources": {\n    "Q": {\n      "Type": "AWS::SQS::Queue"\n    }\n  }\n}\n'
    model = merged_model(text)
    assert model.positions.lookup(("Resources", "Q", "Type")).start_line == 4
    assert decode_text(text).format == "json"


def test_no_field_shadows_a_model_class():
    """With postponed annotations, a field named like its type (`VpcConfig: Lenient[VpcConfig]`) makes
    pydantic resolve the type to the field's default (None), and every value silently becomes Unknown."""
    import inspect

    from slens_lint.legacy import resources
    from slens_lint.legacy.resources.base import Props

    for module in resources._MODULES:
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Props) and obj.__module__ == module.__name__:
                for field, annotation in inspect.get_annotations(obj).items():
                    words = set(re.findall(r"\w+", str(annotation)))
                    assert field not in words, f"{module.__name__}.{name}.{field} is typed with its own name"


def test_local_override_of_a_globals_key_points_at_the_local_line():
    # cfn-lint's merge keeps the Globals key object for a key set in both places; the engine records
    # the local positions first, so findings on the local value point at the resource.
    from slens_lint.engine import Engine, EngineOptions

    text = textwrap.dedent(
        """\
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function:
            MemorySize: 256
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src/
              Timeout: 60
              MemorySize: 1024
              Events:
                Get: {Type: Api, Properties: {Path: /a, Method: get}}
        """
    )
    result = Engine(EngineOptions(select=("SL403",))).lint_text(text, "t.yaml")
    assert [(f.rule_id, f.range.start_line) for f in result.findings] == [("SL403", 12)]
    model = merged_model(text)  # no engine: the Globals line (documented limitation of plain cfn-lint)
    assert model.anchor(model.resources["Fn"], "MemorySize")[1].start_line == 4


def test_concatenated_globals_lists_keep_each_items_own_line():
    # Globals.Api.MethodSettings + local MethodSettings: merged index 0 is the Globals item.
    from slens_lint.engine import Engine, EngineOptions

    text = textwrap.dedent(
        """\
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Api:
            MethodSettings:
              - {HttpMethod: "*", ResourcePath: "/*", LoggingLevel: INFO, DataTraceEnabled: true}
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              MethodSettings:
                - {HttpMethod: GET, ResourcePath: /a, LoggingLevel: ERROR}
                - {HttpMethod: PUT, ResourcePath: /b, LoggingLevel: INFO, DataTraceEnabled: true}
        """
    )
    result = Engine(EngineOptions(select=("SL505",))).lint_text(text, "t.yaml")
    assert sorted(f.range.start_line for f in result.findings) == [5, 13]


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
