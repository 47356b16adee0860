"""What a value names: a function of the template, an SQS queue of the template, a kind of poll source.

A `FunctionName` or target ARN names a function through `Ref`/`GetAtt`, an alias (`AWS::Lambda::Alias`,
SAM's `Fn.Alias`), a version, the function's `FunctionName`, or an ARN built from any of these. What
cannot be attributed (a parameter without a default, an import, a function of another stack) is said
so (None), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from slens_lint.template import expressions
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.resources.messaging import SqsQueue
from slens_lint.template.values import Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

STREAM_KINDS = frozenset({"Kinesis", "DynamoDB", "MSK", "SelfManagedKafka", "DocumentDB"})
QUEUE_KINDS = frozenset({"SQS", "MQ"})
POLL_KINDS = STREAM_KINDS | QUEUE_KINDS

# What an event source mapping polls, by the type of the resource its EventSourceArn points at...
_KIND_BY_TYPE = {
    "AWS::Kinesis::Stream": "Kinesis",
    "AWS::Kinesis::StreamConsumer": "Kinesis",
    "AWS::DynamoDB::Table": "DynamoDB",
    "AWS::DynamoDB::GlobalTable": "DynamoDB",
    "AWS::SQS::Queue": "SQS",
    "AWS::MSK::Cluster": "MSK",
    "AWS::MSK::ServerlessCluster": "MSK",
    "AWS::AmazonMQ::Broker": "MQ",
    "AWS::DocDB::DBCluster": "DocumentDB",
}
# ...or by the service field of a literal (or Sub) ARN.
_KIND_BY_ARN_SERVICE = {
    "kinesis": "Kinesis",
    "dynamodb": "DynamoDB",
    "sqs": "SQS",
    "kafka": "MSK",
    "mq": "MQ",
    "rds": "DocumentDB",
}
_ARN_SERVICE = re.compile(r"^arn:[^:]*:([a-z0-9-]+):")
_FUNCTION_ARN = re.compile(r"^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$")
_MAX_DEPTH = 5


@dataclass(frozen=True)
class FunctionRef:
    function: str
    """Logical id of the function."""
    qualifier: Optional[str] = None
    """Alias or version when the value names one (None: unqualified or not known)."""


class Names:
    """The functions and queues of a template, and what values name among them."""

    def __init__(self, template: "Template") -> None:
        self.template = template
        self.functions: dict[str, Function] = {f.logical_id: f for f in template.functions()}
        self.queues: dict[str, SqsQueue] = {q.logical_id: q for q in template.of(SqsQueue)}

    # ---- functions ------------------------------------------------------------------------

    def function_refs(self, value: Value, _depth: int = 0) -> Optional[list[FunctionRef]]:
        """The functions of the template a `FunctionName` / target ARN value names, in any `Fn::If`
        branch. None when a branch cannot be attributed (a parameter, an import, another account)."""
        if _depth > _MAX_DEPTH:
            return None
        found: list[FunctionRef] = []
        for leaf in value.branches():
            if leaf.absent:
                continue
            ref = self._function_ref(leaf, _depth)
            if ref is None:
                return None
            found.extend(ref)
        return found

    def _function_ref(self, leaf: Value, depth: int) -> Optional[list[FunctionRef]]:
        expr = leaf.expr
        target = expressions.ref_target(expr)
        if target is not None:
            named = self._named_resource(target, depth)
            if named is not None or not leaf.resolved:
                return named
        tokens = expressions.string_tokens(expr)
        if tokens is None:
            return None
        for index, token in enumerate(tokens):
            if token[0] in ("ref", "att") and token[1] in self.functions:
                qualifier = None
                rest = tokens[index + 1 :]
                if rest and rest[0][0] == "lit" and rest[0][1].startswith(":"):
                    qualifier = rest[0][1][1:] or None
                return [FunctionRef(token[1], qualifier)]
            if token[0] in ("ref", "att"):
                named = self._named_resource(token[1], depth)
                if named:
                    return named
        for logical_id, function in self.functions.items():
            if expressions.same_string(function.props.FunctionName.expr, expr):
                return [FunctionRef(logical_id)]
        # A parameter's value names a function as a literal would.
        literal = leaf.text() if leaf.resolved else expressions.literal_string(expr)
        if literal is not None:
            match = _FUNCTION_ARN.match(literal)
            name, qualifier = (match.group(1), match.group(2)) if match else (literal, None)
            for logical_id, function in self.functions.items():
                if expressions.literal_string(function.props.FunctionName.expr) == name:
                    return [FunctionRef(logical_id, qualifier)]
        return None

    def _named_resource(self, target: str, depth: int) -> Optional[list[FunctionRef]]:
        if target in self.functions:
            return [FunctionRef(target)]
        if "." in target:
            # SAM's `!Ref Fn.Alias` / `!Ref Fn.Version` on an AutoPublishAlias function.
            base, member = target.split(".", 1)
            function = self.functions.get(base)
            if function is None:
                return None
            alias = function.props.value_of("AutoPublishAlias") if member == "Alias" else None
            return [FunctionRef(base, _literal_text(alias))]
        resource = self.template.resources.get(target)
        if resource is None or resource.type not in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            return None
        refs = self.function_refs(resource.props.value_of("FunctionName"), depth + 1)
        if refs is None:
            return None
        name = _literal_text(resource.props.value_of("Name")) if resource.type == "AWS::Lambda::Alias" else None
        return [FunctionRef(r.function, name) for r in refs]

    # ---- queues and poll sources ----------------------------------------------------------

    def queue_of(self, value: Value) -> Optional[str]:
        """The SQS queue of the template an ARN (or URL) value names, else None."""
        expr = value.expr
        target = expressions.ref_target(expr)
        if target is None:
            tokens = expressions.string_tokens(expr) or ()
            targets = [t[1] for t in tokens if t[0] in ("ref", "att")]
            target = targets[0] if len(targets) == 1 else None
        return target if target in self.queues else None

    def poll_kind(self, arn: Value) -> Optional[str]:
        """What an `EventSourceArn` (or SAM `Stream`/`Queue`) value points at, when that can be known
        (the same in every branch)."""
        kinds = set()
        for leaf in arn.branches():
            kind = self._poll_kind(leaf)
            if kind is None:
                return None
            kinds.add(kind)
        return kinds.pop() if len(kinds) == 1 else None

    def _poll_kind(self, leaf: Value) -> Optional[str]:
        expr: Any = leaf.text() if leaf.resolved else leaf.expr
        target = expressions.ref_target(expr)
        if target is not None:
            resource = self.template.resources.get(target)
            return _KIND_BY_TYPE.get(resource.type) if resource is not None else None
        tokens = expressions.string_tokens(expr)
        if tokens is None:
            return None
        flat = "".join(t[1] if t[0] == "lit" else "X" for t in tokens)
        match = _ARN_SERVICE.match(flat)
        if match:
            return _KIND_BY_ARN_SERVICE.get(match.group(1))
        for token in tokens:
            if token[0] == "att":
                resource = self.template.resources.get(token[1])
                if resource is not None and resource.type in _KIND_BY_TYPE:
                    return _KIND_BY_TYPE[resource.type]
        return None


def _literal_text(value: Optional[Value]) -> Optional[str]:
    """A name written as a literal (a parameter's value is not a name SAM or Lambda sees here)."""
    if value is None or not value.known:
        return None
    literal = value.literal
    return literal if isinstance(literal, str) else None
