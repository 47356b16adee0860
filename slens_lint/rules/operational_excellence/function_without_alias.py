from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import deployment, function_purpose, intrinsics
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource


class FunctionWithoutAlias(Rule):
    id = "SL102"
    severity = Severity.INFO
    title = "Function without an alias"
    practice = "Operational excellence 8: Rollout deployment mechanisms"
    rationale = (
        "Callers of a function without an alias invoke its unpublished code (`$LATEST`), which every "
        "deployment replaces in place. Nothing can send part of the traffic to the new code first, and "
        "going back to the previous code means deploying again. An alias (SAM `AutoPublishAlias`, or an "
        "`AWS::Lambda::Version` with an `AWS::Lambda::Alias`) is what traffic shifting, automatic "
        "rollback and provisioned concurrency attach to. Functions that only run during deployment "
        "(custom resource and macro backends, CodeDeploy hooks) and Lambda@Edge functions (CloudFront "
        "takes a version, never an alias) are not reported."
    )
    fix = (
        "On a SAM function set `AutoPublishAlias` together with a gradual `DeploymentPreference`; in "
        "CloudFormation add an `AWS::Lambda::Version` and an `AWS::Lambda::Alias` with "
        "`UpdatePolicy.CodeDeployLambdaAliasUpdate`, and point event sources and callers at the alias."
    )
    example = {
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "AutoPublishAlias": "live",
                    "DeploymentPreference": {
                        "Type": "Canary10Percent5Minutes",
                        "Alarms": [{"Ref": "OrdersErrorsAlarm"}],
                    },
                },
            }
        }
    }
    use_instead = (
        "For prototypes and internal tools where a redeploy is an acceptable rollback, leave this "
        "informational rule off (`ignore = [\"SL102\"]`) or suppress it per function with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/operational-excellence.html",
    )
    service = "lambda"
    precision = "medium"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::Lambda::Alias")

    def check(self, template: Template) -> Iterator[Violation]:
        exempt = function_purpose.deploy_time_functions(template) | function_purpose.edge_functions(template)
        aliased = _aliased_functions(template)
        for function in template.functions():
            name = function.logical_id
            if name in exempt or name in aliased or any(deployment.alias_options(function)):
                continue
            if _has_live_preference(template, function):
                # A preference without an alias is SL103's error; one finding is enough.
                continue
            if function.is_sam:
                fix = "Publish an alias and shift traffic to new versions gradually:"
                snippet = {
                    "AutoPublishAlias": "live",
                    "DeploymentPreference": {"Type": "Canary10Percent5Minutes", "Alarms": [{"Ref": f"{name}ErrorsAlarm"}]},
                }
            else:
                fix = "Publish a version and give callers an alias (with a CodeDeploy UpdatePolicy):"
                snippet = {
                    f"{name}Version": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": name}}},
                    f"{name}Alias": {
                        "Type": "AWS::Lambda::Alias",
                        "Properties": {
                            "Name": "live",
                            "FunctionName": {"Ref": name},
                            "FunctionVersion": {"Fn::GetAtt": [f"{name}Version", "Version"]},
                        },
                    },
                }
            yield self.report(
                template,
                function,
                f"Function '{name}' has no alias: callers invoke whatever code was deployed last, so a new "
                f"version cannot take part of the traffic first nor be rolled back without redeploying.",
                at=("AutoPublishAlias",),
                fix=fix,
                snippet=snippet,
            )


def _has_live_preference(template: Template, function: Resource) -> bool:
    if function.raw_properties.get("DeploymentPreference") is None:
        return False
    shapes = deployment.rollout_shapes(function)
    return not shapes or any(s.enabled(template) is not False for s in shapes)


def _aliased_functions(template: Template) -> set[str]:
    """Functions an `AWS::Lambda::Alias` of the template points at (by reference or literal name)."""
    found: set[str] = set()
    aliases = list(template.of_type(deployment.LAMBDA_ALIAS))
    if not aliases:
        return found
    names = [a.raw_properties.get("FunctionName") for a in aliases]
    for value in names:
        found |= {r.split(".", 1)[0] for r in intrinsics.references(value)}
    for function in template.functions():
        own_name = function.raw_properties.get("FunctionName")
        if own_name is not None and any(intrinsics.same_string(own_name, n) for n in names):
            found.add(function.logical_id)
    return found
