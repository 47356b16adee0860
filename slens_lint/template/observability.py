"""What a template shows of a function's observability: Powertools, and the alarms that watch it.

Powertools for AWS Lambda is wired in two ways a template can show: the public layer
(`arn:aws:lambda:<region>:017000801446:layer:AWSLambdaPowertoolsPythonV3-...`, often through a
parameter or a mapping of per-region ARNs) and its environment variables (`POWERTOOLS_SERVICE_NAME`
configures Logger, Tracer and Metrics in every language). Powertools bundled in the deployment package
leaves no trace in the template; rules treat "no evidence" accordingly.

Alarms: Lambda publishes `Errors` and `Throttles` per function (dimension `FunctionName`, or
`Resource` = `name:alias` for a version or alias) and account-wide (no dimension); Step Functions
publishes `ExecutionsFailed` per state machine (`StateMachineArn`). `watched_metrics` reads every
alarm's metrics once, so rules ask which alarms watch a resource without re-reading alarms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Optional

from slens_lint.template import expressions
from slens_lint.template.expressions import Token
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.monitoring import Alarm, MetricSpec
from slens_lint.template.values import Truth, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

# ---- Powertools -----------------------------------------------------------------------------

SERVICE_NAME = "POWERTOOLS_SERVICE_NAME"
TRACE_DISABLED = "POWERTOOLS_TRACE_DISABLED"
LOGGER_VARIABLES = (SERVICE_NAME, "POWERTOOLS_LOG_LEVEL", "POWERTOOLS_LOGGER_LOG_EVENT", "POWERTOOLS_LOGGER_SAMPLE_RATE")
"""Powertools environment variables that configure its Logger (Python, TypeScript, Java, .NET)."""
_MARKER = "powertools"


def env_var(function: Resource[Any], name: str) -> Value:
    """Environment variable `name` of a function (every branch; absent where it is not set)."""
    return function.props.value_of("Environment").Variables[name]


def sets_env(function: Resource[Any], name: str) -> Truth:
    """True where the variable is set (to any value or expression); unknown where the environment
    itself is an expression the template does not show."""

    def check(leaf: Value) -> Optional[bool]:
        if leaf.absent:
            return False
        # A variable read through an unresolvable `Environment` or `Variables` has no expression.
        return None if leaf.unknown and leaf.expr is None else True

    return env_var(function, name).each(check)


def sets_logger(function: Resource[Any]) -> Truth:
    """True where a Powertools Logger variable is set."""
    return Truth.any_of(sets_env(function, name) for name in LOGGER_VARIABLES)


def tracer_disabled(function: Resource[Any]) -> Truth:
    return env_var(function, TRACE_DISABLED).is_true()


def layer_evidence(template: "Template", function: Resource[Any]) -> Truth:
    """Does a layer of the function look like Powertools? True where one does; unknown where a layer
    cannot be named (a parameter without default, an import): it may be Powertools."""

    def per_list(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(False, leaf)
        items = leaf.literal
        if not isinstance(items, list):
            return Truth.of(None, leaf)
        return Truth.any_of((item.each(lambda layer: _one_layer(template, layer)) for item in items), default=False)

    return function.props.value_of("Layers").each(per_list)


def powertools_tracer(template: "Template", function: Resource[Any]) -> Truth:
    """True where the template shows Powertools (its service name or its layer) with the Tracer on."""
    return ~tracer_disabled(function) & (sets_env(function, SERVICE_NAME) | layer_evidence(template, function))


def _one_layer(template: "Template", layer: Value) -> Optional[bool]:
    if layer.absent:
        return False
    expr = layer.expr
    if expr is None:
        return None
    if any(_MARKER in text.lower() for text in _texts(template, expr)):
        return True
    tokens = expressions.string_tokens(expr)
    if tokens is None:
        # FindInMap, ImportValue, Select...: a name we cannot read (its mapping was searched above).
        return None
    for token in tokens:
        if token[0] == "ref":
            parameter = template.env.parameters.get(token[1])
            if parameter is not None and not isinstance(parameter.default, str):
                return None
    return False


def _texts(template: "Template", expr: Any) -> Iterator[str]:
    """Every string a layer expression shows or points at: literals, parameter names and their
    declarations, in-template layer names, and the mappings a `FindInMap` reads.

    Walked as written: a layer ARN is named through any mix of intrinsics, and a parameter's
    description or a mapping (template sections with no model) may be all that names Powertools."""
    parameters = {parameter.name: parameter.spec for parameter in template.parameters}
    stack = [expr]
    seen = 0
    while stack and seen < 1000:
        seen += 1
        node = stack.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if expressions.is_intrinsic(node) and "Fn::FindInMap" in node:
                args = node["Fn::FindInMap"]
                if isinstance(args, list) and args and isinstance(args[0], str):
                    mappings = template.tree.get("Mappings")
                    stack.append(mappings.get(args[0]) if isinstance(mappings, dict) else None)
            for name in expressions.references(node):
                yield name
                if name in parameters:
                    stack.append(dict(parameters[name]))
                elif name in template.resources:
                    stack.append(template.resources[name].props.value_of("LayerName").expr)
            stack.extend(node.values())


# ---- alarms -----------------------------------------------------------------------------------

LAMBDA_NAMESPACE = "AWS/Lambda"
STATES_NAMESPACE = "AWS/States"
LAMBDA_ERROR_METRICS = frozenset({"Errors", "Throttles"})
# A Metrics Insights query (`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName)`) watches every
# function's errors; one narrowed by `WHERE` cannot be matched to functions reliably, so it counts too.
_QUERY_LAMBDA = re.compile(r"AWS/Lambda")
_QUERY_METRIC = re.compile(r"\b(Errors|Throttles)\b")


@dataclass
class WatchedMetric:
    """One metric an alarm reads, as far as the template shows it."""

    alarm: str
    namespaces: set[str] = field(default_factory=set)
    """The namespaces it can have ("" where absent); complete only when `hidden_namespace` is None."""
    names: set[str] = field(default_factory=set)
    """The metric names it can have; complete only when `hidden_name` is None."""
    dimensions: Optional[dict[str, list[tuple[Token, ...]]]] = None
    """Token forms of each dimension's values (`FunctionName` -> [(("ref", "Fn"),)]); {} for a metric
    without dimensions (account-wide), None when the dimension list cannot be read."""
    hidden_namespace: Optional[Value] = None
    hidden_name: Optional[Value] = None
    hidden_dimensions: dict[str, Value] = field(default_factory=dict)
    """Per dimension name, a value the template does not show (an import is not counted: it names
    something outside the stack)."""
    source: Optional[Value] = None
    """The metric as read (the evidence when its dimension list cannot be read)."""

    def reads(self, namespace: str, metrics: frozenset[str]) -> Optional[bool]:
        """Whether the metric is one of `metrics` in `namespace`: None when the template hides it."""
        if self.hidden_namespace is None and namespace not in self.namespaces:
            return False
        if self.hidden_name is None and not metrics & self.names:
            return False
        if self.hidden_namespace is not None or self.hidden_name is not None:
            return None
        return True


@dataclass
class LambdaErrorAlarms:
    """What the template's alarms watch of Lambda's `Errors` and `Throttles`."""

    account_wide: list[str] = field(default_factory=list)
    """Alarms on every function's errors: no dimension, or a Metrics Insights query."""
    unreadable: list[tuple[str, Value]] = field(default_factory=list)
    """Alarms on a metric or function the template does not show (with the value that hides it): they
    may watch any function."""


