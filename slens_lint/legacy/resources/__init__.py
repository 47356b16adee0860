"""Typed resource models, discriminated on `Type`; every other type gets the lenient generic model."""

from __future__ import annotations

from typing import Any

from slens_lint.legacy.resources import apigateway, apigatewayv2, domains, lambda_, messaging, monitoring, other
from slens_lint.legacy.resources.base import GenericProps, Lenient, Props, Resource

_MODULES = (lambda_, apigateway, apigatewayv2, other, messaging, monitoring, domains)

MODELS: dict[str, type[Resource]] = {
    resource_type: cls
    for module in _MODULES
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, Resource) and cls is not Resource
    for resource_type in cls.TYPES
}


def model_for(resource_type: str) -> type[Resource]:
    if resource_type.startswith("Custom::"):
        return other.CustomResource
    return MODELS.get(resource_type, Resource)


def build_resource(logical_id: str, raw: Any) -> Resource:
    """The model of one resource entry. Never raises: broken shapes give a generic, empty model."""
    if not isinstance(raw, dict):
        return Resource(logical_id=logical_id, type="", properties_valid=False)
    resource_type = raw.get("Type")
    resource_type = resource_type if isinstance(resource_type, str) else ""
    props = raw.get("Properties")
    valid = props is None or isinstance(props, dict)
    props = props if isinstance(props, dict) else {}
    metadata = raw.get("Metadata")
    depends = raw.get("DependsOn")
    if isinstance(depends, str):
        depends_on = [depends]
    elif isinstance(depends, list):
        depends_on = [d for d in depends if isinstance(d, str)]
    else:
        depends_on = []
    condition = raw.get("Condition")
    cls = model_for(resource_type)
    common = dict(
        logical_id=str(logical_id),
        type=resource_type,
        raw_properties=props,
        properties_valid=valid,
        condition=condition if isinstance(condition, str) else None,
        metadata=metadata if isinstance(metadata, dict) else {},
        update_policy=raw.get("UpdatePolicy"),
        depends_on=depends_on,
    )
    props_type = cls.model_fields["properties"].annotation
    try:
        return cls(properties=props_type.model_validate(props), **common)
    except Exception:  # noqa: BLE001 - a model must never fail a lint run; fall back to generic
        return Resource(properties=GenericProps(), **common)


__all__ = ["MODELS", "Lenient", "Props", "Resource", "build_resource", "model_for"]
