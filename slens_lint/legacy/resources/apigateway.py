"""API Gateway REST APIs: SAM `AWS::Serverless::Api` and the `AWS::ApiGateway::*` resources."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from slens_lint.legacy.resources.base import Lenient, Props, Resource


class MethodSetting(Props):
    HttpMethod: Lenient[str] = None
    ResourcePath: Lenient[str] = None
    ThrottlingRateLimit: Lenient[float] = None
    ThrottlingBurstLimit: Lenient[int] = None
    LoggingLevel: Lenient[str] = None
    DataTraceEnabled: Lenient[bool] = None
    MetricsEnabled: Lenient[bool] = None
    CachingEnabled: Lenient[bool] = None
    CacheDataEncrypted: Lenient[bool] = None


class CanarySettingSpec(Props):
    PercentTraffic: Lenient[float] = None
    UseStageCache: Lenient[bool] = None
    StageVariableOverrides: Any = None
    DeploymentId: Any = None


class AccessLogSettingSpec(Props):
    DestinationArn: Lenient[str] = None
    Format: Any = None


class ThrottleSpec(Props):
    RateLimit: Lenient[float] = None
    BurstLimit: Lenient[int] = None


class QuotaSpec(Props):
    Limit: Lenient[int] = None
    Period: Lenient[str] = None
    Offset: Lenient[int] = None


class SamUsagePlan(Props):
    CreateUsagePlan: Lenient[str] = None
    Quota: Lenient[QuotaSpec] = None
    Throttle: Lenient[ThrottleSpec] = None


class SamApiAuth(Props):
    DefaultAuthorizer: Lenient[str] = None
    ApiKeyRequired: Lenient[bool] = None
    UsagePlan: Lenient[SamUsagePlan] = None
    ResourcePolicy: Any = None
    Authorizers: Any = None
    AddDefaultAuthorizerToCorsPreflight: Lenient[bool] = None


class StageLike(Props):
    """What a SAM Api and a CloudFormation Stage share about their stage."""

    StageName: Lenient[str] = None
    MethodSettings: Lenient[list[Lenient[MethodSetting]]] = None
    CanarySetting: Lenient[CanarySettingSpec] = None
    TracingEnabled: Lenient[bool] = None
    AccessLogSetting: Lenient[AccessLogSettingSpec] = None
    CacheClusterEnabled: Lenient[bool] = None


class SamApiProps(StageLike):
    Name: Lenient[str] = None
    DefinitionBody: Any = None
    DefinitionUri: Any = None
    Auth: Lenient[SamApiAuth] = None
    EndpointConfiguration: Any = None
    Domain: Any = None
    DisableExecuteApiEndpoint: Lenient[bool] = None
    OpenApiVersion: Any = None


class SamApi(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Serverless::Api",)
    properties: SamApiProps = Field(default_factory=SamApiProps)
    implicit: bool = False
    """True for the `ServerlessRestApi` SAM creates from function `Api` events."""
    origin: tuple[Any, ...] = ()
    """JSON path findings about this API point at (the creating event for the implicit API)."""


class EndpointConfigurationSpec(Props):
    Types: Lenient[list[Any]] = None
    VpcEndpointIds: Any = None


class RestApiProps(Props):
    Name: Lenient[str] = None
    Body: Any = None
    BodyS3Location: Any = None
    EndpointConfiguration: Lenient[EndpointConfigurationSpec] = None
    Policy: Any = None
    DisableExecuteApiEndpoint: Lenient[bool] = None


class RestApi(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::RestApi",)
    properties: RestApiProps = Field(default_factory=RestApiProps)


class StageProps(StageLike):
    RestApiId: Lenient[str] = None
    DeploymentId: Lenient[str] = None


class Stage(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::Stage",)
    properties: StageProps = Field(default_factory=StageProps)


class StageDescriptionSpec(Props):
    MethodSettings: Lenient[list[Lenient[MethodSetting]]] = None
    ThrottlingRateLimit: Lenient[float] = None
    ThrottlingBurstLimit: Lenient[int] = None
    TracingEnabled: Lenient[bool] = None
    AccessLogSetting: Lenient[AccessLogSettingSpec] = None
    CanarySetting: Lenient[CanarySettingSpec] = None
    CachingEnabled: Lenient[bool] = None
    CacheClusterEnabled: Lenient[bool] = None
    CacheDataEncrypted: Lenient[bool] = None
    DataTraceEnabled: Lenient[bool] = None
    LoggingLevel: Lenient[str] = None


class DeploymentCanarySettingsSpec(Props):
    PercentTraffic: Lenient[float] = None
    UseStageCache: Lenient[bool] = None


class DeploymentProps(Props):
    RestApiId: Lenient[str] = None
    StageName: Lenient[str] = None
    StageDescription: Lenient[StageDescriptionSpec] = None
    DeploymentCanarySettings: Lenient[DeploymentCanarySettingsSpec] = None


class Deployment(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::Deployment",)
    properties: DeploymentProps = Field(default_factory=DeploymentProps)


class MethodProps(Props):
    RestApiId: Lenient[str] = None
    ResourceId: Any = None
    HttpMethod: Lenient[str] = None
    AuthorizationType: Lenient[str] = None
    AuthorizerId: Any = None
    ApiKeyRequired: Lenient[bool] = None
    RequestValidatorId: Lenient[str] = None
    RequestModels: Lenient[dict[str, Any]] = None
    RequestParameters: Any = None
    Integration: Any = None


class Method(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::Method",)
    properties: MethodProps = Field(default_factory=MethodProps)


class RequestValidatorProps(Props):
    RestApiId: Lenient[str] = None
    Name: Lenient[str] = None
    ValidateRequestBody: Lenient[bool] = None
    ValidateRequestParameters: Lenient[bool] = None


class RequestValidator(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::RequestValidator",)
    properties: RequestValidatorProps = Field(default_factory=RequestValidatorProps)


class ApiStage(Props):
    ApiId: Lenient[str] = None
    Stage: Lenient[str] = None
    Throttle: Any = None


class UsagePlanProps(Props):
    ApiStages: Lenient[list[Lenient[ApiStage]]] = None
    Quota: Lenient[QuotaSpec] = None
    Throttle: Lenient[ThrottleSpec] = None
    UsagePlanName: Lenient[str] = None


class UsagePlan(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::UsagePlan",)
    properties: UsagePlanProps = Field(default_factory=UsagePlanProps)


class ApiKeyProps(Props):
    Enabled: Lenient[bool] = None
    StageKeys: Any = None


class ApiKey(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::ApiKey",)
    properties: ApiKeyProps = Field(default_factory=ApiKeyProps)


class ModelProps(Props):
    RestApiId: Lenient[str] = None
    ContentType: Lenient[str] = None
    Name: Lenient[str] = None
    Schema: Any = None


class ApiModel(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::Model",)
    properties: ModelProps = Field(default_factory=ModelProps)