def watched_metrics(template: "Template") -> list[WatchedMetric]:
    """Every metric of every alarm of the template."""
    return template.memo("observability.watched_metrics", _watched_metrics)


def _watched_metrics(template: "Template") -> list[WatchedMetric]:
    return [_read_metric(alarm.logical_id, metric) for alarm in template.of(Alarm) for metric in alarm.watched_metrics()]


def _texts_of(value: Value) -> tuple[set[str], Optional[Value]]:
    texts: set[str] = set()
    hidden = None
    for leaf in value.branches():
        text = "" if leaf.absent else leaf.text()
        if text is None:
            hidden = hidden or leaf
        else:
            texts.add(text)
    return texts, hidden


def _read_metric(alarm: str, metric: Value) -> WatchedMetric:
    watched = WatchedMetric(alarm, source=metric)
    spec = metric.literal
    if not isinstance(spec, MetricSpec):
        watched.hidden_namespace = watched.hidden_name = metric
        return watched
    watched.namespaces, watched.hidden_namespace = _texts_of(spec.Namespace)
    watched.names, watched.hidden_name = _texts_of(spec.MetricName)
    dimensions = spec.Dimensions
    if dimensions.absent or dimensions.literal == []:
        watched.dimensions = {}
        return watched
    if not isinstance(dimensions.literal, list):
        return watched
    read: dict[str, list[tuple[Token, ...]]] = {}
    for item in dimensions.literal:
        for leaf in item.branches():
            name = leaf.Name.text()
            if name is None:
                continue
            values = read.setdefault(name, [])
            for value in leaf.Value.branches():
                if value.absent:
                    continue
                tokens = value.tokens()
                if tokens is not None:
                    values.append(tokens)
                elif not _is_import(value.expr):
                    watched.hidden_dimensions.setdefault(name, value)
    watched.dimensions = read
    return watched


