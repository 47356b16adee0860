from __future__ import annotations

from typing import Any, Optional

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import apis
from slens_lint.template.expressions import literal_string, references
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.values import Truth, Unknown, Value

# Features a REST API has and an HTTP API lacks. A template that uses any of them needs REST.
_VALIDATION_KEYS = ("x-amazon-apigateway-request-validators", "x-amazon-apigateway-request-validator")
_REST_ONLY_EXTENSIONS = (
    "x-amazon-apigateway-policy",
    "x-amazon-apigateway-gateway-responses",
    "x-amazon-apigateway-api-key-source",
    *_VALIDATION_KEYS,
)
# Integrations an HTTP API cannot express: AWS service actions through mapping templates, mocks.
_REST_ONLY_INTEGRATION_TYPES = frozenset({"aws", "mock", "http"})
_REST_RELATED_TYPES = (
    "AWS::ApiGateway::UsagePlan",
    "AWS::ApiGateway::RequestValidator",
    "AWS::ApiGateway::Model",
    "AWS::ApiGateway::GatewayResponse",
    "AWS::WAFv2::WebACLAssociation",
    "AWS::WAFRegional::WebACLAssociation",
    "AWS::ApiGateway::Authorizer",
)


class RestApiCouldBeHttpApi(Rule):
    id = "SL504"
    severity = Severity.INFO
    severity_reason = "info: an HTTP API is cheaper, but moving is a design decision; advice."
    title = "REST API that uses no REST-only feature"
    practice = "Cost optimization 4: Use cost-aware patterns in code"
    rationale = (
        "HTTP APIs cost up to about 70% less per request than REST APIs and add less latency. A REST "
        "API pays for features HTTP APIs lack: usage plans and API keys, request validation, caching, "
        "WAF, private or edge endpoints, resource policies, X-Ray tracing, canary releases, AWS service "
        "integrations through mapping templates. When a REST API uses none of them, an HTTP API would "
        "serve it for less."
    )
    fix = (
        "Consider an HTTP API (`AWS::Serverless::HttpApi`, `Type: HttpApi` events, or "
        "`AWS::ApiGatewayV2::Api`). Keep REST if you plan to use one of its features."
    )
    example = {
        "Resources": {
            "ListOrders": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Events": {"List": {"Type": "HttpApi", "Properties": {"Path": "/orders", "Method": "get"}}},
                },
            }
        }
    }
    use_instead = "If the API will need a REST-only feature soon, suppress the finding on it with that plan as the reason."
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html",
        "https://aws.amazon.com/api-gateway/pricing/",
    )
    service = "apigateway"
    precision = "medium"
    resource_types = ("AWS::Serverless::Api", "AWS::ApiGateway::RestApi", *_REST_RELATED_TYPES)

    subject = "REST API"

    def subjects(self, template: Template) -> list[Resource[Any]]:
        return apis.apis(template, apis.REST)

    def judge(self, api: Resource[Any], template: Template) -> Verdict:
        uses = _uses_rest_only_feature(template, api)
        # The type of an API cannot follow a condition: a feature some branch uses keeps it on REST.
        if any(case.holds is True for case in uses.cases):
            return self.met(api)
        unknown = uses.unknown()
        if unknown:
            hidden = [case.evidence for case in unknown if case.evidence is not None and case.evidence.unknown]
            return self.undecidable(api, hidden or "a setting the template does not show")
        return self.not_met(
            api,
            f"REST API '{api.logical_id}' uses no REST-only feature (usage plans, validation, caching, "
            f"WAF, private/edge endpoint, resource policy, X-Ray, canary): an HTTP API would cost up "
            f"to about 70% less per request.",
            fix="Consider an HTTP API for it, for example with function events of Type HttpApi.",
        )


def _uses_rest_only_feature(template: Template, api: Resource[Any]) -> Truth:
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
    features.append(Truth.of(any(True for _ in template.referrers(api.logical_id, *_REST_RELATED_TYPES))))
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


def _listed(value: Value) -> list[Any]:
    if value.absent:
        return []
    if value.unknown:
        return [None]
    literal = value.literal
    return literal if isinstance(literal, list) else [literal]


def _text(item: Any) -> Optional[str]:
    # Items of a typed list are values; those of a free-form document are as written.
    if isinstance(item, Value):
        return item.text()
    return literal_string(item)


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
