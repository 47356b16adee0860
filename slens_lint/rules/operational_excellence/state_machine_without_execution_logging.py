from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE, Unknown
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

STATE_MACHINE_TYPES = ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine")
LOGGING_LEVELS = ("ALL", "ERROR", "FATAL")


class StateMachineWithoutExecutionLogging(Rule):
    id = "SL113"
    severity = Severity.WARNING
    title = "State machine without execution logging"
    practice = "Operational excellence 3: Structured, centralized logging"
    rationale = (
        "Step Functions writes a state machine's execution events to CloudWatch Logs only when logging "
        "is configured with a level other than `OFF` and a log group destination. Without it, the "
        "failure of an execution is visible only in the console's execution history, which cannot be "
        "searched, alarmed on or correlated with the function logs; Express workflows keep no execution "
        "history at all, so a failed Express execution leaves no trace anywhere."
    )
    fix = (
        "Set `Logging` (SAM) or `LoggingConfiguration` (CloudFormation) with `Level: ERROR` or `ALL` and a "
        "`Destinations` entry whose `CloudWatchLogsLogGroup.LogGroupArn` is a log group of the template "
        "(give it `RetentionInDays`); the role needs the CloudWatch Logs delivery permissions (SAM adds "
        "them for a generated role)."
    )
    example = {
        "Resources": {
            "OrderWorkflow": {
                "Type": "AWS::Serverless::StateMachine",
                "Properties": {
                    "DefinitionUri": "statemachine/order.asl.json",
                    "Logging": {
                        "Level": "ERROR",
                        "IncludeExecutionData": False,
                        "Destinations": [
                            {"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": ["OrderWorkflowLogs", "Arn"]}}}
                        ],
                    },
                },
            },
            "OrderWorkflowLogs": {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {"LogGroupName": "/aws/vendedlogs/states/order-workflow", "RetentionInDays": 30},
            },
        }
    }
    example_bad = {
        "Resources": {
            "OrderWorkflow": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "StateMachineType": "EXPRESS",
                    "DefinitionS3Location": {"Bucket": "artifacts", "Key": "order.asl.json"},
                    "RoleArn": {"Fn::GetAtt": ["WorkflowRole", "Arn"]},
                    "LoggingConfiguration": {"Level": "OFF"},
                },
            }
        }
    }
    use_instead = (
        "For a Standard workflow whose execution history in the console is enough (a rarely run, "
        "internal job), suppress the rule on that state machine with the reason. `Level: ERROR` with "
        "`IncludeExecutionData: false` keeps log volume and sensitive data low instead of turning logging off."
    )
    references = (
        "https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html#sam-statemachine-logging",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-stepfunctions-statemachine-loggingconfiguration.html",
    )
    service = "states"
    resource_types = STATE_MACHINE_TYPES

    def check(self, template: Template) -> Iterator[Violation]:
        for machine in template.of_type(*STATE_MACHINE_TYPES):
            key = "Logging" if machine.is_sam else "LoggingConfiguration"
            problems: list[tuple[str, tuple[str, ...]]] = []
            for config in intrinsics.branches(machine.raw_properties.get(key)):
                problem = _problem(config, key)
                if problem is None:
                    problems = []
                    break
                problems.append(problem)
            if not problems:
                continue
            # Point at what is wrong in the first branch (in practice: the only one).
            what, at = problems[0]
            yield self._violation(template, machine, key, what, at)

    def _violation(self, template: Template, machine: Resource, key: str, what: str, at: tuple[str, ...]) -> Violation:
        name = machine.logical_id
        if _is_express(machine):
            risk = "an Express workflow keeps no execution history, so its failed executions leave no trace"
        else:
            risk = (
                "failed executions can be seen only in the console's execution history, not searched, "
                "alarmed on or correlated with the functions' logs"
            )
        return self.report(
            template,
            machine,
            f"State machine '{name}' {what}: {risk}.",
            at=at,
            fix=f"Set {key} with a level and a log group destination:",
            snippet={
                key: {
                    "Level": "ERROR",
                    "IncludeExecutionData": False,
                    "Destinations": [
                        {"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": [f"{name}Logs", "Arn"]}}}
                    ],
                }
            },
        )


def _problem(config: Any, key: str) -> Optional[tuple[str, tuple[str, ...]]]:
    """What is wrong with one branch of the logging configuration; None when it logs (or is unknown)."""
    if config is None or config is NO_VALUE:
        return "has no execution logging", (key,)
    if not isinstance(config, dict) or intrinsics.is_intrinsic(config):
        return None
    levels = intrinsics.branches(config.get("Level"))
    level_verdicts = [_level_logs(level) for level in levels]
    if any(v is None for v in level_verdicts):
        return None
    if not any(level_verdicts):
        named = sorted({str(level) for level in levels if isinstance(level, str)})
        if named:
            return f"logs no execution events ({key}.Level {', '.join(named)})", (key, "Level")
        return f"logs no execution events (no {key}.Level, which defaults to OFF)", (key, "Level")
    destinations = [d for d in intrinsics.branches(config.get("Destinations"))]
    if all(_no_destination(d) for d in destinations):
        return f"has a {key}.Level but no log group in {key}.Destinations", (key, "Destinations")
    return None


def _level_logs(level: Any) -> Optional[bool]:
    if level is None or level is NO_VALUE:
        return False
    if isinstance(level, Unknown):
        return None
    text = intrinsics.literal_string(level)
    if text is None:
        return None
    return text.strip().upper() in LOGGING_LEVELS


def _no_destination(destinations: Any) -> bool:
    if destinations is None or destinations is NO_VALUE:
        return True
    return isinstance(destinations, list) and not destinations


def _is_express(machine: Resource) -> bool:
    kind = machine.raw_properties.get("Type" if machine.is_sam else "StateMachineType")
    return intrinsics.literal_string(kind) == "EXPRESS"