def lambda_error_alarms(template: "Template") -> LambdaErrorAlarms:
    """The template's alarms that may watch any function's `Errors`/`Throttles`, read once."""
    return template.memo("observability.lambda_error_alarms", _lambda_error_alarms)


def _lambda_error_alarms(template: "Template") -> LambdaErrorAlarms:
    found = LambdaErrorAlarms()
    for metric in watched_metrics(template):
        reads = metric.reads(LAMBDA_NAMESPACE, LAMBDA_ERROR_METRICS)
        if reads is False:
            continue
        if reads is None:
            found.unreadable.append((metric.alarm, metric.hidden_namespace or metric.hidden_name))  # type: ignore[arg-type]
        elif metric.dimensions is None:
            found.unreadable.append((metric.alarm, metric.source))  # type: ignore[arg-type]
        elif metric.dimensions == {}:
            found.account_wide.append(metric.alarm)
        else:
            hidden = metric.hidden_dimensions.get("FunctionName") or metric.hidden_dimensions.get("Resource")
            if hidden is not None:
                found.unreadable.append((metric.alarm, hidden))
    for alarm in template.of(Alarm):
        for query in alarm.props.Metrics.items():
            text = query.Expression.text()
            if text and _query_watches_lambda(text):
                found.account_wide.append(alarm.logical_id)
    return found


def alarms_on_function(template: "Template", function: Resource[Any], metrics: frozenset[str] = LAMBDA_ERROR_METRICS) -> list[str]:
    """Alarms of the template that watch this function's `metrics` by name (its `FunctionName`, or the
    `Resource` of one of its versions or aliases); account-wide alarms are not counted."""
    candidates = [(("ref", function.logical_id),)]
    for leaf in function.props.value_of("FunctionName").branches():
        tokens = None if leaf.absent else leaf.tokens()
        if tokens:
            candidates.append(tokens)
    found: list[str] = []
    for metric in watched_metrics(template):
        if not metric.reads(LAMBDA_NAMESPACE, metrics):
            continue
        dimensions = metric.dimensions or {}
        names = dimensions.get("FunctionName", [])
        resources = dimensions.get("Resource", [])
        for candidate in candidates:
            if candidate in names or any(r == candidate or _qualified(r, candidate) for r in resources):
                if metric.alarm not in found:
                    found.append(metric.alarm)
    return found


def alarms_on_state_machine(template: "Template", machine: Resource[Any]) -> list[str]:
    """Alarms of the template on the state machine's `ExecutionsFailed` (`StateMachineArn: !Ref it`)."""
    wanted = (("ref", machine.logical_id),)
    return [
        metric.alarm
        for metric in watched_metrics(template)
        if metric.reads(STATES_NAMESPACE, frozenset({"ExecutionsFailed"}))
        and wanted in (metric.dimensions or {}).get("StateMachineArn", [])
    ]


def _qualified(resource: tuple[Token, ...], name: tuple[Token, ...]) -> bool:
    """`name:alias` (the `Resource` dimension of a version or alias) for the function `name`."""
    if len(resource) != len(name) + (0 if name[-1][0] == "lit" else 1):
        return False
    if name[-1][0] == "lit":
        return resource[:-1] == name[:-1] and resource[-1][1].startswith(name[-1][1] + ":")
    return resource[:-1] == name and resource[-1][0] == "lit" and resource[-1][1].startswith(":")


def _is_import(expr: Any) -> bool:
    return expressions.is_intrinsic(expr) and "Fn::ImportValue" in expr


def _query_watches_lambda(text: str) -> bool:
    return (
        text.lstrip().upper().startswith(("SELECT", "SEARCH"))
        and bool(_QUERY_LAMBDA.search(text))
        and bool(_QUERY_METRIC.search(text))
    )
