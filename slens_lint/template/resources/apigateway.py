"""API Gateway REST APIs: SAM `AWS::Serverless::Api` and the `AWS::ApiGateway::*` resources."""

from __future__ import annotations

from typing import Any, ClassVar

from slens_lint.template.reading import read
from slens_lint.template.resources.apigatewayv2 import AccessLogSettingsSpec, RouteSettingsSpec
from slens_lint.template.resources.base import ABSENT, Props, Resource, V
from slens_lint.template.values import Absent, Value


class MethodSetting(Props):
    HttpMethod: V[str] = ABSENT
    ResourcePath: V[str] = ABSENT
    ThrottlingRateLimit: V[float] = ABSENT
    ThrottlingBurstLimit: V[int] = ABSENT
    LoggingLevel: V[str] = ABSENT
    DataTraceEnabled: V[bool] = ABSENT
    MetricsEnabled: V[bool] = ABSENT
    CachingEnabled: V[bool] = ABSENT
    CacheDataEncrypted: V[bool] = ABSENT


class CanarySettingSpec(Props):
    PercentTraffic: V[float] = ABSENT
    UseStageCache: V[bool] = ABSENT
    DeploymentId: V[Any] = ABSENT


class AccessLogSettingSpec(Props):
    DestinationArn: V[str] = ABSENT
    Format: V[Any] = ABSENT


class ThrottleSpec(Props):
    RateLimit: V[float] = ABSENT
    BurstLimit: V[int] = ABSENT


class QuotaSpec(Props):
    Limit: V[int] = ABSENT
    Period: V[str] = ABSENT


class SamUsagePlan(Props):
    CreateUsagePlan: V[str] = ABSENT
    Quota: V[QuotaSpec] = ABSENT
    Throttle: V[ThrottleSpec] = ABSENT


class SamApiAuth(Props):
    DefaultAuthorizer: V[str] = ABSENT
    ApiKeyRequired: V[bool] = ABSENT
    UsagePlan: V[SamUsagePlan] = ABSENT
    ResourcePolicy: V[Any] = ABSENT
    Authorizers: V[Any] = ABSENT


class StageLike(Props):
    """What a SAM Api and a CloudFormation Stage share about their stage."""

    StageName: V[str] = ABSENT
    MethodSettings: V[list[V[MethodSetting]]] = ABSENT
    CanarySetting: V[CanarySettingSpec] = ABSENT
    TracingEnabled: V[bool] = ABSENT
    AccessLogSetting: V[AccessLogSettingSpec] = ABSENT
    CacheClusterEnabled: V[bool] = ABSENT


class SamApiProps(StageLike):
    Name: V[str] = ABSENT
    DefinitionBody: V[Any] = ABSENT
    DefinitionUri: V[Any] = ABSENT
    Auth: V[SamApiAuth] = ABSENT
    EndpointConfiguration: V[Any] = ABSENT
    Domain: V[Any] = ABSENT
    DisableExecuteApiEndpoint: V[bool] = ABSENT
    MergeDefinitions: V[bool] = ABSENT
    MinimumCompressionSize: V[Any] = ABSENT


