from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import Token
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

LAMBDA_PREFIX: tuple[Token, ...] = (("lit", "/aws/lambda/"),)


class FunctionWithoutLogRetention(Rule):
    id = "SL501"
    severity = Severity.WARNING
    title = "Function without a log group with retention"
    practice = "Cost optimization 2: Optimize logging output and its retention"
    rationale = (
        "When a template declares no log group for a function, Lambda creates `/aws/lambda/<name>` on "
        "the first invocation with retention set to *never expire*. Logs then accumulate forever: a "
        "storage cost that only grows, and data kept longer than any policy allows. A log group in the "
        "template also gets deleted with the stack instead of being orphaned."
    )
    fix = (
        "Declare an `AWS::Logs::LogGroup` named `/aws/lambda/<function name>` with `RetentionInDays`, "
        "or point `LoggingConfig.LogGroup` at a log group of the template."
    )
    example = {
        "Resources": {
            "HelloFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "src/"},
            },
            "HelloFunctionLogGroup": {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {
                    "LogGroupName": {"Fn::Sub": "/aws/lambda/${HelloFunction}"},
                    "RetentionInDays": 30,
                },
            },
        }
    }
    use_instead = (
        "If an organisation-wide mechanism sets retention on every new log group (a subscription or a "
        "scheduled function), suppress this rule for the template with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/cost-optimization.html",
    )
    service = "logs"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::Logs::LogGroup", "Custom::LogRetention")

    def check(self, template: Template) -> Iterator[Violation]:
        groups = _log_group_names(template)
        if groups is None:
            return
        for function in template.functions():
            if _has_logging_config_group(function):
                continue
            if _matches_a_group(function, groups):
                continue
            name = function.logical_id
            yield self.report(
                template,
                function,
                f"Function '{name}' has no log group with a retention period in the template: Lambda "
                f"creates /aws/lambda/<name> on first invocation and keeps its logs forever.",
                fix=f"Add a log group named /aws/lambda/${{{name}}} with RetentionInDays, or set "
                f"LoggingConfig.LogGroup to a log group of the template:",
                snippet={
                    f"{name}LogGroup": {
                        "Type": "AWS::Logs::LogGroup",
                        "Properties": {
                            "LogGroupName": {"Fn::Sub": f"/aws/lambda/${{{name}}}"},
                            "RetentionInDays": 30,
                        },
                    }
                },
            )


def _has_logging_config_group(function: Resource) -> bool:
    """Any LoggingConfig.LogGroup value counts: in the template (SL502 judges its retention) or outside."""
    config = function.raw_properties.get("LoggingConfig")
    return any(intrinsics.is_set(branch.get("LogGroup")) for branch in intrinsics.iter_dicts(config))


def _log_group_names(template: Template) -> Optional[list[tuple[Token, ...]]]:
    """Token forms of every log group name in the template; None if one cannot be read (no finding then)."""
    names: list[tuple[Token, ...]] = []
    for resource in template.resources.values():
        is_group = resource.type == "AWS::Logs::LogGroup"
        is_retention = resource.type == "Custom::LogRetention" and "RetentionInDays" in resource.raw_properties
        if not (is_group or is_retention):
            continue
        raw_name = resource.raw_properties.get("LogGroupName")
        if raw_name is None:
            continue
        for branch in intrinsics.branches(raw_name):
            tokens = intrinsics.string_tokens(branch)
            if tokens is None:
                return None
            names.append(tokens)
    return names


def _matches_a_group(function: Resource, groups: list[tuple[Token, ...]]) -> bool:
    candidates: list[Any] = [{"Ref": function.logical_id}]
    function_name = function.raw_properties.get("FunctionName")
    if function_name is not None:
        candidates.extend(intrinsics.branches(function_name))
    for candidate in candidates:
        tokens = intrinsics.string_tokens(candidate)
        if tokens is None:
            continue
        expected = intrinsics.string_tokens({"Fn::Join": ["", ["/aws/lambda/", candidate]]})
        if expected is not None and expected in groups:
            return True
    return False
