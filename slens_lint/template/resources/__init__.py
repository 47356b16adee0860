"""Typed resource models, one module per family, chosen by `Type`; other types get the generic model."""

from __future__ import annotations

from typing import Any

from slens_lint.template.resources import apigateway, apigatewayv2, domains, lambda_, messaging, monitoring, network, other
from slens_lint.template.resources.base import ABSENT, GenericProps, Props, Resource, V

_MODULES = (lambda_, apigateway, apigatewayv2, other, messaging, monitoring, domains, network)

MODELS: dict[str, type[Resource[Any]]] = {
    resource_type: cls
    for module in _MODULES
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, Resource) and cls.TYPES
    for resource_type in cls.TYPES
}


def model_for(resource_type: str) -> type[Resource[Any]]:
    if resource_type.startswith("Custom::"):
        return other.CustomResource
    return MODELS.get(resource_type, Resource)


__all__ = ["ABSENT", "MODELS", "GenericProps", "Props", "Resource", "V", "model_for"]
