from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.operational_excellence import rollout_alarms
from slens_lint.template import deployment, function_purpose, observability
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.values import Truth, Unknown


class FunctionWithoutErrorAlarm(Rule):
    id = "SL114"
    severity = Severity.INFO
    severity_reason = (
        "info: alarms are often defined outside the template (a monitoring stack, an organisation-"
        "wide rule), so the template alone cannot tell a risk; the review lists it."
    )
    title = "Function without an alarm on its errors or throttles"
    practice = "Operational excellence 1: Understand, analyze and alert on the metrics you get for free"
    rationale = (
        "Lambda publishes `Errors` and `Throttles` for every function at no cost, but nobody is told "
        "when they rise unless an alarm watches them. Without one, a failing deployment, a broken "
        "dependency or a concurrency limit is discovered by users (or by a queue that silently fills), "
        "not by the team. An alarm in the template is created, changed and deleted with the function."
    )
    fix = (
        "Add an `AWS::CloudWatch::Alarm` on namespace `AWS/Lambda`, metric `Errors` (and one on "
        "`Throttles`) with dimension `FunctionName: !Ref <Function>`, `Statistic: Sum`, and an "
        "`AlarmActions` topic that reaches the team. A metric-math alarm over the function's metrics, or "
        "one account-wide alarm without dimensions, counts too."
    )
    example = {
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "src/"},
            },
            "OrdersFunctionErrors": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    "Namespace": "AWS/Lambda",
                    "MetricName": "Errors",
                    "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "OrdersFunction"}}],
                    "Statistic": "Sum",
                    "Period": 60,
                    "EvaluationPeriods": 1,
                    "Threshold": 1,
                    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                    "TreatMissingData": "notBreaching",
                    "AlarmActions": [{"Ref": "AlertsTopic"}],
                },
            },
        }
    }
    use_instead = (
        "If alarms live in another stack (a shared monitoring stack, a CDK construct, an "
        "observability platform), suppress the rule for the template with that reason. Functions that "
        "run only while CloudFormation deploys (custom resource and macro backends, CodeDeploy traffic "
        "hooks) are not checked: a failure there fails the deployment visibly. Functions whose "
        "`DeploymentPreference.Alarms` name alarms outside the template, and templates with an alarm on a "
        "metric only the deployment names, are left undecided."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#Lambda",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/operational-excellence.html",
    )
    service = "cloudwatch"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::CloudWatch::Alarm")

    subject = "function"

    def subjects(self, template: Template) -> Iterator[Function]:
        deploy_time = function_purpose.deploy_time_functions(template)
        for function in template.functions():
            if function.logical_id not in deploy_time:
                yield function

    def judge(self, function: Function, template: Template) -> Verdict:
        name = function.logical_id
        alarms = observability.lambda_error_alarms(template)
        if alarms.account_wide or observability.alarms_on_function(template, function):
            return self.met(function)
        if alarms.unreadable:
            alarm, hidden = alarms.unreadable[0]
            reason = (hidden.reason if isinstance(hidden, Unknown) else None) or "a value of an unexpected shape"
            return self.undecidable(function, Unknown(f"alarm '{alarm}' watches a metric the template does not show ({reason})", None, hidden.path))
        outside = deployment.alarms_outside(template, function)
        if outside is not None:
            return self.undecidable(
                function, Unknown("its DeploymentPreference.Alarms name alarms outside the template", None, outside.path)
            )
        return self.expect(
            function,
            Truth.of(False),
            f"Function '{name}' has no CloudWatch alarm on its Errors or Throttles metric in the "
            f"template: failures and throttling go unnoticed until someone looks at a dashboard or a "
            f"user complains.",
            fix=f"Add an alarm on AWS/Lambda Errors (and Throttles) for {name}, with an action that "
            f"notifies the team:",
            snippet={f"{name}ErrorsAlarm": rollout_alarms.function_errors_alarm(name)},
        )
