"""Who can call an API route: the routes of REST and HTTP APIs with the authorization in effect, the
REST endpoint type, and whether a resource policy restricts callers.

What decides a route's authorization, by how it is written:

- SAM `Api` event: the event's `Auth.Authorizer` (`NONE` opts out), else the API's
  `Auth.DefaultAuthorizer` (`Globals.Api` for the implicit API). With an API document of its own
  (`DefinitionBody`) SAM ignores the event's auth (unless `OverrideApiAuth`) and the operation decides.
- SAM `HttpApi` event: the same, with `Globals.HttpApi`; SAM always writes HTTP API events into the
  document, so the event's auth applies even with a `DefinitionBody`.
- OpenAPI operation (`DefinitionBody` / `Body`): its `security` (or the document's), where API-key
  schemes are no authentication; on a SAM API a `DefaultAuthorizer` covers every operation without an
  authorizer of its own.
- `AWS::ApiGateway::Method`: `AuthorizationType` (absent means `NONE`); `AWS::ApiGatewayV2::Route`
  likewise; a quick-create HTTP API (`Target`) has one `$default` route without authorization.

Custom domains with mutual TLS (`MutualTlsAuthentication`, inline SAM `Domain` or a domain resource
tied to an API by a `BasePathMapping` / `ApiMapping`) authenticate callers by certificate, but only
when the API's default `execute-api` endpoint is disabled.

Everything here reads; nothing judges. Unknown (an intrinsic, a document in a file) is `UNKNOWN`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

from slens_lint.legacy import apis, sam
from slens_lint.legacy.intrinsics import (
    NO_VALUE,
    bool_branches,
    branches,
    is_intrinsic,
    iter_dicts,
    literal_string,
    ref_target,
    same_string,
    truthy,
)
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

JsonPath = tuple[Any, ...]

AUTHORIZED = "authorized"
NONE = "none"
UNKNOWN = "unknown"

# SAM `Auth.ResourcePolicy` keys that limit who may call (allow lists); block lists do not.
_RESTRICTING_POLICY_KEYS = frozenset(
    {
        "AwsAccountWhitelist",
        "IpRangeWhitelist",
        "SourceVpcWhitelist",
        "IntrinsicVpcWhitelist",
        "IntrinsicVpceWhitelist",
        "SourceVpceWhitelist",
    }
)
POLICY_EXTENSION = "x-amazon-apigateway-policy"
ENDPOINT_EXTENSION = "x-amazon-apigateway-endpoint-configuration"

SAM_APIS = ("AWS::Serverless::Api", "AWS::Serverless::HttpApi")
DOMAINS = ("AWS::ApiGateway::DomainName", "AWS::ApiGatewayV2::DomainName")
MAPPINGS = {"AWS::ApiGateway::BasePathMapping": "RestApiId", "AWS::ApiGatewayV2::ApiMapping": "ApiId"}
MAPPABLE_API_TYPES = ("AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api", *SAM_APIS)


@dataclass(frozen=True)
class Route:
    """One callable route of a REST or HTTP API and the authorization it gets."""

    kind: str
    """`rest` or `http` (WebSocket `$connect` routes count as `http`-like V2 routes: `websocket`)."""
    api: Optional[Resource]
    verb: Optional[str]
    path: Optional[str]
    resource: Resource
    """What a finding about the route belongs to: the function of an event, the Method or Route, or the API."""
    location: JsonPath
    """Absolute JSON path to point at: what makes the route unauthenticated when it is written (an
    `Authorizer: NONE`, an `AuthorizationType: NONE`), else the route itself."""
    subject: str
    """`Function 'F' event 'E' (GET /orders)` for messages."""
    authorization: str
    """`authorized`, `none` or `unknown`."""
    api_key: Optional[bool] = None
    """Whether callers must send an API key (REST only; None when unknown)."""
    explicit_none: bool = False
    """The route opts out of a default authorizer (`Authorizer: NONE`)."""
    event: Optional[sam.Event] = None

    @property
    def is_preflight(self) -> bool:
        return (self.verb or "").upper() == "OPTIONS"


# ---- REST endpoint type and resource policies -----------------------------------------------------


def is_private(api: Optional[Resource]) -> bool:
    """A REST API whose endpoint type is PRIVATE in every branch."""
    if api is None or apis.api_kind(api) != apis.REST:
        return False
    raw = api.raw_properties.get("EndpointConfiguration")
    if raw is None:
        return False
    return all(_private_branch(api, b) for b in branches(raw))


def _private_branch(api: Resource, branch: Any) -> bool:
    if branch is NO_VALUE:
        return False
    if api.type == apis.SAM_REST_API:
        value = branch.get("Type") if isinstance(branch, dict) and not is_intrinsic(branch) else branch
        text = literal_string(value) if value is not None else None
        return text is not None and text.upper() == "PRIVATE"
    if not isinstance(branch, dict) or is_intrinsic(branch):
        return False
    types = branch.get("Types")
    texts = [literal_string(t) for t in (types if isinstance(types, list) else [types]) if t is not None]
    return bool(texts) and any(t is not None and t.upper() == "PRIVATE" for t in texts)


def restricts_callers(api: Optional[Resource], event: Optional[sam.Event] = None) -> Optional[bool]:
    """Whether a REST API's resource policy limits who may call (an allow list, a condition, a deny,
    named principals). True also when the policy cannot be read (no claim that anyone can call).
    False when there is no policy or it allows everyone."""
    if api is None or apis.api_kind(api) != apis.REST:
        return False
    props = api.raw_properties
    answers: list[Optional[bool]] = []
    sam_policies = []
    if api.type == apis.SAM_REST_API:
        for auth in iter_dicts(props.get("Auth")):
            sam_policies.append(auth.get("ResourcePolicy"))
    if event is not None and isinstance(event.get("Auth"), dict):
        sam_policies.append(event.get("Auth").get("ResourcePolicy"))
    for policy in sam_policies:
        if policy is None:
            continue
        for branch in branches(policy):
            if branch is NO_VALUE:
                continue
            if not isinstance(branch, dict) or is_intrinsic(branch):
                return True
            if _RESTRICTING_POLICY_KEYS & set(branch):
                return True
            custom = branch.get("CustomStatements")
            if custom is not None:
                answers.append(_document_restricts({"Statement": custom}))
    if props.get("Policy") is not None:
        answers.append(_document_restricts(props.get("Policy")))
    body = props.get("DefinitionBody" if api.type == apis.SAM_REST_API else "Body")
    if isinstance(body, dict) and not is_intrinsic(body) and body.get(POLICY_EXTENSION) is not None:
        answers.append(_document_restricts(body.get(POLICY_EXTENSION)))
    if True in answers or None in answers:
        return True
    return False


def _document_restricts(document: Any) -> Optional[bool]:
    for doc in branches(document):
        if doc is NO_VALUE:
            continue
        if isinstance(doc, str):
            # A policy written as a JSON string: not parsed here.
            return None
        if not isinstance(doc, dict) or is_intrinsic(doc):
            return None
        statements = doc.get("Statement")
        items = statements if isinstance(statements, list) else [statements]
        for statement in items:
            for branch in branches(statement):
                if branch is NO_VALUE:
                    continue
                if not isinstance(branch, dict) or is_intrinsic(branch):
                    return None
                if branch.get("Effect") == "Deny" or branch.get("Condition"):
                    return True
                if branch.get("Effect") == "Allow" and not _everyone(branch.get("Principal")):
                    return True
    return False


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict) and not is_intrinsic(principal):
        aws = principal.get("AWS")
        return aws == "*" or aws == ["*"]
    return False


def mtls_only(template: Template, api: Optional[Resource]) -> bool:
    """Served on a mutual-TLS custom domain with its default endpoint disabled: every caller presents a
    client certificate from the trust store, which is authentication."""
    if api is None:
        return False
    mtls = template.memo("api_access.mtls", lambda t: {a.logical_id for a, _ in mtls_apis(t)})
    return api.logical_id in mtls and default_endpoint_disabled(api) is True


# ---- OpenAPI security ---------------------------------------------------------------------------


def operation_authorization(operation: apis.Operation) -> str:
    """`authorized` when every security alternative names an authorizer (not only an API key),
    `none` when there is no security or an alternative without authentication, else `unknown`."""
    iam_auth = operation.definition.get("x-amazon-apigateway-auth")
    if isinstance(iam_auth, dict):
        auth_type = literal_string(iam_auth.get("type"))
        if auth_type is not None and auth_type.upper() not in ("NONE",):
            return AUTHORIZED
    requirements = operation.security()
    if requirements is None:
        return UNKNOWN
    if not requirements:
        return NONE
    schemes = apis.security_schemes(operation.document)
    for requirement in requirements:
        if not isinstance(requirement, dict):
            return UNKNOWN
        names = [n for n in requirement if n != "NONE"]
        if not names or all(_api_key_only(schemes.get(n)) for n in names):
            return NONE
    return AUTHORIZED


def _api_key_only(scheme: Any) -> bool:
    """An API-key scheme that API Gateway enforces as a key, not as an authorizer."""
    if not isinstance(scheme, dict) or scheme.get("type") != "apiKey":
        return False
    return "x-amazon-apigateway-authtype" not in scheme and "x-amazon-apigateway-authorizer" not in scheme


# ---- routes --------------------------------------------------------------------------------------


def routes(template: Template) -> list[Route]:
    """Every route of every REST and HTTP API of the template (implicit APIs included)."""
    return template.memo("api_access.routes", lambda t: [*_rest_routes(t), *_http_routes(t)])


def _default_authorizer(api: Optional[Resource]) -> Optional[bool]:
    """Whether a SAM API sets `Auth.DefaultAuthorizer` (None: cannot tell)."""
    if api is None or not api.is_sam:
        return False
    raw = api.raw_properties.get("Auth")
    if raw is None:
        return False
    answers = set()
    for auth in branches(raw):
        if auth is NO_VALUE:
            answers.add(False)
        elif isinstance(auth, dict) and not is_intrinsic(auth):
            answers.add(auth.get("DefaultAuthorizer") not in (None, ""))
        else:
            return None
    return True if answers == {True} else False if answers == {False} else None


def _event_authorizer(event: sam.Event) -> tuple[Optional[str], bool]:
    """(`Auth.Authorizer` of an event as text, whether it is written); text None when absent or unreadable."""
    auth = event.get("Auth")
    if not isinstance(auth, dict) or "Authorizer" not in auth:
        return None, False
    return literal_string(auth.get("Authorizer")), True


def _event_decision(event: sam.Event, api: Optional[Resource]) -> tuple[str, bool, JsonPath]:
    """(authorization, explicit NONE, location) of a SAM event's route."""
    name, written = _event_authorizer(event)
    if written:
        if name is None:
            return UNKNOWN, False, event.path
        if name.upper() == "NONE":
            return NONE, True, event.prop_path("Auth", "Authorizer")
        return AUTHORIZED, False, event.path
    default = _default_authorizer(api)
    if default is None:
        return UNKNOWN, False, event.path
    return (AUTHORIZED if default else NONE), False, event.path


