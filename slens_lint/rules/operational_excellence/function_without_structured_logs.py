from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.rules.operational_excellence import powertools
from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import Unknown
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

# Powertools environment variables that configure its Logger (Python, TypeScript, Java, .NET).
LOGGER_VARIABLES = (powertools.SERVICE_NAME, "POWERTOOLS_LOG_LEVEL", "POWERTOOLS_LOGGER_LOG_EVENT", "POWERTOOLS_LOGGER_SAMPLE_RATE")


class FunctionWithoutStructuredLogs(Rule):
    id = "SL112"
    severity = Severity.INFO
    title = "Function without structured (JSON) logs"
    practice = "Operational excellence 3: Structured, centralized logging"
    rationale = (
        "Plain-text log lines can only be grepped. JSON logs carry fields (request id, cold start, "
        "function version, correlation ids, business keys) that CloudWatch Logs Insights and any log "
        "pipeline can filter, aggregate and join across functions without fragile parsing. Lambda "
        "emits JSON itself when `LoggingConfig.LogFormat` is `JSON` (its native loggers add the request "
        "id and level), and Powertools Logger adds the function context and correlation ids in code; "
        "when the template shows neither, the function most likely logs unstructured text."
    )
    fix = (
        "Set `LoggingConfig.LogFormat: JSON` on the function (SAM: once in `Globals.Function`), which also "
        "allows `ApplicationLogLevel`/`SystemLogLevel`; or use Powertools Logger (its layer, with "
        "`POWERTOOLS_SERVICE_NAME` in the environment). On OS-only runtimes (`provided.*`) Lambda formats "
        "only its own platform lines as JSON: log JSON from the code as well."
    )
    example = {
        "Globals": {"Function": {"LoggingConfig": {"LogFormat": "JSON", "ApplicationLogLevel": "INFO"}}},
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
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "LoggingConfig": {"LogFormat": "Text"},
                },
            }
        }
    }
    use_instead = (
        "If the code already logs JSON with a library the template cannot show (Powertools bundled in "
        "the package, structlog, pino, a JSON log4j2 layout), set `POWERTOOLS_SERVICE_NAME` or "
        "`LogFormat: JSON` anyway, or suppress the rule on the function (or the template) with that "
        "reason. Functions that back custom resources are not checked."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-loggingconfig.html",
        "https://docs.powertools.aws.dev/lambda/python/latest/core/logger/",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/operational-excellence.html",
    )
    service = "lambda"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function")

    def check(self, template: Template) -> Iterator[Violation]:
        for function in template.functions():
            if function.logical_id in template.service_token_targets:
                continue
            formats = intrinsics.values_at(function.raw_properties, "LoggingConfig", "LogFormat")
            verdicts = [_is_json(value) for value in formats]
            if not verdicts or not all(v is False for v in verdicts):
                continue
            if _has_powertools_logger(function):
                continue
            layers = powertools.layer_evidence(template, function)
            if layers is not powertools.Evidence.NO:
                continue
            yield self._violation(template, function, formats)

    def _violation(self, template: Template, function: Resource, formats: list[Any]) -> Violation:
        name = function.logical_id
        text_formats = sorted({f for f in formats if isinstance(f, str)})
        what = f"logs in {', '.join(text_formats)} format" if text_formats else "has no JSON log format"
        globals_hint = " (or in Globals.Function)" if function.is_sam and isinstance(template.globals.get("Function"), dict) else ""
        fix = f"Set LoggingConfig.LogFormat to JSON{globals_hint}, or use Powertools Logger with POWERTOOLS_SERVICE_NAME:"
        if _os_only_runtime(function):
            fix = (
                f"Set LoggingConfig.LogFormat to JSON{globals_hint}; on an OS-only runtime also log JSON from the "
                f"code, since Lambda formats only its platform lines:"
            )
        return self.report(
            template,
            function,
            f"Function '{name}' {what} and shows no Powertools Logger: its log lines are unstructured "
            f"text that Logs Insights cannot filter or aggregate by field.",
            at=("LoggingConfig", "LogFormat"),
            fix=fix,
            snippet={"LoggingConfig": {"LogFormat": "JSON"}},
        )


def _is_json(value: Any) -> Optional[bool]:
    if value is None:
        return False
    if isinstance(value, Unknown):
        return None
    text = intrinsics.literal_string(value)
    if text is None:
        return None
    return text.strip().upper() == "JSON"


def _has_powertools_logger(function: Resource) -> bool:
    """Any branch setting a Powertools Logger variable counts (a conditional configuration is deliberate)."""
    for variable in LOGGER_VARIABLES:
        if any(v is not None for v in powertools.env_values(function, variable)):
            return True
    return False


def _os_only_runtime(function: Resource) -> bool:
    runtime = intrinsics.literal_string(function.raw_properties.get("Runtime"))
    return bool(runtime) and runtime.startswith("provided")
