"""SAM event sources: the `Events` of `AWS::Serverless::Function` and `AWS::Serverless::StateMachine`.

An event's `Properties` depend on its `Type`, so `EventSource.read` picks the model by type (every
unmodelled type reads as `EventProps`, where `value_of` still answers). SAM turns each event into
resources (a permission, an event source mapping, a subscription, a rule, an implicit API); the
domain readers (`apis`, `invocations`) present those as subjects, read from these models.
"""

from __future__ import annotations

from typing import Any

from slens_lint.template.environment import NO_ENVIRONMENT, Environment
from slens_lint.template.reading import Expect, read
from slens_lint.template.resources.base import ABSENT, Props, V
from slens_lint.template.values import JsonPath


class EventProps(Props):
    """Properties every event type may have; the subclasses add their own."""


class RequestModelSpec(Props):
    Model: V[str] = ABSENT
    Required: V[bool] = ABSENT
    ValidateBody: V[bool] = ABSENT
    ValidateParameters: V[bool] = ABSENT


class ApiEventAuth(Props):
    Authorizer: V[str] = ABSENT
    ApiKeyRequired: V[bool] = ABSENT
    ResourcePolicy: V[Any] = ABSENT


class ApiEvent(EventProps):
    Path: V[str] = ABSENT
    Method: V[str] = ABSENT
    RestApiId: V[str] = ABSENT
    Auth: V[ApiEventAuth] = ABSENT
    RequestModel: V[RequestModelSpec] = ABSENT
    RequestParameters: V[Any] = ABSENT


class HttpApiEventAuth(Props):
    Authorizer: V[str] = ABSENT


class HttpApiEvent(EventProps):
    Path: V[str] = ABSENT
    Method: V[str] = ABSENT
    ApiId: V[str] = ABSENT
    Auth: V[HttpApiEventAuth] = ABSENT


class OnFailureSpec(Props):
    Destination: V[str] = ABSENT
    Type: V[str] = ABSENT


class StreamDestinationConfig(Props):
    OnFailure: V[OnFailureSpec] = ABSENT


class ScalingConfigSpec(Props):
    MaximumConcurrency: V[int] = ABSENT


class PollEvent(EventProps):
    """What the polled sources (queues and streams) share: SAM makes an event source mapping."""

    BatchSize: V[int] = ABSENT
    Enabled: V[bool] = ABSENT
    FunctionResponseTypes: V[list[V[str]]] = ABSENT
    MaximumBatchingWindowInSeconds: V[int] = ABSENT
    ScalingConfig: V[ScalingConfigSpec] = ABSENT


class SqsEvent(PollEvent):
    Queue: V[str] = ABSENT


class StreamEvent(PollEvent):
    """Kinesis, DynamoDB, MSK, self-managed Kafka, DocumentDB, MQ."""

    Stream: V[str] = ABSENT
    StartingPosition: V[str] = ABSENT
    MaximumRetryAttempts: V[int] = ABSENT
    MaximumRecordAgeInSeconds: V[int] = ABSENT
    BisectBatchOnFunctionError: V[bool] = ABSENT
    DestinationConfig: V[StreamDestinationConfig] = ABSENT
    Topics: V[Any] = ABSENT


class DeadLetterSpec(Props):
    """EventBridge rule and schedule events: `Arn`, or `Type: SQS` for a queue SAM creates."""

    Arn: V[str] = ABSENT
    Type: V[str] = ABSENT


class TargetedEvent(EventProps):
    """Events delivered by EventBridge (rules, schedules, Scheduler): a target that may have a DLQ."""

    DeadLetterConfig: V[DeadLetterSpec] = ABSENT
    Enabled: V[bool] = ABSENT


class EventBridgeRuleEvent(TargetedEvent):
    Pattern: V[Any] = ABSENT


class ScheduleEvent(TargetedEvent):
    Schedule: V[str] = ABSENT


class SnsEvent(EventProps):
    Topic: V[str] = ABSENT
    SqsSubscription: V[Any] = ABSENT
    """`true`, or a mapping (`QueueArn`, `QueueUrl`, `BatchSize`, `Enabled`)."""
    RedrivePolicy: V[Any] = ABSENT
    Region: V[str] = ABSENT


class S3Event(EventProps):
    Bucket: V[str] = ABSENT
    Events: V[Any] = ABSENT


class CloudWatchLogsEvent(EventProps):
    LogGroupName: V[str] = ABSENT


class AlexaSkillEvent(EventProps):
    SkillId: V[str] = ABSENT


EVENT_MODELS: dict[str, type[EventProps]] = {
    "Api": ApiEvent,
    "HttpApi": HttpApiEvent,
    "SQS": SqsEvent,
    "Kinesis": StreamEvent,
    "DynamoDB": StreamEvent,
    "MSK": StreamEvent,
    "SelfManagedKafka": StreamEvent,
    "DocumentDB": StreamEvent,
    "MQ": StreamEvent,
    "EventBridgeRule": EventBridgeRuleEvent,
    "CloudWatchEvent": EventBridgeRuleEvent,
    "Schedule": ScheduleEvent,
    "ScheduleV2": TargetedEvent,
    "SNS": SnsEvent,
    "S3": S3Event,
    "CloudWatchLogs": CloudWatchLogsEvent,
    "AlexaSkill": AlexaSkillEvent,
}


class EventSource(Props):
    """One entry of `Events`: its `Type` and the `Properties` model for that type."""

    Type: V[str] = ABSENT
    Properties: V[EventProps] = ABSENT

    @classmethod
    def read(cls, raw: dict[Any, Any], path: JsonPath, env: Environment = NO_ENVIRONMENT) -> "Props":
        source = super().read(raw, path, env)
        model = EVENT_MODELS.get(source.Type.text() or "", EventProps)
        if model is not EventProps:
            # Re-read with the type's own model (pydantic keeps field values in __dict__).
            source.__dict__["Properties"] = read(raw.get("Properties"), Expect("model", model=model), path + ("Properties",), env)
        return source
