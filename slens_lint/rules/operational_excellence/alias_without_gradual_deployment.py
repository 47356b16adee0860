from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import deployment, intrinsics
from slens_lint.legacy.deployment import RolloutShape
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

_FUNCTION_SNIPPET = {
    "AutoPublishAlias": "live",
    "DeploymentPreference": {"Type": "Canary10Percent5Minutes", "Alarms": [{"Ref": "ErrorsAlarm"}]},
}
_STATE_MACHINE_SNIPPET = {
    "AutoPublishAlias": "live",
    "DeploymentPreference": {"Type": "CANARY", "Percentage": 10, "Interval": 5, "Alarms": [{"Ref": "FailedExecutionsAlarm"}]},
}


class AliasWithoutGradualDeployment(Rule):
    id = "SL101"
    severity = Severity.WARNING
    title = "Alias that shifts all traffic at once"
    practice = "Operational excellence 8: Rollout deployment mechanisms"
    rationale = (
        "An alias lets a deployment move traffic from one version to the next, but on its own it moves "
        "all of it at once: a bad version reaches every caller the moment the stack updates, and going "
        "back means another deployment. SAM `AutoPublishAlias` without an enabled `DeploymentPreference` "
        "(or with `Type: AllAtOnce`) does exactly that, as does a CloudFormation `AWS::Lambda::Alias` "
        "without `UpdatePolicy.CodeDeployLambdaAliasUpdate`. SAM state machines behave the same way: "
        "their alias gets `ALL_AT_ONCE` unless `DeploymentPreference` says `CANARY` or `LINEAR`."
    )
    fix = (
        "Give the alias a gradual deployment: a SAM `DeploymentPreference` with a canary or linear "
        "`Type` and `Alarms`, or, in CloudFormation, `UpdatePolicy.CodeDeployLambdaAliasUpdate` naming a "
        "CodeDeploy application and a deployment group with a canary or linear configuration."
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
    example_bad = {
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "AutoPublishAlias": "live",
                },
            }
        }
    }
    use_instead = (
        "If the alias exists only to get a published version (SnapStart, provisioned concurrency, durable "
        "functions) and the service is not yet in production, suppress this rule for the resource with "
        "that reason. An `AWS::Lambda::Alias` with a `RoutingConfig` (weights managed by hand) and a "
        "state machine alias with a `RoutingConfiguration` already pass."
    )
    references = (
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html#cfn-attributes-updatepolicy-codedeploylambdaaliasupdate",
        "https://docs.aws.amazon.com/step-functions/latest/dg/version-rollback-deployment.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/operational-excellence.html",
    )
    service = "lambda"
    resource_types = (
        "AWS::Serverless::Function",
        "AWS::Serverless::StateMachine",
        "AWS::Lambda::Alias",
        "AWS::StepFunctions::StateMachineAlias",
        "AWS::CodeDeploy::DeploymentGroup",
    )

    def check(self, template: Template) -> Iterator[Violation]:
        for resource, shapes in deployment.sam_rollouts(template):
            violation = self._check_sam(template, resource, shapes)
            if violation is not None:
                yield violation
        for alias in template.of_type(deployment.LAMBDA_ALIAS):
            violation = self._check_lambda_alias(template, alias)
            if violation is not None:
                yield violation
        for alias in template.of_type(deployment.STATE_MACHINE_ALIAS):
            violation = self._check_state_machine_alias(template, alias)
            if violation is not None:
                yield violation

    def _check_sam(self, template: Template, resource: Resource, shapes: list[RolloutShape]) -> Optional[Violation]:
        if not all(s.alias and s.all_at_once(template) for s in shapes):
            return None
        name = resource.logical_id
        what = deployment.kind(resource)
        at, why = _why(template, shapes[0])
        return self.report(
            template,
            resource,
            f"{what} '{name}' publishes an alias but {why}: every deployment moves all traffic to the new "
            f"version at once, with nothing to stop or roll back a bad release.",
            at=at,
            fix="Add a gradual DeploymentPreference with alarms:",
            snippet=_STATE_MACHINE_SNIPPET if resource.type == deployment.SAM_STATE_MACHINE else _FUNCTION_SNIPPET,
        )

    def _check_lambda_alias(self, template: Template, alias: Resource) -> Optional[Violation]:
        if alias.raw_properties.get("RoutingConfig") is not None:
            return None
        policy = alias.update_policy
        if policy is None:
            policy = {}
        if not isinstance(policy, dict) or intrinsics.is_intrinsic(policy):
            return None
        name = alias.logical_id
        codedeploy = policy.get("CodeDeployLambdaAliasUpdate")
        if codedeploy is None:
            return self.report(
                template,
                alias,
                f"Alias '{name}' has no UpdatePolicy.CodeDeployLambdaAliasUpdate: each new FunctionVersion "
                f"takes all traffic at once, with nothing to stop or roll back a bad release.",
                path=alias.path,
                fix="Add an UpdatePolicy that hands the alias update to a CodeDeploy deployment group with a "
                "canary or linear configuration:",
                snippet={
                    "UpdatePolicy": {
                        "CodeDeployLambdaAliasUpdate": {
                            "ApplicationName": {"Ref": "CodeDeployApplication"},
                            "DeploymentGroupName": {"Ref": "DeploymentGroup"},
                        }
                    }
                },
            )
        group = template.target(codedeploy.get("DeploymentGroupName")) if isinstance(codedeploy, dict) else None
        if group is None or group.type != deployment.DEPLOYMENT_GROUP:
            return None
        configs = deployment.string_options(template, group.raw_properties.get("DeploymentConfigName"))
        if not configs or any(c != deployment.CODEDEPLOY_LAMBDA_ALL_AT_ONCE for c in configs):
            return None
        return self.report(
            template,
            alias,
            f"Alias '{name}' is updated through deployment group '{group.logical_id}', which uses "
            f"{deployment.CODEDEPLOY_LAMBDA_ALL_AT_ONCE}: every deployment moves all traffic at once.",
            path=group.prop_path("DeploymentConfigName"),
            fix="Use a canary or linear deployment configuration on the deployment group:",
            snippet={"DeploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes"},
        )

    def _check_state_machine_alias(self, template: Template, alias: Resource) -> Optional[Violation]:
        preference = alias.raw_properties.get("DeploymentPreference")
        if not isinstance(preference, dict) or intrinsics.is_intrinsic(preference):
            return None
        types = deployment.string_options(template, preference.get("Type"))
        if not types or any(t != deployment.STATE_MACHINE_ALL_AT_ONCE for t in types):
            return None
        name = alias.logical_id
        return self.report(
            template,
            alias,
            f"State machine alias '{name}' deploys with Type ALL_AT_ONCE: every new version takes all "
            f"executions at once, with nothing to stop or roll back a bad release.",
            at=("DeploymentPreference", "Type"),
            fix="Shift executions gradually and watch alarms:",
            snippet={"Type": "CANARY", "Percentage": 10, "Interval": 5, "Alarms": [{"Ref": "FailedExecutionsAlarm"}]},
        )


def _why(template: Template, shape: RolloutShape) -> tuple[tuple[Any, ...], str]:
    """Where to point and what to say for an all-at-once shape."""
    preference = shape.preference
    if not preference:
        return ("DeploymentPreference",), "has no DeploymentPreference"
    if shape.enabled(template) is False:
        return ("DeploymentPreference", "Enabled"), "its DeploymentPreference is disabled"
    return ("DeploymentPreference", "Type"), "its DeploymentPreference shifts all traffic at once"