def _rest_routes(template: Template) -> Iterator[Route]:
    for method in apis.rest_methods(template):
        if not method.visible:
            continue
        api = method.api
        api_key = apis.api_key_required(method)
        if method.method is not None:
            yield _cfn_method_route(method, api_key)
            continue
        if method.event is not None and method.event_applies:
            decision, explicit, location = _event_decision(method.event, api)
            yield Route(
                apis.REST, api, method.verb, method.path, method.event.owner, location, method.subject(),
                decision, api_key, explicit, method.event,
            )
            continue
        operation = method.operation
        if operation is None:
            continue
        decision = operation_authorization(operation)
        if decision != AUTHORIZED and api is not None and api.is_sam:
            decision = _sam_default_on_document(api, operation, decision, method.event)
        yield Route(
            apis.REST, api, method.verb, method.path, method.resource, method.location, method.subject(),
            decision, api_key, False, method.event,
        )


def _sam_default_on_document(
    api: Resource, operation: apis.Operation, decision: str, event: Optional[sam.Event]
) -> str:
    """SAM applies `DefaultAuthorizer` to every operation of a REST API's own document (except those
    marked `NONE`, and preflights when `AddDefaultAuthorizerToCorsPreflight` is false), and an event
    with `OverrideApiAuth` writes its authorizer in."""
    if event is not None:
        auth = event.get("Auth")
        if isinstance(auth, dict) and truthy(auth.get("OverrideApiAuth")):
            name = literal_string(auth.get("Authorizer"))
            if name is not None and name.upper() != "NONE":
                return AUTHORIZED
    default = _default_authorizer(api)
    if default is None:
        return UNKNOWN
    if not default:
        return decision
    security = operation.definition.get("security")
    if isinstance(security, list) and any(isinstance(s, dict) and "NONE" in s for s in security):
        return NONE
    return AUTHORIZED


