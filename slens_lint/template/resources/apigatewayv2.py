"""HTTP (and WebSocket) APIs: SAM `AWS::Serverless::HttpApi` and `AWS::ApiGatewayV2::*`."""

from __future__ import annotations

from typing import Any, ClassVar

from slens_lint.template.resources.base import ABSENT, Props, Resource, V


class RouteSettingsSpec(Props):
    ThrottlingRateLimit: V[float] = ABSENT
    ThrottlingBurstLimit: V[int] = ABSENT
    LoggingLevel: V[str] = ABSENT
    DataTraceEnabled: V[bool] = ABSENT


class AccessLogSettingsSpec(Props):
    DestinationArn: V[str] = ABSENT
    Format: V[Any] = ABSENT


class SamHttpApiAuth(Props):
    DefaultAuthorizer: V[str] = ABSENT
    Authorizers: V[Any] = ABSENT
    EnableIamAuthorizer: V[bool] = ABSENT


class SamHttpApiProps(Props):
    Name: V[str] = ABSENT
    StageName: V[str] = ABSENT
    DefinitionBody: V[Any] = ABSENT
    DefinitionUri: V[Any] = ABSENT
    DefaultRouteSettings: V[RouteSettingsSpec] = ABSENT
    AccessLogSettings: V[AccessLogSettingsSpec] = ABSENT
    Auth: V[SamHttpApiAuth] = ABSENT
    Domain: V[Any] = ABSENT
    DisableExecuteApiEndpoint: V[bool] = ABSENT


class SamHttpApi(Resource[SamHttpApiProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Serverless::HttpApi",)
    """`implicit` for the `ServerlessHttpApi` SAM creates from function `HttpApi` events."""


class ApiV2Props(Props):
    Name: V[str] = ABSENT
    ProtocolType: V[str] = ABSENT
    Body: V[Any] = ABSENT
    BodyS3Location: V[Any] = ABSENT
    Target: V[Any] = ABSENT
    DisableExecuteApiEndpoint: V[bool] = ABSENT


class ApiV2(Resource[ApiV2Props]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::Api",)


class IntegrationV2Props(Props):
    ApiId: V[str] = ABSENT
    IntegrationUri: V[Any] = ABSENT


class IntegrationV2(Resource[IntegrationV2Props]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::Integration",)


class StageV2Props(Props):
    ApiId: V[str] = ABSENT
    StageName: V[str] = ABSENT
    DefaultRouteSettings: V[RouteSettingsSpec] = ABSENT
    AccessLogSettings: V[AccessLogSettingsSpec] = ABSENT


class StageV2(Resource[StageV2Props]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::Stage",)


class RouteProps(Props):
    ApiId: V[str] = ABSENT
    RouteKey: V[str] = ABSENT
    AuthorizationType: V[str] = ABSENT
    Target: V[Any] = ABSENT


class RouteV2(Resource[RouteProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::Route",)


class SamWebSocketApiProps(Props):
    Name: V[str] = ABSENT
    StageName: V[str] = ABSENT
    DefaultRouteSettings: V[RouteSettingsSpec] = ABSENT
    AccessLogSettings: V[AccessLogSettingsSpec] = ABSENT


class SamWebSocketApi(Resource[SamWebSocketApiProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Serverless::WebSocketApi",)


class ManagedStageOverridesSpec(Props):
    DefaultRouteSettings: V[RouteSettingsSpec] = ABSENT
    AccessLogSettings: V[AccessLogSettingsSpec] = ABSENT


class ManagedOverridesProps(Props):
    ApiId: V[str] = ABSENT
    Stage: V[ManagedStageOverridesSpec] = ABSENT


class ManagedOverrides(Resource[ManagedOverridesProps]):
    """`AWS::ApiGatewayV2::ApiGatewayManagedOverrides`: the settings of a quick-create API's `$default`
    stage (and route, integration), which the template cannot declare otherwise."""

    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::ApiGatewayManagedOverrides",)
