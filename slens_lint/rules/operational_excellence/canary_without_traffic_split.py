from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import apis
from slens_lint.template.apis import Canary
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.values import Truth, Value


class CanaryWithoutTrafficSplit(Rule):
    id = "SL106"
    severity = Severity.WARNING
    severity_reason = (
        "warning: a canary that sends no traffic (or all of it) looks like a safety net and is none."
    )
    title = "API canary that sends no traffic, or all of it"
    practice = "Operational excellence 8: Rollout deployment mechanisms"
    rationale = (
        "A canary release splits a stage's traffic: `PercentTraffic` of the requests go to the new "
        "deployment, the rest to the current one. Without `PercentTraffic` the share defaults to 0: the "
        "canary gets no request, tests nothing, and is promoted untried. At 100 every request goes to the "
        "canary: a full release with no baseline left to compare with. A value outside 0-100 is rejected "
        "by API Gateway and fails the deployment."
    )
    fix = (
        "Give the canary a partial share: `PercentTraffic` above 0 and below 100 (for example 10) in "
        "`CanarySetting` or `DeploymentCanarySettings`."
    )
    example = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {"StageName": "prod", "CanarySetting": {"PercentTraffic": 10}},
            }
        }
    }
    example_bad = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {"StageName": "prod", "CanarySetting": {"UseStageCache": False}},
            }
        }
    }
    use_instead = (
        "To send all traffic to the new deployment, promote the canary or remove `CanarySetting` instead "
        "of setting 100; to stop a canary, delete it rather than setting 0."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/canary-release.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-canarysetting.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-deployment-deploymentcanarysettings.html",
    )
    service = "apigateway"
    resource_types = ("AWS::Serverless::Api", "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment")

    subject = "canary setting"

    def subjects(self, template: Template) -> Iterator[Canary]:
        return apis.canaries(template)

    def judge(self, canary: Canary, template: Template) -> Verdict:
        def per_setting(setting: Value) -> Truth:
            if setting.absent:
                return Truth.of(True, setting)
            if setting.unknown:
                return Truth.of(None, setting)
            return setting.PercentTraffic.each(lambda share: Truth.of(_share_problem(share) is None, share))

        usable = apis.settle(canary.value.each(per_setting))
        failing = usable.failing()
        problem = _share_problem(failing[0].evidence) if failing and failing[0].evidence is not None else None
        label = ".".join(canary.names)
        where = "deployment canary" if canary.deployment else "canary setting"
        return self.expect(
            canary,
            usable,
            f"{_subject(canary.resource)} has a {where} ({label}) {problem}",
            fix="Give the canary a partial share of the traffic, then promote it once it behaves:",
            snippet={canary.names[-1]: {"PercentTraffic": 10}},
        )


def _subject(resource: Resource[Any]) -> str:
    if resource.type == apis.SAM_REST_API:
        implicit = " (implicit, from Api events)" if resource.implicit else ""
        return f"REST API '{resource.logical_id}'{implicit}"
    if resource.type == apis.DEPLOYMENT:
        return f"Deployment '{resource.logical_id}'"
    return f"Stage '{resource.logical_id}'"


def _share_problem(share: Value) -> Optional[str]:
    """What makes a share unusable (one branch); None when it splits the traffic or cannot be read."""
    if share.absent:
        return (
            "without PercentTraffic: the share defaults to 0, so the canary receives no request and is "
            "promoted untested."
        )
    value = share.number()
    if value is None:
        return None
    shown = f"{value:g}"
    if value < 0 or value > 100:
        return f"with PercentTraffic {shown}, outside 0-100: API Gateway rejects it and the deployment fails."
    if value == 0:
        return "with PercentTraffic 0: the canary receives no request and is promoted untested."
    if value == 100:
        return (
            "with PercentTraffic 100: every request goes to the canary, a full release with no baseline "
            "left to compare against."
        )
    return None
