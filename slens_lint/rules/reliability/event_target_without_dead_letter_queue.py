from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template

# SAM events that become an EventBridge rule target (or a Scheduler schedule) and take a DeadLetterConfig.
EVENT_TYPES = frozenset({"EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2"})

_CFN_SNIPPET = {"DeadLetterConfig": {"Arn": {"Fn::GetAtt": ["TargetDeadLetterQueue", "Arn"]}}}
# SAM creates the queue (and its policy) itself from `Type: SQS`.
_SAM_SNIPPET = {"DeadLetterConfig": {"Type": "SQS"}}


class EventTargetWithoutDeadLetterQueue(Rule):
    id = "SL309"
    severity = Severity.WARNING
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

    def check(self, template: Template) -> Iterator[Violation]:
        for rule in template.of_type("AWS::Events::Rule"):
            targets = intrinsics.as_list(rule.raw_properties.get("Targets")) or []
            for index, target in enumerate(targets):
                if not _lacks_dead_letter_config(target) or _is_log_group_target(template, target):
                    continue
                target_id = _target_id(target)
                yield self.report(
                    template,
                    rule,
                    f"Rule '{rule.logical_id}' target{target_id} has no DeadLetterConfig: an event "
                    f"EventBridge cannot deliver to it is dropped once retries are exhausted.",
                    at=("Targets", index),
                    fix="Give the target a dead-letter queue:",
                    snippet=_CFN_SNIPPET,
                )
        for schedule in template.of_type("AWS::Scheduler::Schedule"):
            target = schedule.raw_properties.get("Target")
            if target is None or not _lacks_dead_letter_config(target):
                continue
            yield self.report(
                template,
                schedule,
                f"Schedule '{schedule.logical_id}' has no DeadLetterConfig on its target: an invocation "
                f"EventBridge Scheduler cannot deliver is dropped once retries are exhausted.",
                at=("Target", "DeadLetterConfig"),
                fix="Give the target a dead-letter queue:",
                snippet=_CFN_SNIPPET,
            )
        for event in template.all_events():
            if event.type not in EVENT_TYPES or not _lacks_dead_letter_config(event.properties):
                continue
            owner = event.owner
            kind = "function" if owner.type == "AWS::Serverless::Function" else "state machine"
            yield self.report(
                template,
                owner,
                f"{event.type} event '{event.name}' of {kind} '{owner.logical_id}' has no DeadLetterConfig: "
                f"an event that cannot be delivered to the {kind} is dropped once retries are exhausted.",
                path=event.path,
                fix="Add a dead-letter queue to the event's Properties (SAM creates it from Type: SQS):",
                snippet=_SAM_SNIPPET,
            )


def _lacks_dead_letter_config(value: Any) -> bool:
    """True when every shape the target (or event properties) can take has no DeadLetterConfig."""
    shapes = [b for b in intrinsics.branches(value) if b is not NO_VALUE and b is not None]
    if not shapes:
        return False
    for shape in shapes:
        if not isinstance(shape, dict) or intrinsics.is_intrinsic(shape):
            return False
        if intrinsics.is_set(shape.get("DeadLetterConfig")):
            return False
    return True


def _is_log_group_target(template: Template, target: Any) -> bool:
    """A CloudWatch Logs group as target is an observability sink (a rule's debug copy of its events):
    losing an entry there loses no work, so it needs no dead-letter queue."""
    if not isinstance(target, dict):
        return False
    arn = target.get("Arn")
    resource = template.target(arn)
    if resource is not None:
        return resource.type == "AWS::Logs::LogGroup"
    tokens = intrinsics.string_tokens(arn) or ()
    flat = "".join(t[1] if t[0] == "lit" else "X" for t in tokens)
    return ":logs:" in flat


def _target_id(target: Any) -> str:
    name = intrinsics.literal_string(target.get("Id")) if isinstance(target, dict) else None
    return f" '{name}'" if name else ""
