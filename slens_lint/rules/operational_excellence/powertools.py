"""Whether a function uses Powertools for AWS Lambda, as far as its template shows.

Powertools is wired in two ways a template can show: the public layer
(`arn:aws:lambda:<region>:017000801446:layer:AWSLambdaPowertoolsPythonV3-...`, often through a
parameter or a mapping of per-region ARNs) and its environment variables (`POWERTOOLS_SERVICE_NAME`
configures Logger, Tracer and Metrics in every language). Powertools bundled in the deployment package
leaves no trace in the template; rules treat "no evidence" accordingly.
"""

from __future__ import annotations

import enum
from typing import Any, Iterator

from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import Unknown
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

SERVICE_NAME = "POWERTOOLS_SERVICE_NAME"
TRACE_DISABLED = "POWERTOOLS_TRACE_DISABLED"
_MARKER = "powertools"


class Evidence(enum.Enum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"
    """A layer the template cannot name (a parameter without default, an import): it may be Powertools."""


def env_values(function: Resource, name: str) -> list[Any]:
    """The values environment variable `name` can take (None where it is not set)."""
    return intrinsics.values_at(function.raw_properties, "Environment", "Variables", name)


def sets_env(function: Resource, name: str) -> bool:
    """True when every branch sets the variable to something (any value or expression)."""
    values = env_values(function, name)
    return bool(values) and all(v is not None and not isinstance(v, Unknown) for v in values)


def tracer_disabled(function: Resource) -> bool:
    values = env_values(function, TRACE_DISABLED)
    return bool(values) and all(intrinsics.truthy(v) is True for v in values)


def layer_evidence(template: Template, function: Resource) -> Evidence:
    """Does a layer of the function look like Powertools? UNKNOWN when some layer cannot be named."""
    layers = function.raw_properties.get("Layers")
    if layers is None:
        return Evidence.NO
    saw_unknown = False
    for branch in intrinsics.branches(layers):
        items = intrinsics.as_list(branch) if branch is not intrinsics.NO_VALUE else []
        if items is None:
            saw_unknown = True
            continue
        for item in items:
            for layer in intrinsics.branches(item):
                verdict = _one_layer(template, layer)
                if verdict is Evidence.YES:
                    return Evidence.YES
                if verdict is Evidence.UNKNOWN:
                    saw_unknown = True
    return Evidence.UNKNOWN if saw_unknown else Evidence.NO


def _one_layer(template: Template, layer: Any) -> Evidence:
    if layer is intrinsics.NO_VALUE or layer is None:
        return Evidence.NO
    if isinstance(layer, Unknown):
        return Evidence.UNKNOWN
    texts = list(_texts(template, layer))
    if any(_MARKER in text.lower() for text in texts):
        return Evidence.YES
    tokens = intrinsics.string_tokens(layer)
    if tokens is None:
        # FindInMap, ImportValue, Select...: a name we cannot read (its mapping was searched above).
        return Evidence.UNKNOWN
    for token in tokens:
        if token[0] == "ref" and token[1] in template.parameters:
            parameter = template.parameters[token[1]]
            if not (isinstance(parameter, dict) and isinstance(parameter.get("Default"), str)):
                return Evidence.UNKNOWN
    return Evidence.NO


def _texts(template: Template, value: Any) -> Iterator[str]:
    """Every string a layer expression shows or points at: literals, parameter names and defaults,
    in-template layer names, and the mappings a `FindInMap` reads."""
    stack = [intrinsics.as_raw(value)]
    seen = 0
    while stack and seen < 1000:
        seen += 1
        node = stack.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if intrinsics.is_intrinsic(node) and "Fn::FindInMap" in node:
                args = node["Fn::FindInMap"]
                if isinstance(args, list) and args and isinstance(args[0], str):
                    stack.append(_mapping(template, args[0]))
            for name in intrinsics.references(node):
                yield name
                if name in template.parameters:
                    stack.append(template.parameters[name])
                elif name in template.resources:
                    stack.append(template.resources[name].raw_properties.get("LayerName"))
            stack.extend(node.values())


def _mapping(template: Template, name: str) -> Any:
    mappings = template.tree.get("Mappings")
    return mappings.get(name) if isinstance(mappings, dict) else None
