from __future__ import annotations

from typing import Iterator, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template.model import Template
from slens_lint.template.resources.other import SamStateMachine, StateMachine
from slens_lint.template.values import Truth

STATE_MACHINE_TYPES = ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine")


class StateMachineWithoutTracing(Rule):
    id = "SL109"
    severity = Severity.WARNING
    severity_reason = (
        "warning: tracing is a design-card check; an untraced state machine hides where a workflow "
        "spends its time."
    )
    title = "State machine without X-Ray tracing"
    practice = "Operational excellence 2: Distributed tracing, with context added in code"
    rationale = (
        "A workflow is where a request fans out to functions and services; without X-Ray tracing on the "
        "state machine, the trace stops at its door. Each state's duration, the retries it made and the "
        "downstream call that failed are invisible in the service map, and traces from the API in front "
        "and the functions behind cannot be joined into one picture of the transaction."
    )
    fix = (
        "SAM: set `Tracing: {Enabled: true}` on the `AWS::Serverless::StateMachine` (SAM adds the X-Ray "
        "permissions to the role it generates). CloudFormation: set `TracingConfiguration.Enabled: true` "
        "and allow `xray:PutTraceSegments`, `xray:PutTelemetryRecords`, `xray:GetSamplingRules` and "
        "`xray:GetSamplingTargets` in the state machine's role."
    )
    example = {
        "Resources": {
            "OrderWorkflow": {
                "Type": "AWS::Serverless::StateMachine",
                "Properties": {"DefinitionUri": "statemachine/order.asl.json", "Tracing": {"Enabled": True}},
            }
        }
    }
    example_bad = {
        "Resources": {
            "OrderWorkflow": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "DefinitionS3Location": {"Bucket": "artifacts", "Key": "order.asl.json"},
                    "RoleArn": {"Fn::GetAtt": ["WorkflowRole", "Arn"]},
                },
            }
        }
    }
    use_instead = (
        "If the workflow's traces are not wanted (cost, or a trivial internal workflow), suppress the "
        "rule on that state machine with the reason. Tracing switched per environment with `!If` is "
        "reported under the conditions where it is off, naming them; suppress it with the reason when "
        "that is deliberate."
    )
    references = (
        "https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html#sam-statemachine-tracing",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-stepfunctions-statemachine-tracingconfiguration.html",
    )
    service = "states"
    resource_types = STATE_MACHINE_TYPES

    subject = "state machine"

    def subjects(self, template: Template) -> Iterator[Union[SamStateMachine, StateMachine]]:
        return template.of(SamStateMachine, StateMachine)

    def judge(self, machine: Union[SamStateMachine, StateMachine], template: Template) -> Verdict:
        spelled = "Tracing" if machine.is_sam else "TracingConfiguration"
        tracing = machine.props.Tracing if isinstance(machine, SamStateMachine) else machine.props.TracingConfiguration
        truth = tracing.Enabled.is_true()
        name = machine.logical_id
        return self.expect(
            machine,
            truth,
            lambda: f"State machine '{name}' {_what(truth)}: its states, retries and downstream calls are missing "
            f"from the traces of the requests that start it.",
            fix=f"Set {spelled}.Enabled to true"
            + ("" if machine.is_sam else " and allow the X-Ray write actions in the state machine's role")
            + ":",
            snippet={spelled: {"Enabled": True}},
        )


def _what(truth: Truth) -> str:
    explicit_off = any(case.evidence is not None and not case.evidence.absent for case in truth.failing())
    return "has X-Ray tracing disabled" if explicit_off else "has no X-Ray tracing"
