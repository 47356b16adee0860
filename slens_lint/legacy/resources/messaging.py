"""Queues, topics, subscriptions, EventBridge rules and schedules."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from slens_lint.legacy.resources.base import Lenient, Props, Resource

# `RedrivePolicy` (queues, subscriptions) is written as a mapping or as a JSON string (often an
# `Fn::Sub`), so it stays `Any`: readers look at its references, not at a parsed shape.


class QueueProps(Props):
    QueueName: Lenient[str] = None
    FifoQueue: Lenient[bool] = None
    VisibilityTimeout: Lenient[int] = None
    MessageRetentionPeriod: Lenient[int] = None
    DelaySeconds: Lenient[int] = None
    ReceiveMessageWaitTimeSeconds: Lenient[int] = None
    RedrivePolicy: Any = None
    RedriveAllowPolicy: Any = None
    KmsMasterKeyId: Any = None
    SqsManagedSseEnabled: Lenient[bool] = None


class SqsQueue(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::SQS::Queue",)
    properties: QueueProps = Field(default_factory=QueueProps)


class QueuePolicyProps(Props):
    Queues: Lenient[list[Any]] = None
    PolicyDocument: Any = None


class SqsQueuePolicy(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::SQS::QueuePolicy",)
    properties: QueuePolicyProps = Field(default_factory=QueuePolicyProps)


class TopicSubscriptionSpec(Props):
    """An entry of a topic's inline `Subscription` list (it cannot carry a redrive policy)."""

    Endpoint: Lenient[str] = None
    Protocol: Lenient[str] = None


class TopicProps(Props):
    TopicName: Lenient[str] = None
    FifoTopic: Lenient[bool] = None
    KmsMasterKeyId: Any = None
    Subscription: Lenient[list[Lenient[TopicSubscriptionSpec]]] = None


class SnsTopic(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::SNS::Topic",)
    properties: TopicProps = Field(default_factory=TopicProps)


class SubscriptionProps(Props):
    TopicArn: Lenient[str] = None
    Protocol: Lenient[str] = None
    Endpoint: Lenient[str] = None
    Region: Lenient[str] = None
    RawMessageDelivery: Lenient[bool] = None
    FilterPolicy: Any = None
    RedrivePolicy: Any = None


class SnsSubscription(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::SNS::Subscription",)
    properties: SubscriptionProps = Field(default_factory=SubscriptionProps)


class TargetDeadLetterSpec(Props):
    """EventBridge and Scheduler targets name their dead-letter queue by `Arn`."""

    Arn: Lenient[str] = None


class TargetRetryPolicySpec(Props):
    MaximumRetryAttempts: Lenient[int] = None
    MaximumEventAgeInSeconds: Lenient[int] = None


class RuleTargetSpec(Props):
    Id: Lenient[str] = None
    Arn: Lenient[str] = None
    RoleArn: Lenient[str] = None
    DeadLetterConfig: Lenient[TargetDeadLetterSpec] = None
    RetryPolicy: Lenient[TargetRetryPolicySpec] = None


class RuleProps(Props):
    Name: Lenient[str] = None
    EventBusName: Lenient[str] = None
    EventPattern: Any = None
    ScheduleExpression: Lenient[str] = None
    State: Lenient[str] = None
    Targets: Lenient[list[Lenient[RuleTargetSpec]]] = None


class EventsRule(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Events::Rule",)
    properties: RuleProps = Field(default_factory=RuleProps)


class ScheduleTargetSpec(Props):
    Arn: Lenient[str] = None
    RoleArn: Lenient[str] = None
    DeadLetterConfig: Lenient[TargetDeadLetterSpec] = None
    RetryPolicy: Lenient[TargetRetryPolicySpec] = None


class ScheduleProps(Props):
    Name: Lenient[str] = None
    GroupName: Lenient[str] = None
    ScheduleExpression: Lenient[str] = None
    State: Lenient[str] = None
    FlexibleTimeWindow: Any = None
    Target: Lenient[ScheduleTargetSpec] = None


class SchedulerSchedule(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Scheduler::Schedule",)
    properties: ScheduleProps = Field(default_factory=ScheduleProps)


class PipeProps(Props):
    Name: Lenient[str] = None
    Source: Lenient[str] = None
    Target: Lenient[str] = None
    Enrichment: Lenient[str] = None
    SourceParameters: Any = None
    TargetParameters: Any = None


class Pipe(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Pipes::Pipe",)
    properties: PipeProps = Field(default_factory=PipeProps)
