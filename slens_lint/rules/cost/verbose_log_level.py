from __future__ import annotations

from typing import Iterator, Optional, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import observability
from slens_lint.template.model import Template
from slens_lint.template.resources.apigateway import Deployment, SamApi, Stage
from slens_lint.template.resources.lambda_ import Function, LambdaFunction, SamFunction
from slens_lint.template.values import Truth, Value

VERBOSE_LEVELS = frozenset({"DEBUG", "TRACE"})
LEVEL_VARIABLES = ("POWERTOOLS_LOG_LEVEL", "LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL")

# The resources that define a REST stage: MethodSettings on a SAM Api or a Stage, in StageDescription
# on a Deployment.
StageResource = Union[SamApi, Stage, Deployment]


class VerboseLogLevel(Rule):
    id = "SL505"
    severity = Severity.WARNING
    severity_reason = (
        "warning: debug logging left on in a deployed function costs money and may log sensitive "
        "data."
    )
    title = "Debug-level logging left on"
    practice = "Cost optimization 2: Optimize logging output and its retention"
    rationale = (
        "CloudWatch Logs bills every ingested byte. A literal `DEBUG` or `TRACE` level "
        "(`LoggingConfig.ApplicationLogLevel`/`SystemLogLevel`, `POWERTOOLS_LOG_LEVEL`, `LOG_LEVEL`) "
        "multiplies log volume in every environment the template is deployed to, and a REST stage "
        "with `LoggingLevel: INFO` and `DataTraceEnabled: true` logs full requests and responses."
    )
    fix = (
        "Log at `INFO` or `WARN` by default and raise the level per environment through a parameter; "
        "on REST stages turn `DataTraceEnabled` off (or log at `ERROR`)."
    )
    example = {
        "Parameters": {"LogLevel": {"Type": "String", "Default": "INFO", "AllowedValues": ["DEBUG", "INFO", "WARN"]}},
        "Globals": {"Function": {"LoggingConfig": {"LogFormat": "JSON", "ApplicationLogLevel": {"Ref": "LogLevel"}}}},
    }
    use_instead = "In a template deployed only to a development account, suppress the rule for the template with that reason."
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html",
        "https://aws.amazon.com/cloudwatch/pricing/",
    )
    service = "logs"
    resource_types = (
        "AWS::Serverless::Function",
        "AWS::Lambda::Function",
        "AWS::Serverless::Api",
        "AWS::ApiGateway::Stage",
        "AWS::ApiGateway::Deployment",
    )

    subject = "function or API stage"

    def subjects(self, template: Template) -> Iterator[Union[Function, StageResource]]:
        yield from template.functions()
        yield from template.of(SamApi, Stage, Deployment, implicit=True)

    def judge(self, resource: Union[Function, StageResource], template: Template) -> Iterator[Verdict]:
        if isinstance(resource, (SamFunction, LambdaFunction)):
            yield from self._function(resource)
        else:
            yield from self._stage(resource)

    def _function(self, function: Function) -> Iterator[Verdict]:
        logging = function.props.LoggingConfig
        settings = [
            (("LoggingConfig", "ApplicationLogLevel"), logging.ApplicationLogLevel),
            (("LoggingConfig", "SystemLogLevel"), logging.SystemLogLevel),
        ]
        settings += [(("Environment", "Variables", name), observability.env_var(function, name)) for name in LEVEL_VARIABLES]
        judged = False
        for at, level in settings:
            if not level.is_set():
                continue
            judged = True
            quiet = _in_every_environment(level.test(_not_verbose, absent=True))
            yield self.expect(
                function,
                quiet,
                lambda at=at, quiet=quiet: f"Function '{function.logical_id}' logs at {_level(quiet)} "
                f"({'.'.join(at)}): verbose logs in every environment multiply CloudWatch Logs ingestion cost.",
                fix="Default to INFO and raise the level per environment through a parameter.",
            )
        if not judged:
            yield self.met(function)

    def _stage(self, resource: StageResource) -> Iterator[Verdict]:
        if isinstance(resource, Deployment):
            items = resource.props.StageDescription.MethodSettings.items()
        else:
            items = resource.props.MethodSettings.items()
        for setting in items:
            full_trace = setting.LoggingLevel.equals("INFO", case_sensitive=True) & setting.DataTraceEnabled.is_true()
            yield self.expect(
                resource,
                _in_every_environment(~full_trace),
                f"API stage '{resource.logical_id}' logs full requests and responses (LoggingLevel "
                f"INFO with DataTraceEnabled): execution-log volume, and cost, grows with traffic.",
                fix="Turn DataTraceEnabled off, or log at ERROR:",
                snippet={"LoggingLevel": "ERROR", "DataTraceEnabled": False},
            )
        if not items:
            yield self.met(resource)


def _not_verbose(level: Value) -> Optional[bool]:
    text = level.text()
    return None if text is None else text.upper() not in VERBOSE_LEVELS


def _level(quiet: Truth) -> str:
    evidence = quiet.failing()[0].evidence
    return ((evidence.text() if evidence is not None else None) or "").upper()


def _in_every_environment(ok: Truth) -> Truth:
    """The practice is about what every deployment of the template logs: a verbose level chosen per
    environment (`!If [IsDev, DEBUG, INFO]`) is what the fix advises, not a finding. Fails only where
    every case fails (with the first failing value as the evidence); holds where one case holds."""
    passing = ok.passing()
    if passing:
        return Truth.of(True, passing[0].evidence)
    if ok.never:
        return Truth.of(False, ok.failing()[0].evidence)
    return Truth.of(None, ok.unknown()[0].evidence)
