"""How each function is invoked and which queues are dead-letter queues, read from real templates
through cfn-lint's Template (Globals merged in place), as the rules see them."""

from __future__ import annotations

import textwrap

from slens_lint.legacy.testing import model_of
from slens_lint.legacy import invocations
from slens_lint.template.loader import decode_text
from slens_lint.legacy.resources.messaging import EventsRule, SqsQueue


def facts(body: str, sam: bool = False) -> invocations.Invocations:
    """`body` is dedented; `FUNCTION` in it stands for a plain CloudFormation function's Type and Properties."""
    from cfnlint.template import Template as CfnTemplate

    text = textwrap.dedent(body).replace("    FUNCTION\n", FUNCTION)
    decoded = decode_text((SAM_HEADER if sam else "") + text)
    cfn = CfnTemplate("t.yaml", decoded.data, ["us-east-1"])
    cfn.transform()
    return invocations.of(model_of(cfn))


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
    assert found.function_refs({"Ref": "Live"}) == [invocations.FunctionRef("Fn", "live")]


def test_function_refs_by_name_arn_sam_alias_and_unknown():
    found = facts(
        """\
        Parameters:
          Other: {Type: String}
        Resources:
          Named:
            Type: AWS::Serverless::Function
            Properties: {FunctionName: orders, AutoPublishAlias: live}
        """,
        sam=True,
    )
    ref = invocations.FunctionRef
    assert found.function_refs("orders") == [ref("Named")]
    assert found.function_refs("arn:aws:lambda:us-east-1:123456789012:function:orders:live") == [ref("Named", "live")]
    assert found.function_refs({"Ref": "Named.Alias"}) == [ref("Named", "live")]
    assert found.function_refs({"Fn::Sub": "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Named}"}) == [
        ref("Named")
    ]
    assert found.function_refs({"Ref": "Other"}) is None
    assert found.function_refs({"Fn::If": ["C", {"Ref": "Named"}, {"Ref": "AWS::NoValue"}]}) == [ref("Named")]


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
    kinds = {s.resource.logical_id: (s.kind, s.queue) for s in found.poll_sources}
    assert kinds == {
        "FromQueue": ("SQS", "Q"),
        "FromStream": ("Kinesis", None),
        "FromTable": ("DynamoDB", None),
        "FromKafka": ("SelfManagedKafka", None),
    }


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
          T: {Type: AWS::SNS::Topic}
        """,
        sam=True,
    )
    assert found.dead_letter_queues == {
        "FnDlq", "RuleDlq", "SubDlq", "CfnDlq", "WorkDlq", "OtherDlq", "DestDlq", "Shared"
    }
    assert found.failure_configs["Cfn"][0].logical_id == "Config"
    assert found.async_failure_handled("Fn")
    assert found.async_failure_handled("Cfn")


def test_async_failure_handling_sources():
    found = facts(
        """\
            DeadLetterQueue: !If [C, {Type: SQS, TargetArn: arn:aws:sqs:us-east-1:1:q}, !Ref AWS::NoValue]
        Conditions:
          C: !Equals [a, b]
        Resources:
          FromGlobals:
            Type: AWS::Serverless::Function
          RetriesOnly:
            Type: AWS::Serverless::Function
            Properties:
              DeadLetterQueue: !Ref AWS::NoValue
              EventInvokeConfig: {MaximumRetryAttempts: 0}
        """,
        sam=True,
    )
    # A branch with a DLQ (merged from Globals) is enough; retry settings alone keep nothing.
    assert found.async_failure_handled("FromGlobals")
    assert not found.async_failure_handled("RetriesOnly")


def test_messaging_models_read_targets_and_queue_settings():
    from slens_lint.legacy.model import Template

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
    assert isinstance(queue, SqsQueue) and queue.properties.VisibilityTimeout == 90
    assert isinstance(rule, EventsRule) and rule.properties.Targets[0].DeadLetterConfig.Arn == "y"


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
        """
    )
    # SES waits for the function with RequestResponse: only the default (Event) action is async.
    assert sorted((s.service, s.declared_by) for s in found.async_sources_of("Fn")) == [
        ("CloudWatch Logs", "Filter"),
        ("EventBridge Scheduler", "Schedule"),
        ("IoT", "IotRule"),
        ("SES", "MailAsync"),
    ]
    assert not found.async_failure_handled("Fn")
