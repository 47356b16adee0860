from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import vpc_fixes
from slens_lint.rules.base import Rule
from slens_lint.template import vpc
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function


class IncompleteVpcConfig(Rule):
    id = "SL202"
    severity = Severity.ERROR
    severity_reason = (
        "error: Lambda rejects a VpcConfig with subnets but no security groups (or the reverse), so "
        "the deployment fails."
    )
    title = "VpcConfig without subnets or without security groups"
    practice = "Security 6: Control network traffic at all layers"
    rationale = (
        "Lambda attaches a function to a VPC through network interfaces it creates in the listed "
        "subnets, guarded by the listed security groups; it needs both. A `VpcConfig` (including one "
        "inherited from `Globals`) with subnets but no security groups, or the reverse, is rejected "
        "when the function is created or updated, so the deployment fails. A list parameter or another "
        "intrinsic counts as given; both lists empty is Lambda's way to detach a function and passes."
    )
    fix = "Give `VpcConfig` both `SubnetIds` (in at least two Availability Zones) and `SecurityGroupIds`."
    example = {
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "VpcConfig": {
                        "SubnetIds": [{"Ref": "PrivateSubnetA"}, {"Ref": "PrivateSubnetB"}],
                        "SecurityGroupIds": [{"Ref": "FunctionSecurityGroup"}],
                    },
                },
            }
        }
    }
    example_bad = {
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "VpcConfig": {"SubnetIds": [{"Ref": "PrivateSubnetA"}, {"Ref": "PrivateSubnetB"}]},
                },
            }
        }
    }
    use_instead = "None: Lambda rejects this configuration. To take a function out of the VPC, remove `VpcConfig`."
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-vpcconfig.html",
    )
    service = "ec2"
    precision = "very-high"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function")

    subject = "VPC configuration"

    def subjects(self, template: Template) -> Iterator[Function]:
        return template.functions()

    def judge(self, function: Function, template: Template) -> Verdict:
        incomplete = vpc.incomplete(function)
        config = function.props.VpcConfig
        name = function.logical_id
        fix = vpc_fixes.VpcFix()
        if (incomplete & ~vpc.subnets_given(function)).passing():
            missing, key, at = "subnets", "SubnetIds", config.SubnetIds
            value = vpc_fixes.subnet_ids(template, function, fix)
        else:
            missing, key, at = "security groups", "SecurityGroupIds", config.SecurityGroupIds
            value = [vpc_fixes.security_group(template, function, fix)]
        snippet: dict[str, Any] = {key: value}
        if fix.created or fix.parameters:
            snippet = fix.snippet(name, {"VpcConfig": snippet})
        return self.expect(
            function,
            ~incomplete,
            f"Function '{name}' has a VpcConfig without {missing}: Lambda needs both subnets and "
            f"security groups and rejects the function, so the deployment fails.",
            at=at,
            fix=f"Add {key} to VpcConfig:",
            snippet=snippet,
        )
