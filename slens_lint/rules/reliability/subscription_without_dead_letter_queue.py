from __future__ import annotations

from typing import Any, Iterable, Iterator, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import fix_names, queue_fixes
from slens_lint.rules.base import Rule
from slens_lint.template import invocations
from slens_lint.template.invocations import shapes
from slens_lint.template.model import Subject, Template
from slens_lint.template.resources.messaging import SnsSubscription, SnsTopic
from slens_lint.template.sam import Event
from slens_lint.template.values import Truth, Value

# Endpoints that a service or an application consumes. Email and SMS subscriptions notify people (an
# alarm's e-mail) and mobile push endpoints come and go with devices: a dead-letter queue behind them
# is not what anyone would act on, so they are left out.
SYSTEM_PROTOCOLS = frozenset({"lambda", "sqs", "http", "https", "firehose"})

SNS = "sns.amazonaws.com"


def _redrive(queue: str) -> dict[str, Any]:
    return {"RedrivePolicy": {"deadLetterTargetArn": queue_fixes.arn(queue)}}


class SubscriptionWithoutDeadLetterQueue(Rule):
    id = "SL308"
    severity = Severity.WARNING
    severity_reason = "warning: failure handling is a design-card check; an undeliverable notification is lost."
    title = "SNS subscription without a dead-letter queue"
    practice = "Reliability 4: Handle transactional, partial and intermittent failures"
    rationale = (
        "SNS retries a delivery that fails on the server side (the endpoint is throttled or down) with "
        "back-off, and gives up at once on client-side errors (the function or queue was deleted, its "
        "policy or KMS key refuses SNS). Either way, once SNS gives up the message is discarded unless "
        "the subscription has a `RedrivePolicy` naming an SQS dead-letter queue. The dead-letter queue "
        "belongs to the subscription, not the topic, so each subscription needs its own. Subscriptions "
        "that notify people (email, SMS) or devices (mobile push) are not reported."
    )
    fix = (
        "Add `RedrivePolicy: {deadLetterTargetArn: <queue ARN>}` to the `AWS::SNS::Subscription` or to "
        "the SAM `SNS` event (the queue's policy must let SNS send to it). A topic's inline "
        "`Subscription` list cannot carry one: declare an `AWS::SNS::Subscription` instead."
    )
    example = {
        "Resources": {
            "OrdersSubscription": {
                "Type": "AWS::SNS::Subscription",
                "Properties": {
                    "TopicArn": {"Ref": "OrdersTopic"},
                    "Protocol": "sqs",
                    "Endpoint": {"Fn::GetAtt": ["OrdersQueue", "Arn"]},
                    "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["OrdersSubscriptionDLQ", "Arn"]}},
                },
            }
        }
    }
    example_bad = {
        "Resources": {
            "OrdersSubscription": {
                "Type": "AWS::SNS::Subscription",
                "Properties": {
                    "TopicArn": {"Ref": "OrdersTopic"},
                    "Protocol": "lambda",
                    "Endpoint": {"Fn::GetAtt": ["OrdersFunction", "Arn"]},
                },
            }
        }
    }
    use_instead = (
        "If the endpoint can replay what it missed from another source, suppress the finding on the "
        "subscription (or the function owning the SAM event) with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html",
        "https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "sns"
    resource_types = ("AWS::SNS::Subscription", "AWS::SNS::Topic", "AWS::Serverless::Function")
    subject = "SNS subscription"

    def subjects(self, template: Template) -> Iterator[Subject]:
        yield from template.of(SnsSubscription)
        yield from template.of(SnsTopic)
        for event in template.all_events():
            if event.type == "SNS" and event.owner.type == "AWS::Serverless::Function":
                yield event

    def judge(self, subject: Subject, template: Template) -> Union[Verdict, Iterable[Verdict]]:
        if isinstance(subject, SnsSubscription):
            return self._subscription(subject, template)
        if isinstance(subject, SnsTopic):
            return self._topic(subject, template)
        assert isinstance(subject, Event)
        return self._event(subject, template)

    def _subscription(self, subscription: SnsSubscription, template: Template) -> Verdict:
        props = subscription.props
        truth = _not_for_systems(props.Protocol) | props.RedrivePolicy.given()
        name = subscription.logical_id
        created: dict[str, Any] = {}
        # The topic as the subscription writes it goes into the snippet's queue policy.
        queue = queue_fixes.failure_queue(template, f"{name}DeadLetterQueue", created, SNS, props.TopicArn.expr)
        return self.expect(
            subscription,
            truth,
            lambda: f"Subscription '{name}' ({_failing_protocol(truth)}) has no RedrivePolicy: a message SNS "
            f"fails to deliver is discarded once retries are exhausted.",
            at=props.RedrivePolicy,
            fix=f"Give '{name}' a dead-letter queue (that SNS may send to):",
            snippet=fix_names.fragment(name, _redrive(queue), created),
        )

    def _topic(self, topic: SnsTopic, template: Template) -> Iterator[Verdict]:
        entries = topic.props.Subscription
        for leaf in entries.branches():
            if leaf.unknown:
                yield self.undecidable(topic, leaf)
        name = topic.logical_id
        items = entries.items()
        for index, item in enumerate(items, start=1):
            truth = shapes.per_item(entries, item, _entry_not_for_systems)
            entry = shapes.first_failing(item, _entry_not_for_systems)
            if entry is None:
                yield self.expect(topic, truth, "", at=item)
                continue
            protocol = _failing_protocol(truth)
            subscription, _ = fix_names.resource_name(template, f"{name}Subscription{index if len(items) > 1 else ''}")
            created: dict[str, Any] = {}
            queue = queue_fixes.failure_queue(template, f"{subscription}DeadLetterQueue", created, SNS, {"Ref": name})
            yield self.expect(
                topic,
                truth,
                f"Topic '{name}' subscribes a {protocol} endpoint inline, where no RedrivePolicy can be "
                f"set: a message SNS fails to deliver to it is discarded once retries are exhausted.",
                at=item,
                fix="Move the entry to an AWS::SNS::Subscription resource with a dead-letter queue:",
                snippet={
                    subscription: {
                        "Type": "AWS::SNS::Subscription",
                        "Properties": {
                            "TopicArn": {"Ref": name},
                            "Protocol": protocol,
                            "Endpoint": entry.Endpoint.expr,  # as the topic writes it
                            **_redrive(queue),
                        },
                    },
                    **created,
                },
            )

    def _event(self, event: Event, template: Template) -> Verdict:
        via = "queue" if invocations.subscribes_a_queue(event) else "function"
        owner = event.owner.logical_id
        created: dict[str, Any] = {}
        # The topic as the event writes it goes into the snippet's queue policy.
        topic = event.value("Topic").expr
        queue = queue_fixes.failure_queue(template, f"{owner}{event.name}DeadLetterQueue", created, SNS, topic)
        return self.expect(
            event,
            shapes.given_in(event.source.Properties, "RedrivePolicy"),
            f"SNS event '{event.name}' of function '{owner}' has no RedrivePolicy: a message SNS fails "
            f"to deliver to the {via} is discarded once retries are exhausted.",
            at=event.path,
            fix="Add a dead-letter queue (that SNS may send to) to the event's Properties:",
            snippet=fix_names.fragment(owner, {"Events": {event.name: {"Properties": _redrive(queue)}}}, created),
        )


def _not_for_systems(protocol: Value) -> Truth:
    """True where the protocol notifies people or devices (or is not given): no DLQ is asked for."""
    return protocol.test(lambda leaf: (leaf.text() or "").lower() not in SYSTEM_PROTOCOLS, absent=True)


def _entry_not_for_systems(entry: Value) -> Truth:
    if entry.unknown:
        return Truth.of(None, entry)
    if entry.absent:
        return Truth.of(True, entry)
    return _not_for_systems(entry.Protocol)


def _failing_protocol(truth: Truth) -> str:
    """The protocol (lower case) of the first failing case: its evidence is the protocol's value."""
    for case in truth.failing():
        text = case.evidence.text() if case.evidence is not None else None
        if text:
            return text.lower()
    return "system"
