from __future__ import annotations

from typing import Any, Iterator, Optional, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template.model import Template
from slens_lint.template.resources.other import LogGroup, SamStateMachine, StateMachine, StateMachineLogging
from slens_lint.template.values import Truth, Value

STATE_MACHINE_TYPES = ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine")
LOGGING_LEVELS = ("ALL", "ERROR", "FATAL")

Machine = Union[SamStateMachine, StateMachine]


class StateMachineWithoutExecutionLogging(Rule):
    id = "SL113"
    severity = Severity.WARNING
    severity_reason = "warning: without execution logging a failed workflow leaves no record of what happened."
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

    subject = "state machine"

    def subjects(self, template: Template) -> Iterator[Machine]:
        return template.of(SamStateMachine, StateMachine)

    def judge(self, machine: Machine, template: Template) -> Verdict:
        key = "Logging" if machine.is_sam else "LoggingConfiguration"
        truth = _logging(machine).each(_logs)
        name = machine.logical_id
        if _is_express(machine):
            risk = "an Express workflow keeps no execution history, so its failed executions leave no trace"
        else:
            risk = (
                "failed executions can be seen only in the console's execution history, not searched, "
                "alarmed on or correlated with the functions' logs"
            )
        return self.expect(
            machine,
            truth,
            lambda: f"State machine '{name}' {_what(truth, key)}: {risk}.",
            fix=f"Set {key} with a level and a log group destination:",
            snippet=_snippet(template, machine, key),
        )


def _logging(machine: Machine) -> Value:
    """The logging configuration: `Logging` (SAM) or `LoggingConfiguration` (CloudFormation)."""
    return machine.props.Logging if isinstance(machine, SamStateMachine) else machine.props.LoggingConfiguration


def _snippet(template: Template, machine: Machine, key: str) -> dict[str, Any]:
    """The logging configuration, with a log group the template has for the machine (one its
    destinations already name, or `<Machine>Logs`), else with one the snippet creates."""
    name = machine.logical_id
    group = _existing_group(template, machine) or f"{name}Logs"
    local = {
        key: {
            "Level": "ERROR",
            "IncludeExecutionData": False,
            "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": [group, "Arn"]}}}],
        }
    }
    if isinstance(template.resource(group), LogGroup):
        return local
    return {
        name: {"Properties": local},
        group: {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "LogGroupName": {"Fn::Sub": f"/aws/vendedlogs/states/${{AWS::StackName}}-{name}"},
                "RetentionInDays": 30,
            },
        },
    }


def _existing_group(template: Template, machine: Machine) -> Optional[str]:
    for destinations in _logging(machine).Destinations.branches():
        for item in destinations.items():
            for arn in item.CloudWatchLogsLogGroup.LogGroupArn.branches():
                if isinstance(template.resource(arn.ref), LogGroup):
                    return arn.ref
    return None


def _logs(config: Value) -> Truth:
    """True where the configuration logs execution events to a destination. The evidence says what
    falls short: the configuration, its `Level` or its `Destinations`."""
    if config.absent:
        return Truth.of(False, config)
    spec = config.literal
    if not isinstance(spec, StateMachineLogging):
        return Truth.of(None, config)
    level = spec.Level.test(lambda leaf: leaf.text().strip().upper() in LOGGING_LEVELS if leaf.text() is not None else None)
    return level & spec.Destinations.each(_has_destination)


def _has_destination(destinations: Value) -> Truth:
    if destinations.absent:
        return Truth.of(False, destinations)
    # An expression (a list parameter, an import) names some destination.
    return Truth.of(True if destinations.unknown else bool(destinations.items()), destinations)


def _what(truth: Truth, key: str) -> str:
    """What is wrong in the first failing case (in practice: the only one)."""
    failing = truth.failing()
    evidence = failing[0].evidence
    last = evidence.path[-1] if evidence is not None and evidence.path else key
    if last == "Level":
        named = sorted({text for text in (_text(case.evidence) for case in failing) if text})
        if named:
            return f"logs no execution events ({key}.Level {', '.join(named)})"
        return f"logs no execution events (no {key}.Level, which defaults to OFF)"
    if last == "Destinations":
        return f"has a {key}.Level but no log group in {key}.Destinations"
    return "has no execution logging"


def _text(value: Optional[Value]) -> Optional[str]:
    return None if value is None or value.absent else value.text()


def _is_express(machine: Machine) -> bool:
    kind = machine.props.Type if isinstance(machine, SamStateMachine) else machine.props.StateMachineType
    return kind.text() == "EXPRESS"
