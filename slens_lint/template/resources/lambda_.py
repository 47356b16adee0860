"""Lambda functions (SAM and CloudFormation) and the Lambda resources around them."""

from __future__ import annotations

from typing import Any, ClassVar, Union

from slens_lint.template.resources.base import ABSENT, Props, Resource, V
from slens_lint.template.resources.events import EventSource, ScalingConfigSpec


class VpcConfigSpec(Props):
    SubnetIds: V[list[V[Any]]] = ABSENT
    SecurityGroupIds: V[list[V[Any]]] = ABSENT


class LoggingConfigSpec(Props):
    LogGroup: V[str] = ABSENT
    LogFormat: V[str] = ABSENT
    ApplicationLogLevel: V[str] = ABSENT
    SystemLogLevel: V[str] = ABSENT


class EnvironmentSpec(Props):
    Variables: V[dict[str, V[Any]]] = ABSENT


class DestinationTarget(Props):
    Destination: V[str] = ABSENT
    Type: V[str] = ABSENT


class DestinationConfigSpec(Props):
    OnFailure: V[DestinationTarget] = ABSENT


class FunctionProps(Props):
    """What SAM and CloudFormation functions share."""

    FunctionName: V[str] = ABSENT
    Handler: V[str] = ABSENT
    Runtime: V[str] = ABSENT
    MemorySize: V[int] = ABSENT
    Timeout: V[int] = ABSENT
    Role: V[str] = ABSENT
    VpcConfig: V[VpcConfigSpec] = ABSENT
    LoggingConfig: V[LoggingConfigSpec] = ABSENT
    Environment: V[EnvironmentSpec] = ABSENT
    Layers: V[list[V[Any]]] = ABSENT
    Architectures: V[list[V[Any]]] = ABSENT
    ReservedConcurrentExecutions: V[int] = ABSENT
    CapacityProviderConfig: V[Any] = ABSENT
    SnapStart: V[Any] = ABSENT
    """Lambda Managed Instances: the function runs on a capacity provider's instances, in its VPC."""


class TracingConfigSpec(Props):
    Mode: V[str] = ABSENT


class DeadLetterConfigSpec(Props):
    TargetArn: V[str] = ABSENT


class LambdaFunctionProps(FunctionProps):
    TracingConfig: V[TracingConfigSpec] = ABSENT
    DeadLetterConfig: V[DeadLetterConfigSpec] = ABSENT


class DeploymentHooks(Props):
    PreTraffic: V[str] = ABSENT
    PostTraffic: V[str] = ABSENT


class DeploymentPreferenceSpec(Props):
    Type: V[str] = ABSENT
    Enabled: V[bool] = ABSENT
    Alarms: V[list[V[Any]]] = ABSENT
    Hooks: V[DeploymentHooks] = ABSENT


class SamFunctionProps(FunctionProps):
    CodeUri: V[Any] = ABSENT
    Policies: V[Any] = ABSENT
    AutoPublishAlias: V[str] = ABSENT
    DeploymentPreference: V[DeploymentPreferenceSpec] = ABSENT
    Events: V[dict[str, V[EventSource]]] = ABSENT
    Tracing: V[str] = ABSENT
    DeadLetterQueue: V[Any] = ABSENT
    EventInvokeConfig: V[Any] = ABSENT
    FunctionUrlConfig: V[Any] = ABSENT


class SamFunction(Resource[SamFunctionProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Serverless::Function",)


class LambdaFunction(Resource[LambdaFunctionProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::Function",)


class AliasProps(Props):
    FunctionName: V[str] = ABSENT
    FunctionVersion: V[str] = ABSENT
    Name: V[str] = ABSENT
    RoutingConfig: V[Any] = ABSENT


class CodeDeployLambdaAliasUpdateSpec(Props):
    ApplicationName: V[str] = ABSENT
    DeploymentGroupName: V[str] = ABSENT


class AliasUpdatePolicySpec(Props):
    """An alias's `UpdatePolicy` resource attribute (not a property: read beside `Properties`)."""

    CodeDeployLambdaAliasUpdate: V[CodeDeployLambdaAliasUpdateSpec] = ABSENT


class LambdaAlias(Resource[AliasProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::Alias",)


class VersionProps(Props):
    FunctionName: V[str] = ABSENT


class LambdaVersion(Resource[VersionProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::Version",)


class PermissionProps(Props):
    Action: V[str] = ABSENT
    FunctionName: V[str] = ABSENT
    Principal: V[str] = ABSENT
    SourceArn: V[str] = ABSENT
    SourceAccount: V[str] = ABSENT
    FunctionUrlAuthType: V[str] = ABSENT
    EventSourceToken: V[str] = ABSENT
    PrincipalOrgID: V[str] = ABSENT


class LambdaPermission(Resource[PermissionProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::Permission",)


class EventInvokeConfigProps(Props):
    FunctionName: V[str] = ABSENT
    Qualifier: V[str] = ABSENT
    DestinationConfig: V[DestinationConfigSpec] = ABSENT
    MaximumRetryAttempts: V[int] = ABSENT


class LambdaEventInvokeConfig(Resource[EventInvokeConfigProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::EventInvokeConfig",)


class EventSourceMappingProps(Props):
    FunctionName: V[str] = ABSENT
    EventSourceArn: V[str] = ABSENT
    DestinationConfig: V[DestinationConfigSpec] = ABSENT
    MaximumRetryAttempts: V[int] = ABSENT
    BisectBatchOnFunctionError: V[bool] = ABSENT
    FunctionResponseTypes: V[list[V[Any]]] = ABSENT
    ScalingConfig: V[ScalingConfigSpec] = ABSENT
    BatchSize: V[int] = ABSENT
    MaximumBatchingWindowInSeconds: V[int] = ABSENT
    StartingPosition: V[str] = ABSENT
    SelfManagedEventSource: V[Any] = ABSENT
    Topics: V[Any] = ABSENT


class LambdaEventSourceMapping(Resource[EventSourceMappingProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::EventSourceMapping",)


class UrlProps(Props):
    TargetFunctionArn: V[str] = ABSENT
    AuthType: V[str] = ABSENT
    Qualifier: V[str] = ABSENT


class LambdaUrl(Resource[UrlProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Lambda::Url",)


class CapacityProviderProps(Props):
    VpcConfig: V[VpcConfigSpec] = ABSENT


class CapacityProvider(Resource[CapacityProviderProps]):
    """Lambda managed instances: functions with `CapacityProviderConfig` run in its VPC."""

    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Serverless::CapacityProvider", "AWS::Lambda::CapacityProvider")


Function = Union[SamFunction, LambdaFunction]
"""A Lambda function, SAM or CloudFormation: `props` has every `FunctionProps` field."""
