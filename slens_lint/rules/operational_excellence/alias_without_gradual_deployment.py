from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_settings import DEPLOYMENT_TYPE
from slens_lint.rules.operational_excellence import codedeploy_group, rollout_alarms
from slens_lint.template import deployment
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.lambda_ import LambdaAlias
from slens_lint.template.resources.other import StateMachineAlias
from slens_lint.template.values import Truth

_STATE_MACHINE_PREFERENCE = {"Type": "CANARY", "Percentage": 10, "Interval": 5}


class AliasWithoutGradualDeployment(Rule):
    id = "SL101"
    severity = Severity.WARNING
    severity_reason = (
        "warning: a release that reaches all traffic at once is the failure gradual deployments exist"
        " to prevent; the design card names gradual deployments, and the fix is a few lines."
    )
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

    subject = "function, state machine or alias"
    fix_safety = "unsafe"
    fix_title = "add a gradual DeploymentPreference with an alarm"
    fix_settings = (DEPLOYMENT_TYPE,)
    fix_note = (
        "The fix adds a CodeDeploy `DeploymentPreference` (SAM creates the application, deployment group "
        "and role) and an Errors alarm that rolls a deployment back: deployments then take the traffic "
        "shifting time, and the alarm's threshold is a starting point to tune."
    )

    def subjects(self, template: Template) -> Iterator[Resource[Any]]:
        yield from deployment.rollout_resources(template)
        yield from template.of(LambdaAlias)
        yield from template.of(StateMachineAlias)

    def judge(self, resource: Resource[Any], template: Template) -> Verdict:
        if isinstance(resource, LambdaAlias):
            return self._lambda_alias(resource, template)
        if isinstance(resource, StateMachineAlias):
            return self._state_machine_alias(resource, template)
        return self._sam(resource, template)

    def _sam(self, resource: Resource[Any], template: Template) -> Verdict:
        # The all-at-once side first: its evidence (no preference, Enabled, Type) says why.
        truth = ~deployment.all_at_once(resource) | ~deployment.publishes_alias(resource)
        name = resource.logical_id
        what = deployment.kind(resource)
        # The resource publishes an alias wherever this fails: the fix adds the preference only, and
        # names an alarm only when the preference has none yet.
        machine = resource.type == deployment.SAM_STATE_MACHINE
        local: dict[str, Any] = dict(_STATE_MACHINE_PREFERENCE) if machine else {"Type": DEPLOYMENT_TYPE}
        preference = deployment.preference(resource)
        if preference.Enabled.given().may_hold and not preference.Enabled.is_true().always:
            local["Enabled"] = True
        choices = []
        if not deployment.alarms_given(deployment.preference(resource).Alarms).always:
            choice = rollout_alarms.for_state_machine(template, resource) if machine else rollout_alarms.for_function(template, resource)
            local["Alarms"] = [{"Ref": choice.name}]
            choices.append(choice)
        return self.expect(
            resource,
            truth,
            lambda: f"{what} '{name}' publishes an alias but {_why(truth)}: every deployment moves all traffic "
            f"to the new version at once, with nothing to stop or roll back a bad release.",
            fix="Add a gradual DeploymentPreference with alarms:",
            snippet=rollout_alarms.fragment(name, choices, {"DeploymentPreference": local}),
            changes=lambda: rollout_alarms.changes(resource, choices, {"DeploymentPreference": local}),
        )

    def _lambda_alias(self, alias: LambdaAlias, template: Template) -> Verdict:
        routed = alias.props.RoutingConfig.given()
        name = alias.logical_id
        codedeploy = routed | deployment.codedeploy_update(template, alias).given()
        if codedeploy.may_fail:
            return self.expect(
                alias,
                codedeploy,
                f"Alias '{name}' has no UpdatePolicy.CodeDeployLambdaAliasUpdate: each new FunctionVersion "
                f"takes all traffic at once, with nothing to stop or roll back a bad release.",
                at=alias.path,
                fix="Add an UpdatePolicy that hands the alias update to a CodeDeploy deployment group with a "
                "canary or linear configuration:",
                snippet=codedeploy_group.update_policy(template, alias),
            )
        group = deployment.alias_deployment_group(template, alias)
        if group is None:
            if routed.always:
                return self.met(alias)
            return self.undecidable(alias, f"alias '{name}' is deployed by a CodeDeploy deployment group outside the template")
        return self.expect(
            alias,
            routed | ~deployment.group_all_at_once(group),
            f"Alias '{name}' is updated through deployment group '{group.logical_id}', which uses "
            f"{deployment.CODEDEPLOY_LAMBDA_ALL_AT_ONCE}: every deployment moves all traffic at once.",
            at=group.props.DeploymentConfigName,
            fix="Use a canary or linear deployment configuration on the deployment group:",
            snippet={"DeploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes"},
        )

    def _state_machine_alias(self, alias: StateMachineAlias, template: Template) -> Verdict:
        name = alias.logical_id
        choice = rollout_alarms.for_state_machine(template, alias)
        return self.expect(
            alias,
            ~deployment.state_machine_alias_type(alias, gradual=False),
            f"State machine alias '{name}' deploys with Type ALL_AT_ONCE: every new version takes all "
            f"executions at once, with nothing to stop or roll back a bad release.",
            fix="Shift executions gradually and watch alarms:",
            snippet=rollout_alarms.fragment(
                name, [choice], {**_STATE_MACHINE_PREFERENCE, "Alarms": [{"Ref": choice.name}]}, under=("DeploymentPreference",)
            ),
        )


def _why(truth: Truth) -> str:
    """What makes the first failing case all at once, from the value that decided it."""
    evidence = truth.failing()[0].evidence
    last = evidence.path[-1] if evidence is not None and evidence.path else None
    if last == "DeploymentPreference":
        return "has no DeploymentPreference"
    if last == "Enabled":
        return "its DeploymentPreference is disabled"
    return "its DeploymentPreference shifts all traffic at once"
