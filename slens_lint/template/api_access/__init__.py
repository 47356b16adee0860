"""Who can call an API route: the routes of REST, HTTP and WebSocket APIs with the authorization in
effect, the REST endpoint type, whether a resource policy restricts callers, custom domains with mutual
TLS, and which functions an API waits for.

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

Everything here reads; nothing judges. Answers are `Truth`s per `Fn::If` branch: where the template
hides something (an intrinsic, a document in a file) the answer is unknown, with why. Routes are
subjects (`key`, `resource_id`, `owners`, `anchors`).
"""

from slens_lint.template.api_access.authorization import (
    default_authorizer,
    event_authorizer,
    operation_authorization,
)
from slens_lint.template.api_access.domains import (
    MtlsDomain,
    default_endpoint_disabled,
    mtls_domains,
    mtls_only,
)
from slens_lint.template.api_access.integrations import (
    HTTP_API_TIMEOUT,
    INTEGRATION_TIMEOUT,
    ApiIntegration,
    integration_limits,
    integrations,
)
from slens_lint.template.api_access.policies import (
    POLICY_EXTENSION,
    declares_policy,
    document_restricts,
    is_private,
    restricts_callers,
)
from slens_lint.template.api_access.routes import Route, describe_route, method_label, routes

__all__ = [
    "HTTP_API_TIMEOUT",
    "INTEGRATION_TIMEOUT",
    "POLICY_EXTENSION",
    "ApiIntegration",
    "MtlsDomain",
    "Route",
    "declares_policy",
    "default_authorizer",
    "default_endpoint_disabled",
    "describe_route",
    "document_restricts",
    "event_authorizer",
    "integration_limits",
    "integrations",
    "is_private",
    "method_label",
    "mtls_domains",
    "mtls_only",
    "operation_authorization",
    "restricts_callers",
    "routes",
]
