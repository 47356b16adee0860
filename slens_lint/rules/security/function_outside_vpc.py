from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import vpc_fixes
from slens_lint.rules.base import Rule
from slens_lint.template import function_purpose, vpc
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function


class FunctionOutsideVpc(Rule):
    id = "SL205"
    severity = Severity.INFO
    severity_reason = (
        "info (opt-in): running outside a VPC is right for most functions; teams whose policy "
        "requires VPC attachment switch it on."
    )
    title = "Function not attached to a VPC"
    practice = "Security 6: Control network traffic at all layers"
    rationale = (
        "A function outside a VPC reaches the internet and AWS public endpoints directly: security "
        "groups, network ACLs, VPC endpoint policies and flow logs do not apply to its traffic. Some "
        "organisations require every function in a VPC (and enforce it with the `lambda:VpcIds` IAM "
        "condition). The Lens also says to attach functions only when they need VPC resources, since a "
        "VPC adds subnets, NAT or endpoints to run, so this rule is opt-in. Functions running on a "
        "Lambda capacity provider (in its VPC), Lambda@Edge functions (which cannot be in a VPC) and "
        "deploy-time functions (custom resource and macro backends, CodeDeploy hooks, which serve "
        "CloudFormation rather than the application) are not reported."
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

    subject = "function"

    def subjects(self, template: Template) -> Iterator[Function]:
        # Lambda@Edge functions cannot run in a VPC; deploy-time functions (custom resource and macro
        # backends, CodeDeploy hooks) serve CloudFormation, not the application's traffic, and must
        # reach CloudFormation's response URL from wherever they run.
        exempt = function_purpose.edge_functions(template) | function_purpose.deploy_time_functions(template)
        return (function for function in template.functions() if function.logical_id not in exempt)

    def judge(self, function: Function, template: Template) -> Verdict:
        name = function.logical_id
        # A function on a capacity provider runs on its instances, in its VPC.
        on_capacity_provider = function.props.CapacityProviderConfig.given()
        fix = vpc_fixes.VpcFix()
        subnets = vpc_fixes.subnet_ids(template, function, fix)
        config = {"SubnetIds": subnets, "SecurityGroupIds": [vpc_fixes.security_group(template, function, fix, subnets)]}
        return self.expect(
            function,
            ~vpc.detached(function) | on_capacity_provider,
            f"Function '{name}' is not attached to a VPC: security groups, network ACLs and VPC "
            f"endpoint policies do not control its network traffic.",
            at=_vpc_config(function),
            fix="Attach it to private subnets with a security group:",
            snippet=fix.snippet(name, {"VpcConfig": config}),
        )


def _vpc_config(function: Function) -> Any:
    """Where the finding points: the `VpcConfig` (a `Globals` one when inherited), else where it would be
    on the function (an absent value keeps a `Globals` path even under `IgnoreGlobals`)."""
    config = function.props.VpcConfig
    return function.props_path + ("VpcConfig",) if config.absent else config
