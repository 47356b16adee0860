from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import function_purpose, vpc
from slens_lint.legacy.model import Template


class FunctionOutsideVpc(Rule):
    id = "SL205"
    severity = Severity.INFO
    title = "Function not attached to a VPC"
    practice = "Security 6: Control network traffic at all layers"
    rationale = (
        "A function outside a VPC reaches the internet and AWS public endpoints directly: security "
        "groups, network ACLs, VPC endpoint policies and flow logs do not apply to its traffic. Some "
        "organisations require every function in a VPC (and enforce it with the `lambda:VpcIds` IAM "
        "condition). The Lens also says to attach functions only when they need VPC resources, since a "
        "VPC adds subnets, NAT or endpoints to run, so this rule is opt-in. Functions running on a "
        "Lambda capacity provider (in its VPC) and Lambda@Edge functions (which cannot be in a VPC) are "
        "not reported."
    )
    fix = "Attach the function to private subnets with a security group (`VpcConfig`), and give it VPC endpoints for the AWS services it calls."
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
    use_instead = (
        "Enable this rule only where policy requires VPC-attached functions "
        "(`enable = [\"SL205\"]`); elsewhere leave it off."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#vpc-conditions",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/security.html",
    )
    service = "ec2"
    precision = "high"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function")
    opt_in = True

    def check(self, template: Template) -> Iterator[Violation]:
        edge = function_purpose.edge_functions(template)
        for function in template.functions():
            name = function.logical_id
            if name in edge or function.raw_properties.get("CapacityProviderConfig") is not None:
                continue
            if vpc.attachment(function) is not False:
                continue
            yield self.report(
                template,
                function,
                f"Function '{name}' is not attached to a VPC: security groups, network ACLs and VPC "
                f"endpoint policies do not control its network traffic.",
                at=("VpcConfig",),
                fix="Attach it to private subnets with a security group:",
                snippet={
                    "VpcConfig": {
                        "SubnetIds": [{"Ref": "PrivateSubnetA"}, {"Ref": "PrivateSubnetB"}],
                        "SecurityGroupIds": [{"Ref": f"{name}SecurityGroup"}],
                    }
                },
            )
