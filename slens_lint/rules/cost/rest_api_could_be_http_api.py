from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import apis
from slens_lint.legacy.intrinsics import iter_dicts, literal_string, references, truthy
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

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

    def check(self, template: Template) -> Iterator[Violation]:
        for api in apis.apis(template, apis.REST):
            if _uses_rest_only_feature(template, api) is not False:
                continue
            yield self.report(
                template,
                api,
                f"REST API '{api.logical_id}' uses no REST-only feature (usage plans, validation, caching, "
                f"WAF, private/edge endpoint, resource policy, X-Ray, canary): an HTTP API would cost up "
                f"to about 70% less per request.",
                fix="Consider an HTTP API for it, for example with function events of Type HttpApi.",
            )


def _uses_rest_only_feature(template: Template, api: Resource) -> Optional[bool]:
    """True when it uses one, False when it visibly uses none, None when that cannot be known."""
    definition = apis.rest_definition(api)
    if not definition.visible:
        return None
    props = api.raw_properties
    if _endpoint_needs_rest(props.get("EndpointConfiguration")):
        return True
    if props.get("Policy") is not None or props.get("MinimumCompressionSize") is not None:
        return True
    for auth in iter_dicts(props.get("Auth")):
        if auth.get("ResourcePolicy") is not None or auth.get("UsagePlan") is not None:
            return True
        if truthy(auth.get("ApiKeyRequired")) is not False and auth.get("ApiKeyRequired") is not None:
            return True
    for stage in apis.stages(template, apis.REST):
        if stage.api is not api:
            continue
        for name in ("TracingEnabled", "CacheClusterEnabled"):
            if stage.get(name) is not None and truthy(stage.get(name)) is not False:
                return True
        if stage.get("CanarySetting") is not None:
            return True
        for entry in stage.method_settings() or []:
            if truthy(entry.get("CachingEnabled")) is True:
                return True
    if any(apis.api_key_required(m) is not False for m in apis.rest_methods(template) if m.api is api):
        return True
    for method in apis.rest_methods(template):
        if method.api is not api:
            continue
        if method.event is not None and method.event_applies:
            model = method.event.get("RequestModel")
            if isinstance(model, dict) and (model.get("ValidateBody") or model.get("ValidateParameters")):
                return True
        integration = method.integration
        for settings in iter_dicts(integration):
            kind = literal_string(settings.get("Type", settings.get("type")))
            if kind is None or kind.lower() in _REST_ONLY_INTEGRATION_TYPES:
                return True
        if method.method is not None:
            props_m = method.method.raw_properties
            if props_m.get("RequestValidatorId") is not None:
                return True
    if definition.document is not None and any(key in definition.document for key in _REST_ONLY_EXTENSIONS):
        return True
    if definition.document is not None and _document_validates(definition.document):
        return True
    for resource in template.of_type(*_REST_RELATED_TYPES):
        if api.logical_id in references(resource.raw_properties):
            return True
    if _deployment_uses_canary(template, api):
        return True
    return False


def _endpoint_needs_rest(value: Any) -> bool:
    """An explicitly chosen EDGE or PRIVATE endpoint (REST's default, EDGE, is not a choice)."""
    if value is None:
        return False
    texts: list[Optional[str]] = []
    for config in iter_dicts(value):
        types = config.get("Types", config.get("Type"))
        for item in types if isinstance(types, list) else [types]:
            texts.append(literal_string(item))
    if not texts:
        texts.append(literal_string(value))
    return any(t is None or t.upper() in ("EDGE", "PRIVATE") for t in texts)


def _document_validates(document: dict[str, Any]) -> bool:
    for path_item in (document.get("paths") or {}).values() if isinstance(document.get("paths"), dict) else []:
        if isinstance(path_item, dict):
            for operation in path_item.values():
                if isinstance(operation, dict) and any(key in operation for key in _REST_ONLY_EXTENSIONS):
                    return True
    return False


def _deployment_uses_canary(template: Template, api: Resource) -> bool:
    for deployment in template.of_type("AWS::ApiGateway::Deployment"):
        if api.logical_id in references(deployment.raw_properties.get("RestApiId")):
            if deployment.raw_properties.get("DeploymentCanarySettings") is not None:
                return True
    return False
