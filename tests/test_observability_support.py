"""What the observability and rollout rules (SL101-SL114) rely on below the rule level: nested `Fn::If`
values, where a property a resource overrides over `Globals` points, alarms and what they watch,
Powertools evidence, deploy-time functions and rollout shapes, all read through the typed model."""

from __future__ import annotations

import textwrap

from slens_lint.template import deployment, function_purpose, observability
from slens_lint.template.loader import decode_text
from slens_lint.template.model import Template
from slens_lint.template.resources.monitoring import Alarm, MetricSpec


def model(text: str) -> Template:
    return Template(decode_text(textwrap.dedent(text)).data)


def cases(truth) -> set:
    return {(case.when, case.holds) for case in truth.cases}


def test_values_expand_if_at_every_level():
    tpl = model(
        """\
        Conditions:
          C: !Equals [!Ref "AWS::Region", eu-west-1]
        Resources:
          OuterIf:
            Type: AWS::Lambda::Function
            Properties:
              TracingConfig: !If [C, {Mode: Active}, !Ref AWS::NoValue]
          InnerIf:
            Type: AWS::Lambda::Function
            Properties:
              TracingConfig: {Mode: !If [C, Active, PassThrough]}
          Missing:
            Type: AWS::Lambda::Function
          FromResource:
            Type: AWS::Lambda::Function
            Properties:
              TracingConfig: !Ref Settings
        """
    )

    def modes(name):
        return [(when, leaf.kind, leaf.text()) for when, leaf in tpl.resources[name].props.TracingConfig.Mode.leaves()]

    assert modes("OuterIf") == [((("C", True),), "known", "Active"), ((("C", False),), "absent", None)]
    assert modes("InnerIf") == [((("C", True),), "known", "Active"), ((("C", False),), "known", "PassThrough")]
    assert modes("Missing") == [((), "absent", None)]
    [(when, kind, _)] = modes("FromResource")
    assert kind == "unknown"