def _authorization_type(raw: Any) -> str:
    """What an `AuthorizationType` (a Method's, a V2 Route's) decides in every `Fn::If` branch:
    absent or `NONE` is NONE, another literal AUTHORIZED, else (or when branches differ) UNKNOWN."""
    answers = set()
    for branch in branches(raw):
        if branch is None or branch is NO_VALUE:
            answers.add(NONE)
            continue
        text = literal_string(branch)
        answers.add(UNKNOWN if text is None else NONE if text.upper() == "NONE" else AUTHORIZED)
    return answers.pop() if len(answers) == 1 else UNKNOWN


def _cfn_method_route(method: apis.RestMethod, api_key: Optional[bool]) -> Route:
    resource = method.method
    assert resource is not None
    raw = resource.raw_properties.get("AuthorizationType")
    decision = _authorization_type(raw)
    location = resource.prop_path("AuthorizationType") if raw is not None else resource.prop_path()
    return Route(apis.REST, method.api, method.verb, method.path, resource, location, method.subject(), decision, api_key)


def _http_routes(template: Template) -> Iterator[Route]:
    # SAM HttpApi events: SAM writes them into the API's document whatever it holds.
    event_keys: dict[str, set[tuple[str, str]]] = {}
    for event in template.all_events():
        api_id = event.http_api_id
        if api_id is None:
            continue
        api = template.resource(api_id)
        if api is None or api.type != apis.SAM_HTTP_API:
            continue
        verb = literal_string(event.get("Method")) if event.get("Method") is not None else "ANY"
        path = literal_string(event.get("Path")) if event.get("Path") is not None else "$default"
        verb = verb.upper() if verb else None
        event_keys.setdefault(api.logical_id, set()).add(((path or "").rstrip("/"), verb or ""))
        decision, explicit, location = _event_decision(event, api)
        if decision == NONE and not explicit and _document_secures(api, path, verb):
            # SAM adds the event to the API's own document and keeps the operation's security.
            decision = AUTHORIZED
        owner = "State machine" if event.owner.type == "AWS::Serverless::StateMachine" else "Function"
        subject = f"{owner} '{event.owner.logical_id}' event '{event.name}' ({verb or '?'} {path or '?'})"
        yield Route(apis.HTTP, api, verb, path, event.owner, location, subject, decision, None, explicit, event)
    for api in template.of_type(apis.SAM_HTTP_API, apis.V2_API, implicit=True):
        kind = apis.api_kind(api)
        if kind != apis.HTTP:
            continue
        body_key = "DefinitionBody" if api.is_sam else "Body"
        body = api.raw_properties.get(body_key)
        if isinstance(body, dict) and not is_intrinsic(body):
            path = sam.property_path(api, body_key) if api.is_sam else api.prop_path(body_key)
            default = _default_authorizer(api)
            for operation in apis.operations(body, path):
                key = (operation.path.rstrip("/"), operation.verb)
                if key in event_keys.get(api.logical_id, set()):
                    continue
                decision = operation_authorization(operation)
                if decision != AUTHORIZED and default:
                    # SAM's DefaultAuthorizer fills every operation that has no security of its own.
                    decision = AUTHORIZED if not operation.definition.get("security") else decision
                elif decision != AUTHORIZED and default is None:
                    decision = UNKNOWN
                subject = f"API '{api.logical_id}' operation {operation.verb} {operation.path}"
                yield Route(apis.HTTP, api, operation.verb, operation.path, api, operation.json_path, subject, decision)
        elif api.type == apis.V2_API and api.raw_properties.get("Target") is not None and body is None:
            subject = f"API '{api.logical_id}' (quick-create $default route)"
            yield Route(apis.HTTP, api, "ANY", "$default", api, api.prop_path("Target"), subject, NONE)
    for route in template.of_type("AWS::ApiGatewayV2::Route"):
        yield from _v2_route(template, route)


