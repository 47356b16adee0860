"""SAM semantics the template does not spell out: `Globals`, events, and the APIs events create.

SAM merges `Globals` into every SAM resource of the matching type (mappings key by key, lists
concatenated, anything else taken from the resource; `IgnoreGlobals` opts out), whether or not the
template declares the `Transform` yet (it is SAM either way, and SAM merges them once it is added).
The merge happens on typed values (`Props.merged_over`), so an inherited value keeps its `Globals`
path and every finding about it points at the `Globals` line.

A function (or state machine) event `Type: Api` without `RestApiId` makes SAM generate
`ServerlessRestApi`, configured by `Globals.Api`; `Type: HttpApi` without `ApiId` makes
`ServerlessHttpApi`, configured by `Globals.HttpApi`. They are modelled as resources (`implicit`),
pointing at the event that creates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from slens_lint.template.environment import Environment
from slens_lint.template.resources.apigateway import SamApi
from slens_lint.template.resources.apigatewayv2 import SamHttpApi
from slens_lint.template.resources.base import Props, Resource
from slens_lint.template.resources.events import EventProps, EventSource
from slens_lint.template.values import JsonPath, Value

IMPLICIT_REST_API = "ServerlessRestApi"
IMPLICIT_HTTP_API = "ServerlessHttpApi"
SAM_FUNCTION = "AWS::Serverless::Function"
SAM_STATE_MACHINE = "AWS::Serverless::StateMachine"
EVENT_OWNERS = (SAM_FUNCTION, SAM_STATE_MACHINE)

GLOBALS_SECTIONS: dict[str, str] = {
    "Function": SAM_FUNCTION,
    "Api": "AWS::Serverless::Api",
    "HttpApi": "AWS::Serverless::HttpApi",
    "SimpleTable": "AWS::Serverless::SimpleTable",
    "StateMachine": SAM_STATE_MACHINE,
    "LayerVersion": "AWS::Serverless::LayerVersion",
    "CapacityProvider": "AWS::Serverless::CapacityProvider",
    "WebSocketApi": "AWS::Serverless::WebSocketApi",
}


def read_globals(section: Any, models: dict[str, type[Resource[Any]]], env: Environment) -> dict[str, Props]:
    """Each `Globals` section read with the properties model of the type it configures, by type."""
    found: dict[str, Props] = {}
    if not isinstance(section, dict):
        return found
    for name, raw in section.items():
        resource_type = GLOBALS_SECTIONS.get(str(name))
        if resource_type is None or not isinstance(raw, dict):
            continue
        model = models.get(resource_type, Resource).PROPS
        found[resource_type] = model.read(raw, ("Globals", str(name)), env)
    return found


def inherited(globals_by_type: dict[str, Props], resource_type: str, ignore: Any) -> Optional[Props]:
    """The Globals a resource inherits, less what its `IgnoreGlobals` names (`"*"`: nothing)."""
    props = globals_by_type.get(resource_type)
    if props is None or ignore == "*":
        return None
    if isinstance(ignore, list):
        return props.without({str(key) for key in ignore if isinstance(key, str)})
    return props


@dataclass(frozen=True, eq=False)
class Event:
    """One entry of a SAM function's or state machine's `Events` (a subject of its own)."""

    owner: Resource[Any]
    name: str
    source: EventSource

    @property
    def type(self) -> Optional[str]:
        return self.source.Type.text()

    @property
    def properties(self) -> EventProps:
        """The typed `Properties` (an empty model when they are absent or unreadable)."""
        value = self.source.Properties
        literal = value.literal
        return literal if isinstance(literal, EventProps) else EventProps.empty(self.path + ("Properties",))

    def value(self, name: str) -> Value:
        return self.properties.value_of(name)

    @property
    def path(self) -> JsonPath:
        return self.owner.props_path + ("Events", self.name)

    @property
    def rest_api_id(self) -> Optional[str]:
        """The REST API of an `Api` event: the implicit one when `RestApiId` is absent."""
        if self.type != "Api":
            return None
        api = self.properties.value_of("RestApiId")
        return IMPLICIT_REST_API if api.absent else api.ref

    @property
    def http_api_id(self) -> Optional[str]:
        if self.type != "HttpApi":
            return None
        api = self.properties.value_of("ApiId")
        return IMPLICIT_HTTP_API if api.absent else api.ref

    # ---- as a subject ---------------------------------------------------------------------

    @property
    def key(self) -> str:
        return "/".join(map(str, self.path))

    @property
    def resource_id(self) -> Optional[str]:
        return self.owner.logical_id

    @property
    def owners(self) -> tuple[str, ...]:
        return self.owner.owners

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return (self.path, *self.owner.anchors)


def events_of(resource: Resource[Any]) -> list[Event]:
    """The events of a SAM function or state machine (none for anything else or a broken shape)."""
    if resource.type not in EVENT_OWNERS:
        return []
    found = []
    for branch in resource.props.value_of("Events").branches():
        for name, entry in branch.entries().items():
            source = entry.literal
            if isinstance(source, EventSource):
                found.append(Event(resource, name, source))
    return found


def implicit_apis(
    resources: dict[str, Resource[Any]],
    events: Iterable[Event],
    globals_by_type: dict[str, Props],
    env: Environment,
) -> list[Resource[Any]]:
    """The APIs SAM generates from events, modelled as if written (configured by Globals.Api/HttpApi)."""
    rest: Optional[Event] = None
    http: Optional[Event] = None
    for event in events:
        if rest is None and event.rest_api_id == IMPLICIT_REST_API:
            rest = event
        if http is None and event.http_api_id == IMPLICIT_HTTP_API:
            http = event
    found: list[Resource[Any]] = []
    for event, logical_id, model, section in (
        (rest, IMPLICIT_REST_API, SamApi, "Api"),
        (http, IMPLICIT_HTTP_API, SamHttpApi, "HttpApi"),
    ):
        if event is None or logical_id in resources:
            continue
        # Its settings are those of Globals.<section>: read them there, with their own positions.
        found.append(
            model.build(
                logical_id,
                GLOBALS_SECTIONS[section],
                {},
                props_path=("Globals", section),
                inherited=globals_by_type.get(GLOBALS_SECTIONS[section]),
                env=env,
                implicit=True,
                origin=event.path,
                creators=(event.owner.logical_id,),
            )
        )
    return found