class SamApi(Resource[SamApiProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Serverless::Api",)
    """`implicit` for the `ServerlessRestApi` SAM creates from function `Api` events."""


class EndpointConfigurationSpec(Props):
    Types: V[list[V[Any]]] = ABSENT
    VpcEndpointIds: V[Any] = ABSENT


class RestApiProps(Props):
    Name: V[str] = ABSENT
    Body: V[Any] = ABSENT
    BodyS3Location: V[Any] = ABSENT
    EndpointConfiguration: V[EndpointConfigurationSpec] = ABSENT
    Policy: V[Any] = ABSENT
    DisableExecuteApiEndpoint: V[bool] = ABSENT
    MinimumCompressionSize: V[Any] = ABSENT


class RestApi(Resource[RestApiProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::RestApi",)


class StageProps(StageLike):
    RestApiId: V[str] = ABSENT
    DeploymentId: V[str] = ABSENT


class Stage(Resource[StageProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::Stage",)


class StageDescriptionSpec(Props):
    MethodSettings: V[list[V[MethodSetting]]] = ABSENT
    ThrottlingRateLimit: V[float] = ABSENT
    ThrottlingBurstLimit: V[int] = ABSENT
    TracingEnabled: V[bool] = ABSENT
    AccessLogSetting: V[AccessLogSettingSpec] = ABSENT
    CanarySetting: V[CanarySettingSpec] = ABSENT
    CachingEnabled: V[bool] = ABSENT
    CacheClusterEnabled: V[bool] = ABSENT
    CacheDataEncrypted: V[bool] = ABSENT
    DataTraceEnabled: V[bool] = ABSENT
    LoggingLevel: V[str] = ABSENT
    MetricsEnabled: V[bool] = ABSENT
    CacheTtlInSeconds: V[int] = ABSENT


class DeploymentCanarySettingsSpec(Props):
    PercentTraffic: V[float] = ABSENT
    UseStageCache: V[bool] = ABSENT


class DeploymentProps(Props):
    RestApiId: V[str] = ABSENT
    StageName: V[str] = ABSENT
    StageDescription: V[StageDescriptionSpec] = ABSENT
    DeploymentCanarySettings: V[DeploymentCanarySettingsSpec] = ABSENT


class Deployment(Resource[DeploymentProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::Deployment",)


class MethodProps(Props):
    RestApiId: V[str] = ABSENT
    ResourceId: V[Any] = ABSENT
    HttpMethod: V[str] = ABSENT
    AuthorizationType: V[str] = ABSENT
    ApiKeyRequired: V[bool] = ABSENT
    RequestValidatorId: V[str] = ABSENT
    RequestModels: V[dict[str, V[Any]]] = ABSENT
    RequestParameters: V[Any] = ABSENT
    Integration: V[Any] = ABSENT


class Method(Resource[MethodProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::Method",)


class RequestValidatorProps(Props):
    RestApiId: V[str] = ABSENT
    Name: V[str] = ABSENT
    ValidateRequestBody: V[bool] = ABSENT
    ValidateRequestParameters: V[bool] = ABSENT


class RequestValidator(Resource[RequestValidatorProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::RequestValidator",)


class ApiStage(Props):
    ApiId: V[str] = ABSENT
    Stage: V[str] = ABSENT
    Throttle: V[Any] = ABSENT


class UsagePlanProps(Props):
    ApiStages: V[list[V[ApiStage]]] = ABSENT
    Quota: V[QuotaSpec] = ABSENT
    Throttle: V[ThrottleSpec] = ABSENT


class UsagePlan(Resource[UsagePlanProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::UsagePlan",)


class ApiKeyProps(Props):
    Enabled: V[bool] = ABSENT


class ApiKey(Resource[ApiKeyProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::ApiKey",)


class ModelProps(Props):
    RestApiId: V[str] = ABSENT
    ContentType: V[str] = ABSENT
    Name: V[str] = ABSENT
    Schema: V[Any] = ABSENT


class ApiModel(Resource[ModelProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::Model",)


class ApiResourceProps(Props):
    RestApiId: V[str] = ABSENT
    ParentId: V[str] = ABSENT
    PathPart: V[str] = ABSENT


class ApiResource(Resource[ApiResourceProps]):
    """`AWS::ApiGateway::Resource`: one segment (`PathPart`) of a REST API's resource tree."""

    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::Resource",)


class StageSettings(Props):
    """The settings of one API stage, whatever declares it: a SAM `Api`/`HttpApi`/`WebSocketApi`, an
    `AWS::ApiGateway::Stage`, a Deployment's `StageDescription`, an `AWS::ApiGatewayV2::Stage`, or the
    `Stage` of an `ApiGatewayManagedOverrides`. Built with `of` from the declaring mapping, so every
    value keeps where it was written (a `Globals` line when inherited)."""

    MethodSettings: V[list[V[MethodSetting]]] = ABSENT
    CanarySetting: V[CanarySettingSpec] = ABSENT
    TracingEnabled: V[bool] = ABSENT
    AccessLogSetting: V[AccessLogSettingSpec] = ABSENT
    CacheClusterEnabled: V[bool] = ABSENT
    # A Deployment's StageDescription: settings of every method of the stage.
    ThrottlingRateLimit: V[float] = ABSENT
    ThrottlingBurstLimit: V[int] = ABSENT
    CachingEnabled: V[bool] = ABSENT
    CacheDataEncrypted: V[bool] = ABSENT
    CacheTtlInSeconds: V[int] = ABSENT
    DataTraceEnabled: V[bool] = ABSENT
    LoggingLevel: V[str] = ABSENT
    MetricsEnabled: V[bool] = ABSENT
    # HTTP and WebSocket stages.
    DefaultRouteSettings: V[RouteSettingsSpec] = ABSENT
    AccessLogSettings: V[AccessLogSettingsSpec] = ABSENT

    @classmethod
    def of(cls, props: Props) -> "StageSettings":
        """The settings held by `props` (its own declared values, Globals merged; an undeclared key
        read from the mapping as written)."""
        declared = type(props).model_fields
        values: dict[str, Value] = {}
        for name, expect in cls.plan().items():
            if name in declared:
                values[name] = getattr(props, name)
                continue
            source = props._sources.get(name)
            values[name] = read(source[0], expect, source[1], props._env) if source else Absent(props.path + (name,))
        return cls.construct_read(values, props._sources, props.path, props._env)
