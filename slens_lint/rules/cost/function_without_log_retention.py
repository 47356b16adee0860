from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Change, Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_settings import LOG_RETENTION_DAYS as RETENTION
from slens_lint.template import expressions
from slens_lint.template.expressions import Token
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.resources.other import LogGroup
from slens_lint.template.values import Resolved, Truth, Unknown, Value

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
        "template also gets deleted with the stack instead of being orphaned. A function whose "
        "`LoggingConfig.LogGroup` names a group the template does not define (imported, from a parameter "
        "or named literally) is not judged: that group's retention is set where the group is."
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
        groups = template.memo("log_retention.group_names", _log_group_names)
        # Per branch: no LoggingConfig.LogGroup leaves Lambda's default group (matched by name); a group
        # of the template is met (SL502 judges its retention); any other group's retention is set where
        # that group is defined, which the template cannot show.
        logged = function.props.LoggingConfig.LogGroup.each(
            lambda leaf: _default_group(function, groups, leaf) if leaf.absent else _names_a_group(leaf, template, groups)
        )
        name = function.logical_id
        return self.expect(
            function,
            logged,
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


# What hides the answer when a log group of the template has a name that cannot be read statically.
UNREADABLE_NAME = "a log group name the template does not show"


def _default_group(function: Function, groups: Optional[list[tuple[Token, ...]]], absent: Value) -> Truth:
    """Whether the template declares Lambda's default group, `/aws/lambda/<function name>`, for a branch
    without LoggingConfig.LogGroup (`absent`, the evidence: the missing setting decides, not the name)."""
    if groups is None:
        return Truth.of(None, Unknown(UNREADABLE_NAME, None, absent.path))
    return Truth.of(_matches_a_group(function, groups), absent)


def _names_a_group(leaf: Value, template: Template, groups: Optional[list[tuple[Token, ...]]]) -> Truth:
    """Whether a `LoggingConfig.LogGroup` branch names a log group of the template: a `Ref`/`GetAtt`
    to one, or the name one declares."""
    target = template.resource(leaf.ref)
    if isinstance(target, LogGroup):
        return Truth.of(True, leaf)
    if groups is None:
        return Truth.of(None, Unknown(UNREADABLE_NAME, leaf.expr, leaf.path))
    names = [leaf.tokens()]
    if leaf.resolved:
        names.append(expressions.string_tokens(leaf.text()))
    if any(name is not None and name in groups for name in names):
        return Truth.of(True, leaf)
    return Truth.of(None, Unknown(_outside(leaf, target), leaf.expr, leaf.path))


def _outside(leaf: Value, target: Optional[Resource[Any]]) -> str:
    """What hides the retention of a group the template does not define, and what would show it."""
    if target is not None:
        what = f"resource '{target.logical_id}' of type {target.type or 'unknown'}, not a log group"
    elif isinstance(leaf, Resolved):
        what = leaf.describe_origin()
    elif isinstance(leaf, Unknown):
        what = leaf.reason
    else:
        what = f"'{leaf.text()}'"
    return (
        f"LoggingConfig.LogGroup names a log group the template does not define ({what}): its retention "
        f"is set outside the template; a log group of the template (referred to, or declaring that "
        f"LogGroupName) would show it"
    )


def _log_group_names(template: Template) -> Optional[list[tuple[Token, ...]]]:
    """Token forms of every log group name in the template (log groups, and `Custom::LogRetention`
    resources that set a retention); None if one cannot be read."""
    names: list[tuple[Token, ...]] = []
    for resource in template.resources.values():
        if isinstance(resource, LogGroup):
            name = resource.props.LogGroupName
        elif resource.type == "Custom::LogRetention" and resource.props.has("RetentionInDays"):
            # A custom resource has no schema: its properties are read by name.
            name = resource.props.value_of("LogGroupName")
        else:
            continue
        for branch in name.branches():
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
