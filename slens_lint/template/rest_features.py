"""What keeps a REST API on REST: the features it uses that HTTP APIs lack, and the REST-only feature
its methods are asked for (request validation of the methods that take a body).

Advice must not contradict itself on one API: "move to an HTTP API" is wrong for an API that relies on
a REST-only feature, and just as wrong for one whose methods are told to validate their bodies at the
edge, which only a REST API can do. Both are read here from the model, so that the rule advising HTTP
APIs (SL504) and the rule asking for body validation (SL201) see the same methods.

Settings every REST stage is asked for whatever the API does (X-Ray tracing, a canary) are not needs of
this API: on an HTTP API the functions carry the traces and their aliases the gradual release, so they
are a trade-off the advice names rather than a reason to keep REST.
"""

from __future__ import annotations

from typing import Any, Optional

from slens_lint.template import apis
from slens_lint.template.apis import RestMethod
from slens_lint.template.expressions import literal_string, references
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.values import Truth, Unknown, Value

_VALIDATION_KEYS = ("x-amazon-apigateway-request-validators", "x-amazon-apigateway-request-validator")
_REST_ONLY_EXTENSIONS = (
    "x-amazon-apigateway-policy",
    "x-amazon-apigateway-gateway-responses",
    "x-amazon-apigateway-api-key-source",
    *_VALIDATION_KEYS,
)
# Integrations an HTTP API cannot express: AWS service actions through mapping templates, mocks.
_REST_ONLY_INTEGRATION_TYPES = frozenset({"aws", "mock", "http"})
REST_RELATED_TYPES = (
    "AWS::ApiGateway::UsagePlan",
    "AWS::ApiGateway::ApiKey",
    "AWS::ApiGateway::RequestValidator",
    "AWS::ApiGateway::Model",
    "AWS::ApiGateway::GatewayResponse",
    "AWS::WAFv2::WebACLAssociation",
    "AWS::WAFRegional::WebACLAssociation",
    "AWS::ApiGateway::Authorizer",
)
"""Resources that exist only for REST APIs: one naming the API keeps it on REST."""


# ---- the methods whose bodies are to be validated -------------------------------------------


def body_validation_methods(template: Template) -> list[RestMethod]:
    """The REST methods asked to validate their request body: those that take one, defined in the
    template, except the ones no single schema can describe."""
    return template.memo("rest_features.body_validation_methods", _body_validation_methods)


def _body_validation_methods(template: Template) -> list[RestMethod]:
    methods = apis.rest_methods(template)
    proxied = {m.api.logical_id for m in methods if m.greedy and m.api is not None}
    return [m for m in methods if m.takes_body and m.visible and not _beyond_one_schema(m, proxied)]


def _beyond_one_schema(method: RestMethod, proxied: set[str]) -> bool:
    """Methods no single body schema can describe, and state machine events (SAM has no RequestModel
    for them: nothing the event could fix)."""
    if method.greedy:
        # `/{proxy+}` forwards every route of an application; the framework behind it validates.
        return True
    if method.verb == "ANY" and method.path == "/" and method.api is not None and method.api.logical_id in proxied:
        return True  # the root route of that same proxied application
    event = method.event
    if event is not None and method.event_applies and method.operation is None:
        if event.owner.type == "AWS::Serverless::StateMachine":
            return True
    uri = method.integration_uri() or ""
    # An S3 object proxy: the body is the object's bytes, not a JSON document.
    return ":s3:path/" in uri


# ---- what keeps an API on REST -------------------------------------------------------------


def needs_rest(template: Template, api: Resource[Any]) -> Truth:
    """True where the API uses a REST-only feature or has a method whose body is to be validated,
    False where it visibly has neither, unknown where its definition cannot be read."""
    asked = any(m.api is api for m in body_validation_methods(template))
    return uses_rest_only_feature(template, api) | Truth.of(asked)


