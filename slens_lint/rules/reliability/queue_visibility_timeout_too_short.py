from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import fix_names
from slens_lint.rules.base import Rule
from slens_lint.template import invocations
from slens_lint.template.invocations import PollSource
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.resources.messaging import SqsQueue
from slens_lint.template.values import Absent, Truth, Value

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
    severity_reason = (
        "warning: messages reappear while still being processed: duplicate work and messages dead-"
        "lettered without failing."
    )
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
    subject = "queue consumed by a function"

    def subjects(self, template: Template) -> Iterator[Union[SqsQueue, PollSource]]:
        facts = invocations.of(template)
        queues: dict[str, SqsQueue] = {}
        for source in facts.sqs_sources():
            if source.generated_queue:
                yield source
            elif source.queue is not None:
                queues.setdefault(source.queue, facts.queues[source.queue])
        yield from queues.values()

    def judge(self, subject: Union[SqsQueue, PollSource], template: Template) -> Verdict:
        facts = invocations.of(template)
        if isinstance(subject, PollSource):
            return self._generated(subject, facts, template)
        queue = subject
        queue_id = queue.logical_id
        failing: list[tuple[int, _Need]] = []
        visibility = queue.props.VisibilityTimeout
        consumers = [s for s in facts.sqs_sources() if s.queue == queue_id and not s.generated_queue]
        truth = Truth.all_of(
            _enough(visibility, s, facts.functions[s.function], failing, _checked_by_e3505(template, s, queue))
            for s in consumers
        )

        def message() -> str:
            seconds, worst = max(failing, key=lambda f: f[1].required)
            return (
                f"Queue '{queue_id}' has a visibility timeout of {seconds} s, below {_requirement(worst)}: "
                f"messages still being processed or retried become visible again and are processed twice."
            )

        worst = max(failing, key=lambda f: f[1].required)[1] if failing else None
        return self.expect(
            queue,
            truth,
            message,
            at=visibility,
            fix=f"Set the visibility timeout of '{queue_id}' to at least {worst.required if worst else 0} s:",
            snippet={"VisibilityTimeout": worst.required if worst else 0},
        )

    def _generated(self, source: PollSource, facts: invocations.Invocations, template: Template) -> Verdict:
        assert source.event is not None
        failing: list[tuple[int, _Need]] = []
        default = Absent(source.event.path + ("Properties", "SqsSubscription", "VisibilityTimeout"))
        truth = _enough(default, source, facts.functions[source.function], failing, False)
        need = max(failing, key=lambda f: f[1].required)[1] if failing else None
        required = need.required if need else 0
        return self.expect(
            source,
            truth,
            lambda: f"{source.label} has SqsSubscription: true: SAM creates the queue with the default "
            f"visibility timeout of {DEFAULT_VISIBILITY_TIMEOUT} s, below {_requirement(need)}: messages "
            f"still being processed or retried become visible again and are processed twice.",
            at=source.event.path + ("Properties", "SqsSubscription"),
            fix=f"Declare the queue with a VisibilityTimeout of at least {required} s and pass it to the event:",
            snippet=_declared_queue(template, source, required),
        )


def _declared_queue(template: Template, source: PollSource, required: int) -> dict[str, Any]:
    """The queue SAM would create, declared with the timeout needed (named as SL307's fix names it, so
    both fixes give one queue), and the event's SqsSubscription pointing at it."""
    assert source.event is not None
    owner, event = source.event.owner.logical_id, source.event.name
    queue, exists = fix_names.resource_name(template, f"{owner}{event}Queue", "AWS::SQS::Queue")
    definition: dict[str, Any] = {"Properties": {"VisibilityTimeout": required}}
    if not exists:
        definition = {"Type": "AWS::SQS::Queue", **definition}
    subscription = {"SqsSubscription": {"QueueArn": {"Fn::GetAtt": [queue, "Arn"]}, "QueueUrl": {"Ref": queue}}}
    return fix_names.fragment(owner, {"Events": {event: {"Properties": subscription}}}, {queue: definition})


def _enough(
    visibility: Value, source: PollSource, function: Function, failing: list[tuple[int, _Need]], e3505: bool
) -> Truth:
    """Whether the queue's timeout covers what the function needs, per combination of the branches of
    the timeout, the function's timeout and the batching window. Failing combinations are added to
    `failing` (for the message)."""
    timeout = function.props.Timeout
    window = source.setting("MaximumBatchingWindowInSeconds")

    def per_visibility(v: Value) -> Truth:
        def per_timeout(t: Value) -> Truth:
            def per_window(w: Value) -> Truth:
                seconds = _seconds(v, DEFAULT_VISIBILITY_TIMEOUT)
                function_timeout = _seconds(t, DEFAULT_FUNCTION_TIMEOUT)
                if seconds is None or function_timeout is None:
                    return Truth.of(None, v if seconds is None else t)
                batching = _seconds(w, 0)
                need = _Need(source, function_timeout, batching or 0)
                if batching is None and seconds >= need.required:
                    # The window only adds to what is needed: unknown unless already too short.
                    return Truth.of(None, w)
                # cfn-lint's E3505 errors on a timeout below the function's own: not said twice.
                holds = seconds >= need.required or (e3505 and seconds < function_timeout)
                if not holds:
                    failing.append((seconds, need))
                return Truth.of(holds, next((x for x in (v, t, w) if x.resolved), v))

            return window.each(per_window)

        return timeout.each(per_timeout)

    return visibility.each(per_visibility)


def _seconds(value: Value, default: int) -> Optional[int]:
    """A duration (absent: the default); None when it cannot be read."""
    if value.absent:
        return default
    number = value.number()
    return int(number) if number is not None and number == int(number) else None


def _requirement(need: Optional[_Need]) -> str:
    """`the 65 s function 'F' needs (6 x its 10 s timeout + the 5 s batching window)`"""
    if need is None:
        return "what its function needs"
    text = f"{FACTOR} x its {need.timeout} s timeout"
    if need.window:
        text += f" + the {need.window} s batching window"
    return f"the {need.required} s function '{need.source.function}' needs ({text})"


def _checked_by_e3505(template: Template, source: PollSource, queue: SqsQueue) -> bool:
    """cfn-lint's E3505 errors on a CloudFormation mapping whose FunctionName and EventSourceArn point
    straight at an `AWS::Lambda::Function` and an `AWS::SQS::Queue` when the queue's timeout is below
    the function's; reporting it again would say the same thing twice."""
    if source.event is not None:
        return False
    function = template.target(source.setting("FunctionName"))
    target = template.target(source.setting("EventSourceArn"))
    return function is not None and function.type == "AWS::Lambda::Function" and target is queue
