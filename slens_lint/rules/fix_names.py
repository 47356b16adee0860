"""The names a fix snippet gives what it refers to, so that a snippet names only what the template has
or what the snippet itself creates (never a placeholder to replace).

A name is derived from the flagged resource (`<Api>AccessLogs`, `<Function>Failures`). When the
template already has a resource of that name and of a fitting type, the snippet refers to it and
creates nothing; when the name is taken by something else, the next free one is used (`...2`). What
cannot be created from the template alone (a VPC endpoint, a subnet, an ARN of another stack) becomes a
parameter the snippet declares, whose description says what to pass.
"""

from __future__ import annotations

from typing import Any, Optional

from slens_lint.template.model import Template


def resource_name(template: Template, wanted: str, *types: str) -> tuple[str, bool]:
    """(name, exists): `wanted` when the template has a resource of that name of one of `types` (the
    snippet refers to it), else the first of `wanted`, `wanted2`... no resource or parameter has."""
    candidate, index = wanted, 1
    while True:
        existing = template.resource(candidate)
        if existing is not None and existing.type in types:
            return candidate, True
        if existing is None and not _taken(template, candidate):
            return candidate, False
        index += 1
        candidate = f"{wanted}{index}"


def parameter_name(template: Template, wanted: str) -> tuple[str, bool]:
    """(name, exists): `wanted` when the template declares a parameter of that name, else the first of
    `wanted`, `wanted2`... no resource or parameter has."""
    if any(p.name == wanted for p in template.parameters):
        return wanted, True
    candidate, index = wanted, 1
    while template.resource(candidate) is not None or _taken(template, candidate):
        index += 1
        candidate = f"{wanted}{index}"
    return candidate, False


def parameter(description: str, kind: str = "String") -> dict[str, Any]:
    """A parameter a snippet declares for what only the deployer knows."""
    return {"Type": kind, "Description": description}


def _taken(template: Template, name: str) -> bool:
    # Resources left out under a false condition and parameters share the logical-id namespace too.
    return name in template.excluded or any(p.name == name for p in template.parameters)


def fragment(resource_id: str, properties: dict[str, Any], created: Optional[dict[str, Any]] = None, parameters: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """A snippet: the resource's `properties` alone when it creates nothing; else, under the resource,
    beside the resources it creates; with parameters to declare, as `Parameters` and `Resources`."""
    if not created and not parameters:
        return properties
    resources = {resource_id: {"Properties": properties}, **(created or {})}
    return {"Parameters": parameters, "Resources": resources} if parameters else resources
