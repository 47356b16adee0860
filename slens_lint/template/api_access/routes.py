"""The callable routes of REST, HTTP and WebSocket APIs, each with the authorization it gets.

REST routes are the API reader's methods (`apis.rest_methods`: SAM events, OpenAPI operations,
`AWS::ApiGateway::Method`). HTTP routes come from SAM `HttpApi` events (SAM writes them into the API's
document whatever it holds), the operations of an HTTP API's own document that no event adds, the
`$default` route of a quick-create API (`Target`), and `AWS::ApiGatewayV2::Route` resources; of a
WebSocket API only `$connect` takes an authorizer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Optional

from slens_lint.template import apis
from slens_lint.template.api_access.authorization import (
    authorization_type,
    event_authorizer,
    http_document_authorization,
    operation_authorization,
    sam_rest_document_authorization,
)
from slens_lint.template.apis import Operation, RestMethod
from slens_lint.template.resources.base import Resource
from slens_lint.template.sam import Event
from slens_lint.template.values import JsonPath, Truth, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

V2_ROUTE = "AWS::ApiGatewayV2::Route"
API_RESOURCE = "AWS::ApiGateway::Resource"
_NO = Truth.of(False)


@dataclass(frozen=True, eq=False)
class Route:
    """One callable route of a REST, HTTP or WebSocket API and the authorization it gets (a subject)."""

    kind: str
    """`rest`, `http` or `websocket` (WebSocket: the `$connect` route)."""
    api: Optional[Resource[Any]]
    verb: Optional[str]
    path: Optional[str]
    resource: Resource[Any]
    """What a finding about the route belongs to: the function of an event, the Method or Route, or the API."""
    where: JsonPath
    """Where the route is defined (its key)."""
    location: JsonPath
    """Where a finding points: what makes the route unauthenticated when it is written (an
    `Authorizer: NONE`, an `AuthorizationType`), else the route itself."""
    label: str
    """`Function 'F' event 'E' (GET /orders)` for messages."""
    authorized: Truth
    """Where an authorizer (IAM, Cognito, Lambda, JWT) applies to the route."""
    api_key: Truth = _NO
    """Where callers must send an API key (REST only)."""
    opts_out: Truth = _NO
    """Where the route opts out of a default authorizer (`Authorizer: NONE`)."""
    event: Optional[Event] = None
    method: Optional[RestMethod] = None
    operation: Optional[Operation] = None

    @property
    def is_preflight(self) -> bool:
        return (self.verb or "").upper() == "OPTIONS"

    # ---- as a subject ---------------------------------------------------------------------

    @property
    def key(self) -> str:
        return "/".join(map(str, self.where))

    @property
    def resource_id(self) -> Optional[str]:
        return self.resource.logical_id

    @property
    def owners(self) -> tuple[str, ...]:
        # Suppressing on the API (or, for the implicit API, on the function creating it) counts too.
        api_owners = self.api.owners if self.api is not None else ()
        return tuple(dict.fromkeys((*self.resource.owners, *api_owners)))

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return (self.location, *self.resource.anchors)


def describe_route(verb: Optional[str], path: Optional[str], verb_hidden: str = "", path_hidden: str = "") -> str:
    """`GET /orders`; a part the template does not show is said so, with what hides it (`GET, path not
    readable from the template: !Sub is resolved at deploy time`)."""
    if verb is not None and path is not None:
        return f"{verb} {path}"
    missing = [name for name, part in (("method", verb), ("path", path)) if part is None]
    reasons = [reason for reason, part in ((verb_hidden, verb), (path_hidden, path)) if part is None and reason]
    text = f"{' and '.join(missing)} not readable from the template"
    if reasons:
        text += ": " + "; ".join(reasons)
    known = verb if verb is not None else path
    return f"{known}, {text}" if known is not None else text


def _hidden(value: Value, name: str) -> str:
    """Why a verb or path value gives no text: the intrinsic or parameter that hides it."""
    for leaf in value.branches():
        reason = getattr(leaf, "reason", None)
        if reason:
            return f"{name} {reason}" if not reason.startswith(name) else reason
        if leaf.absent:
            return f"{name} is not given"
        if leaf.resolved:
            # Read as written: a parameter's value may differ from stack to stack.
            return f"{name} comes from {leaf.describe_origin()}"
    if value.conditional:
        return f"{name} depends on a condition"
    return f"{name} is not a string"


def _resource_path_hidden(template: "Template", resource_id: Value, depth: int = 0) -> str:
    """Why `apis.resource_path` cannot tell a Method's path (the resource chain it follows)."""
    target = template.target(resource_id)
    if target is None:
        if resource_id.unknown or resource_id.conditional or resource_id.absent:
            return _hidden(resource_id, "ResourceId")
        return "ResourceId names no resource of the template"
    if apis.api_kind(target) == apis.REST:
        return "ResourceId names the root of the API"
    if target.type != API_RESOURCE or depth > 30:
        return f"ResourceId names '{target.logical_id}', not a resource of the API"
    part = target.props.value_of("PathPart")
    if apis.written_text(part) is None:
        return _hidden(part, f"PathPart of '{target.logical_id}'")
    return _resource_path_hidden(template, target.props.value_of("ParentId"), depth + 1)


