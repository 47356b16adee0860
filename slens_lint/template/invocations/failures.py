"""Where failures go: a function's own failure handling for async invokes, and which queues are
dead-letter queues (something sends failures to them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from slens_lint.template import expressions
from slens_lint.template.invocations.names import Names
from slens_lint.template.resources.base import Props, Resource
from slens_lint.template.resources.lambda_ import Function, LambdaEventInvokeConfig
from slens_lint.template.values import Known, Truth, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

# Keys under which a template sends failed messages or events somewhere.
FAILURE_KEYS = frozenset(
    {"RedrivePolicy", "DeadLetterConfig", "DeadLetterQueue", "OnFailure", "ErrorAction", "deadLetterTargetArn"}
)
# Templates nest deeply (state machine definitions, dashboards): the walk stops somewhere.
_MAX_NODES = 100_000


class Failures:
    """Computed once per template, with the invocation facts."""

    def __init__(self, template: "Template", names: Names) -> None:
        self.names = names
        self.failure_configs: dict[str, list[Value]] = {}
        """Function -> the on-failure destinations of the `AWS::Lambda::EventInvokeConfig`s on it."""
        self.unattributed: list[Value] = []
        """The `FunctionName`s of invoke configs with an on-failure destination that may name any
        function of the template (an intrinsic the template does not resolve)."""
        for config in template.of(LambdaEventInvokeConfig):
            self._invoke_config(config)
        self.dead_letter_queues = self._dead_letter_queues(template)

    def _invoke_config(self, config: LambdaEventInvokeConfig) -> None:
        destination = config.props.DestinationConfig.OnFailure.Destination
        if not destination.is_set():
            return
        name = config.props.FunctionName
        refs = self.names.function_refs(name)
        if refs is None:
            # A literal name is some function outside the template; an unresolvable intrinsic may be ours.
            self.unattributed.extend(leaf for leaf in name.branches() if leaf.unknown)
            return
        for ref in refs:
            self.failure_configs.setdefault(ref.function, []).append(destination)

    def async_failure_handled(self, function: Function) -> Truth:
        """An on-failure destination or DLQ for async invokes: the function's own `DeadLetterQueue` /
        `DeadLetterConfig` / SAM `EventInvokeConfig`, or an `AWS::Lambda::EventInvokeConfig` on it (any
        qualifier: with `AutoPublishAlias` SAM invokes the alias, and the config then carries the alias
        name). Per branch; unknown where an invoke config may name it or a setting is hidden. An
        intrinsic standing for a whole setting counts as given."""
        props = function.props
        truths = [
            props.value_of("DeadLetterQueue").TargetArn.given(),
            props.value_of("DeadLetterConfig").TargetArn.given(),
            props.value_of("EventInvokeConfig").DestinationConfig.OnFailure.given(),
        ]
        truths.extend(destination.given() for destination in self.failure_configs.get(function.logical_id, ()))
        truths.extend(Truth.of(None, name) for name in self.unattributed)
        return Truth.any_of(truths)

    def _dead_letter_queues(self, template: "Template") -> set[str]:
        found: set[str] = set()
        queues = self.names.queues
        for resource in template.resources.values():
            if resource.logical_id in queues and resource.props.value_of("RedriveAllowPolicy").is_set():
                found.add(resource.logical_id)
            found |= _failure_references(resource) & queues.keys()
        return found

    def is_dead_letter_queue(self, queue_id: str) -> bool:
        return queue_id in self.dead_letter_queues


def _failure_references(resource: Resource[Any]) -> set[str]:
    """Every logical id named under a failure-handling key, anywhere in a resource's properties.

    Any property of any type may hold one (a pipe's source parameters, an IoT rule's error action, a
    state machine's task), so this walks the properties through their values: the fields of typed
    models, the entries and items of free-form data.
    """
    found: set[str] = set()
    stack: list[tuple[Value, bool]] = [(Known(resource.props, resource.props_path), False)]
    seen = 0
    while stack and seen < _MAX_NODES:
        value, under = stack.pop()
        seen += 1
        for leaf in value.branches():
            children = _children(leaf)
            if children is None:
                if under:
                    found |= expressions.references(leaf.expr)
                continue
            for key, child in children:
                stack.append((child, under or key in FAILURE_KEYS))
    return found


def _children(leaf: Value) -> Optional[list[tuple[Optional[str], Value]]]:
    literal = leaf.literal
    if isinstance(literal, Props):
        return list(literal.values())
    if isinstance(literal, dict):
        return list(leaf.entries().items())
    if isinstance(literal, list):
        return [(None, item) for item in leaf.items()]
    return None
