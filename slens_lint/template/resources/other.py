"""State machines, log groups, IAM, CodeDeploy and custom resources."""

from __future__ import annotations

from typing import Any, ClassVar

from slens_lint.template.resources.base import ABSENT, Props, Resource, V
from slens_lint.template.resources.events import EventSource
from slens_lint.template.resources.lambda_ import DeploymentPreferenceSpec


class SamStateMachineTracing(Props):
    Enabled: V[bool] = ABSENT


class StateMachineLogging(Props):
    Level: V[str] = ABSENT
    Destinations: V[list[V[Any]]] = ABSENT
    IncludeExecutionData: V[bool] = ABSENT


class SamStateMachineProps(Props):
    Name: V[str] = ABSENT
    DefinitionUri: V[Any] = ABSENT
    Tracing: V[SamStateMachineTracing] = ABSENT
    Logging: V[StateMachineLogging] = ABSENT
    Role: V[Any] = ABSENT
    Policies: V[Any] = ABSENT
    Type: V[str] = ABSENT
    Events: V[dict[str, V[EventSource]]] = ABSENT
    AutoPublishAlias: V[str] = ABSENT
    DeploymentPreference: V[DeploymentPreferenceSpec] = ABSENT


class SamStateMachine(Resource[SamStateMachineProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Serverless::StateMachine",)


class StateMachineProps(Props):
    StateMachineType: V[str] = ABSENT
    TracingConfiguration: V[SamStateMachineTracing] = ABSENT
    LoggingConfiguration: V[StateMachineLogging] = ABSENT
    RoleArn: V[Any] = ABSENT


class StateMachine(Resource[StateMachineProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::StepFunctions::StateMachine",)


class LogGroupProps(Props):
    LogGroupName: V[str] = ABSENT
    RetentionInDays: V[int] = ABSENT


class LogGroup(Resource[LogGroupProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Logs::LogGroup",)


class InlinePolicy(Props):
    PolicyDocument: V[Any] = ABSENT


class RoleProps(Props):
    RoleName: V[str] = ABSENT
    AssumeRolePolicyDocument: V[Any] = ABSENT
    ManagedPolicyArns: V[list[V[Any]]] = ABSENT
    Policies: V[list[V[InlinePolicy]]] = ABSENT


class IamRole(Resource[RoleProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::IAM::Role",)


class PolicyProps(Props):
    PolicyDocument: V[Any] = ABSENT
    Roles: V[list[V[Any]]] = ABSENT


class IamPolicy(Resource[PolicyProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")


class RolePolicyProps(Props):
    PolicyDocument: V[Any] = ABSENT
    RoleName: V[str] = ABSENT


class IamRolePolicy(Resource[RolePolicyProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::IAM::RolePolicy",)


class AlarmConfigurationSpec(Props):
    Enabled: V[bool] = ABSENT
    Alarms: V[list[V[Any]]] = ABSENT


class DeploymentGroupProps(Props):
    ApplicationName: V[str] = ABSENT
    AlarmConfiguration: V[AlarmConfigurationSpec] = ABSENT
    DeploymentConfigName: V[str] = ABSENT
    ServiceRoleArn: V[Any] = ABSENT
    DeploymentStyle: V[Any] = ABSENT
    AutoRollbackConfiguration: V[Any] = ABSENT


class DeploymentGroup(Resource[DeploymentGroupProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::CodeDeploy::DeploymentGroup",)


class CodeDeployApplicationProps(Props):
    ApplicationName: V[str] = ABSENT
    ComputePlatform: V[str] = ABSENT


class CodeDeployApplication(Resource[CodeDeployApplicationProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::CodeDeploy::Application",)


class DeploymentConfigProps(Props):
    DeploymentConfigName: V[str] = ABSENT
    ComputePlatform: V[str] = ABSENT


class DeploymentConfig(Resource[DeploymentConfigProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::CodeDeploy::DeploymentConfig",)


class StateMachineAliasPreferenceSpec(Props):
    StateMachineVersionArn: V[str] = ABSENT
    Type: V[str] = ABSENT
    Percentage: V[int] = ABSENT
    Interval: V[int] = ABSENT
    Alarms: V[list[V[Any]]] = ABSENT


class StateMachineAliasProps(Props):
    Name: V[str] = ABSENT
    DeploymentPreference: V[StateMachineAliasPreferenceSpec] = ABSENT


class StateMachineAlias(Resource[StateMachineAliasProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::StepFunctions::StateMachineAlias",)


class StateMachineVersionProps(Props):
    StateMachineArn: V[str] = ABSENT


class StateMachineVersion(Resource[StateMachineVersionProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::StepFunctions::StateMachineVersion",)


class CustomProps(Props):
    ServiceToken: V[Any] = ABSENT


class CustomResource(Resource[CustomProps]):
    """`Custom::*` and `AWS::CloudFormation::CustomResource`; matched by prefix in the registry."""

    TYPES: ClassVar[tuple[str, ...]] = ("AWS::CloudFormation::CustomResource",)
