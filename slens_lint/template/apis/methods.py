"""The methods of REST APIs and how each is defined, and whether callers must send an API key.

The methods of a REST API come from SAM `Api` events, `AWS::ApiGateway::Method` resources and the
inline OpenAPI document (`DefinitionBody` / `Body`). SAM adds events to the document only when it
generates that document (no `DefinitionBody`/`DefinitionUri`) or `MergeDefinitions` is set; for an API
with a document of its own, an event's `RequestModel` and `Auth` are ignored and the document is the
truth. Events that name a CloudFormation `RestApi` only get a permission: SAM adds no method to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from slens_lint.template.apis.common import (
    BODY_VERBS,
    OPENAPI_VERBS,
    REST,
    REST_API,
    SAM_REST_API,
    api_kind,
    rest_api_of,
    written_text,
)
from slens_lint.template.apis.openapi import Operation, document_of, operations
from slens_lint.template.expressions import is_intrinsic, sub_parts
from slens_lint.template.model import OwnedSubject
from slens_lint.template.resources.base import Resource
from slens_lint.template.sam import Event
from slens_lint.template.values import Absent, JsonPath, Truth, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

METHOD = "AWS::ApiGateway::Method"
API_RESOURCE = "AWS::ApiGateway::Resource"


@dataclass(frozen=True, eq=False)
class RestDefinition:
    """How a REST API's methods are defined."""

    api: Resource[Any]
    document: Optional[dict[str, Any]]
    """The inline OpenAPI document (`DefinitionBody` / `Body`), when literal."""
    json_path: JsonPath
    visible: bool
    """False when the definition is in a file (`DefinitionUri`, `BodyS3Location`) or an intrinsic."""
    managed: bool
    """SAM builds the document from the API's events (no DefinitionBody/DefinitionUri, or MergeDefinitions)."""


def rest_definition(api: Resource[Any]) -> RestDefinition:
    props = api.props
    if api.type == SAM_REST_API:
        body = props.value_of("DefinitionBody")
        merge = props.value_of("MergeDefinitions").is_true().always
        if body.absent:
            # A DefinitionUri (possibly from Globals.Api) means SAM leaves the file alone.
            visible = not props.value_of("DefinitionUri").is_set()
            return RestDefinition(api, None, body.path, visible, visible)
        document = document_of(body)
        if document is not None:
            return RestDefinition(api, document, body.path, True, merge)
        return RestDefinition(api, None, body.path, False, False)
    body = props.value_of("Body")
    in_file = props.value_of("BodyS3Location").is_set()
    document = document_of(body)
    if document is not None:
        return RestDefinition(api, document, body.path, not in_file, False)
    return RestDefinition(api, None, body.path, body.absent and not in_file, False)


def _normal_path(path: Value) -> Optional[str]:
    text = path.literal if path.known else None
    if not isinstance(text, str):
        return None
    return text.rstrip("/") or "/"


def _event_verb(event: Event) -> Optional[str]:
    method = event.value("Method")
    text = method.literal if method.known else None
    if not isinstance(text, str):
        return None
    return OPENAPI_VERBS.get(text.lower(), text.upper())


@dataclass(frozen=True, eq=False)
class RestMethod(OwnedSubject):
    """One method of a REST API, with everything that defines it (a subject of rules).

    A SAM event, an OpenAPI operation, or both (the same path and verb), or an `AWS::ApiGateway::Method`.
    """

    api: Optional[Resource[Any]]
    verb: Optional[str]
    path: Optional[str]
    definition: Optional[RestDefinition] = None
    event: Optional[Event] = None
    operation: Optional[Operation] = None
    method: Optional[Resource[Any]] = None

    @property
    def event_applies(self) -> bool:
        """SAM reads the event's `RequestModel`/`Auth` only when it builds the API's document."""
        return self.event is not None and (self.definition is None or self.definition.managed)

    @property
    def visible(self) -> bool:
        """False when the method's definition may live outside the template (a DefinitionUri...)."""
        if self.method is not None or self.operation is not None:
            return True
        return self.definition is not None and self.definition.visible

    @property
    def takes_body(self) -> bool:
        return self.verb in BODY_VERBS

    @property
    def greedy(self) -> bool:
        """A catch-all proxy path (`/{proxy+}`): one method in front of a whole application's routes."""
        return self.path is not None and "+}" in self.path

    @property
    def integration(self) -> Value:
        """The integration as written: a Method's `Integration`, else the operation's
        `x-amazon-apigateway-integration`; absent for a SAM event (SAM writes a proxy integration)."""
        if self.method is not None:
            return self.method.props.value_of("Integration")
        if self.operation is not None:
            return self.operation.value.project("x-amazon-apigateway-integration")
        return Absent(self.location)

    def integration_uri(self) -> Optional[str]:
        """The integration URI's text (an `Fn::Sub` template as written), when readable."""
        integration = self.integration
        raw = integration.literal if integration.known else None
        if not isinstance(raw, dict) or is_intrinsic(raw):
            return None
        uri = raw.get("Uri", raw.get("uri"))
        if isinstance(uri, str):
            return uri
        parts = sub_parts(uri)
        return parts[0] if parts else None

    @property
    def _by_event(self) -> bool:
        return self.event is not None and (self.event_applies or self.operation is None)

    @property
    def resource(self) -> Resource[Any]:
        """The resource a finding about this method belongs to (function, Method, or the API)."""
        if self.method is not None:
            return self.method
        if self.event is not None and self._by_event:
            return self.event.owner
        assert self.api is not None
        return self.api

    @property
    def location(self) -> JsonPath:
        """Absolute JSON path a finding about this method points at."""
        if self.method is not None:
            return self.method.path
        if self.event is not None and self._by_event:
            return self.event.path
        assert self.operation is not None
        return self.operation.json_path

    def describe(self) -> str:
        """`POST /orders` (with `?` for what cannot be read)."""
        return f"{self.verb or '?'} {self.path or '?'}"

    def subject(self) -> str:
        """Who the method is, for a message: `Function 'F' event 'E' (POST /orders)`."""
        if self.method is not None:
            return f"Method '{self.method.logical_id}' ({self.describe()})"
        if self.event is not None and self._by_event:
            owner = "State machine" if self.event.owner.type == "AWS::Serverless::StateMachine" else "Function"
            return f"{owner} '{self.event.owner.logical_id}' event '{self.event.name}' ({self.describe()})"
        api_id = self.api.logical_id if self.api is not None else "?"
        return f"API '{api_id}' operation {self.describe()}"

    # ---- as a subject ---------------------------------------------------------------------

    @property
    def key(self) -> str:
        return "/".join(map(str, self.location))

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return (self.location, *self.resource.anchors)


