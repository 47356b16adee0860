from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import apis, intrinsics
from slens_lint.legacy.model import FUNCTION_TYPES, Template
from slens_lint.legacy.resources.base import Resource

INTEGRATION_TIMEOUT = 29
HTTP_API_TIMEOUT = 30

# Resources whose properties name the Lambda function they integrate with.
_INTEGRATING_TYPES = (
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Route",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
)


class ApiFunctionTimeoutAboveIntegrationLimit(Rule):
    id = "SL403"
    severity = Severity.INFO
    title = "API-integrated function with a Timeout above 29 seconds"
    practice = "Performance efficiency 1: Measure, evaluate and choose the optimal capacity unit"
    rationale = (
        "API Gateway stops waiting for an integration after 29 seconds by default (HTTP APIs after "
        "30). A function behind an API with a longer `Timeout` keeps running, and billing, after "
        "the client has already received a 504; retries then pile up duplicate work. Long work "
        "belongs in an asynchronous pattern (queue, Step Functions) with the API answering at once."
    )
    fix = (
        "Set the function's `Timeout` to at most 29 seconds, or move the long work behind a queue or "
        "a state machine and let the API return immediately."
    )
    example = {
        "Resources": {
            "ApiFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Timeout": 29,
                    "Events": {"Get": {"Type": "Api", "Properties": {"Path": "/items", "Method": "get"}}},
                },
            }
        }
    }
    use_instead = (
        "A regional REST API whose integration timeout was raised through a quota increase may wait "
        "longer: suppress the finding on that function with the raised limit as the reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html",
    )
    service = "lambda"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function", *_INTEGRATING_TYPES)

    def check(self, template: Template) -> Iterator[Violation]:
        behind_api = _functions_behind_api(template)
        for function in template.functions():
            limit = behind_api.get(function.logical_id)
            if limit is None:
                continue
            timeout = _smallest_literal_timeout(function)
            if timeout is None or timeout <= limit:
                continue
            yield self.report(
                template,
                function,
                f"Function '{function.logical_id}' sits behind API Gateway with a {timeout:g}-second "
                f"Timeout: the API gives up after {limit} s and the function keeps running "
                f"after the client got a 504.",
                at=("Timeout",),
                fix=f"Lower Timeout to at most {limit} seconds, or make the long work asynchronous:",
                snippet={"Timeout": limit},
            )


def _functions_behind_api(template: Template) -> dict[str, int]:
    """Function -> the shortest integration timeout among the APIs that call it synchronously."""
    limits: dict[str, int] = {}

    def add(names: set[str], limit: int) -> None:
        for name in names:
            target = template.resource(name)
            if target is not None and target.type in FUNCTION_TYPES:
                limits[name] = min(limits.get(name, limit), limit)

    # (api, function) pairs whose inline definition integrates the function without waiting: SAM
    # keeps an integration the definition already has, so the function's event does not make it sync.
    unbounded: set[tuple[str, str]] = set()
    for resource in template.of_type(*_INTEGRATING_TYPES):
        limit = HTTP_API_TIMEOUT if _is_http_api(template, resource) else INTEGRATION_TIMEOUT
        for integration in _integrations(resource.raw_properties):
            names = intrinsics.references(_uri(integration))
            if _is_async(integration):
                unbounded |= {(resource.logical_id, name) for name in names}
            else:
                add(names, limit)
        if resource.type == "AWS::ApiGatewayV2::Api":
            add(intrinsics.references(resource.raw_properties.get("Target")), HTTP_API_TIMEOUT)
    for event in template.all_events():
        if event.owner.type != "AWS::Serverless::Function" or event.type not in ("Api", "HttpApi"):
            continue
        api = event.rest_api_id or event.http_api_id
        if (api, event.owner.logical_id) in unbounded:
            continue
        add({event.owner.logical_id}, HTTP_API_TIMEOUT if event.type == "HttpApi" else INTEGRATION_TIMEOUT)
    return limits


_URI_KEYS = ("uri", "Uri", "IntegrationUri")


def _integrations(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping that names an integration target (OpenAPI `x-amazon-apigateway-integration`,
    a Method's `Integration`, a V2 `Integration`), found by walking the properties."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if any(key in current for key in _URI_KEYS):
                yield current
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _uri(integration: dict[str, Any]) -> Any:
    return next(integration[key] for key in _URI_KEYS if key in integration)


def _is_async(integration: dict[str, Any]) -> bool:
    """Integrations that do not hold the client to the 29-second limit: an asynchronous invocation
    (`X-Amz-Invocation-Type: 'Event'`) returns at once, and response streaming
    (`responseTransferMode: STREAM`) may run up to 15 minutes."""
    for key in ("responseTransferMode", "ResponseTransferMode"):
        if str(integration.get(key, "")).upper() == "STREAM":
            return True
    for key in ("requestParameters", "RequestParameters"):
        parameters = integration.get(key)
        if isinstance(parameters, dict):
            value = parameters.get("integration.request.header.X-Amz-Invocation-Type")
            if isinstance(value, str) and "event" in value.lower():
                return True
    return False


def _is_http_api(template: Template, resource: Resource) -> bool:
    if resource.type in ("AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Route"):
        resource = template.target(resource.raw_properties.get("ApiId"))
    return apis.api_kind(resource) == apis.HTTP


def _smallest_literal_timeout(function: Resource) -> Optional[float]:
    """The smallest Timeout over Fn::If branches; None unless every branch is a literal number."""
    values = []
    for value in intrinsics.branches(function.raw_properties.get("Timeout")):
        try:
            values.append(float(value))
        except (TypeError, ValueError):
            return None
    return min(values) if values else None