def _document_secures(api: Resource, path: Optional[str], verb: Optional[str]) -> bool:
    body = api.raw_properties.get("DefinitionBody")
    if not isinstance(body, dict) or is_intrinsic(body) or path is None:
        return False
    for operation in apis.operations(body, ()):
        if operation.path.rstrip("/") == path.rstrip("/") and operation.verb in (verb, "ANY"):
            return operation_authorization(operation) == AUTHORIZED
    return False


def _v2_route(template: Template, route: Resource) -> Iterator[Route]:
    props = route.raw_properties
    api = template.target(props.get("ApiId"))
    kind = apis.api_kind(api) if api is not None else None
    key = literal_string(props.get("RouteKey")) if props.get("RouteKey") is not None else None
    if key is None:
        return
    if kind is None:
        # An API outside the template: only an `VERB /path` key says it is an HTTP API.
        if " " not in key:
            return
        kind = apis.HTTP
    if kind == apis.WEBSOCKET and key != "$connect":
        # WebSocket APIs authorize the connection only; other routes take no authorizer.
        return
    verb, _, path = key.partition(" ")
    if not path:
        verb, path = "ANY", key
    raw = props.get("AuthorizationType")
    decision = _authorization_type(raw)
    location = route.prop_path("AuthorizationType") if raw is not None else route.prop_path()
    subject = f"Route '{route.logical_id}' ({key})"
    yield Route(kind, api, verb.upper(), path, route, location, subject, decision)


