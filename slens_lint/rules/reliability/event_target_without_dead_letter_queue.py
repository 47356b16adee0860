from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import fix_names, queue_fixes
from slens_lint.rules.base import Rule
from slens_lint.template.invocations import shapes
from slens_lint.template.model import Subject, Template
from slens_lint.template.resources.messaging import EventsRule, SchedulerSchedule
from slens_lint.template.sam import Event
from slens_lint.template.values import Truth, Value

# SAM events that become an EventBridge rule target (or a Scheduler schedule) and take a DeadLetterConfig.
EVENT_TYPES = frozenset({"EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2"})

# SAM creates the queue (and its policy) itself from `Type: SQS`.
_SAM_SNIPPET = {"DeadLetterConfig": {"Type": "SQS"}}


class EventTargetWithoutDeadLetterQueue(Rule):
    id = "SL309"
    severity = Severity.WARNING
    severity_reason = (
        "warning: failure handling is a design-card check; an event EventBridge cannot deliver is "
        "lost."
    )
    title = "EventBridge target without a dead-letter queue"
    practice = "Reliability 4: Handle transactional, partial and intermittent failures"
    rationale = (
        "When EventBridge (or EventBridge Scheduler) cannot deliver an event to a target - the target "
        "throttles, was deleted, or its resource policy or the rule's role refuses the call - it retries "
        "for up to 24 hours and 185 attempts by default, then drops the event. Errors that retrying cannot "
        "fix, like a missing permission, drop it at once. Without a dead-letter queue on the target, "
        "nothing records what was lost. The dead-letter queue belongs to each target, not to the rule. "
        "It only covers delivery: what a Lambda target does with the event afterwards is up to the "
        "function's own async failure handling (see SL305). CloudWatch Logs groups as targets (a copy of "
        "the events for debugging) are not reported: losing an entry there loses no work."
    )
    fix = (
        "Give each target a `DeadLetterConfig.Arn` (an SQS queue whose policy lets `events.amazonaws.com` "
        "or the schedule's role send to it), and alarm on it. In SAM, `DeadLetterConfig: {Type: SQS}` on "
        "the event makes SAM create the queue."
    )
    example = {
        "Resources": {
            "NightlyFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "Events": {
                        "Nightly": {
                            "Type": "Schedule",
                            "Properties": {"Schedule": "cron(0 3 * * ? *)", "DeadLetterConfig": {"Type": "SQS"}},
                        }
                    },
                },
            }
        }
    }
    example_bad = {
        "Resources": {
            "OrdersRule": {
                "Type": "AWS::Events::Rule",
                "Properties": {
                    "EventPattern": {"source": ["orders"]},
                    "Targets": [{"Id": "process", "Arn": {"Fn::GetAtt": ["OrdersFunction", "Arn"]}}],
                },
            }
        }
    }
    use_instead = (
        "If losing an occasional event is acceptable (a frequent schedule that runs again soon, a debug "
        "log target), suppress the finding on the rule or the function owning the SAM event with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html",
        "https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventbridgerule.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "events"
    resource_types = (
        "AWS::Events::Rule",
        "AWS::Scheduler::Schedule",
        "AWS::Serverless::Function",
        "AWS::Serverless::StateMachine",
    )
    subject = "EventBridge target"

    def subjects(self, template: Template) -> Iterator[Subject]:
        yield from template.of(EventsRule)
        yield from template.of(SchedulerSchedule)
        for event in template.all_events():
            if event.type in EVENT_TYPES:
                yield event

    def judge(self, subject: Subject, template: Template) -> Union[Verdict, Iterable[Verdict]]:
        if isinstance(subject, EventsRule):
            return self._rule(subject, template)
        if isinstance(subject, SchedulerSchedule):
            return self._schedule(subject, template)
        assert isinstance(subject, Event)
        return self._event(subject)

    def _rule(self, rule: EventsRule, template: Template) -> Iterator[Verdict]:
        targets = rule.props.Targets
        for leaf in targets.branches():
            if leaf.unknown:
                yield self.undecidable(rule, leaf)

        def judge(target: Value) -> Truth:
            if target.unknown:
                return Truth.of(None, target)
            if target.absent or _is_log_group_target(template, target.Arn):
                return Truth.of(True, target)
            return target.DeadLetterConfig.given()

        name = rule.logical_id
        for item in targets.items():
            failing = shapes.first_failing(item, judge)
            created: dict[str, Any] = {}
            queue = queue_fixes.failure_queue(
                template, f"{name}DeadLetterQueue", created, "events.amazonaws.com", {"Fn::GetAtt": [name, "Arn"]}
            )
            config = {"DeadLetterConfig": {"Arn": queue_fixes.arn(queue)}}
            snippet: dict[str, Any] = config
            if created:
                # The new queue goes beside the rule: the target, in its list, is then named by its Id.
                target_id = failing.Id.text() if failing is not None else None
                entry = {"Id": target_id, **config} if target_id else config
                snippet = fix_names.fragment(name, {"Targets": [entry]}, created)
            yield self.expect(
                rule,
                shapes.per_item(targets, item, judge),
                f"Rule '{rule.logical_id}' target{_target_id(failing)} has no DeadLetterConfig: an event "
                f"EventBridge cannot deliver to it is dropped once retries are exhausted.",
                at=item,
                fix="Give the target a dead-letter queue (that EventBridge may send to):",
                snippet=snippet,
            )

    def _schedule(self, schedule: SchedulerSchedule, template: Template) -> list[Verdict]:
        target = schedule.props.Target
        if not target.is_set():
            return []
        name = schedule.logical_id
        created: dict[str, Any] = {}
        queue = queue_fixes.failure_queue(template, f"{name}DeadLetterQueue", created)
        config = {"DeadLetterConfig": {"Arn": queue_fixes.arn(queue)}}
        verdict = self.expect(
            schedule,
            shapes.given_in(target, "DeadLetterConfig", absent=True),
            f"Schedule '{schedule.logical_id}' has no DeadLetterConfig on its target: an invocation "
            f"EventBridge Scheduler cannot deliver is dropped once retries are exhausted.",
            at=target.DeadLetterConfig,
            fix="Give the target a dead-letter queue (the schedule's role must be allowed to send to it):",
            snippet=fix_names.fragment(name, {"Target": config}, created) if created else config,
        )
        return [verdict]

    def _event(self, event: Event) -> Verdict:
        owner = event.owner
        kind = "function" if owner.type == "AWS::Serverless::Function" else "state machine"
        return self.expect(
            event,
            shapes.given_in(event.source.Properties, "DeadLetterConfig"),
            f"{event.type} event '{event.name}' of {kind} '{owner.logical_id}' has no DeadLetterConfig: "
            f"an event that cannot be delivered to the {kind} is dropped once retries are exhausted.",
            at=event.path,
            fix="Add a dead-letter queue to the event's Properties (SAM creates it from Type: SQS):",
            snippet=_SAM_SNIPPET,
        )


def _is_log_group_target(template: Template, arn: Value) -> bool:
    """A CloudWatch Logs group as target is an observability sink (a rule's debug copy of its events):
    losing an entry there loses no work, so it needs no dead-letter queue."""
    resource = template.target(arn)
    if resource is not None:
        return resource.type == "AWS::Logs::LogGroup"
    tokens = arn.tokens() or ()
    flat = "".join(t[1] if t[0] == "lit" else "X" for t in tokens)
    return ":logs:" in flat


def _target_id(target: Optional[Value]) -> str:
    name = target.Id.text() if target is not None else None
    return f" '{name}'" if name else ""
