"""What the observability rules (SL107-SL114) rely on below the rule level: nested `Fn::If` values,
positions of properties a resource overrides over `Globals`, alarms, Powertools evidence."""

from __future__ import annotations

import textwrap

from slens_lint.legacy.testing import model_of
from slens_lint.rules.operational_excellence import powertools
from slens_lint.legacy import intrinsics as I
from slens_lint.template.loader import decode_text
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.monitoring import Alarm


def merged_model(text: str) -> Template:
    """The model as rules see it: built by cfn-lint's Template (Globals merged in place)."""
    from cfnlint.template import Template as CfnTemplate

    cfn = CfnTemplate("t.yaml", decode_text(textwrap.dedent(text)).data, ["us-east-1"])
    cfn.transform()
    return model_of(cfn)


def test_values_at_expands_if_at_every_level():
    props = {"TracingConfig": {"Fn::If": ["C", {"Mode": "Active"}, {"Ref": "AWS::NoValue"}]}}
    assert I.values_at(props, "TracingConfig", "Mode") == ["Active", None]
    props = {"TracingConfig": {"Mode": {"Fn::If": ["C", "Active", "PassThrough"]}}}
    assert I.values_at(props, "TracingConfig", "Mode") == ["Active", "PassThrough"]
    assert I.values_at({}, "TracingConfig", "Mode") == [None]
    unknown = I.values_at({"TracingConfig": {"Ref": "Settings"}}, "TracingConfig", "Mode")
    assert len(unknown) == 1 and isinstance(unknown[0], I.Unknown)


def test_a_property_overriding_globals_points_at_the_resource():
    model = merged_model(
        """\
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function:
            Tracing: Active
            Runtime: python3.12
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Tracing: PassThrough
        """
    )
    fn = model.resources["Fn"]
    assert model.anchor(fn, "Tracing")[1].start_line == 11
    assert model.anchor(fn, "Runtime")[1].start_line == 5  # inherited: the Globals line


def test_alarm_metrics_single_and_metric_math():
    model = merged_model(
        """\
        Resources:
          Single:
            Type: AWS::CloudWatch::Alarm
            Properties:
              Namespace: AWS/Lambda
              MetricName: Errors
              Dimensions: [{Name: FunctionName, Value: !Ref Fn}]
          Math:
            Type: AWS::CloudWatch::Alarm
            Properties:
              Metrics:
                - Id: e
                  MetricStat:
                    Metric: {Namespace: AWS/Lambda, MetricName: Throttles}
                    Period: 60
                    Stat: Sum
                - Id: ratio
                  Expression: e * 100
        """
    )
    single, math = model.resources["Single"], model.resources["Math"]
    assert isinstance(single, Alarm) and isinstance(math, Alarm)
    [metric] = single.watched_metrics()
    assert metric.MetricName == "Errors" and metric.Dimensions[0].Value == {"Ref": "Fn"}
    assert [m.MetricName for m in math.watched_metrics()] == ["Throttles"]


def test_powertools_layer_evidence():
    model = merged_model(
        """\
        Parameters:
          PowertoolsLayerArn: {Type: String}
          SomeLayer: {Type: String}
        Mappings:
          Layers:
            eu-west-1: {Arn: "arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7"}
        Resources:
          ByLiteral:
            Type: AWS::Lambda::Function
            Properties:
              Layers: [!Sub "arn:aws:lambda:${AWS::Region}:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7"]
          ByMapping:
            Type: AWS::Lambda::Function
            Properties:
              Layers: [!FindInMap [Layers, !Ref "AWS::Region", Arn]]
          ByParameterName:
            Type: AWS::Lambda::Function
            Properties:
              Layers: [!Ref PowertoolsLayerArn]
          UnnamedParameter:
            Type: AWS::Lambda::Function
            Properties:
              Layers: [!Ref SomeLayer]
          OtherLayer:
            Type: AWS::Lambda::Function
            Properties:
              Layers: ["arn:aws:lambda:eu-west-1:123456789012:layer:shared:3"]
        """
    )
    evidence = {name: powertools.layer_evidence(model, model.resources[name]) for name in model.resources}
    assert evidence == {
        "ByLiteral": powertools.Evidence.YES,
        "ByMapping": powertools.Evidence.YES,
        "ByParameterName": powertools.Evidence.YES,
        "UnnamedParameter": powertools.Evidence.UNKNOWN,
        "OtherLayer": powertools.Evidence.NO,
    }


def test_access_log_format_classification():
    from slens_lint.rules.operational_excellence.access_log_format_not_json import (
        BROKEN_JSON,
        GOOD,
        NOT_JSON,
        NOT_OBJECT,
        classify,
    )

    # $context variables stand for values, quoted or not.
    assert classify('{"requestId":"$context.requestId","status":$context.status}')[0] == GOOD
    assert classify("{\"user\":\"$context.authorizer.claims['cognito:username']\"}")[0] == GOOD
    # An Fn::Sub is read with its variables as placeholders; ${!x} is a literal ${x}.
    assert classify({"Fn::Sub": '{"stack":"${AWS::StackName}","x":"${!Literal}","n":${Count}}'})[0] == GOOD
    assert classify({"Fn::Sub": "${AWS::StackName} $context.requestId"})[0] == NOT_JSON
    assert classify("$context.identity.sourceIp - [$context.requestTime] $context.status")[0] == NOT_JSON
    verdict, detail = classify('{"a":"$context.requestId" "b":"$context.status"}')
    assert verdict == BROKEN_JSON and '"a"' in detail
    assert classify('["$context.requestId"]')[0] == NOT_JSON
    assert classify('"$context.requestId"')[0] == NOT_JSON
    assert classify({"Fn::ToJsonString": ["$context.requestId"]})[0] == NOT_OBJECT
    # What cannot be read is no finding.
    assert classify({"Ref": "Format"})[0] is None
    assert classify({"Fn::ImportValue": "format"})[0] is None
