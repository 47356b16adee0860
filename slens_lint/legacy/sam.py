"""SAM semantics that cfn-lint (>= 1.54) no longer provides: events, and the resources SAM generates.

cfn-lint merges `Globals` into every SAM resource in place, so nothing here merges them again. What it
does not do is create the implicit APIs: a function (or state machine) event `Type: Api` without
`RestApiId` makes SAM generate `ServerlessRestApi`, configured by `Globals.Api`; `Type: HttpApi` without
`ApiId` makes `ServerlessHttpApi`, configured by `Globals.HttpApi`. Those APIs are modelled here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from slens_lint.legacy.intrinsics import ref_target
from slens_lint.legacy.resources.apigateway import SamApi, SamApiProps
from slens_lint.legacy.resources.apigatewayv2 import SamHttpApi, SamHttpApiProps
from slens_lint.legacy.resources.base import Resource

IMPLICIT_REST_API = "ServerlessRestApi"
IMPLICIT_HTTP_API = "ServerlessHttpApi"


@dataclass(frozen=True)
class Event:
    """One entry of a SAM function's or state machine's `Events`."""

    owner: Resource
    name: str
    type: Optional[str]
    properties: dict[str, Any]

    @property
    def path(self) -> tuple[Any, ...]:
        return self.owner.prop_path("Events", self.name)

    def prop_path(self, *names: Any) -> tuple[Any, ...]:
        return (*self.path, "Properties", *names)

    def get(self, name: str, default: Any = None) -> Any:
        return self.properties.get(name, default)

    @property
    def rest_api_id(self) -> Optional[str]:
        """The logical id of the REST API of an `Api` event (the implicit one when `RestApiId` is absent)."""
        if self.type != "Api":
            return None
        if "RestApiId" not in self.properties:
            return IMPLICIT_REST_API
        return ref_target(self.properties.get("RestApiId"))

    @property
    def http_api_id(self) -> Optional[str]:
        if self.type != "HttpApi":
            return None
        if "ApiId" not in self.properties:
            return IMPLICIT_HTTP_API
        return ref_target(self.properties.get("ApiId"))


def events_of(resource: Resource) -> list[Event]:
    """The events of a SAM function or state machine (empty for anything else or a broken shape)."""
    raw_events = resource.raw_properties.get("Events") if resource.is_sam else None
    if not isinstance(raw_events, dict):
        return []
    events = []
    for name, raw in raw_events.items():
        if not isinstance(raw, dict):
            continue
        event_type = raw.get("Type")
        props = raw.get("Properties")
        events.append(
            Event(
                owner=resource,
                name=str(name),
                type=event_type if isinstance(event_type, str) else None,
                properties=props if isinstance(props, dict) else {},
            )
        )
    return events


def implicit_apis(
    resources: dict[str, Resource], globals_section: dict[str, Any]
) -> list[Resource]:
    """The APIs SAM would generate from events, modelled as if they were written in the template."""
    rest_origin: Optional[tuple[Any, ...]] = None
    http_origin: Optional[tuple[Any, ...]] = None
    for resource in resources.values():
        if resource.type not in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
            continue
        for event in events_of(resource):
            if rest_origin is None and event.rest_api_id == IMPLICIT_REST_API:
                rest_origin = event.path
            if http_origin is None and event.http_api_id == IMPLICIT_HTTP_API:
                http_origin = event.path
    found: list[Resource] = []
    if rest_origin is not None and IMPLICIT_REST_API not in resources:
        props = _globals_of(globals_section, "Api")
        found.append(
            SamApi(
                logical_id=IMPLICIT_REST_API,
                type="AWS::Serverless::Api",
                properties=SamApiProps.model_validate(props),
                raw_properties=props,
                implicit=True,
                origin=rest_origin,
            )
        )
    if http_origin is not None and IMPLICIT_HTTP_API not in resources:
        props = _globals_of(globals_section, "HttpApi")
        found.append(
            SamHttpApi(
                logical_id=IMPLICIT_HTTP_API,
                type="AWS::Serverless::HttpApi",
                properties=SamHttpApiProps.model_validate(props),
                raw_properties=props,
                implicit=True,
                origin=http_origin,
            )
        )
    return found


def _globals_of(globals_section: dict[str, Any], name: str) -> dict[str, Any]:
    section = globals_section.get(name) if isinstance(globals_section, dict) else None
    return section if isinstance(section, dict) else {}


def property_path(resource: Resource, *names: Any) -> tuple[Any, ...]:
    """The JSON path of a property; for an implicit API that is its place under `Globals`."""
    if getattr(resource, "implicit", False):
        section = "Api" if resource.type == "AWS::Serverless::Api" else "HttpApi"
        return ("Globals", section, *names)
    return resource.prop_path(*names)


def anchor_paths(resource: Resource, *names: Any) -> list[tuple[Any, ...]]:
    """Where a finding about `names` (present or missing) on `resource` should point, best first.

    Present property: the property itself (a Globals line when inherited). Missing property: the
    nearest present parent, then `Properties`, then the logical id; for an implicit API, the event
    that creates it.
    """
    candidates: list[tuple[Any, ...]] = []
    for depth in range(len(names), 0, -1):
        candidates.append(property_path(resource, *names[:depth]))
    if getattr(resource, "implicit", False):
        candidates.append(tuple(getattr(resource, "origin", ()) or ()))
    else:
        candidates.append(resource.prop_path())
        candidates.append(resource.path)
    return candidates
