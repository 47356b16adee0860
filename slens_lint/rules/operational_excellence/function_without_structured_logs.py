from __future__ import annotations

from typing import Iterator, Optional

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import function_purpose, observability
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.values import Truth, Value

SAM_FUNCTION = "AWS::Serverless::Function"


class FunctionWithoutStructuredLogs(Rule):
    id = "SL112"
    severity = Severity.INFO
    severity_reason = "info: unstructured logs work; structured ones are easier to query, which is advice."
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
        "reason. Functions that run only while CloudFormation deploys (custom resource and macro "
        "backends, CodeDeploy traffic hooks) are not checked."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-loggingconfig.html",
        "https://docs.powertools.aws.dev/lambda/python/latest/core/logger/",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/operational-excellence.html",
    )
    service = "lambda"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function")

    subject = "function"

    def subjects(self, template: Template) -> Iterator[Function]:
        deploy_time = function_purpose.deploy_time_functions(template)
        for function in template.functions():
            if function.logical_id not in deploy_time:
                yield function

    def judge(self, function: Function, template: Template) -> Verdict:
        # The log format first: its evidence is where the finding points and what the message names.
        truth = (
            function.props.LoggingConfig.LogFormat.test(_is_json)
            | observability.sets_logger(function)
            | observability.layer_evidence(template, function)
        )
        name = function.logical_id
        globals_hint = " (or in Globals.Function)" if function.is_sam and SAM_FUNCTION in template.globals else ""
        fix = f"Set LoggingConfig.LogFormat to JSON{globals_hint}, or use Powertools Logger with POWERTOOLS_SERVICE_NAME:"
        if (function.props.Runtime.text() or "").startswith("provided"):
            fix = (
                f"Set LoggingConfig.LogFormat to JSON{globals_hint}; on an OS-only runtime also log JSON from the "
                f"code, since Lambda formats only its platform lines:"
            )
        return self.expect(
            function,
            truth,
            lambda: f"Function '{name}' {_what(truth)} and shows no Powertools Logger: its log lines are unstructured "
            f"text that Logs Insights cannot filter or aggregate by field.",
            fix=fix,
            snippet={"LoggingConfig": {"LogFormat": "JSON"}},
        )


def _what(truth: Truth) -> str:
    formats = sorted({text for text in (_text(case.evidence) for case in truth.failing()) if text})
    return f"logs in {', '.join(formats)} format" if formats else "has no JSON log format"


def _text(value: Optional[Value]) -> Optional[str]:
    return None if value is None or value.absent else value.text()


def _is_json(value: Value) -> Optional[bool]:
    text = value.text()
    return None if text is None else text.strip().upper() == "JSON"