# ---- custom domains with mutual TLS --------------------------------------------------------------


def mtls_apis(template: Template) -> list[tuple[Resource, str]]:
    """(API, description of its mTLS domain) for every API served on a domain with mutual TLS (read
    once per template: SL206 and SL207 both ask)."""
    return template.memo("api_access.mtls_apis", lambda t: list(_mtls_apis(t)))


def _mtls_apis(template: Template) -> Iterator[tuple[Resource, str]]:
    for api in template.of_type(*SAM_APIS, implicit=True):
        for domain in iter_dicts(api.raw_properties.get("Domain")):
            if _has_mtls(domain.get("MutualTlsAuthentication")):
                label = literal_string(domain.get("DomainName"))
                yield api, f"custom domain '{label}'" if label else "its custom domain"
    domains = [d for d in template.of_type(*DOMAINS) if _has_mtls(d.raw_properties.get("MutualTlsAuthentication"))]
    if not domains:
        return
    for mapping in template.of_type(*MAPPINGS):
        props = mapping.raw_properties
        domain = _mapped_domain(domains, props.get("DomainName"))
        if domain is None:
            continue
        api = template.target(props.get(MAPPINGS[mapping.type]))
        if api is not None and api.type in MAPPABLE_API_TYPES:
            yield api, f"custom domain '{domain.logical_id}'"


def _has_mtls(value: Any) -> bool:
    """Mutual TLS configured in every Fn::If branch (an unreadable value is no claim)."""
    if value is None:
        return False
    found = branches(value)
    return bool(found) and all(isinstance(b, dict) and not is_intrinsic(b) for b in found)


def _mapped_domain(domains: list[Resource], value: Any) -> Optional[Resource]:
    """The domain a mapping's `DomainName` names: a `Ref` to the domain resource, or the same name
    expression the domain was given (templates often repeat the parameter)."""
    target = ref_target(value)
    for domain in domains:
        if target == domain.logical_id:
            return domain
        name = domain.raw_properties.get("DomainName")
        if name is not None and same_string(value, name):
            return domain
    return None


def default_endpoint_disabled(api: Resource) -> Optional[bool]:
    """True when disabled in every branch, False when enabled in every branch, None when unknown."""
    raw = api.raw_properties.get("DisableExecuteApiEndpoint")
    if raw is None:
        raw = _extension_value(api)
    return bool_branches(raw)


def _extension_value(api: Resource) -> Any:
    """`disableExecuteApiEndpoint` of an inline OpenAPI document's endpoint configuration extension."""
    body_key, file_key = ("DefinitionBody", "DefinitionUri") if api.type in SAM_APIS else ("Body", "BodyS3Location")
    body = api.raw_properties.get(body_key)
    if body is None:
        # A document in a file may disable it: no claim.
        return True if api.raw_properties.get(file_key) is not None else None
    if not isinstance(body, dict) or is_intrinsic(body):
        # An included or computed document may disable it: no claim.
        return True
    extension = body.get(ENDPOINT_EXTENSION)
    if isinstance(extension, dict) and not is_intrinsic(extension):
        return extension.get("disableExecuteApiEndpoint")
    return None

