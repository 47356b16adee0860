from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.operational_excellence import rollout_alarms
from slens_lint.template import deployment
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.other import DeploymentGroup, StateMachineAlias
from slens_lint.template.values import Value


class GradualDeploymentWithoutAlarms(Rule):
    id = "SL104"
    severity = Severity.WARNING
    severity_reason = (
        "warning: a canary or linear deployment without alarms cannot roll back by itself, which "
        "defeats its purpose; gradual deployments are a design-card check."
    )
    title = "Gradual deployment without alarms"
    practice = "Operational excellence 8: Rollout deployment mechanisms"
    rationale = (
        "A canary or linear deployment only limits the damage of a bad version if something watches it: "
        "CodeDeploy (and Step Functions for state machine aliases) stops and rolls back when one of the "
        "deployment's CloudWatch alarms fires. Without alarms, traffic moves to the new version on a "
        "timer whatever its error rate, and the canary phase only delays the outage. Traffic hooks "
        "(`PreTraffic`/`PostTraffic`) test before and after the shift, not during it."
    )
    fix = (
        "List CloudWatch alarms on the new version's errors (and latency, throttles) in "
        "`DeploymentPreference.Alarms`, or in the deployment group's `AlarmConfiguration` with "
        "`Enabled: true`."
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
            },
            "OrdersErrorsAlarm": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    "Namespace": "AWS/Lambda",
                    "MetricName": "Errors",
                    "Dimensions": [
                        {"Name": "Resource", "Value": {"Fn::Sub": "${OrdersFunction}:live"}},
                        {"Name": "FunctionName", "Value": {"Ref": "OrdersFunction"}},
                    ],
                    "Statistic": "Sum",
                    "Period": 60,
                    "EvaluationPeriods": 1,
                    "Threshold": 0,
                    "ComparisonOperator": "GreaterThanThreshold",
                },
            },
        }
    }
    use_instead = (
        "If rollback is driven from outside the template (a pipeline stage that stops the deployment), "
        "suppress this rule for the resource and say so."
    )
    references = (
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html",
        "https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html",
        "https://docs.aws.amazon.com/step-functions/latest/dg/version-rollback-deployment.html",
    )
    service = "cloudwatch"
    resource_types = (
        "AWS::Serverless::Function",
        "AWS::Serverless::StateMachine",
        "AWS::StepFunctions::StateMachineAlias",
        "AWS::CodeDeploy::DeploymentGroup",
        "AWS::CodeDeploy::Application",
    )

    subject = "gradual deployment"

    def subjects(self, template: Template) -> Iterator[Resource[Any]]:
        yield from deployment.rollout_resources(template)
        yield from template.of(StateMachineAlias)
        groups = deployment.lambda_deployment_groups(template)
        for group in template.of(DeploymentGroup):
            if group.logical_id in groups:
                yield group

    def judge(self, resource: Resource[Any], template: Template) -> Verdict:
        if isinstance(resource, DeploymentGroup):
            return self._group(resource, template)
        if isinstance(resource, StateMachineAlias):
            # The alarms' side first: its evidence is where the finding points.
            alarms = deployment.state_machine_alias_preference(resource).Alarms
            truth = deployment.alarms_given(alarms) | ~deployment.state_machine_alias_type(resource, gradual=True)
            return self._preference(resource, template, truth, "State machine alias")
        truth = (
            deployment.alarms_given(deployment.preference(resource).Alarms)
            | ~deployment.gradual(resource)
            | ~deployment.publishes_alias(resource)
        )
        return self._preference(resource, template, truth, deployment.kind(resource))

    def _preference(self, resource: Resource[Any], template: Template, truth: Any, what: str) -> Verdict:
        name = resource.logical_id
        if resource.type == deployment.SAM_FUNCTION:
            choice = rollout_alarms.for_function(template, resource)
        else:
            choice = rollout_alarms.for_state_machine(template, resource)
        return self.expect(
            resource,
            truth,
            f"{what} '{name}' shifts traffic gradually but its DeploymentPreference has no Alarms: the "
            f"shift proceeds on a timer and nothing rolls a failing version back.",
            fix="Name the CloudWatch alarms that must stop the deployment:",
            snippet=rollout_alarms.fragment(name, [choice], {"Alarms": [{"Ref": choice.name}]}, under=("DeploymentPreference",)),
        )

    def _group(self, group: DeploymentGroup, template: Template) -> Verdict:
        # Only a configuration the template shows to be all at once has nothing to watch over.
        all_at_once = group.props.DeploymentConfigName.each(_is_all_at_once)
        functions = [deployment.alias_function(template, alias) for alias in deployment.group_aliases(template, group)]
        choices = [rollout_alarms.for_function(template, function) for function in functions if function is not None]
        fix = "Watch the new version with alarms and roll back when one fires:"
        if not choices:
            choices = [rollout_alarms.for_group(template, group)]
            fix = (
                "Watch the new version with alarms and roll back when one fires (give the alarm the "
                "deployed function's FunctionName dimension):"
            )
        name = group.logical_id
        return self.expect(
            group,
            deployment.group_alarms_enabled(group) | all_at_once,
            f"Lambda deployment group '{name}' has no enabled alarm configuration: traffic shifts to "
            f"the new version on a timer, and nothing stops or rolls back a failing release.",
            fix=fix,
            snippet=rollout_alarms.fragment(
                name,
                choices,
                {
                    "AlarmConfiguration": {"Enabled": True, "Alarms": [{"Name": {"Ref": choice.name}} for choice in choices]},
                    "AutoRollbackConfiguration": {
                        "Enabled": True,
                        "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
                    },
                },
            ),
        )


def _is_all_at_once(config: Value) -> bool:
    return config.text() == deployment.CODEDEPLOY_LAMBDA_ALL_AT_ONCE
