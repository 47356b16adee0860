"""How each function is invoked, and which queues are dead-letter queues.

Lambda handles failures by invocation type, so reliability rules first need to know who calls a
function and how:

- Asynchronous: S3 notifications, SNS, EventBridge rules and schedules, EventBridge Scheduler,
  CloudWatch Logs subscriptions, IoT rules (SAM events, or in plain CloudFormation the service's own
  resource and the `AWS::Lambda::Permission` for its principal). Lambda retries twice, then drops the
  event unless the function has an on-failure destination or a dead-letter queue. Cognito user-pool
  triggers are *not* here although SAM lists `Cognito` among push events: Cognito invokes them
  synchronously and waits for the answer, so a DLQ would never receive anything.
- Polled: streams (Kinesis, DynamoDB, MSK, self-managed Kafka, DocumentDB) and queues (SQS, MQ),
  through SAM events, `AWS::Lambda::EventSourceMapping`, or a SAM `SNS` event with `SqsSubscription`
  (SAM puts a queue between the topic and the function, so that function is queue-fed, not async).

SAM generates the mappings, subscriptions, rules and permissions from `Events`; cfn-lint (>= 1.54)
no longer translates SAM, so they are read from the events here, never looked up as resources.

A queue is a dead-letter queue when something sends failures to it: another queue's `RedrivePolicy`
(mapping or JSON string), a function's `DeadLetterQueue` / `DeadLetterConfig`, an on-failure
destination, an SNS subscription's `RedrivePolicy`, an EventBridge or Scheduler target's (or a pipe's)
`DeadLetterConfig`, an IoT rule's `ErrorAction`, or its own `RedriveAllowPolicy`.

Sources are subjects (`AsyncSource`, `PollSource`); whether a function handles async failures is a
`Truth` (per `Fn::If` branch, unknown where the template hides it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from slens_lint.template.invocations.failures import FAILURE_KEYS, Failures
from slens_lint.template.invocations.names import POLL_KINDS, QUEUE_KINDS, STREAM_KINDS, FunctionRef, Names
from slens_lint.template.invocations.sources import (
    ASYNC_EVENTS,
    ASYNC_PRINCIPALS,
    AsyncSource,
    Collector,
    PollSource,
    principal_service,
    subscribes_a_queue,
)
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.values import Truth, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

QUEUE_TYPE = "AWS::SQS::Queue"


class Invocations:
    """Computed once per template (see `of`)."""

    def __init__(self, template: "Template") -> None:
        self.template = template
        names = Names(template)
        self.names = names
        self.functions = names.functions
        self.queues = names.queues
        collector = Collector(template, names)
        self.async_sources: list[AsyncSource] = collector.async_sources
        self.poll_sources: list[PollSource] = collector.poll_sources
        self.failures = Failures(template, names)
        self.dead_letter_queues: set[str] = self.failures.dead_letter_queues

    # ---- what a value names -----------------------------------------------------------------

    def function_refs(self, value: Value) -> list[FunctionRef] | None:
        return self.names.function_refs(value)

    def queue_of(self, value: Value) -> str | None:
        return self.names.queue_of(value)

    # ---- answers ------------------------------------------------------------------------------

    def async_sources_of(self, function_id: str) -> list[AsyncSource]:
        return [s for s in self.async_sources if s.function == function_id]

    def async_functions(self) -> Iterator[Function]:
        """Functions invoked asynchronously, in template order."""
        invoked = {s.function for s in self.async_sources}
        return (f for f in self.functions.values() if f.logical_id in invoked)

    def sqs_sources(self) -> Iterator[PollSource]:
        return (s for s in self.poll_sources if s.kind == "SQS")

    def unclassified(self) -> Iterator[PollSource]:
        """Mappings whose source the template does not show (a parameter, an import)."""
        return (s for s in self.poll_sources if s.kind is None)

    def async_failure_handled(self, function: Function) -> Truth:
        return self.failures.async_failure_handled(function)

    def is_dead_letter_queue(self, queue_id: str) -> bool:
        return self.failures.is_dead_letter_queue(queue_id)


def of(template: "Template") -> Invocations:
    """The invocation facts of a template, computed once and shared by the rules that ask."""
    return template.memo("invocations", Invocations)


__all__ = [
    "ASYNC_EVENTS",
    "ASYNC_PRINCIPALS",
    "FAILURE_KEYS",
    "POLL_KINDS",
    "QUEUE_KINDS",
    "QUEUE_TYPE",
    "STREAM_KINDS",
    "AsyncSource",
    "FunctionRef",
    "Invocations",
    "PollSource",
    "of",
    "principal_service",
    "subscribes_a_queue",
]
