"""The access-log settings of every API stage, and the JSON formats a fix suggests.

Stages come from `slens_lint.legacy.apis`. What differs per stage is the spelling: REST stages (SAM
`Api`, `AWS::ApiGateway::Stage`, a Deployment's `StageDescription`) use `AccessLogSetting`; HTTP and
WebSocket stages (SAM `HttpApi`/`WebSocketApi`, `AWS::ApiGatewayV2::Stage`) use `AccessLogSettings`.
The `$default` stage of a quick-create HTTP API has no settings of its own in the template, but an
`AWS::ApiGatewayV2::ApiGatewayManagedOverrides` can give it some under `Stage.AccessLogSettings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

from slens_lint.legacy import apis, intrinsics
from slens_lint.legacy.apis import ApiStage
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

REST_KEY = "AccessLogSetting"
V2_KEY = "AccessLogSettings"
_REST_STAGE_TYPES = (apis.SAM_REST_API, "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment")

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


@dataclass(frozen=True)
class AccessLogConfig:
    """A stage's access-log settings as written, and where findings about them point."""

    stage: ApiStage
    resource: Resource
    """The resource a finding belongs to (the stage's resource, or the managed overrides of a quick-create API)."""
    key: str
    """`AccessLogSetting` (REST) or `AccessLogSettings` (HTTP, WebSocket)."""
    prefix: tuple[str, ...]
    """Where the key sits under `Properties`."""
    value: Any
    """The raw value of the key (Fn::If and all); None when absent."""
    readable: bool
    """False when the stage's settings are an intrinsic: nothing can be said."""
    missing_at: Optional[tuple[str, ...]] = None
    """Where a finding about absent settings points, when not at the key (a Deployment's StageName,
    a quick-create API's Target)."""

    def at(self, *names: str) -> tuple[str, ...]:
        if self.value is None and self.missing_at is not None:
            return self.missing_at
        return (*self.prefix, self.key, *names)

    def settings(self) -> list[Any]:
        """Each value the settings can take through Fn::If: a mapping, None (absent), or an intrinsic."""
        if self.value is None:
            return [None]
        return [None if b is NO_VALUE else b for b in intrinsics.branches(self.value)]


def access_log_configs(template: Template) -> list[AccessLogConfig]:
    """The access-log settings of every stage (read once per template: SL110 and SL111 both ask)."""
    return template.memo("api_access_logs.configs", lambda t: list(_access_log_configs(t)))


def _access_log_configs(template: Template) -> Iterator[AccessLogConfig]:
    for stage in apis.stages(template):
        key = REST_KEY if stage.resource.type in _REST_STAGE_TYPES else V2_KEY
        if stage.origin == "quick-create":
            override = apis.managed_overrides(template, stage)
            if override is not None:
                overridden = override.raw_properties.get("Stage")
                if overridden is None:
                    yield AccessLogConfig(stage, override, key, ("Stage",), None, True)
                elif isinstance(overridden, dict) and not intrinsics.is_intrinsic(overridden):
                    yield AccessLogConfig(stage, override, key, ("Stage",), overridden.get(key), True)
                else:
                    yield AccessLogConfig(stage, override, key, ("Stage",), None, False)
                continue
            yield AccessLogConfig(stage, stage.resource, key, (), None, True, missing_at=stage.at(key))
            continue
        readable = stage.settings is not None
        value = stage.get(key)
        missing_at = stage.at(key) if stage.at(key) != (*stage.prefix, key) else None
        yield AccessLogConfig(stage, stage.resource, key, stage.prefix, value, readable, missing_at)

