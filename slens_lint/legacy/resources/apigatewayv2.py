"""HTTP (and WebSocket) APIs: SAM `AWS::Serverless::HttpApi` and `AWS::ApiGatewayV2::*`."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from slens_lint.legacy.resources.base import Lenient, Props, Resource


class RouteSettingsSpec(Props):
    ThrottlingRateLimit: Lenient[float] = None
    ThrottlingBurstLimit: Lenient[int] = None
    DetailedMetricsEnabled: Lenient[bool] = None
    LoggingLevel: Lenient[str] = None
    DataTraceEnabled: Lenient[bool] = None


class AccessLogSettingsSpec(Props):
    DestinationArn: Lenient[str] = None
    Format: Any = None


class SamHttpApiAuth(Props):
    DefaultAuthorizer: Lenient[str] = None
    Authorizers: Any = None
    EnableIamAuthorizer: Lenient[bool] = None


class SamHttpApiProps(Props):
    Name: Lenient[str] = None
    StageName: Lenient[str] = None
    DefinitionBody: Any = None
    DefinitionUri: Any = None
    DefaultRouteSettings: Lenient[RouteSettingsSpec] = None
    RouteSettings: Any = None
    AccessLogSettings: Lenient[AccessLogSettingsSpec] = None
    Auth: Lenient[SamHttpApiAuth] = None
    Domain: Any = None
    DisableExecuteApiEndpoint: Lenient[bool] = None
    FailOnWarnings: Any = None


class SamHttpApi(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Serverless::HttpApi",)
    properties: SamHttpApiProps = Field(default_factory=SamHttpApiProps)
    implicit: bool = False
    """True for the `ServerlessHttpApi` SAM creates from function `HttpApi` events."""
    origin: tuple[Any, ...] = ()


class ApiV2Props(Props):
    Name: Lenient[str] = None
    ProtocolType: Lenient[str] = None
    Body: Any = None
    BodyS3Location: Any = None
    Target: Any = None
    DisableExecuteApiEndpoint: Lenient[bool] = None


class ApiV2(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::Api",)
    properties: ApiV2Props = Field(default_factory=ApiV2Props)


class StageV2Props(Props):
    ApiId: Lenient[str] = None
    StageName: Lenient[str] = None
    DefaultRouteSettings: Lenient[RouteSettingsSpec] = None
    RouteSettings: Any = None
    AccessLogSettings: Lenient[AccessLogSettingsSpec] = None
    AutoDeploy: Lenient[bool] = None


class StageV2(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::Stage",)
    properties: StageV2Props = Field(default_factory=StageV2Props)


class RouteProps(Props):
    ApiId: Lenient[str] = None
    RouteKey: Lenient[str] = None
    AuthorizationType: Lenient[str] = None
    AuthorizerId: Any = None
    Target: Any = None


class RouteV2(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::Route",)
    properties: RouteProps = Field(default_factory=RouteProps)
