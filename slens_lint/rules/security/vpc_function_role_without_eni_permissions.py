from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics, vpc
from slens_lint.legacy.iam import role_of, role_policies
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template

ENI_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface")
VPC_ACCESS_POLICY = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"


class VpcFunctionRoleWithoutEniPermissions(Rule):
    id = "SL204"
    severity = Severity.ERROR
    title = "VPC function whose role cannot manage network interfaces"
    practice = "Security 6: Control network traffic at all layers"
    rationale = (
        "A function attached to a VPC reaches it through elastic network interfaces that Lambda creates "
        "and deletes with the function's execution role. If the role does not allow "
        "`ec2:CreateNetworkInterface`, `ec2:DescribeNetworkInterfaces` and `ec2:DeleteNetworkInterface`, "
        "Lambda refuses to create or update the function and the deployment fails. SAM adds "
        "`AWSLambdaVPCAccessExecutionRole` to the roles it generates; a role written in the template "
        "must carry it (or equivalent statements) itself. Roles whose policies cannot all be read (a "
        "customer managed policy ARN, a parameter) are not reported."
    )
    fix = (
        "Add the AWS managed policy `AWSLambdaVPCAccessExecutionRole` to the role's `ManagedPolicyArns`, "
        "or a statement allowing the three network-interface actions."
    )
    example = {
        "Resources": {
            "OrdersRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "lambda.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                    "ManagedPolicyArns": [{"Fn::Sub": VPC_ACCESS_POLICY}],
                },
            },
            "OrdersFunction": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "Code": {"S3Bucket": "artifacts", "S3Key": "orders.zip"},
                    "Role": {"Fn::GetAtt": ["OrdersRole", "Arn"]},
                    "VpcConfig": {
                        "SubnetIds": [{"Ref": "PrivateSubnetA"}, {"Ref": "PrivateSubnetB"}],
                        "SecurityGroupIds": [{"Ref": "FunctionSecurityGroup"}],
                    },
                },
            },
        }
    }
    use_instead = (
        "If the permissions come from a permissions mechanism the template cannot show, suppress this "
        "rule for the function with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html",
    )
    service = "iam"
    precision = "high"
    resource_types = (
        "AWS::Serverless::Function",
        "AWS::Lambda::Function",
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::RolePolicy",
    )

    def check(self, template: Template) -> Iterator[Violation]:
        for function in template.functions():
            role_value = function.raw_properties.get("Role")
            if role_value is None or vpc.attachment(function) is not True:
                # No Role on a SAM function: SAM generates one with the VPC access policy.
                continue
            branches = [b for b in intrinsics.branches(role_value) if b is not NO_VALUE]
            roles = [role_of(template, b) for b in branches]
            if not roles or any(r is None for r in roles):
                continue
            missing: list[str] = []
            for role in roles:
                policies = role_policies(template, role)
                if policies.allows_all(ENI_ACTIONS) is not False:
                    missing = []
                    break
                for action in ENI_ACTIONS:
                    if policies.allows(action) is False and action not in missing:
                        missing.append(action)
            if not missing:
                continue
            role_names = ", ".join(sorted({f"'{r.logical_id}'" for r in roles}))
            name = function.logical_id
            yield self.report(
                template,
                function,
                f"Function '{name}' is attached to a VPC but its role {role_names} does not allow "
                f"{', '.join(missing)}: Lambda cannot create the function's network interfaces and the "
                f"deployment fails.",
                at=("Role",),
                fix=f"Attach AWSLambdaVPCAccessExecutionRole to {role_names}:",
                snippet={"ManagedPolicyArns": [{"Fn::Sub": VPC_ACCESS_POLICY}]},
            )
