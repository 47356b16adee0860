from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import Intrinsic, Token, Unknown
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource
from slens_lint.legacy.resources.monitoring import Alarm, MetricDataQuerySpec, MetricSpec

LAMBDA_NAMESPACE = "AWS/Lambda"
WATCHED_METRICS = frozenset({"Errors", "Throttles"})
# A Metrics Insights query (`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName)`) watches every
# function's errors; one narrowed by `WHERE` cannot be matched to functions reliably, so it counts too.
_QUERY_LAMBDA = re.compile(r"AWS/Lambda")
_QUERY_METRIC = re.compile(r"\b(Errors|Throttles)\b")


@dataclass
class _Coverage:
    """What the template's alarms watch of Lambda's Errors/Throttles."""

    every_function: bool = False
    """An alarm without a FunctionName dimension (account-wide metric) or one that cannot be read."""
    names: list[tuple[Token, ...]] = field(default_factory=list)
    """Token forms of the FunctionName dimension values (Ref, Sub, literal)."""
    resources: list[tuple[Token, ...]] = field(default_factory=list)
    """Token forms of `Resource` dimension values (`name` or `name:alias`)."""


class FunctionWithoutErrorAlarm(Rule):
    id = "SL114"
    severity = Severity.INFO
    title = "Function without an alarm on its errors or throttles"
    practice = "Operational excellence 1: Understand, analyze and alert on the metrics you get for free"
    rationale = (
        "Lambda publishes `Errors` and `Throttles` for every function at no cost, but nobody is told "
        "when they rise unless an alarm watches them. Without one, a failing deployment, a broken "
        "dependency or a concurrency limit is discovered by users (or by a queue that silently fills), "
        "not by the team. An alarm in the template is created, changed and deleted with the function."
    )
    fix = (
        "Add an `AWS::CloudWatch::Alarm` on namespace `AWS/Lambda`, metric `Errors` (and one on "
        "`Throttles`) with dimension `FunctionName: !Ref <Function>`, `Statistic: Sum`, and an "
        "`AlarmActions` topic that reaches the team. A metric-math alarm over the function's metrics, or "
        "one account-wide alarm without dimensions, counts too."
    )
    example = {
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "src/"},
            },
            "OrdersFunctionErrors": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    "Namespace": "AWS/Lambda",
                    "MetricName": "Errors",
                    "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "OrdersFunction"}}],
                    "Statistic": "Sum",
                    "Period": 60,
                    "EvaluationPeriods": 1,
                    "Threshold": 1,
                    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                    "TreatMissingData": "notBreaching",
                    "AlarmActions": [{"Ref": "AlertsTopic"}],
                },
            },
        }
    }
    use_instead = (
        "If alarms live in another stack (a shared monitoring stack, a CDK construct, an "
        "observability platform), suppress the rule for the template with that reason. Functions that "
        "back custom resources are not checked: a failure there fails the deployment visibly, and "
        "neither are functions whose `DeploymentPreference.Alarms` name alarms outside the template."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#Lambda",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/operational-excellence.html",
    )
    service = "cloudwatch"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::CloudWatch::Alarm")

    def check(self, template: Template) -> Iterator[Violation]:
        coverage = _coverage(template)
        if coverage.every_function:
            return
        for function in template.functions():
            if function.logical_id in template.service_token_targets:
                continue
            if _covered(function, coverage) or _names_outside_alarms(template, function):
                continue
            name = function.logical_id
            yield self.report(
                template,
                function,
                f"Function '{name}' has no CloudWatch alarm on its Errors or Throttles metric in the "
                f"template: failures and throttling go unnoticed until someone looks at a dashboard or a "
                f"user complains.",
                fix=f"Add an alarm on AWS/Lambda Errors (and Throttles) for {name}, with an action that "
                f"notifies the team:",
                snippet={
                    f"{name}ErrorsAlarm": {
                        "Type": "AWS::CloudWatch::Alarm",
                        "Properties": {
                            "Namespace": LAMBDA_NAMESPACE,
                            "MetricName": "Errors",
                            "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": name}}],
                            "Statistic": "Sum",
                            "Period": 60,
                            "EvaluationPeriods": 1,
                            "Threshold": 1,
                            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                            "TreatMissingData": "notBreaching",
                        },
                    }
                },
            )


