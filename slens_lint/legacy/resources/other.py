"""State machines, log groups, IAM, CodeDeploy and custom resources."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from slens_lint.legacy.resources.base import Lenient, Props, Resource
from slens_lint.legacy.resources.lambda_ import DeploymentPreferenceSpec


class SamStateMachineTracing(Props):
    Enabled: Lenient[bool] = None


class StateMachineLogging(Props):
    Level: Lenient[str] = None
    Destinations: Lenient[list[Any]] = None
    IncludeExecutionData: Lenient[bool] = None


class SamStateMachineProps(Props):
    Name: Lenient[str] = None
    Definition: Any = None
    DefinitionUri: Any = None
    Tracing: Lenient[SamStateMachineTracing] = None
    Logging: Lenient[StateMachineLogging] = None
    Role: Any = None
    Policies: Any = None
    Type: Lenient[str] = None
    Events: Lenient[dict[str, Any]] = None
    AutoPublishAlias: Lenient[str] = None
    DeploymentPreference: Lenient[DeploymentPreferenceSpec] = None


class SamStateMachine(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Serverless::StateMachine",)
    properties: SamStateMachineProps = Field(default_factory=SamStateMachineProps)


class StateMachineProps(Props):
    StateMachineName: Lenient[str] = None
    StateMachineType: Lenient[str] = None
    TracingConfiguration: Lenient[SamStateMachineTracing] = None
    LoggingConfiguration: Lenient[StateMachineLogging] = None
    RoleArn: Any = None
    Definition: Any = None
    DefinitionString: Any = None


class StateMachine(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::StepFunctions::StateMachine",)
    properties: StateMachineProps = Field(default_factory=StateMachineProps)


class LogGroupProps(Props):
    LogGroupName: Lenient[str] = None
    RetentionInDays: Lenient[int] = None
    KmsKeyId: Any = None


class LogGroup(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::Logs::LogGroup",)
    properties: LogGroupProps = Field(default_factory=LogGroupProps)


class InlinePolicy(Props):
    PolicyName: Lenient[str] = None
    PolicyDocument: Any = None


class RoleProps(Props):
    RoleName: Lenient[str] = None
    AssumeRolePolicyDocument: Any = None
    ManagedPolicyArns: Lenient[list[Any]] = None
    Policies: Lenient[list[Lenient[InlinePolicy]]] = None


class IamRole(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::IAM::Role",)
    properties: RoleProps = Field(default_factory=RoleProps)


class PolicyProps(Props):
    PolicyName: Lenient[str] = None
    ManagedPolicyName: Lenient[str] = None
    PolicyDocument: Any = None
    Roles: Lenient[list[Any]] = None


class IamPolicy(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
    properties: PolicyProps = Field(default_factory=PolicyProps)


class AlarmConfigurationSpec(Props):
    Enabled: Lenient[bool] = None
    Alarms: Lenient[list[Any]] = None


class DeploymentGroupProps(Props):
    ApplicationName: Lenient[str] = None
    AlarmConfiguration: Lenient[AlarmConfigurationSpec] = None
    DeploymentConfigName: Lenient[str] = None
    ServiceRoleArn: Any = None
    DeploymentStyle: Any = None
    AutoRollbackConfiguration: Any = None


class DeploymentGroup(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::CodeDeploy::DeploymentGroup",)
    properties: DeploymentGroupProps = Field(default_factory=DeploymentGroupProps)


class CustomProps(Props):
    ServiceToken: Any = None


class CustomResource(Resource):
    """`Custom::*` and `AWS::CloudFormation::CustomResource`; matched by prefix in the registry."""

    TYPES: ClassVar[tuple[str, ...]] = ("AWS::CloudFormation::CustomResource",)
    properties: CustomProps = Field(default_factory=CustomProps)
