from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_settings import DEPLOYMENT_TYPE
from slens_lint.rules.operational_excellence import rollout_alarms
from slens_lint.template import deployment, function_purpose
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.values import Truth


class FunctionWithoutAlias(Rule):
    id = "SL102"
    severity = Severity.INFO
    severity_reason = (
        "info: an alias is the prerequisite of gradual deployment, not a risk by itself (a function "
        "nobody calls by version needs none); the review shows it under its practice."
    )
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

    subject = "function"
    fix_safety = "unsafe"
    fix_title = "publish an alias with a gradual deployment"
    fix_settings = (DEPLOYMENT_TYPE,)
    fix_note = (
        "The fix publishes an alias (`AutoPublishAlias: live`) with a gradual deployment: callers that "
        "should get the shifted traffic must invoke the alias rather than the function, and every "
        "deployment publishes a version."
    )

    def subjects(self, template: Template) -> Iterator[Function]:
        exempt = function_purpose.deploy_time_functions(template) | function_purpose.edge_functions(template)
        for function in template.functions():
            if function.logical_id not in exempt:
                yield function

    def judge(self, function: Function, template: Template) -> Verdict:
        name = function.logical_id
        aliased = Truth.of(name in deployment.aliased_functions(template))
        alias = deployment.auto_publish_alias(function)
        # A preference without an alias is SL103's error; one finding is enough.
        truth = deployment.publishes_alias(function) | aliased | deployment.preference_enabled(function)
        snippet: Any
        if function.is_sam:
            fix = "Publish an alias and shift traffic to new versions gradually:"
            choice = rollout_alarms.for_function(template, function)
            local = {
                "AutoPublishAlias": "live",
                "DeploymentPreference": {"Type": DEPLOYMENT_TYPE, "Alarms": [{"Ref": choice.name}]},
            }
            snippet = rollout_alarms.fragment(name, [choice], local)
            changes = rollout_alarms.changes(function, [choice], local)
        else:
            # Callers keep invoking the function itself until they are pointed at the alias: no
            # automatic fix, the hint shows the resources.
            changes = ()
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
        return self.expect(
            function,
            truth,
            f"Function '{name}' has no alias: callers invoke whatever code was deployed last, so a new "
            f"version cannot take part of the traffic first nor be rolled back without redeploying.",
            at=alias,
            fix=fix,
            snippet=snippet,
            changes=changes,
        )