def _coverage(template: Template) -> _Coverage:
    coverage = _Coverage()
    for alarm in template.of_type("AWS::CloudWatch::Alarm"):
        if not isinstance(alarm, Alarm):
            continue
        for metric in alarm.watched_metrics():
            _add_metric(metric, coverage)
        for query in alarm.properties.Metrics if isinstance(alarm.properties.Metrics, list) else []:
            if isinstance(query, MetricDataQuerySpec) and _query_watches_lambda(query.Expression):
                coverage.every_function = True
        if coverage.every_function:
            break
    return coverage


def _add_metric(metric: MetricSpec, coverage: _Coverage) -> None:
    namespace = _readable(metric.Namespace)
    metric_names = [_readable(v) for v in intrinsics.branches(metric.MetricName)]
    if namespace is not None and namespace != LAMBDA_NAMESPACE:
        return
    if None not in metric_names and not WATCHED_METRICS.intersection(metric_names):
        return
    if namespace is None or None in metric_names:
        # An alarm on a metric that cannot be read may be the one we are looking for.
        coverage.every_function = True
        return
    dimensions = metric.Dimensions
    if dimensions is None or dimensions == []:
        coverage.every_function = True  # the account-wide metric: every function's errors
        return
    if not isinstance(dimensions, list):
        coverage.every_function = True
        return
    for dimension in dimensions:
        name = _readable(getattr(dimension, "Name", None))
        if name not in ("FunctionName", "Resource"):
            continue
        for value in intrinsics.branches(dimension.Value):
            tokens = intrinsics.string_tokens(value)
            if tokens is None:
                if not _is_import(value):
                    coverage.every_function = True
                continue
            (coverage.names if name == "FunctionName" else coverage.resources).append(tokens)


def _covered(function: Resource, coverage: _Coverage) -> bool:
    candidates: list[Any] = [{"Ref": function.logical_id}]
    candidates.extend(
        b for b in intrinsics.branches(function.raw_properties.get("FunctionName")) if b is not intrinsics.NO_VALUE
    )
    for candidate in candidates:
        tokens = intrinsics.string_tokens(candidate)
        if tokens is None:
            continue
        if tokens in coverage.names:
            return True
        for resource in coverage.resources:
            if resource == tokens or _qualified(resource, tokens):
                return True
    return False


def _names_outside_alarms(template: Template, function: Resource) -> bool:
    """A gradual deployment that rolls back on alarms kept outside the template (a parameter, an
    import, a literal name): those alarms may well watch the function's errors."""
    for alarms in intrinsics.values_at(function.raw_properties, "DeploymentPreference", "Alarms"):
        if alarms is None:
            continue
        if not isinstance(alarms, list):
            return True
        for entry in alarms:
            for value in intrinsics.branches(entry):
                if value is intrinsics.NO_VALUE:
                    continue
                target = template.target(value)
                if target is None or target.type != "AWS::CloudWatch::Alarm":
                    return True
    return False


def _qualified(resource: tuple[Token, ...], name: tuple[Token, ...]) -> bool:
    """`name:alias` (the `Resource` dimension of a version or alias) for the function `name`."""
    if len(resource) != len(name) + (0 if name[-1][0] == "lit" else 1):
        return False
    if name[-1][0] == "lit":
        return resource[:-1] == name[:-1] and resource[-1][1].startswith(name[-1][1] + ":")
    return resource[:-1] == name and resource[-1][0] == "lit" and resource[-1][1].startswith(":")


def _readable(value: Any) -> Optional[str]:
    if value is None or isinstance(value, Unknown):
        return None if isinstance(value, Unknown) else ""
    if isinstance(value, Intrinsic):
        return intrinsics.literal_string(value.as_dict())
    return intrinsics.literal_string(value)


def _is_import(value: Any) -> bool:
    return intrinsics.is_intrinsic(value) and "Fn::ImportValue" in value


def _query_watches_lambda(expression: Any) -> bool:
    text = _readable(expression)
    return (
        bool(text)
        and text.lstrip().upper().startswith(("SELECT", "SEARCH"))
        and bool(_QUERY_LAMBDA.search(text))
        and bool(_QUERY_METRIC.search(text))
    )
