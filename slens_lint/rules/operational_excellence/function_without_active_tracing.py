from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.rules.operational_excellence import powertools
from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import Unknown
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource


class FunctionWithoutActiveTracing(Rule):
    id = "SL107"
    severity = Severity.WARNING
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
        "Functions that back CloudFormation custom resources are not checked (they run at deployment, "
        "outside any request path). If traces are collected another way (an OpenTelemetry collector "
        "exporting elsewhere) or the trace cost is not wanted for a function, suppress the rule on that "
        "function with the reason; switch tracing per environment with `!If` rather than turning the "
        "rule off: a conditional value with one active branch passes."
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

    def check(self, template: Template) -> Iterator[Violation]:
        for function in template.functions():
            if function.logical_id in template.service_token_targets:
                continue
            at = ("Tracing",) if function.is_sam else ("TracingConfig", "Mode")
            modes = intrinsics.values_at(function.raw_properties, *at)
            verdicts = [_is_active(mode) for mode in modes]
            if not verdicts or not all(v is False for v in verdicts):
                continue
            yield self._violation(template, function, at, modes)

    def _violation(self, template: Template, function: Resource, at: tuple[str, ...], modes: list[Any]) -> Violation:
        name = function.logical_id
        set_modes = sorted({m for m in modes if isinstance(m, str)})
        if set_modes:
            what = f"has tracing mode {', '.join(set_modes)}"
        else:
            what = "has no active X-Ray tracing"
        if set_modes and all(m is not None and str(m).lower() == "disabled" for m in modes):
            risk = "X-Ray never records its invocations, so every trace through it has a gap"
        else:
            risk = (
                "X-Ray records its invocations only when an upstream service already sampled the request, "
                "so calls from queues, streams, schedules and direct invokes leave gaps in the traces"
            )
        if _uses_powertools(template, function):
            risk += ", and the Powertools Tracer in its code has no segment to write to"
        if function.is_sam:
            in_globals = isinstance(template.globals.get("Function"), dict)
            fix = (
                "Set Tracing: Active on the function"
                + (" (or in Globals.Function for every function):" if in_globals else ":")
            )
            snippet: Any = {"Tracing": "Active"}
        else:
            fix = (
                "Set TracingConfig.Mode to Active, and allow xray:PutTraceSegments and "
                "xray:PutTelemetryRecords in the execution role (AWSXRayDaemonWriteAccess):"
            )
            function_globals = template.globals.get("Function")
            if isinstance(function_globals, dict) and "Tracing" in function_globals:
                fix = "Globals.Function.Tracing applies to AWS::Serverless::Function only. " + fix
            snippet = {"TracingConfig": {"Mode": "Active"}}
        return self.report(
            template,
            function,
            f"Function '{name}' {what}: {risk}.",
            at=at,
            fix=fix,
            snippet=snippet,
        )


def _is_active(mode: Any) -> Any:
    """True/False for a readable mode, None for one that cannot be known (a parameter, an import)."""
    if mode is None:
        return False
    if isinstance(mode, Unknown):
        return None
    text = intrinsics.literal_string(mode)
    if text is None:
        return None
    return text.strip().lower() == "active"


def _uses_powertools(template: Template, function: Resource) -> bool:
    if powertools.tracer_disabled(function):
        return False
    return (
        powertools.sets_env(function, powertools.SERVICE_NAME)
        or powertools.layer_evidence(template, function) is powertools.Evidence.YES
    )
