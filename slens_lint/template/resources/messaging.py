"""Queues, topics, subscriptions, EventBridge rules and schedules."""

from __future__ import annotations

from typing import Any, ClassVar

from slens_lint.template.resources.base import ABSENT, Props, Resource, V

# `RedrivePolicy` (queues, subscriptions) is written as a mapping or as a JSON string (often an
# `Fn::Sub`), so it stays `Any`: readers look at its references, not at a parsed shape.


class QueueProps(Props):
    QueueName: V[str] = ABSENT
    FifoQueue: V[bool] = ABSENT
    VisibilityTimeout: V[int] = ABSENT
    MessageRetentionPeriod: V[int] = ABSENT
    RedrivePolicy: V[Any] = ABSENT
    RedriveAllowPolicy: V[Any] = ABSENT
    KmsMasterKeyId: V[Any] = ABSENT
    SqsManagedSseEnabled: V[bool] = ABSENT


class SqsQueue(Resource[QueueProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::SQS::Queue",)


class TopicSubscriptionSpec(Props):
    """An entry of a topic's inline `Subscription` list (it cannot carry a redrive policy)."""

    Endpoint: V[str] = ABSENT
    Protocol: V[str] = ABSENT


class TopicProps(Props):
    Subscription: V[list[V[TopicSubscriptionSpec]]] = ABSENT


class SnsTopic(Resource[TopicProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::SNS::Topic",)


class SubscriptionProps(Props):
    TopicArn: V[str] = ABSENT
    Protocol: V[str] = ABSENT
    Endpoint: V[str] = ABSENT
    Region: V[str] = ABSENT
    RedrivePolicy: V[Any] = ABSENT


class SnsSubscription(Resource[SubscriptionProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::SNS::Subscription",)


class TargetDeadLetterSpec(Props):
    """EventBridge and Scheduler targets name their dead-letter queue by `Arn`."""

    Arn: V[str] = ABSENT


class RuleTargetSpec(Props):
    Id: V[str] = ABSENT
    Arn: V[str] = ABSENT
    RoleArn: V[str] = ABSENT
    DeadLetterConfig: V[TargetDeadLetterSpec] = ABSENT


class RuleProps(Props):
    Name: V[str] = ABSENT
    EventPattern: V[Any] = ABSENT
    Targets: V[list[V[RuleTargetSpec]]] = ABSENT


class EventsRule(Resource[RuleProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Events::Rule",)


class ScheduleTargetSpec(Props):
    Arn: V[str] = ABSENT
    RoleArn: V[str] = ABSENT
    DeadLetterConfig: V[TargetDeadLetterSpec] = ABSENT


class ScheduleProps(Props):
    Name: V[str] = ABSENT
    Target: V[ScheduleTargetSpec] = ABSENT


class SchedulerSchedule(Resource[ScheduleProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Scheduler::Schedule",)
