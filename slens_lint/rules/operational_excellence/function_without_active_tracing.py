from __future__ import annotations

from typing import Iterator, Optional

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_targets import function_setting
from slens_lint.template import function_purpose, observability
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function, SamFunction
from slens_lint.template.values import Truth, Value

SAM_FUNCTION = "AWS::Serverless::Function"


class FunctionWithoutActiveTracing(Rule):
    id = "SL107"
    severity = Severity.WARNING
    severity_reason = (
        "warning: without active tracing the traces have gaps exactly where latency and errors hide; "
        "tracing is a design-card check."
    )
    title = "Function without active X-Ray tracing"
    practice = "Operational excellence 2: Distributed tracing, with context added in code"
    rationale = (
        "Without active tracing Lambda samples nothing itself: a request only shows up in X-Ray when an "
        "upstream service already traced it (`PassThrough`, the default), and invocations from queues, "
        "streams, schedules or direct calls are never traced. The service map then has holes exactly "
        "where latency and errors hide, and the Powertools Tracer (or any X-Ray SDK) in the code has no "
        "segment to attach its subsegments, annotations and captured downstream calls to."
    )
    fix = (
        "SAM: set `Tracing: Active` on the function, or once for every function in `Globals.Function` "
        "(SAM then adds the X-Ray write permissions to the generated role). CloudFormation: set "
        "`TracingConfig.Mode: Active` and give the execution role `xray:PutTraceSegments` and "
        "`xray:PutTelemetryRecords` (the `AWSXRayDaemonWriteAccess` managed policy)."
    )
    example = {
        "Globals": {"Function": {"Tracing": "Active"}},
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "src/"},
            }
        },
    }
    example_bad = {
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "Role": {"Fn::GetAtt": ["OrdersRole", "Arn"]},
                    "Code": {"S3Bucket": "artifacts", "S3Key": "orders.zip"},
                    "TracingConfig": {"Mode": "PassThrough"},
                },
            }
        }
    }
    use_instead = (
        "Functions that run only while CloudFormation deploys (custom resource and macro backends, "
        "CodeDeploy traffic hooks) are not checked. If traces are collected another way (an OpenTelemetry "
        "collector exporting elsewhere) or the trace cost is not wanted for a function, suppress the rule "
        "on that function with the reason. Tracing switched per environment with `!If` is reported under "
        "the conditions where it is off, naming them; suppress it with the reason when that is deliberate."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-tracing",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-tracingconfig.html",
        "https://docs.powertools.aws.dev/lambda/python/latest/core/tracer/",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/operational-excellence.html",
    )
    service = "lambda"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function")

    subject = "function"
    fix_safety = "safe"
    fix_title = "set Tracing: Active"

    def subjects(self, template: Template) -> Iterator[Function]:
        deploy_time = function_purpose.deploy_time_functions(template)
        for function in template.functions():
            if function.logical_id not in deploy_time:
                yield function

    def judge(self, function: Function, template: Template) -> Verdict:
        mode = function.props.Tracing if isinstance(function, SamFunction) else function.props.TracingConfig.Mode
        truth = mode.test(_is_active)
        return self.expect(
            function,
            truth,
            lambda: self._message(template, function, truth),
            fix=_fix(template, function),
            snippet={"Tracing": "Active"} if function.is_sam else {"TracingConfig": {"Mode": "Active"}},
            # SAM adds the X-Ray permissions to the role it makes; a CloudFormation function's role needs
            # them written too, which is no one-line fix.
            changes=lambda: function_setting(template, function, "Tracing", "Active", mode) if function.is_sam else (),
        )

    def _message(self, template: Template, function: Function, truth: Truth) -> str:
        modes = [case.evidence for case in truth.failing() if case.evidence is not None]
        set_modes = sorted({text for text in (mode.text() for mode in modes if not mode.absent) if text is not None})
        what = f"has tracing mode {', '.join(set_modes)}" if set_modes else "has no active X-Ray tracing"
        if set_modes and all(not mode.absent and (mode.text() or "").lower() == "disabled" for mode in modes):
            risk = "X-Ray never records its invocations, so every trace through it has a gap"
        else:
            risk = (
                "X-Ray records its invocations only when an upstream service already sampled the request, "
                "so calls from queues, streams, schedules and direct invokes leave gaps in the traces"
            )
        if observability.powertools_tracer(template, function).always:
            risk += ", and the Powertools Tracer in its code has no segment to write to"
        return f"Function '{function.logical_id}' {what}: {risk}."


def _fix(template: Template, function: Function) -> str:
    function_globals = template.globals.get(SAM_FUNCTION)
    if function.is_sam:
        return "Set Tracing: Active on the function" + (
            " (or in Globals.Function for every function):" if function_globals is not None else ":"
        )
    fix = (
        "Set TracingConfig.Mode to Active, and allow xray:PutTraceSegments and "
        "xray:PutTelemetryRecords in the execution role (AWSXRayDaemonWriteAccess):"
    )
    if function_globals is not None and function_globals.has("Tracing"):
        fix = "Globals.Function.Tracing applies to AWS::Serverless::Function only. " + fix
    return fix


def _is_active(mode: Value) -> Optional[bool]:
    text = mode.text()
    return None if text is None else text.strip().lower() == "active"
