"""How each function is invoked and which queues are dead-letter queues, read from real templates
through the typed model (SAM Globals merged on values), as the rules see them."""

from __future__ import annotations

import textwrap
from typing import Any

from slens_lint.template import invocations
from slens_lint.template.invocations import shapes
from slens_lint.template.loader import decode_text
from slens_lint.template.model import Template
from slens_lint.template.reading import Expect, read
from slens_lint.template.resources.messaging import EventsRule, SqsQueue
from slens_lint.template.values import Value


def facts(body: str, sam: bool = False) -> invocations.Invocations:
    """`body` is dedented; `FUNCTION` in it stands for a plain CloudFormation function's Type and Properties."""
    text = textwrap.dedent(body).replace("    FUNCTION\n", FUNCTION)
    decoded = decode_text((SAM_HEADER if sam else "") + text)
    return invocations.of(Template(decoded.data))


def value(found: invocations.Invocations, raw: Any) -> Value:
    """`raw` read as a string property of `found`'s template (parameters and conditions resolved there)."""
    return read(raw, Expect("str"), ("Test",), found.template.env)


SAM_HEADER = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
    CodeUri: src/
"""

FUNCTION = """\
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "x"}
"""


def test_sam_async_events_but_not_cognito_or_sns_to_queue():
    found = facts(
        """\
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Events:
                Upload: {Type: S3, Properties: {Bucket: !Ref B, Events: "s3:ObjectCreated:*"}}
                Signup: {Type: Cognito, Properties: {UserPool: !Ref P, Trigger: PreSignUp}}
                Buffered: {Type: SNS, Properties: {Topic: !Ref T, SqsSubscription: true}}
          B: {Type: AWS::S3::Bucket}
          P: {Type: AWS::Cognito::UserPool}
          T: {Type: AWS::SNS::Topic}
        """,
        sam=True,
    )
    assert [(s.function, s.service) for s in found.async_sources] == [("Fn", "S3")]
    (queued,) = found.poll_sources
    assert (queued.kind, queued.generated_queue, queued.queue) == ("SQS", True, None)
    # A poll source is a subject of its own: the event, owned by the function.
    assert (queued.key, queued.resource_id, queued.owners) == ("Resources/Fn/Properties/Events/Buffered", "Fn", ("Fn",))
    assert queued.at("BatchSize") == ("Resources", "Fn", "Properties", "Events", "Buffered")


def test_permissions_resolve_aliases_and_regional_principals():
    found = facts(
        """\
        Resources:
          Fn:
            FUNCTION
          Live:
            Type: AWS::Lambda::Alias
            Properties: {FunctionName: !Ref Fn, FunctionVersion: "1", Name: live}
          LogsPermission:
            Type: AWS::Lambda::Permission
            Properties:
              Action: lambda:InvokeFunction
              FunctionName: !Ref Live
              Principal: !Sub logs.${AWS::Region}.amazonaws.com
          ApiPermission:
            Type: AWS::Lambda::Permission
            Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: apigateway.amazonaws.com}
          IotPermission:
            Type: AWS::Lambda::Permission
            Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: iot.amazonaws.com}
        """
    )
    # IoT permissions also serve synchronous custom authorizers: alone they prove nothing.
    assert [(s.function, s.service, s.declared_by) for s in found.async_sources] == [
        ("Fn", "CloudWatch Logs", "LogsPermission")
    ]
    assert found.function_refs(value(found, {"Ref": "Live"})) == [invocations.FunctionRef("Fn", "live")]


def test_function_refs_by_name_arn_sam_alias_and_unknown():
    found = facts(
        """\
        Parameters:
          Other: {Type: String}
          Named: {Type: String, Default: orders}
        Conditions:
          C: !Equals [!Ref AWS::StackName, prod]
        Resources:
          Named:
            Type: AWS::Serverless::Function
            Properties: {FunctionName: orders, AutoPublishAlias: live}
        """,
        sam=True,
    )
    ref = invocations.FunctionRef

    def refs(raw: Any) -> Any:
        return found.function_refs(value(found, raw))

    assert refs("orders") == [ref("Named")]
    assert refs("arn:aws:lambda:us-east-1:123456789012:function:orders:live") == [ref("Named", "live")]
    assert refs({"Ref": "Named.Alias"}) == [ref("Named", "live")]
    assert refs({"Fn::Sub": "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Named}"}) == [ref("Named")]
    assert refs({"Ref": "Other"}) is None
    assert refs({"Fn::If": ["C", {"Ref": "Named"}, {"Ref": "AWS::NoValue"}]}) == [ref("Named")]


def test_event_source_mappings_are_classified_by_what_they_poll():
    found = facts(
        """\
        Parameters:
          Arn: {Type: String}
        Resources:
          Fn:
            FUNCTION
          Q: {Type: AWS::SQS::Queue}
          S: {Type: AWS::Kinesis::Stream, Properties: {ShardCount: 1}}
          FromQueue:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {FunctionName: !Ref Fn, EventSourceArn: !GetAtt Q.Arn}
          FromStream:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {FunctionName: !GetAtt Fn.Arn, EventSourceArn: !GetAtt S.Arn}
          FromTable:
            Type: AWS::Lambda::EventSourceMapping
            Properties:
              FunctionName: !Ref Fn
              EventSourceArn: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/t/stream/x
          FromKafka:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {FunctionName: !Ref Fn, Topics: [t], SelfManagedEventSource: {Endpoints: {KafkaBootstrapServers: [b:9092]}}}
          FromParameter:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {FunctionName: !Ref Fn, EventSourceArn: !Ref Arn}
        """
    )
    kinds = {s.resource.logical_id: (s.kind, s.queue) for s in found.poll_sources if s.kind is not None}
    assert kinds == {
        "FromQueue": ("SQS", "Q"),
        "FromStream": ("Kinesis", None),
        "FromTable": ("DynamoDB", None),
        "FromKafka": ("SelfManagedKafka", None),
    }
    # What a parameter names is not known: the mapping is kept, its kind is not guessed.
    (unknown,) = found.unclassified()
    assert unknown.resource.logical_id == "FromParameter"
    assert invocations.sources.hidden_source(unknown).reason == "parameter 'Arn' has no default"
    # A mapping resource points at its own properties (the engine finds the nearest written one).
    queue = next(found.sqs_sources())
    assert queue.at("FunctionResponseTypes") == ("Resources", "FromQueue", "Properties", "FunctionResponseTypes")


def test_dead_letter_queues_from_every_kind_of_reference():
    found = facts(
        """\
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt FnDlq.Arn}
              Events:
                Rule:
                  Type: EventBridgeRule
                  Properties: {Pattern: {source: [x]}, DeadLetterConfig: {Arn: !GetAtt RuleDlq.Arn}}
                Topic:
                  Type: SNS
                  Properties: {Topic: !Ref T, RedrivePolicy: {deadLetterTargetArn: !GetAtt SubDlq.Arn}}
          Cfn:
            FUNCTION
              DeadLetterConfig: {TargetArn: !GetAtt CfnDlq.Arn}
          Work:
            Type: AWS::SQS::Queue
            Properties:
              RedrivePolicy: {deadLetterTargetArn: !GetAtt WorkDlq.Arn, maxReceiveCount: 3}
          Other:
            Type: AWS::SQS::Queue
            Properties:
              RedrivePolicy: !Sub '{"deadLetterTargetArn":"${OtherDlq.Arn}","maxReceiveCount":3}'
          Config:
            Type: AWS::Lambda::EventInvokeConfig
            Properties:
              FunctionName: !Ref Cfn
              Qualifier: $LATEST
              DestinationConfig: {OnFailure: {Destination: !GetAtt DestDlq.Arn}}
          Piped:
            Type: AWS::Pipes::Pipe
            Properties:
              SourceParameters:
                SqsQueueParameters: {BatchSize: 1}
                DynamoDBStreamParameters: {DeadLetterConfig: {Arn: !If [C, !GetAtt PipeDlq.Arn, !Ref AWS::NoValue]}}
          Shared:
            Type: AWS::SQS::Queue
            Properties: {RedriveAllowPolicy: {redrivePermission: allowAll}}
          FnDlq: {Type: AWS::SQS::Queue}
          RuleDlq: {Type: AWS::SQS::Queue}
          SubDlq: {Type: AWS::SQS::Queue}
          CfnDlq: {Type: AWS::SQS::Queue}
          WorkDlq: {Type: AWS::SQS::Queue}
          OtherDlq: {Type: AWS::SQS::Queue}
          DestDlq: {Type: AWS::SQS::Queue}
          PipeDlq: {Type: AWS::SQS::Queue}
          T: {Type: AWS::SNS::Topic}
        Conditions:
          C: !Equals [!Ref AWS::StackName, prod]
        """,
        sam=True,
    )
    assert found.dead_letter_queues == {
        "FnDlq", "RuleDlq", "SubDlq", "CfnDlq", "WorkDlq", "OtherDlq", "DestDlq", "PipeDlq", "Shared"
    }
    (destination,) = found.failures.failure_configs["Cfn"]
    assert destination.path == ("Resources", "Config", "Properties", "DestinationConfig", "OnFailure", "Destination")
    assert found.async_failure_handled(found.functions["Fn"]).always
    assert found.async_failure_handled(found.functions["Cfn"]).always


def test_async_failure_handling_sources():
    found = facts(
        """\
            DeadLetterQueue: !If [C, {Type: SQS, TargetArn: arn:aws:sqs:us-east-1:1:q}, !Ref AWS::NoValue]
        Conditions:
          C: !Equals [!Ref AWS::StackName, prod]
        Resources:
          FromGlobals:
            Type: AWS::Serverless::Function
          RetriesOnly:
            Type: AWS::Serverless::Function
            IgnoreGlobals: [DeadLetterQueue]
            Properties:
              EventInvokeConfig: {MaximumRetryAttempts: 0}
        """,
        sam=True,
    )
    # A DLQ merged from Globals under a condition handles failures there only; retry settings alone
    # keep nothing.
    from_globals = found.async_failure_handled(found.functions["FromGlobals"])
    assert {case.when: case.holds for case in from_globals.cases} == {(("C", True),): True, (("C", False),): False}
    assert found.async_failure_handled(found.functions["RetriesOnly"]).never


def test_an_invoke_config_for_a_hidden_function_makes_failure_handling_undecidable():
    found = facts(
        """\
        Parameters:
          Target: {Type: String}
          Known: {Type: String, Default: elsewhere}
        Resources:
          Fn:
            FUNCTION
          Hidden:
            Type: AWS::Lambda::EventInvokeConfig
            Properties:
              FunctionName: !Ref Target
              Qualifier: $LATEST
              DestinationConfig: {OnFailure: {Destination: arn:aws:sqs:us-east-1:123456789012:q}}
          External:
            Type: AWS::Lambda::EventInvokeConfig
            Properties:
              FunctionName: !Ref Known
              Qualifier: $LATEST
              DestinationConfig: {OnFailure: {Destination: arn:aws:sqs:us-east-1:123456789012:q}}
        """
    )
    truth = found.async_failure_handled(found.functions["Fn"])
    assert truth.holds is None and not truth.may_fail
    # A parameter's default names a function outside the template: no doubt about ours.
    assert [leaf.reason for leaf in found.failures.unattributed] == ["parameter 'Target' has no default"]


def test_messaging_models_read_targets_and_queue_settings():
    model = Template(
        {
            "Resources": {
                "Q": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": "90"}},
                "R": {
                    "Type": "AWS::Events::Rule",
                    "Properties": {"Targets": [{"Id": "a", "Arn": "x", "DeadLetterConfig": {"Arn": "y"}}]},
                },
            }
        }
    )
    queue, rule = model.resources["Q"], model.resources["R"]
    assert isinstance(queue, SqsQueue) and queue.props.VisibilityTimeout.number() == 90
    (target,) = rule.props.Targets.items()
    assert isinstance(rule, EventsRule) and target.DeadLetterConfig.Arn.text() == "y"


def test_cloudformation_async_sources_from_service_resources():
    found = facts(
        """\
        Resources:
          Fn:
            FUNCTION
          Filter:
            Type: AWS::Logs::SubscriptionFilter
            Properties: {LogGroupName: /app, FilterPattern: "", DestinationArn: !GetAtt Fn.Arn}
          IotRule:
            Type: AWS::IoT::TopicRule
            Properties:
              TopicRulePayload:
                Sql: SELECT * FROM 'things/#'
                Actions: [{Lambda: {FunctionArn: !GetAtt Fn.Arn}}]
          Schedule:
            Type: AWS::Scheduler::Schedule
            Properties:
              ScheduleExpression: rate(1 hour)
              FlexibleTimeWindow: {Mode: "OFF"}
              Target: {Arn: !GetAtt Fn.Arn, RoleArn: arn:aws:iam::123456789012:role/s}
          MailAsync:
            Type: AWS::SES::ReceiptRule
            Properties:
              RuleSetName: rules
              Rule: {Actions: [{LambdaAction: {FunctionArn: !GetAtt Fn.Arn}}]}
          MailSync:
            Type: AWS::SES::ReceiptRule
            Properties:
              RuleSetName: rules
              Rule: {Actions: [{LambdaAction: {FunctionArn: !GetAtt Fn.Arn, InvocationType: RequestResponse}}]}
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              NotificationConfiguration:
                LambdaConfigurations: [{Event: "s3:ObjectCreated:*", Function: !GetAtt Fn.Arn}]
        """
    )
    # SES waits for the function with RequestResponse: only the default (Event) action is async.
    assert sorted((s.service, s.declared_by) for s in found.async_sources_of("Fn")) == [
        ("CloudWatch Logs", "Filter"),
        ("EventBridge Scheduler", "Schedule"),
        ("IoT", "IotRule"),
        ("S3", "Bucket"),
        ("SES", "MailAsync"),
    ]
    assert found.async_failure_handled(found.functions["Fn"]).never


def test_shapes_judge_items_under_the_conditions_of_their_list():
    model = Template(
        {
            "Conditions": {"C": {"Fn::Equals": [{"Ref": "AWS::StackName"}, "prod"]}},
            "Resources": {
                "R": {
                    "Type": "AWS::Events::Rule",
                    "Properties": {
                        "Targets": {"Fn::If": ["C", [{"Id": "a", "Arn": "x"}], [{"Id": "b", "Arn": "x", "DeadLetterConfig": {"Arn": "y"}}]]}
                    },
                }
            },
        }
    )
    targets = model.resources["R"].props.Targets
    verdicts = {}
    for item in targets.items():
        truth = shapes.per_item(targets, item, lambda target: shapes.given_in(target, "DeadLetterConfig"))
        verdicts[item.Id.text()] = {case.when: case.holds for case in truth.cases}
    assert verdicts == {
        "a": {(("C", True),): False, (("C", False),): True},
        "b": {(("C", True),): True, (("C", False),): True},
    }
