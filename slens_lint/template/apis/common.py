"""What every part of the API reader shares: API kinds and types, default stage names, OpenAPI verbs,
and the few questions on values that stages, method settings and usage plans all ask (is a limit set,
does some item of a list answer yes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from slens_lint.template.resources.base import Resource
from slens_lint.template.values import Absent, Conditional, Conditions, JsonPath, Truth, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

REST = "rest"
HTTP = "http"
WEBSOCKET = "websocket"

SAM_REST_API = "AWS::Serverless::Api"
SAM_HTTP_API = "AWS::Serverless::HttpApi"
SAM_WEBSOCKET_API = "AWS::Serverless::WebSocketApi"
REST_API = "AWS::ApiGateway::RestApi"
V2_API = "AWS::ApiGatewayV2::Api"
API_TYPES = (SAM_REST_API, SAM_HTTP_API, SAM_WEBSOCKET_API, REST_API, V2_API)

REST_STAGE = "AWS::ApiGateway::Stage"
DEPLOYMENT = "AWS::ApiGateway::Deployment"
V2_STAGE = "AWS::ApiGatewayV2::Stage"
MANAGED_OVERRIDES = "AWS::ApiGatewayV2::ApiGatewayManagedOverrides"

# Stage names SAM gives when none is written (the implicit REST API always gets `Prod`).
SAM_IMPLICIT_REST_STAGE = "Prod"
HTTP_DEFAULT_STAGE = "$default"
SAM_WEBSOCKET_DEFAULT_STAGE = "default"

# Methods whose request carries a body (ANY includes them).
BODY_VERBS = frozenset({"POST", "PUT", "PATCH", "ANY"})
OPENAPI_VERBS = {
    "get": "GET",
    "put": "PUT",
    "post": "POST",
    "delete": "DELETE",
    "options": "OPTIONS",
    "head": "HEAD",
    "patch": "PATCH",
    "x-amazon-apigateway-any-method": "ANY",
}

REQUEST_VALIDATOR = "x-amazon-apigateway-request-validator"
REQUEST_VALIDATORS = "x-amazon-apigateway-request-validators"


# ---- APIs ------------------------------------------------------------------------------------


def api_kind(resource: Optional[Resource[Any]]) -> Optional[str]:
    """`rest`, `http` or `websocket` for an API resource; None for anything else or an unreadable protocol."""
    if resource is None:
        return None
    if resource.type in (SAM_REST_API, REST_API):
        return REST
    if resource.type == SAM_HTTP_API:
        return HTTP
    if resource.type == SAM_WEBSOCKET_API:
        return WEBSOCKET
    if resource.type == V2_API:
        protocol = resource.props.value_of("ProtocolType")
        if protocol.absent:
            # Only HTTP APIs may leave it out (quick create, OpenAPI import).
            return HTTP
        text = protocol.text()
        if text is None:
            return None
        return {"HTTP": HTTP, "WEBSOCKET": WEBSOCKET}.get(text.upper())
    return None


def apis(template: "Template", kind: Optional[str] = None) -> list[Resource[Any]]:
    """Every API of the template (SAM implicit ones included), optionally of one kind."""
    return [api for api in template.of_type(*API_TYPES, implicit=True) if kind is None or api_kind(api) == kind]


def rest_api_of(template: "Template", value: Value) -> Optional[Resource[Any]]:
    """The REST API (SAM or CloudFormation) a `RestApiId`/`ApiId` value points at, when in the template."""
    target = template.target(value)
    return target if api_kind(target) == REST else None


def written_text(value: Value) -> Optional[str]:
    """The value's text when the template writes it as a literal (not through a parameter): names shown
    in messages and compared as written."""
    return value.text() if value.known else None


# ---- questions on values ---------------------------------------------------------------------


def limit_set(value: Value) -> Truth:
    """Whether a throttling or quota limit is in effect: a number >= 0 (API Gateway reads -1 as "not
    set"); unknown where the value cannot be read."""

    def check(leaf: Value) -> Optional[bool]:
        number = leaf.number()
        return None if number is None else number >= 0

    return value.test(check)


def any_item(value: Value, question: Callable[[Value], Truth]) -> Truth:
    """True where some item of a list answers True: `question` sees each item mapping in each branch
    (an absent item is skipped, one that cannot be read is unknown); unknown where the list itself
    cannot be read, False where it is absent or empty."""

    def per_item(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(False, leaf)
        if leaf.unknown:
            return Truth.of(None, leaf)
        return question(leaf)

    def per_list(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(False, leaf)
        if leaf.unknown or not isinstance(leaf.literal, list):
            return Truth.of(None, leaf)
        return Truth.any_of((item.each(per_item) for item in leaf.items()), default=False)

    return value.each(per_list)


def settle(truth: Truth) -> Truth:
    """One case without conditions when every case has the same answer (`!If [C, x, x]`, or a list
    whose every branch lacks the setting): a message then names no condition that changes nothing.
    The evidence kept is a parameter's value when one decided, else the first case's."""
    if not truth.cases or truth.holds is None:
        return truth
    evidence = next((c.evidence for c in truth.cases if c.evidence is not None and c.evidence.resolved), None)
    return Truth.of(truth.holds, evidence or truth.cases[0].evidence)


def holds_under(truth: Truth, when: Conditions) -> Optional[bool]:
    """The answer `truth` gives under the conditions `when` (those of a case of a truth built from it)."""
    wanted = dict(when)
    for case in truth.cases:
        if all(wanted.get(name, holds) == holds for name, holds in case.when):
            return case.holds
    return None


def under(when: Conditions, leaf: Value, path: JsonPath) -> Value:
    """`leaf` where the conditions `when` hold, absent elsewhere: one branch of an `Fn::If` tree as a
    value of its own, so questions about it keep the conditions that lead to it."""
    value = leaf
    for name, holds in reversed(when):
        value = Conditional(name, value, Absent(path), path) if holds else Conditional(name, Absent(path), value, path)
    return value

