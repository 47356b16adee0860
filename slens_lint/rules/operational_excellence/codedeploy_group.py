"""The CodeDeploy deployment group a CloudFormation alias's fix hands its updates to (SL101).

`UpdatePolicy.CodeDeployLambdaAliasUpdate` names an application and a deployment group. Each alias gets
a group of its own (`<Alias>DeploymentGroup`: a group runs one deployment at a time), in the template's
Lambda application when it has one, with the service role its other groups use. What the template lacks
the snippet creates: the application, the role CodeDeploy assumes, and the alarm that rolls back (the
one SL114 asks for on the alias's function, so following both gives one alarm).
"""

from __future__ import annotations

from typing import Any, Optional

from slens_lint.rules import fix_names
from slens_lint.rules.operational_excellence import rollout_alarms
from slens_lint.template import deployment
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import LambdaAlias
from slens_lint.template.resources.other import CodeDeployApplication, DeploymentGroup

APPLICATION = "AWS::CodeDeploy::Application"
ROLE = "AWS::IAM::Role"
CANARY_CONFIG = "CodeDeployDefault.LambdaCanary10Percent5Minutes"


def update_policy(template: Template, alias: LambdaAlias) -> dict[str, Any]:
    """The fragment: the alias's `UpdatePolicy`, beside what it names that the template lacks."""
    name = alias.logical_id
    created: dict[str, Any] = {}
    applications = [a for a in template.of(CodeDeployApplication) if a.props.ComputePlatform.equals("Lambda").always]
    if len(applications) == 1:
        application = applications[0].logical_id
    else:
        application, _ = fix_names.resource_name(template, f"{name}CodeDeployApplication")
        created[application] = {"Type": APPLICATION, "Properties": {"ComputePlatform": "Lambda"}}
    group, exists = fix_names.resource_name(template, f"{name}DeploymentGroup", deployment.DEPLOYMENT_GROUP)
    if not exists:
        role = _service_role(template, name, created)
        function = template.resource(alias.props.FunctionName.ref)
        alarm = rollout_alarms.for_function(template, function) if function is not None else None
        created[group] = {"Type": deployment.DEPLOYMENT_GROUP, "Properties": _group(application, role, alarm)}
        if alarm is not None and alarm.definition is not None:
            created[alarm.name] = alarm.definition
    policy = {"CodeDeployLambdaAliasUpdate": {"ApplicationName": {"Ref": application}, "DeploymentGroupName": {"Ref": group}}}
    return {name: {"UpdatePolicy": policy}, **created} if created else {"UpdatePolicy": policy}


def _service_role(template: Template, alias_id: str, created: dict[str, Any]) -> Any:
    """The role the template's deployment groups use, else one added to `created`."""
    for group in template.of(DeploymentGroup):
        # Copied into the snippet as written (a literal ARN, a `!GetAtt`, a parameter's `Ref`).
        written = group.props.ServiceRoleArn.expr
        if written is not None:
            return written
    role, _ = fix_names.resource_name(template, f"{alias_id}CodeDeployRole")
    created[role] = {
        "Type": ROLE,
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}],
            },
            "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"}],
        },
    }
    return {"Fn::GetAtt": [role, "Arn"]}


def _group(application: str, role: Any, alarm: Optional[rollout_alarms.AlarmChoice]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "ApplicationName": {"Ref": application},
        "ServiceRoleArn": role,
        "DeploymentConfigName": CANARY_CONFIG,
        "DeploymentStyle": {"DeploymentType": "BLUE_GREEN", "DeploymentOption": "WITH_TRAFFIC_CONTROL"},
        "AutoRollbackConfiguration": {"Enabled": True, "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
    }
    if alarm is not None:
        properties["AlarmConfiguration"] = {"Enabled": True, "Alarms": [{"Name": {"Ref": alarm.name}}]}
    return properties
