from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Change, Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_settings import LOG_RETENTION_DAYS as RETENTION
from slens_lint.template import expressions
from slens_lint.template.expressions import Token
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.values import Truth

class FunctionWithoutLogRetention(Rule):
    id = "SL501"
    severity = Severity.WARNING
    severity_reason = (
        "warning: log retention is a design-card check; logs kept forever are a cost that only grows."
    )
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

    subject = "function"
    fix_safety = "safe"
    fix_title = "add a log group with RetentionInDays"
    fix_settings = (RETENTION,)

    def subjects(self, template: Template) -> Iterator[Function]:
        return template.functions()

    def judge(self, function: Function, template: Template) -> Verdict:
        # Any LoggingConfig.LogGroup counts, in the template (SL502 judges its retention) or outside.
        own_group = function.props.LoggingConfig.LogGroup.given()
        groups = template.memo("log_retention.group_names", _log_group_names)
        if groups is None:
            matched = Truth.of(None, function.props.FunctionName)
            hidden = "a log group name the template does not show"
            if own_group.never:
                return self.undecidable(function, hidden)
        else:
            matched = Truth.of(_matches_a_group(function, groups), function.props.FunctionName)
        name = function.logical_id
        return self.expect(
            function,
            own_group | matched,
            f"Function '{name}' has no log group with a retention period in the template: Lambda "
            f"creates /aws/lambda/<name> on first invocation and keeps its logs forever.",
            at=function.props_path,
            fix=f"Add a log group named /aws/lambda/${{{name}}} with RetentionInDays, or set "
            f"LoggingConfig.LogGroup to a log group of the template:",
            snippet={
                f"{name}LogGroup": {
                    "Type": "AWS::Logs::LogGroup",
                    "Properties": {
                        "LogGroupName": {"Fn::Sub": f"/aws/lambda/${{{name}}}"},
                        "RetentionInDays": RETENTION,
                    },
                }
            },
            changes=lambda: _new_log_group(template, function),
        )


def _new_log_group(template: Template, function: Function) -> tuple[Change, ...]:
    """The log group to add, beside the function, unless its name is taken."""
    name = f"{function.logical_id}LogGroup"
    if template.resource(name) is not None or name in template.excluded:
        return ()
    group = {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {"LogGroupName": {"Fn::Sub": f"/aws/lambda/${{{function.logical_id}}}"}, "RetentionInDays": RETENTION},
    }
    return (Change(("Resources", name), group),)


def _log_group_names(template: Template) -> Optional[list[tuple[Token, ...]]]:
    """Token forms of every log group name in the template (log groups, and `Custom::LogRetention`
    resources that set a retention); None if one cannot be read."""
    names: list[tuple[Token, ...]] = []
    for resource in template.resources.values():
        is_group = resource.type == "AWS::Logs::LogGroup"
        is_retention = resource.type == "Custom::LogRetention" and resource.props.has("RetentionInDays")
        if not (is_group or is_retention):
            continue
        for branch in resource.props.value_of("LogGroupName").branches():
            if branch.absent:
                continue
            tokens = branch.tokens()
            if tokens is None:
                return None
            names.append(tokens)
    return names


def _matches_a_group(function: Function, groups: list[tuple[Token, ...]]) -> bool:
    candidates: list[Any] = [{"Ref": function.logical_id}]
    candidates.extend(branch.expr for branch in function.props.FunctionName.branches() if not branch.absent)
    for candidate in candidates:
        if expressions.string_tokens(candidate) is None:
            continue
        expected = expressions.string_tokens({"Fn::Join": ["", ["/aws/lambda/", candidate]]})
        if expected is not None and expected in groups:
            return True
    return False
