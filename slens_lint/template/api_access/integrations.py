"""Which functions an API calls and waits for: the integrations of REST and HTTP APIs.

API Gateway stops waiting for an integration after 29 seconds (HTTP APIs after 30). A function is
behind an API when an integration's URI names it (a Method's `Integration`, an OpenAPI operation's
`x-amazon-apigateway-integration`, an `AWS::ApiGatewayV2::Integration`, a quick-create `Target`) or a
SAM `Api`/`HttpApi` event creates one. An asynchronous invocation (`X-Amz-Invocation-Type: 'Event'`)
returns at once and response streaming may run up to 15 minutes: neither holds the client to the
limit, and SAM keeps such an integration the document already has instead of adding the event's.

An integration is free-form where it sits in an OpenAPI document: it is read here through free-form
values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from slens_lint.template import apis
from slens_lint.template.expressions import references
from slens_lint.template.model import FUNCTION_TYPES
from slens_lint.template.resources.base import Resource
from slens_lint.template.values import Known, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

INTEGRATION_TIMEOUT = 29
HTTP_API_TIMEOUT = 30
INTEGRATION_EXTENSION = "x-amazon-apigateway-integration"
V2_INTEGRATION = "AWS::ApiGatewayV2::Integration"
METHOD = "AWS::ApiGateway::Method"
INVOCATION_TYPE_HEADER = "integration.request.header.X-Amz-Invocation-Type"


@dataclass(frozen=True)
class ApiIntegration:
    """One integration that names resources in its URI."""

    holder: Resource[Any]
    """The API whose document holds it, the Method, the V2 Integration, or the quick-create API."""
    targets: frozenset[str]
    """The logical ids its URI refers to."""
    limit: int
    """How long the API waits for it, in seconds."""
    asynchronous: bool
    """It does not hold the client to the limit (an asynchronous invocation, response streaming)."""


def _text(value: Value) -> str:
    return (value.text() or "") if not value.absent else ""


def _asynchronous(integration: Value, *names: str) -> bool:
    """`names`: the spelling of the request parameters and transfer mode keys (OpenAPI: camel case)."""
    parameters, mode = names
    if any(_text(leaf).upper() == "STREAM" for leaf in integration.project(mode).branches()):
        return True
    for leaf in integration.project(parameters).branches():
        header = leaf.project(INVOCATION_TYPE_HEADER) if isinstance(leaf.literal, dict) else None
        if header is not None and "event" in _text(header).lower():
            return True
    return False


def _uri_targets(uri: Value) -> frozenset[str]:
    return frozenset(name for leaf in uri.branches() for name in references(leaf.expr if not leaf.known else leaf.literal))


def integrations(template: "Template") -> list[ApiIntegration]:
    """Every integration of the template whose URI names something (read once per template)."""
    return template.memo("api_access.integrations", lambda t: list(_integrations(t)))


def _integrations(template: "Template") -> Iterator[ApiIntegration]:
    for api in template.of_type(apis.SAM_REST_API, apis.REST_API, apis.SAM_HTTP_API, apis.V2_API):
        limit = HTTP_API_TIMEOUT if apis.api_kind(api) == apis.HTTP else INTEGRATION_TIMEOUT
        body = api.props.value_of("DefinitionBody" if api.is_sam else "Body")
        for leaf in body.branches():
            document = apis.document_of(leaf)
            for operation in apis.operations(document, leaf.path) if document is not None else ():
                for branch in operation.value.project(INTEGRATION_EXTENSION).branches():
                    if isinstance(branch.literal, dict):
                        yield ApiIntegration(
                            api, _uri_targets(branch.project("uri")), limit,
                            _asynchronous(branch, "requestParameters", "responseTransferMode"),
                        )
        if api.type == apis.V2_API:
            target = api.props.value_of("Target")
            if target.is_set():
                yield ApiIntegration(api, _uri_targets(target), HTTP_API_TIMEOUT, False)
    for method in template.of_type(METHOD):
        for branch in method.props.value_of("Integration").branches():
            if isinstance(branch.literal, dict):
                yield ApiIntegration(
                    method, _uri_targets(branch.project("Uri")), INTEGRATION_TIMEOUT,
                    _asynchronous(branch, "RequestParameters", "ResponseTransferMode"),
                )
    for resource in template.of_type(V2_INTEGRATION):
        props = resource.props
        api = template.target(props.value_of("ApiId"))
        limit = HTTP_API_TIMEOUT if apis.api_kind(api) == apis.HTTP else INTEGRATION_TIMEOUT
        yield ApiIntegration(
            resource, _uri_targets(props.value_of("IntegrationUri")), limit,
            _asynchronous(Known(props, props.path), "RequestParameters", "ResponseTransferMode"),
        )


def integration_limits(template: "Template") -> dict[str, int]:
    """Function -> the shortest integration timeout among the APIs that call it synchronously."""
    return template.memo("api_access.integration_limits", _integration_limits)


def _integration_limits(template: "Template") -> dict[str, int]:
    limits: dict[str, int] = {}

    def add(names: frozenset[str], limit: int) -> None:
        for name in names:
            target = template.resource(name)
            if target is not None and target.type in FUNCTION_TYPES:
                limits[name] = min(limits.get(name, limit), limit)

    # (api, function) pairs whose inline definition integrates the function without waiting: SAM
    # keeps an integration the definition already has, so the function's event does not make it sync.
    unbounded: set[tuple[str, str]] = set()
    for integration in integrations(template):
        if integration.asynchronous:
            unbounded |= {(integration.holder.logical_id, name) for name in integration.targets}
        else:
            add(integration.targets, integration.limit)
    for event in template.all_events():
        if event.owner.type != "AWS::Serverless::Function" or event.type not in ("Api", "HttpApi"):
            continue
        api = event.rest_api_id or event.http_api_id
        if (api, event.owner.logical_id) in unbounded:
            continue
        add(frozenset({event.owner.logical_id}), HTTP_API_TIMEOUT if event.type == "HttpApi" else INTEGRATION_TIMEOUT)
    return limits