def test_a_property_overriding_globals_points_at_the_resource():
    tpl = model(
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
    props = tpl.resources["Fn"].props
    assert props.value_of("Tracing").text() == "PassThrough"
    assert tpl.positions.lookup(props.value_of("Tracing").path).start_line == 11
    assert tpl.positions.lookup(props.Runtime.path).start_line == 5  # inherited: the Globals line


def test_alarm_metrics_single_and_metric_math():
    tpl = model(
        """\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
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
    single, math = tpl.resources["Single"], tpl.resources["Math"]
    assert isinstance(single, Alarm) and isinstance(math, Alarm)
    [metric] = single.watched_metrics()
    assert isinstance(metric.literal, MetricSpec)
    assert metric.MetricName.text() == "Errors" and metric.Dimensions.items()[0].Value.ref == "Fn"
    assert [m.MetricName.text() for m in math.watched_metrics()] == ["Throttles"]
    # The single alarm watches Fn by name; the metric-math one watches every function's throttles.
    assert observability.alarms_on_function(tpl, tpl.resources["Fn"]) == ["Single"]
    assert observability.lambda_error_alarms(tpl).account_wide == ["Math"]


def test_alarms_on_a_function_by_name_alias_or_hidden_metric():
    tpl = model(
        """\
        Parameters:
          Metric: {Type: String}
        Resources:
          Named:
            Type: AWS::Lambda::Function
            Properties: {FunctionName: !Sub "${AWS::StackName}-orders"}
          ByJoin:
            Type: AWS::CloudWatch::Alarm
            Properties:
              Namespace: AWS/Lambda
              MetricName: Errors
              Dimensions: [{Name: FunctionName, Value: !Join ["-", [!Ref "AWS::StackName", orders]]}]
          ByAlias:
            Type: AWS::CloudWatch::Alarm
            Properties:
              Namespace: AWS/Lambda
              MetricName: Errors
              Dimensions: [{Name: Resource, Value: !Sub "${AWS::StackName}-orders:live"}]
          OnDuration:
            Type: AWS::CloudWatch::Alarm
            Properties:
              Namespace: AWS/Lambda
              MetricName: Duration
              Dimensions: [{Name: FunctionName, Value: !Ref Named}]
          Hidden:
            Type: AWS::CloudWatch::Alarm
            Properties:
              Namespace: AWS/Lambda
              MetricName: !Ref Metric
        """
    )
    assert observability.alarms_on_function(tpl, tpl.resources["Named"]) == ["ByJoin", "ByAlias"]
    [(alarm, hidden)] = observability.lambda_error_alarms(tpl).unreadable
    assert alarm == "Hidden" and hidden.reason == "parameter 'Metric' has no default"


def test_powertools_layer_evidence():
    tpl = model(
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
    evidence = {name: observability.layer_evidence(tpl, tpl.resources[name]).holds for name in tpl.resources}
    assert evidence == {
        "ByLiteral": True,
        "ByMapping": True,
        "ByParameterName": True,
        "UnnamedParameter": None,
        "OtherLayer": False,
    }


def test_powertools_environment():
    tpl = model(
        """\
        Conditions:
          C: !Equals [!Ref "AWS::Region", eu-west-1]
        Resources:
          Service:
            Type: AWS::Lambda::Function
            Properties:
              Environment: {Variables: {POWERTOOLS_SERVICE_NAME: orders, POWERTOOLS_TRACE_DISABLED: "true"}}
          Conditional:
            Type: AWS::Lambda::Function
            Properties:
              Environment: !If [C, {Variables: {POWERTOOLS_LOG_LEVEL: INFO}}, !Ref AWS::NoValue]
          Hidden:
            Type: AWS::Lambda::Function
            Properties:
              Environment: !Ref Settings
        """
    )
    service, conditional, hidden = (tpl.resources[n] for n in ("Service", "Conditional", "Hidden"))
    assert observability.sets_env(service, observability.SERVICE_NAME).always
    assert observability.tracer_disabled(service).always
    assert not observability.powertools_tracer(tpl, service).may_hold
    assert cases(observability.sets_logger(conditional)) == {((("C", True),), True), ((("C", False),), False)}
    assert observability.sets_env(hidden, observability.SERVICE_NAME).holds is None


def test_deploy_time_functions_are_one_set():
    tpl = model(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::Function
            Properties:
              AutoPublishAlias: live
              DeploymentPreference: {Type: Linear10PercentEvery1Minute, Hooks: {PreTraffic: !Ref Hook}}
          Hook:
            Type: AWS::Serverless::Function
          MacroBackend:
            Type: AWS::Serverless::Function
          Macro:
            Type: AWS::CloudFormation::Macro
            Properties: {Name: Expand, FunctionName: !GetAtt MacroBackend.Arn}
          Provider:
            Type: AWS::Serverless::Function
          Seed:
            Type: Custom::Seed
            Properties: {ServiceToken: !GetAtt Provider.Arn}
        """
    )
    assert function_purpose.deploy_time_functions(tpl) == {"Hook", "MacroBackend", "Provider"}


def test_rollout_shapes():
    tpl = model(
        """\
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Kind: {Type: String}
        Conditions:
          IsProd: !Equals [!Ref "AWS::StackName", prod]
        Resources:
          NoPreference:
            Type: AWS::Serverless::Function
            Properties: {AutoPublishAlias: live}
          Disabled:
            Type: AWS::Serverless::Function
            Properties:
              AutoPublishAlias: live
              DeploymentPreference: {Type: Canary10Percent5Minutes, Enabled: "false"}
          PerCondition:
            Type: AWS::Serverless::Function
            Properties:
              AutoPublishAlias: live
              DeploymentPreference: {Type: !If [IsProd, Linear10PercentEvery1Minute, AllAtOnce], Alarms: !If [IsProd, [!Ref A], []]}
          FromParameter:
            Type: AWS::Serverless::Function
            Properties:
              DeploymentPreference: {Type: !Ref Kind}
          Machine:
            Type: AWS::Serverless::StateMachine
            Properties: {AutoPublishAlias: live, DeploymentPreference: {Type: LINEAR}}
          A:
            Type: AWS::CloudWatch::Alarm
        """
    )
    r = tpl.resources
    assert deployment.all_at_once(r["NoPreference"]).always
    assert deployment.all_at_once(r["Disabled"]).always and not deployment.preference_enabled(r["Disabled"]).may_hold
    prod, dev = (("IsProd", True),), (("IsProd", False),)
    assert cases(deployment.gradual(r["PerCondition"])) == {(prod, True), (dev, False)}
    assert cases(deployment.alarms_given(deployment.preference(r["PerCondition"]).Alarms)) == {(prod, True), (dev, False)}
    assert deployment.gradual(r["FromParameter"]).holds is None
    assert not deployment.publishes_alias(r["FromParameter"]).may_hold
    assert deployment.preference_enabled(r["FromParameter"]).always
    assert deployment.gradual(r["Machine"]).always and deployment.publishes_alias(r["Machine"]).always


def test_access_log_format_classification():
    from slens_lint.rules.operational_excellence.access_log_format_not_json import (
        BROKEN_JSON,
        GOOD,
        NOT_JSON,
        NOT_OBJECT,
        classify as classify_value,
    )
    from slens_lint.template.environment import NO_ENVIRONMENT
    from slens_lint.template.reading import Expect, read

    def classify(raw):
        return classify_value(read(raw, Expect("str"), ("Format",), NO_ENVIRONMENT))

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
