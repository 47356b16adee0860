from __future__ import annotations

from typing import Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import deployment, intrinsics
from slens_lint.legacy.deployment import alarms_given
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

CODEDEPLOY_APPLICATION = "AWS::CodeDeploy::Application"
CODEDEPLOY_CONFIG = "AWS::CodeDeploy::DeploymentConfig"


class GradualDeploymentWithoutAlarms(Rule):
    id = "SL104"
    severity = Severity.WARNING
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

    def check(self, template: Template) -> Iterator[Violation]:
        for resource, shapes in deployment.sam_rollouts(template):
            if not all(
                s.alias is not False
                and s.preference
                and s.gradual(template) is True
                and alarms_given(s.preference.get("Alarms")) is False
                for s in shapes
            ):
                continue
            yield self._report(template, resource, ("DeploymentPreference", "Alarms"))
        for alias in template.of_type(deployment.STATE_MACHINE_ALIAS):
            preference = alias.raw_properties.get("DeploymentPreference")
            if not isinstance(preference, dict) or intrinsics.is_intrinsic(preference):
                continue
            types = deployment.string_options(template, preference.get("Type"))
            if not types or not all(t in deployment.STATE_MACHINE_GRADUAL for t in types):
                continue
            if alarms_given(preference.get("Alarms")) is False:
                yield self._report(template, alias, ("DeploymentPreference", "Alarms"))
        lambda_groups = _lambda_deployment_groups(template)
        for group in template.of_type(deployment.DEPLOYMENT_GROUP):
            if group.logical_id not in lambda_groups:
                continue
            configs = deployment.string_options(template, group.raw_properties.get("DeploymentConfigName"))
            if configs and all(c == deployment.CODEDEPLOY_LAMBDA_ALL_AT_ONCE for c in configs):
                continue
            at = _missing_alarm_configuration(group)
            if at is not None:
                yield self._report(template, group, at)

    def _report(self, template: Template, resource: Resource, at: tuple[str, ...]) -> Violation:
        name = resource.logical_id
        if resource.type == deployment.DEPLOYMENT_GROUP:
            message = (
                f"Lambda deployment group '{name}' has no enabled alarm configuration: traffic shifts to "
                f"the new version on a timer, and nothing stops or rolls back a failing release."
            )
            return self.report(
                template,
                resource,
                message,
                at=at,
                fix="Watch the new version with alarms and roll back when one fires:",
                snippet={
                    "AlarmConfiguration": {"Enabled": True, "Alarms": [{"Name": {"Ref": "ErrorsAlarm"}}]},
                    "AutoRollbackConfiguration": {
                        "Enabled": True,
                        "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
                    },
                },
            )
        what = deployment.kind(resource)
        if resource.type == deployment.STATE_MACHINE_ALIAS:
            what = "State machine alias"
        return self.report(
            template,
            resource,
            f"{what} '{name}' shifts traffic gradually but its DeploymentPreference has no Alarms: the "
            f"shift proceeds on a timer and nothing rolls a failing version back.",
            at=at,
            fix="Name the CloudWatch alarms that must stop the deployment:",
            snippet={"Alarms": [{"Ref": f"{name}ErrorsAlarm"}]},
        )


def _lambda_deployment_groups(template: Template) -> set[str]:
    """Deployment groups that deploy Lambda functions: of a Lambda CodeDeploy application, with a
    Lambda deployment configuration, or named by an alias's `CodeDeployLambdaAliasUpdate`."""
    found: set[str] = set()
    for group in template.of_type(deployment.DEPLOYMENT_GROUP):
        props = group.raw_properties
        application = template.target(props.get("ApplicationName"))
        if application is not None and application.type == CODEDEPLOY_APPLICATION:
            platforms = deployment.string_options(template, application.raw_properties.get("ComputePlatform"))
            if platforms and all(p == "Lambda" for p in platforms):
                found.add(group.logical_id)
                continue
        config_name = props.get("DeploymentConfigName")
        configs = deployment.string_options(template, config_name)
        if configs and all(c.startswith("CodeDeployDefault.Lambda") for c in configs):
            found.add(group.logical_id)
            continue
        config = template.target(config_name)
        if config is not None and config.type == CODEDEPLOY_CONFIG:
            platforms = deployment.string_options(template, config.raw_properties.get("ComputePlatform"))
            if platforms and all(p == "Lambda" for p in platforms):
                found.add(group.logical_id)
    for alias in template.of_type(deployment.LAMBDA_ALIAS):
        policy = alias.update_policy
        update = policy.get("CodeDeployLambdaAliasUpdate") if isinstance(policy, dict) else None
        if isinstance(update, dict):
            target = intrinsics.ref_target(update.get("DeploymentGroupName"))
            if target:
                found.add(target)
    return found


def _missing_alarm_configuration(group: Resource) -> Optional[tuple[str, ...]]:
    """Where the group's alarm configuration falls short (None when it has enabled alarms or when
    that cannot be known)."""
    configuration = group.raw_properties.get("AlarmConfiguration")
    if configuration is None:
        return ("AlarmConfiguration",)
    shapes = list(intrinsics.branches(configuration))
    missing: Optional[tuple[str, ...]] = None
    for shape in shapes:
        if shape is intrinsics.NO_VALUE:
            missing = missing or ("AlarmConfiguration",)
            continue
        if not isinstance(shape, dict) or intrinsics.is_intrinsic(shape):
            return None
        enabled = intrinsics.truthy(shape.get("Enabled"))
        if "Enabled" in shape and enabled is None:
            return None
        if enabled is False:
            missing = missing or ("AlarmConfiguration", "Enabled")
            continue
        given = alarms_given(shape.get("Alarms"))
        if given is False:
            missing = missing or ("AlarmConfiguration", "Alarms")
            continue
        return None
    return missing
