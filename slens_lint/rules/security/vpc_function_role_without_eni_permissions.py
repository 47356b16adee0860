from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import vpc
from slens_lint.template.iam import role_of, role_policies
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function, SamFunction
from slens_lint.template.values import Truth, Unknown, Value

ENI_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface")
VPC_ACCESS_POLICY = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"


class VpcFunctionRoleWithoutEniPermissions(Rule):
    id = "SL204"
    severity = Severity.ERROR
    severity_reason = (
        "error: a VPC function whose role cannot create network interfaces fails to deploy or to "
        "start."
    )
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

    subject = "VPC-attached function"

    def subjects(self, template: Template) -> Iterator[Function]:
        return template.functions()

    def judge(self, function: Function, template: Template) -> Verdict:
        lacking: dict[str, list[str]] = {}

        def role_allows(role_value: Value) -> Truth:
            if role_value.absent:
                # No Role on a SAM function: SAM generates one with the VPC access policy.
                return Truth.of(True if isinstance(function, SamFunction) else None, role_value)
            role = role_of(template, role_value)
            if role is None:
                return Truth.of(None, _outside(role_value))
            policies = role_policies(template, role)
            allowed = policies.allows_all(ENI_ACTIONS)
            if allowed.may_fail:
                missing = lacking.setdefault(role.logical_id, [])
                missing.extend(a for a in ENI_ACTIONS if policies.allows(a).may_fail and a not in missing)
            return allowed

        # Outside a VPC the role does not matter; inside, a role outside the template hides the answer.
        requirement = ~vpc.attached(function) | function.props.Role.each(role_allows)
        role_names = ", ".join(sorted(f"'{r}'" for r in lacking))
        missing = list(dict.fromkeys(a for actions in lacking.values() for a in actions))
        return self.expect(
            function,
            requirement,
            f"Function '{function.logical_id}' is attached to a VPC but its role {role_names} does not allow "
            f"{', '.join(missing)}: Lambda cannot create the function's network interfaces and the "
            f"deployment fails.",
            at=function.props.Role,
            fix=f"Attach AWSLambdaVPCAccessExecutionRole to {role_names}:",
            snippet={"ManagedPolicyArns": [{"Fn::Sub": VPC_ACCESS_POLICY}]},
        )


def _outside(role: Value) -> Unknown:
    """What hides the answer when the role is not one of the template (with the role's expression, so
    the review names the parameters behind it)."""
    text = role.text()
    if text is not None:
        reason = f"role '{text}' is outside the template"
    else:
        reason = f"the role is not one of the template ({role.reason if isinstance(role, Unknown) else 'an intrinsic function'})"
    return Unknown(reason, role.expr, role.path)
