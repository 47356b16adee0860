"""The JSON access-log formats a fix suggests, per kind of stage (SL110, SL111).

Which key holds a stage's access-log settings (`AccessLogSetting` for REST stages, `AccessLogSettings`
for HTTP and WebSocket ones, a quick-create API's managed overrides) is the reader's business:
`ApiStage.access_log_key` and `ApiStage.access_log()` in `slens_lint.template.apis`.
"""

from __future__ import annotations

from typing import Optional

from slens_lint.template import apis

# A JSON format with the fields the Lens asks for; `$context.requestId` is mandatory for REST APIs.
REST_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",'
    '"httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status",'
    '"responseLength":"$context.responseLength","integrationLatency":"$context.integrationLatency",'
    '"xrayTraceId":"$context.xrayTraceId"}'
)
HTTP_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",'
    '"httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status",'
    '"responseLength":"$context.responseLength","integrationError":"$context.integrationErrorMessage"}'
)
WEBSOCKET_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",'
    '"eventType":"$context.eventType","routeKey":"$context.routeKey","status":"$context.status",'
    '"connectionId":"$context.connectionId"}'
)


def json_format_for(kind: Optional[str]) -> str:
    """The JSON access-log format a fix suggests for a stage of that kind."""
    return {apis.REST: REST_FORMAT, apis.WEBSOCKET: WEBSOCKET_FORMAT}.get(kind or "", HTTP_FORMAT)