def uses_rest_only_feature(template: Template, api: Resource[Any]) -> Truth:
    """True where it uses one, False where it visibly uses none, unknown where that cannot be known."""
    definition = apis.rest_definition(api)
    if not definition.visible:
        where = Unknown("the API is defined outside the template (a file, or an intrinsic)", None, definition.json_path)
        return Truth.of(None, where)
    props = api.props
    features = [
        props.value_of("EndpointConfiguration").each(lambda leaf: Truth.of(_endpoint_needs_rest(leaf), leaf)),
        props.value_of("Policy").given(),
        props.value_of("MinimumCompressionSize").given(),
    ]
    auth = apis.api_auth(api)
    features += [auth.ResourcePolicy.given(), auth.UsagePlan.given(), auth.ApiKeyRequired.is_true()]
    for stage in apis.stages(template, apis.REST):
        if stage.api is not api:
            continue
        features += [
            stage.setting("TracingEnabled").is_true(),
            stage.setting("CacheClusterEnabled").is_true(),
            stage.setting("CanarySetting").given(),
        ]
        features += [entry.get("CachingEnabled").is_true() for entry in stage.method_settings()]
    for method in apis.rest_methods(template):
        if method.api is not api:
            continue
        features.append(apis.api_key_required(method))
        if method.event is not None and method.event_applies:
            model = method.event.value("RequestModel")
            features += [model.ValidateBody.is_true(), model.ValidateParameters.is_true()]
        features.append(method.integration.each(lambda leaf: Truth.of(_integration_needs_rest(leaf), leaf)))
        if method.method is not None:
            features.append(method.method.props.value_of("RequestValidatorId").given())
    document = definition.document
    if document is not None:
        written = any(key in document for key in _REST_ONLY_EXTENSIONS) or _document_validates(document)
        features.append(Truth.of(written))
    features.append(Truth.of(any(True for _ in template.referrers(api.logical_id, *REST_RELATED_TYPES))))
    features.append(Truth.of(_deployment_uses_canary(template, api)))
    return Truth.any_of(features)


def _endpoint_needs_rest(leaf: Value) -> Optional[bool]:
    """An explicitly chosen EDGE or PRIVATE endpoint (REST's default, EDGE, is not a choice)."""
    if leaf.absent:
        return False
    if leaf.unknown:
        return None
    literal = leaf.literal
    if isinstance(literal, str):
        texts: list[Optional[str]] = [literal]
    else:
        types = leaf.project("Types")
        if types.absent:
            types = leaf.project("Type")
        texts = [_text(item) for branch in types.branches() for item in _listed(branch)]
    if not texts:
        return False
    return any(t is None or t.upper() in ("EDGE", "PRIVATE") for t in texts)


def _listed(value: Value) -> list[Optional[Value]]:
    """The items of a list (a single value is one item); None for items the template cannot show."""
    if value.absent:
        return []
    if value.unknown:
        return [None]
    return value.items() if isinstance(value.literal, list) else [value]


def _text(item: Optional[Value]) -> Optional[str]:
    return item.text() if item is not None else None


def _integration_needs_rest(leaf: Value) -> Optional[bool]:
    """Integrations an HTTP API cannot express: AWS service actions through mapping templates, mocks."""
    if leaf.absent:
        return False
    literal = leaf.literal if leaf.known else None
    if not isinstance(literal, dict):
        return None
    kind = literal_string(literal.get("Type", literal.get("type")))
    return kind is None or kind.lower() in _REST_ONLY_INTEGRATION_TYPES


def _document_validates(document: dict[str, Any]) -> bool:
    # An OpenAPI document is free-form: its operations are walked as written.
    paths = document.get("paths")
    for path_item in paths.values() if isinstance(paths, dict) else []:
        if isinstance(path_item, dict):
            for operation in path_item.values():
                if isinstance(operation, dict) and any(key in operation for key in _REST_ONLY_EXTENSIONS):
                    return True
    return False


def _deployment_uses_canary(template: Template, api: Resource[Any]) -> bool:
    for deployment in template.of_type(apis.DEPLOYMENT):
        props = deployment.props
        if api.logical_id in references(props.value_of("RestApiId").expr):
            if props.value_of("DeploymentCanarySettings").is_set():
                return True
    return False
