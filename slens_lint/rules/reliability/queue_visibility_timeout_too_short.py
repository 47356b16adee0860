from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics, invocations
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.invocations import PollSource
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

DEFAULT_VISIBILITY_TIMEOUT = 30
DEFAULT_FUNCTION_TIMEOUT = 3
FACTOR = 6


@dataclass(frozen=True)
class _Need:
    source: PollSource
    timeout: int
    window: int

    @property
    def required(self) -> int:
        return FACTOR * self.timeout + self.window


class QueueVisibilityTimeoutTooShort(Rule):
    id = "SL310"
    severity = Severity.WARNING
    title = "Queue visibility timeout below six times the consuming function's timeout"
    practice = "Reliability 4: Handle transactional, partial and intermittent failures"
    rationale = (
        "While a function processes a batch, its messages are invisible for the queue's visibility "
        "timeout. Lambda's poller also holds messages while it retries a throttled invocation and while "
        "it gathers a batch (the batching window). When the timeout runs out first, the messages come back, "
        "another invocation processes them again, and the receive count climbs towards the redrive "
        "policy's limit: duplicate work and healthy messages in the dead-letter queue. AWS recommends a "
        "visibility timeout of at least six times the function timeout, plus "
        "`MaximumBatchingWindowInSeconds`. Defaults: 30 s for the queue, 3 s for the function. cfn-lint's "
        "E3505 already fails a plain CloudFormation `AWS::Lambda::EventSourceMapping` whose queue's "
        "timeout is below the `AWS::Lambda::Function`'s own timeout; that case is left to it, every other "
        "one (SAM events, SAM functions, aliases, the 1x to 6x band) is reported here."
    )
    fix = (
        "Raise the queue's `VisibilityTimeout` to at least 6 x the function's `Timeout` plus the event "
        "source's `MaximumBatchingWindowInSeconds` (or lower the function timeout if the work is shorter)."
    )
    example = {
        "Resources": {
            "OrdersQueue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 180}},
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "Timeout": 30,
                    "Events": {
                        "Orders": {"Type": "SQS", "Properties": {"Queue": {"Fn::GetAtt": ["OrdersQueue", "Arn"]}}}
                    },
                },
            },
        }
    }
    example_bad = {
        "Resources": {
            "OrdersQueue": {"Type": "AWS::SQS::Queue"},
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "Timeout": 30,
                    "Events": {
                        "Orders": {"Type": "SQS", "Properties": {"Queue": {"Fn::GetAtt": ["OrdersQueue", "Arn"]}}}
                    },
                },
            },
        }
    }
    use_instead = (
        "If the function's timeout is a safety net far above its real duration and the function is never "
        "throttled (reserved concurrency well above the queue's load), suppress the finding on the queue "
        "with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "sqs"
    resource_types = (
        "AWS::SQS::Queue",
        "AWS::Serverless::Function",
        "AWS::Lambda::Function",
        "AWS::Lambda::EventSourceMapping",
    )

    def check(self, template: Template) -> Iterator[Violation]:
        facts = invocations.of(template)
        by_queue: dict[str, list[_Need]] = {}
        generated: list[_Need] = []
        for source in facts.sqs_sources():
            if source.queue is None and not source.generated_queue:
                continue
            need = _need(facts, source)
            if need is None:
                continue
            if source.generated_queue:
                generated.append(need)
            else:
                by_queue.setdefault(source.queue, []).append(need)
        for queue_id, needs in by_queue.items():
            queue = facts.queues[queue_id]
            visibility = _seconds(queue.raw_properties.get("VisibilityTimeout"), DEFAULT_VISIBILITY_TIMEOUT)
            if visibility is None:
                continue
            failing = [n for n in needs if max(visibility) < n.required and not _left_to_e3505(template, n, queue, visibility)]
            if not failing:
                continue
            worst = max(failing, key=lambda n: n.required)
            yield self.report(
                template,
                queue,
                f"Queue '{queue_id}' has a visibility timeout of {max(visibility)} s, below "
                f"{_requirement(worst)}: messages still being processed or retried become visible again "
                f"and are processed twice.",
                at=("VisibilityTimeout",),
                fix=f"Set the visibility timeout of '{queue_id}' to at least {worst.required} s:",
                snippet={"VisibilityTimeout": worst.required},
            )
        for need in generated:
            if DEFAULT_VISIBILITY_TIMEOUT >= need.required:
                continue
            source = need.source
            assert source.event is not None
            yield self.report(
                template,
                source.resource,
                f"{source.label} has SqsSubscription: true: SAM creates the queue with the default "
                f"visibility timeout of {DEFAULT_VISIBILITY_TIMEOUT} s, below {_requirement(need)}: messages "
                f"still being processed or retried become visible again and are processed twice.",
                path=source.event.prop_path("SqsSubscription"),
                fix=f"Declare the queue with a VisibilityTimeout of at least {need.required} s and pass it "
                f"to the event:",
                snippet={"SqsSubscription": {"QueueArn": {"Fn::GetAtt": ["TopicQueue", "Arn"]}, "QueueUrl": {"Ref": "TopicQueue"}}},
            )


def _need(facts: invocations.Invocations, source: PollSource) -> Optional[_Need]:
    """The smallest timeout the function can have and the smallest batching window (unknown: none)."""
    function = facts.functions.get(source.function)
    if function is None:
        return None
    timeout = _seconds(function.raw_properties.get("Timeout"), DEFAULT_FUNCTION_TIMEOUT)
    if timeout is None:
        return None
    window = _seconds(source.settings.get("MaximumBatchingWindowInSeconds"), 0) or [0]
    return _Need(source, min(timeout), min(window))


def _seconds(value: Any, default: int) -> Optional[list[int]]:
    """Every value a duration can take (absent: the default); None when one cannot be read."""
    found = []
    for branch in intrinsics.branches(value):
        if branch is None or branch is NO_VALUE:
            found.append(default)
            continue
        if isinstance(branch, bool):
            return None
        try:
            found.append(int(branch))
        except (TypeError, ValueError):
            return None
    return found


def _requirement(need: _Need) -> str:
    """`the 65 s function 'F' needs (6 x its 10 s timeout + the 5 s batching window)`"""
    text = f"{FACTOR} x its {need.timeout} s timeout"
    if need.window:
        text += f" + the {need.window} s batching window"
    return f"the {need.required} s function '{need.source.function}' needs ({text})"


def _left_to_e3505(template: Template, need: _Need, queue: Resource, visibility: list[int]) -> bool:
    """cfn-lint's E3505 errors on a CloudFormation mapping whose FunctionName and EventSourceArn point
    straight at an `AWS::Lambda::Function` and an `AWS::SQS::Queue` when the queue's timeout is below
    the function's; reporting it again would say the same thing twice."""
    source = need.source
    if source.event is not None:
        return False
    function = template.target(source.settings.get("FunctionName"))
    target = template.target(source.settings.get("EventSourceArn"))
    if function is None or function.type != "AWS::Lambda::Function" or target is not queue:
        return False
    return max(visibility) < need.timeout