def _owner_label(event: Event) -> str:
    owner = "State machine" if event.owner.type == "AWS::Serverless::StateMachine" else "Function"
    return f"{owner} '{event.owner.logical_id}' event '{event.name}'"


def routes(template: "Template") -> list[Route]:
    """Every route of every REST, HTTP and WebSocket API of the template (implicit APIs included)."""
    return template.memo("api_access.routes", lambda t: [*_rest_routes(t), *_http_routes(t)])


# ---- REST ------------------------------------------------------------------------------------


def method_label(template: "Template", method: RestMethod) -> str:
    """Who a REST method is, for a message: `Function 'F' event 'E' (POST /orders)`, `Method 'M' (GET
    /)`, `API 'A' operation POST /items`; a verb or path the template hides is named with what hides it."""
    resource, event = method.method, method.event
    if resource is not None:
        props = resource.props
        verb_hidden = "" if method.verb else _hidden(props.value_of("HttpMethod"), "HttpMethod")
        path_hidden = "" if method.path else _resource_path_hidden(template, props.value_of("ResourceId"))
        return f"Method '{resource.logical_id}' ({describe_route(method.verb, method.path, verb_hidden, path_hidden)})"
    if event is not None and (method.event_applies or method.operation is None):
        words = describe_route(
            method.verb,
            method.path,
            "" if method.verb else _hidden(event.value("Method"), "Method"),
            "" if method.path else _hidden(event.value("Path"), "Path"),
        )
        return f"{_owner_label(event)} ({words})"
    return method.subject()


def _rest_routes(template: "Template") -> Iterator[Route]:
    for method in apis.rest_methods(template):
        if not method.visible:
            continue
        api = method.api
        api_key = apis.api_key_required(method)
        label = method_label(template, method)
        resource = method.method
        if resource is not None:
            auth_type = resource.props.value_of("AuthorizationType")
            location = auth_type.path if auth_type.is_set() else resource.props_path
            yield Route(
                apis.REST, api, method.verb, method.path, resource, method.location, location, label,
                authorization_type(auth_type), api_key, method=method,
            )
            continue
        event = method.event
        if event is not None and method.event_applies:
            authorized, opts_out = event_authorizer(event, api)
            location = event.value("Auth").project("Authorizer").path if opts_out.may_hold else event.path
            yield Route(
                apis.REST, api, method.verb, method.path, event.owner, event.path, location, label,
                authorized, api_key, opts_out, event, method,
            )
            continue
        operation = method.operation
        if operation is None or api is None:
            continue
        if api.is_sam:
            authorized = sam_rest_document_authorization(api, operation, event)
        else:
            authorized = operation_authorization(operation)
        yield Route(
            apis.REST, api, method.verb, method.path, api, operation.json_path, operation.json_path, label,
            authorized, api_key, event=event, method=method, operation=operation,
        )


# ---- HTTP and WebSocket ----------------------------------------------------------------------