def rest_methods(template: "Template") -> list[RestMethod]:
    """Every method of every REST API in the template, each once."""
    return template.memo("apis.rest_methods", _rest_methods)


def _rest_methods(template: "Template") -> list[RestMethod]:
    found: list[RestMethod] = []
    events_by_api: dict[str, list[Event]] = {}
    for event in template.all_events():
        api_id = event.rest_api_id
        if api_id is not None:
            events_by_api.setdefault(api_id, []).append(event)
    for api in template.of_type(SAM_REST_API, REST_API, implicit=True):
        definition = rest_definition(api)
        ops = operations(definition.document, definition.json_path, api) if definition.document else []
        by_key = {(_normal_path_text(op.path), op.verb): op for op in ops}
        used: set[tuple[Optional[str], str]] = set()
        # Events that name a CloudFormation RestApi only get a permission: SAM adds no method to it.
        api_events = events_by_api.get(api.logical_id, []) if api.type == SAM_REST_API else []
        for event in api_events:
            key = (_normal_path(event.value("Path")), _event_verb(event) or "")
            op = by_key.get(key)
            if op is None and definition.document is not None and not definition.managed:
                # SAM adds nothing to a document it does not manage: this event makes no method.
                continue
            if op is not None:
                used.add(key)
            found.append(RestMethod(api, key[1] or None, key[0], definition, event=event, operation=op))
        for key, op in by_key.items():
            if key not in used:
                found.append(RestMethod(api, op.verb, op.path, definition, operation=op))
    for method in template.of_type(METHOD):
        props = method.props
        api = rest_api_of(template, props.value_of("RestApiId"))
        verb_text = written_text(props.value_of("HttpMethod"))
        verb = verb_text.upper() if verb_text else None
        found.append(RestMethod(api, verb, resource_path(template, props.value_of("ResourceId")), method=method))
    return found


def _normal_path_text(path: str) -> str:
    return path.rstrip("/") or "/"


def resource_path(template: "Template", resource_id: Value, _depth: int = 0) -> Optional[str]:
    """The path of an `AWS::ApiGateway::Resource` (`/orders/{id}`), `/` for `RestApi.RootResourceId`."""
    if _depth > 30:
        return None
    target = template.target(resource_id)
    if target is None:
        return None
    if api_kind(target) == REST:
        # Fn::GetAtt Api.RootResourceId
        return "/"
    if target.type != API_RESOURCE:
        return None
    part = written_text(target.props.value_of("PathPart"))
    if part is None:
        return None
    parent = resource_path(template, target.props.value_of("ParentId"), _depth + 1)
    if parent is None:
        return None
    return f"{parent.rstrip('/')}/{part}"


def api_auth(api: Optional[Resource[Any]]) -> Value:
    """A SAM REST API's `Auth` mapping (every branch); absent for any other API."""
    if api is None or api.type != SAM_REST_API:
        return Absent(api.props_path + ("Auth",) if api is not None else ())
    return api.props.value_of("Auth")


def api_key_required(method: RestMethod) -> Truth:
    """Where callers of the method must send an API key: the Method's `ApiKeyRequired`; the event's
    `Auth.ApiKeyRequired`, else the API's default; an OpenAPI security requirement on an `x-api-key`
    scheme. Any of them requiring it is enough."""
    if method.method is not None:
        return method.method.props.value_of("ApiKeyRequired").is_true()
    answers: list[Truth] = []
    api_default = api_auth(method.api).ApiKeyRequired
    if method.event_applies and method.event is not None:

        def per_auth(auth: Value) -> Truth:
            if auth.unknown:
                return Truth.of(None, auth)
            literal = auth.literal
            if auth.known and hasattr(literal, "has") and literal.has("ApiKeyRequired"):
                return auth.ApiKeyRequired.is_true()
            return api_default.is_true()

        answers.append(method.event.value("Auth").each(per_auth))
    elif api_default.is_set():
        # SAM applies the API's default to every operation of a document it does not manage too.
        answers.append(api_default.is_true())
    if method.operation is not None:
        answers.append(method.operation.requires_api_key())
    return Truth.any_of(answers, default=False)
