"""The alarm a rollout fix names (SL101, SL102, SL104) and the one SL114 asks for.

A fix snippet names only what the template has or what the snippet itself creates: an alarm of the
template that already watches the resource, or a new one named after it (`<Function>ErrorsAlarm`, the
very alarm SL114 suggests, so following both fixes gives one alarm), whose definition the snippet
then carries beside the resource's properties.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from slens_lint.findings import Change
from slens_lint.template import deployment, observability
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.monitoring import Alarm
from slens_lint.template.resources.other import StateMachineAlias

_ALARM_SETTINGS = {
    "Statistic": "Sum",
    "Period": 60,
    "EvaluationPeriods": 1,
    "Threshold": 1,
    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
    "TreatMissingData": "notBreaching",
}


def _alarm(namespace: str, metric: str, dimensions: list[dict[str, Any]]) -> dict[str, Any]:
    properties: dict[str, Any] = {"Namespace": namespace, "MetricName": metric}
    if dimensions:
        properties["Dimensions"] = dimensions
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": {**properties, **_ALARM_SETTINGS}}


def function_errors_alarm(function_id: str) -> dict[str, Any]:
    """An alarm on the function's `Errors`."""
    return _alarm(observability.LAMBDA_NAMESPACE, "Errors", [{"Name": "FunctionName", "Value": {"Ref": function_id}}])


def _failed_executions_alarm(state_machine_arn: Any) -> dict[str, Any]:
    return _alarm(observability.STATES_NAMESPACE, "ExecutionsFailed", [{"Name": "StateMachineArn", "Value": state_machine_arn}])


@dataclass(frozen=True)
class AlarmChoice:
    name: str
    """The alarm's logical id."""
    definition: Optional[dict[str, Any]] = None
    """What the snippet creates; None when the alarm is in the template."""


def _named(template: Template, name: str, definition: dict[str, Any]) -> AlarmChoice:
    # An alarm already called that was written for the resource, whatever it watches.
    if isinstance(template.resource(name), Alarm):
        return AlarmChoice(name)
    return AlarmChoice(name, definition)


def for_function(template: Template, function: Resource[Any]) -> AlarmChoice:
    """An alarm of the template on the function's errors, else `<Function>ErrorsAlarm`."""
    existing = observability.alarms_on_function(template, function, frozenset({"Errors"}))
    if existing:
        return AlarmChoice(existing[0])
    name = function.logical_id
    return _named(template, f"{name}ErrorsAlarm", function_errors_alarm(name))


def for_group(template: Template, group: Resource[Any]) -> AlarmChoice:
    """For a deployment group whose functions the template does not show (no alias names it): an alarm
    on Lambda's account-wide `Errors`, `<Group>ErrorsAlarm`, to narrow to the deployed function."""
    return _named(template, f"{group.logical_id}ErrorsAlarm", _alarm(observability.LAMBDA_NAMESPACE, "Errors", []))


def for_state_machine(template: Template, resource: Resource[Any]) -> AlarmChoice:
    """An alarm of the template on the state machine's failed executions, else
    `<StateMachine>FailedExecutionsAlarm` (for an alias: on the state machine it deploys)."""
    machine: Optional[Resource[Any]] = resource
    arn: Any = {"Ref": resource.logical_id}
    if isinstance(resource, StateMachineAlias):
        machine = deployment.alias_state_machine(template, resource)
        arn = {"Ref": machine.logical_id} if machine is not None else _unversioned(resource) or arn
    if machine is not None:
        existing = observability.alarms_on_state_machine(template, machine)
        if existing:
            return AlarmChoice(existing[0])
    name = (machine or resource).logical_id
    return _named(template, f"{name}FailedExecutionsAlarm", _failed_executions_alarm(arn))


def _unversioned(alias: StateMachineAlias) -> Optional[str]:
    """The state machine ARN of a literal version ARN (`arn:aws:states:...:stateMachine:orders:3`)."""
    text = alias.props.DeploymentPreference.StateMachineVersionArn.text()
    parts = text.split(":") if text else []
    return ":".join(parts[:-1]) if len(parts) == 8 and parts[5] == "stateMachine" else None


def fragment(resource_id: str, choices: list[AlarmChoice], local: dict[str, Any], under: tuple[str, ...] = ()) -> dict[str, Any]:
    """The snippet: `local` alone (a fragment of the resource's properties, nested `under` them) when
    every alarm exists; else the resource's `Properties` beside the alarms the snippet creates."""
    created = {choice.name: choice.definition for choice in choices if choice.definition is not None}
    if not created:
        return local
    properties: dict[str, Any] = local
    for key in reversed(under):
        properties = {key: properties}
    return {resource_id: {"Properties": properties}, **created}


def changes(resource: Resource[Any], choices: list[AlarmChoice], local: dict[str, Any]) -> tuple[Change, ...]:
    """The automatic fix of a rollout finding: each key of `local` set on the resource's properties, and
    each alarm the snippet creates added beside it."""
    out = [Change(resource.props_path + (key,), value) for key, value in local.items()]
    out += [Change(("Resources", choice.name), choice.definition) for choice in choices if choice.definition is not None]
    return tuple(out)
