from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

VERBOSE_LEVELS = frozenset({"DEBUG", "TRACE"})
LEVEL_VARIABLES = ("POWERTOOLS_LOG_LEVEL", "LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL")

# REST stages: where MethodSettings live on each resource type that defines a stage.
_STAGE_SETTINGS = {
    "AWS::Serverless::Api": ("MethodSettings",),
    "AWS::ApiGateway::Stage": ("MethodSettings",),
    "AWS::ApiGateway::Deployment": ("StageDescription", "MethodSettings"),
}


class VerboseLogLevel(Rule):
    id = "SL505"
    severity = Severity.WARNING
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
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function", *_STAGE_SETTINGS)

    def check(self, template: Template) -> Iterator[Violation]:
        for function in template.functions():
            yield from self._function(template, function)
        for resource in template.of_type(*_STAGE_SETTINGS, implicit=True):
            yield from self._stage(template, resource)

    def _function(self, template: Template, function: Resource) -> Iterator[Violation]:
        settings = [("LoggingConfig", key) for key in ("ApplicationLogLevel", "SystemLogLevel")]
        settings += [("Environment", "Variables", name) for name in LEVEL_VARIABLES]
        for at in settings:
            # Every Fn::If branch, at every level, must be verbose: a per-environment choice is fine.
            levels = [intrinsics.literal_string(v) if v is not None else None for v in intrinsics.values_at(function.raw_properties, *at)]
            if levels and all(isinstance(level, str) and level.upper() in VERBOSE_LEVELS for level in levels):
                yield self._report_level(template, function, at, levels[0])

    def _report_level(self, template: Template, function: Resource, at: tuple[str, ...], level: str) -> Violation:
        return self.report(
            template,
            function,
            f"Function '{function.logical_id}' logs at {level.upper()} ({'.'.join(at)}): verbose logs in "
            f"every environment multiply CloudWatch Logs ingestion cost.",
            at=at,
            fix="Default to INFO and raise the level per environment through a parameter.",
        )

    def _stage(self, template: Template, resource: Resource) -> Iterator[Violation]:
        at = _STAGE_SETTINGS[resource.type]
        container: Any = resource.raw_properties
        for key in at[:-1]:
            container = container.get(key) if isinstance(container, dict) else None
        settings = container.get(at[-1]) if isinstance(container, dict) else None
        if not isinstance(settings, list):
            return
        for index, setting in enumerate(settings):
            if not isinstance(setting, dict):
                continue
            level = intrinsics.literal_string(setting.get("LoggingLevel"))
            if level == "INFO" and intrinsics.truthy(setting.get("DataTraceEnabled")) is True:
                yield self.report(
                    template,
                    resource,
                    f"API stage '{resource.logical_id}' logs full requests and responses (LoggingLevel "
                    f"INFO with DataTraceEnabled): execution-log volume, and cost, grows with traffic.",
                    at=(*at, index, "DataTraceEnabled"),
                    fix="Turn DataTraceEnabled off, or log at ERROR:",
                    snippet={"LoggingLevel": "ERROR", "DataTraceEnabled": False},
                )