def _http_routes(template: "Template") -> Iterator[Route]:
    event_keys: dict[str, set[tuple[str, str]]] = {}
    for event in template.all_events():
        route = _http_event_route(template, event)
        if route is not None and route.api is not None:
            event_keys.setdefault(route.api.logical_id, set()).add(((route.path or "").rstrip("/"), route.verb or ""))
            yield route
    for api in template.of_type(apis.SAM_HTTP_API, apis.V2_API, implicit=True):
        if apis.api_kind(api) != apis.HTTP:
            continue
        body = api.props.value_of("DefinitionBody" if api.is_sam else "Body")
        document = apis.document_of(body)
        if document is not None:
            for operation in apis.operations(document, body.path, api):
                if (operation.path.rstrip("/"), operation.verb) in event_keys.get(api.logical_id, set()):
                    continue
                yield Route(
                    apis.HTTP, api, operation.verb, operation.path, api, operation.json_path, operation.json_path,
                    f"API '{api.logical_id}' operation {operation.verb} {operation.path}",
                    http_document_authorization(api, operation), operation=operation,
                )
        elif api.type == apis.V2_API and body.absent and api.props.value_of("Target").is_set():
            target = api.props.value_of("Target")
            yield Route(
                apis.HTTP, api, "ANY", "$default", api, target.path, target.path,
                f"API '{api.logical_id}' (quick-create $default route)", Truth.of(False, target),
            )
    for route in template.of_type(V2_ROUTE):
        found = _v2_route(template, route)
        if found is not None:
            yield found


def _http_event_route(template: "Template", event: Event) -> Optional[Route]:
    """A SAM `HttpApi` event: SAM adds it to the API's document whatever it holds."""
    api = template.resource(event.http_api_id)
    if api is None or api.type != apis.SAM_HTTP_API:
        return None
    method, path_value = event.value("Method"), event.value("Path")
    verb_text = "ANY" if method.absent else apis.written_text(method)
    path = "$default" if path_value.absent else apis.written_text(path_value)
    verb = verb_text.upper() if verb_text else None
    authorized, opts_out = event_authorizer(event, api)
    # SAM keeps the security of the document's operation it adds the event to.
    secured = Truth.of(_document_secures(api, path, verb))
    words = describe_route(
        verb, path, "" if verb else _hidden(method, "Method"), "" if path else _hidden(path_value, "Path")
    )
    location = event.value("Auth").project("Authorizer").path if opts_out.may_hold else event.path
    return Route(
        apis.HTTP, api, verb, path, event.owner, event.path, location, f"{_owner_label(event)} ({words})",
        authorized | (~opts_out & secured), opts_out=opts_out, event=event,
    )


def _document_secures(api: Resource[Any], path: Optional[str], verb: Optional[str]) -> bool:
    document = apis.document_of(api.props.value_of("DefinitionBody"))
    if document is None or path is None:
        return False
    for operation in apis.operations(document, ()):
        if operation.path.rstrip("/") == path.rstrip("/") and operation.verb in (verb, "ANY"):
            return operation_authorization(operation).always
    return False


def _v2_route(template: "Template", route: Resource[Any]) -> Optional[Route]:
    props = route.props
    api = template.target(props.value_of("ApiId"))
    kind = apis.api_kind(api)
    key = apis.written_text(props.value_of("RouteKey"))
    if key is None:
        return None
    if kind is None:
        # An API outside the template: only a `VERB /path` key says it is an HTTP API.
        if " " not in key:
            return None
        kind = apis.HTTP
    if kind == apis.WEBSOCKET and key != "$connect":
        # WebSocket APIs authorize the connection only; other routes take no authorizer.
        return None
    verb, _, path = key.partition(" ")
    if not path:
        verb, path = "ANY", key
    auth_type = props.value_of("AuthorizationType")
    location = auth_type.path if auth_type.is_set() else route.props_path
    return Route(
        kind, api, verb.upper(), path, route, route.path, location, f"Route '{route.logical_id}' ({key})",
        authorization_type(auth_type),
    )
