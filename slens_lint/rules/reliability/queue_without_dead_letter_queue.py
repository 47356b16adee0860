from __future__ import annotations

import re
from typing import Any, Iterator, Union

from slens_lint.findings import Change, Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_settings import MAX_RECEIVE_COUNT
from slens_lint.template import invocations
from slens_lint.template.invocations import PollSource
from slens_lint.template.model import Template
from slens_lint.template.resources.messaging import SqsQueue

# Applications also send to dead-letter queues themselves (a function or state machine writing what it
# gave up on): a queue named as one is one, whatever refers to it.
_DLQ_NAME = re.compile(r"dlq|dead[-_ ]?letter", re.IGNORECASE)


class QueueWithoutDeadLetterQueue(Rule):
    id = "SL307"
    severity = Severity.WARNING
    severity_reason = (
        "warning: failure handling is a design-card check; a poison message is retried until it "
        "expires, then lost."
    )
    title = "SQS queue without a dead-letter queue"
    practice = "Reliability 4: Handle transactional, partial and intermittent failures"
    rationale = (
        "A message that its consumer cannot process comes back after each visibility timeout and is "
        "received again and again until the retention period (4 days by default, up to 14) deletes it. "
        "Meanwhile it costs an invocation on every receive, can hold up a FIFO message group, and then "
        "vanishes without a trace. A `RedrivePolicy` moves it to a dead-letter queue after "
        "`maxReceiveCount` receives, where it can be alarmed on, inspected and redriven. Queues that are "
        "themselves dead-letter queues (named by another queue's `RedrivePolicy`, a function's "
        "`DeadLetterQueue` or `DeadLetterConfig`, an on-failure destination, an SNS subscription's or "
        "EventBridge target's dead-letter config, carrying a `RedriveAllowPolicy`, or named as one: "
        "`DLQ` or `DeadLetter` in the logical id or `QueueName`, for the dead-letter queues application "
        "code writes to) are not reported. The queue SAM creates for an `SNS` event with "
        "`SqsSubscription: true` never has a `RedrivePolicy`: that event is reported."
    )
    fix = (
        "Add a `RedrivePolicy` with `deadLetterTargetArn` (a second queue) and `maxReceiveCount`, and an "
        "alarm on the dead-letter queue's `ApproximateNumberOfMessagesVisible`."
    )
    example = {
        "Resources": {
            "OrdersQueue": {
                "Type": "AWS::SQS::Queue",
                "Properties": {
                    "RedrivePolicy": {
                        "deadLetterTargetArn": {"Fn::GetAtt": ["OrdersDeadLetterQueue", "Arn"]},
                        "maxReceiveCount": 5,
                    }
                },
            },
            "OrdersDeadLetterQueue": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"MessageRetentionPeriod": 1209600},
            },
        }
    }
    example_bad = {"Resources": {"OrdersQueue": {"Type": "AWS::SQS::Queue"}}}
    use_instead = (
        "If the queue is a dead-letter queue for something outside this template, or its consumer "
        "deletes failed messages itself (moving them elsewhere), suppress the finding on the queue with "
        "that reason."
    )
    references = (
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "sqs"
    resource_types = (
        "AWS::SQS::Queue",
        "AWS::Serverless::Function",
        "AWS::Lambda::Function",
        "AWS::Lambda::EventInvokeConfig",
        "AWS::Lambda::EventSourceMapping",
        "AWS::SNS::Subscription",
        "AWS::Events::Rule",
        "AWS::Scheduler::Schedule",
        "AWS::Pipes::Pipe",
    )
    subject = "queue"
    fix_safety = "unsafe"
    fix_title = "add a dead-letter queue"
    fix_settings = (MAX_RECEIVE_COUNT,)
    fix_note = (
        "The fix adds a dead-letter queue (kept 14 days) and a redrive policy: messages that fail "
        "`max-receive-count` times move there instead of being retried until they expire, so someone "
        "must watch and redrive it."
    )

    def subjects(self, template: Template) -> Iterator[Union[SqsQueue, PollSource]]:
        facts = invocations.of(template)
        yield from facts.queues.values()
        for source in facts.sqs_sources():
            if source.generated_queue and source.event is not None:
                yield source

    def judge(self, subject: Union[SqsQueue, PollSource], template: Template) -> Verdict:
        if isinstance(subject, PollSource):
            return self._generated(subject)
        queue = subject
        queue_id = queue.logical_id
        facts = invocations.of(template)
        if facts.is_dead_letter_queue(queue_id) or _named_as_dead_letter_queue(queue):
            return self.met(queue)
        redrive = queue.props.RedrivePolicy
        dead_letter, policy, definition = _dead_letter_queue(queue)
        return self.expect(
            queue,
            redrive.given(),
            f"Queue '{queue_id}' has no RedrivePolicy: a message its consumer keeps failing on is "
            f"received again and again until retention deletes it, with no dead-letter queue to keep it.",
            at=redrive,
            fix=f"Add a dead-letter queue for '{queue_id}' (and alarm on its depth):",
            snippet={queue_id: {"Properties": {"RedrivePolicy": policy}}, dead_letter: definition},
            changes=lambda: (
                ()
                if template.resource(dead_letter) is not None
                else (Change(queue.props_path + ("RedrivePolicy",), policy), Change(("Resources", dead_letter), definition))
            ),
        )

    def _generated(self, source: PollSource) -> Verdict:
        assert source.event is not None
        return self.not_met(
            source,
            f"{source.label} has SqsSubscription: true: SAM creates the queue between topic and "
            f"function without a RedrivePolicy, so a message '{source.function}' keeps failing on is "
            f"received again and again until retention deletes it.",
            at=source.event.path + ("Properties", "SqsSubscription"),
            fix="Declare the queue with a RedrivePolicy and pass it to the event:",
            snippet=_declared_subscription_queue(source),
        )


def _dead_letter_queue(queue: SqsQueue) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The name, redrive policy and definition of a dead-letter queue for `queue` (FIFO for a FIFO
    queue: SQS accepts no other), keeping messages the longest SQS allows."""
    name = f"{queue.logical_id}DeadLetterQueue"
    policy = {"deadLetterTargetArn": {"Fn::GetAtt": [name, "Arn"]}, "maxReceiveCount": MAX_RECEIVE_COUNT}
    properties: dict[str, Any] = {"MessageRetentionPeriod": 1209600}
    if queue.props.FifoQueue.flag() is True:
        properties["FifoQueue"] = True
    return name, policy, {"Type": "AWS::SQS::Queue", "Properties": properties}


def _declared_subscription_queue(source: PollSource) -> dict[str, Any]:
    """The queue SAM would make for an SNS event, declared with a dead-letter queue, and the event's
    SqsSubscription pointing at it (names from the function and the event)."""
    assert source.event is not None
    name = f"{source.event.owner.logical_id}{source.event.name}Queue"
    dead_letter = f"{name}DeadLetterQueue"
    return {
        name: {
            "Type": "AWS::SQS::Queue",
            "Properties": {"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [dead_letter, "Arn"]}, "maxReceiveCount": MAX_RECEIVE_COUNT}},
        },
        dead_letter: {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 1209600}},
        "SqsSubscription": {"QueueArn": {"Fn::GetAtt": [name, "Arn"]}, "QueueUrl": {"Ref": name}},
    }


def _named_as_dead_letter_queue(queue: SqsQueue) -> bool:
    tokens = queue.props.QueueName.tokens() or ()
    name = " ".join(t[1] for t in tokens if t[0] == "lit")
    return bool(_DLQ_NAME.search(queue.logical_id) or _DLQ_NAME.search(name))
