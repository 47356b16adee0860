"""Lambda functions (SAM and CloudFormation) and the Lambda resources around them."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from slens_lint.legacy.resources.base import Lenient, Props, Resource


class VpcConfigSpec(Props):
    SubnetIds: Lenient[list[Any]] = None
    SecurityGroupIds: Lenient[list[Any]] = None


class LoggingConfigSpec(Props):
    LogGroup: Lenient[str] = None
    LogFormat: Lenient[str] = None
    ApplicationLogLevel: Lenient[str] = None
    SystemLogLevel: Lenient[str] = None


class EnvironmentSpec(Props):
    Variables: Lenient[dict[str, Any]] = None


class DestinationTarget(Props):
    Destination: Lenient[str] = None
    Type: Lenient[str] = None


class DestinationConfigSpec(Props):
    OnFailure: Lenient[DestinationTarget] = None
    OnSuccess: Lenient[DestinationTarget] = None


class FunctionProps(Props):
    """What SAM and CloudFormation functions share."""

    FunctionName: Lenient[str] = None
    Handler: Lenient[str] = None
    Runtime: Lenient[str] = None
    MemorySize: Lenient[int] = None
    Timeout: Lenient[int] = None
    Role: Lenient[str] = None
    VpcConfig: Lenient[VpcConfigSpec] = None
    LoggingConfig: Lenient[LoggingConfigSpec] = None
    Environment: Lenient[EnvironmentSpec] = None
    Layers: Lenient[list[Any]] = None
    Architectures: Lenient[list[Any]] = None
    ReservedConcurrentExecutions: Lenient[int] = None
    PackageType: Lenient[str] = None


class TracingConfigSpec(Props):
    Mode: Lenient[str] = None


class DeadLetterConfigSpec(Props):
    TargetArn: Lenient[str] = None


class LambdaFunctionProps(FunctionProps):
    TracingConfig: Lenient[TracingConfigSpec] = None
    DeadLetterConfig: Lenient[DeadLetterConfigSpec] = None


class DeploymentHooks(Props):
    PreTraffic: Lenient[str] = None
    PostTraffic: Lenient[str] = None


class DeploymentPreferenceSpec(Props):
    Type: Lenient[str] = None
    Enabled: Lenient[bool] = None
    Alarms: Lenient[list[Any]] = None
    Hooks: Lenient[DeploymentHooks] = None


class EventSource(Props):
    """One entry of a SAM `Events` mapping; `Properties` stays raw (its shape depends on `Type`)."""

    Type: Lenient[str] = None
    Properties: Lenient[dict[str, Any]] = None


class SamFunctionProps(FunctionProps):
    CodeUri: Any = None
    InlineCode: Any = None
    ImageUri: Any = None
    Policies: Any = None
    AutoPublishAlias: Lenient[str] = None
    DeploymentPreference: Lenient[DeploymentPreferenceSpec] = None
    Events: Lenient[dict[str, Lenient[EventSource]]] = None
    Tracing: Lenient[str] = None
    DeadLetterQueue: Any = None
    EventInvokeConfig: Any = None
    FunctionUrlConfig: Any = None
    ProvisionedConcurrencyConfig: Any = None


class SamFunction(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Serverless::Function",)
    properties: SamFunctionProps = Field(default_factory=SamFunctionProps)


class LambdaFunction(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::Function",)
    properties: LambdaFunctionProps = Field(default_factory=LambdaFunctionProps)


class AliasProps(Props):
    FunctionName: Lenient[str] = None
    FunctionVersion: Lenient[str] = None
    Name: Lenient[str] = None


class LambdaAlias(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::Alias",)
    properties: AliasProps = Field(default_factory=AliasProps)


class VersionProps(Props):
    FunctionName: Lenient[str] = None


class LambdaVersion(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::Version",)
    properties: VersionProps = Field(default_factory=VersionProps)


class PermissionProps(Props):
    Action: Lenient[str] = None
    FunctionName: Lenient[str] = None
    Principal: Lenient[str] = None
    SourceArn: Lenient[str] = None
    SourceAccount: Lenient[str] = None
    FunctionUrlAuthType: Lenient[str] = None


class LambdaPermission(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::Permission",)
    properties: PermissionProps = Field(default_factory=PermissionProps)


class EventInvokeConfigProps(Props):
    FunctionName: Lenient[str] = None
    Qualifier: Lenient[str] = None
    DestinationConfig: Lenient[DestinationConfigSpec] = None
    MaximumRetryAttempts: Lenient[int] = None
    MaximumEventAgeInSeconds: Lenient[int] = None


class LambdaEventInvokeConfig(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::EventInvokeConfig",)
    properties: EventInvokeConfigProps = Field(default_factory=EventInvokeConfigProps)


class ScalingConfigSpec(Props):
    MaximumConcurrency: Lenient[int] = None


class EventSourceMappingProps(Props):
    FunctionName: Lenient[str] = None
    EventSourceArn: Lenient[str] = None
    DestinationConfig: Lenient[DestinationConfigSpec] = None
    MaximumRetryAttempts: Lenient[int] = None
    BisectBatchOnFunctionError: Lenient[bool] = None
    FunctionResponseTypes: Lenient[list[Any]] = None
    ScalingConfig: Lenient[ScalingConfigSpec] = None
    BatchSize: Lenient[int] = None
    MaximumBatchingWindowInSeconds: Lenient[int] = None
    StartingPosition: Lenient[str] = None
    SelfManagedEventSource: Any = None
    Topics: Any = None


class LambdaEventSourceMapping(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::EventSourceMapping",)
    properties: EventSourceMappingProps = Field(default_factory=EventSourceMappingProps)


class UrlProps(Props):
    TargetFunctionArn: Lenient[str] = None
    AuthType: Lenient[str] = None
    Qualifier: Lenient[str] = None


class LambdaUrl(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::Url",)
    properties: UrlProps = Field(default_factory=UrlProps)
