from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics, invocations
from slens_lint.legacy.model import Template

# Endpoints that a service or an application consumes. Email and SMS subscriptions notify people (an
# alarm's e-mail) and mobile push endpoints come and go with devices: a dead-letter queue behind them
# is not what anyone would act on, so they are left out.
SYSTEM_PROTOCOLS = frozenset({"lambda", "sqs", "http", "https", "firehose"})

_SNIPPET = {"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["SubscriptionDeadLetterQueue", "Arn"]}}}


class SubscriptionWithoutDeadLetterQueue(Rule):
    id = "SL308"
    severity = Severity.WARNING
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

    def check(self, template: Template) -> Iterator[Violation]:
        for subscription in template.of_type("AWS::SNS::Subscription"):
            props = subscription.raw_properties
            protocol = _protocol(props.get("Protocol"))
            if protocol is None or intrinsics.is_set(props.get("RedrivePolicy")):
                continue
            name = subscription.logical_id
            yield self.report(
                template,
                subscription,
                f"Subscription '{name}' ({protocol}) has no RedrivePolicy: a message SNS fails to deliver "
                f"is discarded once retries are exhausted.",
                at=("RedrivePolicy",),
                fix=f"Give '{name}' a dead-letter queue:",
                snippet=_SNIPPET,
            )
        for topic in template.of_type("AWS::SNS::Topic"):
            entries = intrinsics.as_list(topic.raw_properties.get("Subscription")) or []
            for index, entry in enumerate(entries):
                if not isinstance(entry, dict) or intrinsics.is_intrinsic(entry):
                    continue
                protocol = _protocol(entry.get("Protocol"))
                if protocol is None:
                    continue
                name = topic.logical_id
                yield self.report(
                    template,
                    topic,
                    f"Topic '{name}' subscribes a {protocol} endpoint inline, where no RedrivePolicy can be "
                    f"set: a message SNS fails to deliver to it is discarded once retries are exhausted.",
                    at=("Subscription", index),
                    fix="Move the entry to an AWS::SNS::Subscription resource with a dead-letter queue:",
                    snippet={
                        f"{name}Subscription": {
                            "Type": "AWS::SNS::Subscription",
                            "Properties": {
                                "TopicArn": {"Ref": name},
                                "Protocol": protocol,
                                "Endpoint": entry.get("Endpoint"),
                                **_SNIPPET,
                            },
                        }
                    },
                )
        for event in template.all_events():
            if event.type != "SNS" or event.owner.type != "AWS::Serverless::Function":
                continue
            if intrinsics.is_set(event.get("RedrivePolicy")):
                continue
            via = "queue" if invocations.subscribes_a_queue(event) else "function"
            owner = event.owner.logical_id
            yield self.report(
                template,
                event.owner,
                f"SNS event '{event.name}' of function '{owner}' has no RedrivePolicy: a message SNS fails "
                f"to deliver to the {via} is discarded once retries are exhausted.",
                path=event.path,
                fix="Add a dead-letter queue to the event's Properties:",
                snippet=_SNIPPET,
            )


def _protocol(value: Any) -> Optional[str]:
    """The protocol when it is one of SYSTEM_PROTOCOLS in every branch (the first one), else None."""
    found = []
    for branch in intrinsics.branches(value):
        literal = intrinsics.literal_string(branch)
        if literal is None or literal.lower() not in SYSTEM_PROTOCOLS:
            return None
        found.append(literal.lower())
    return found[0] if found else None
