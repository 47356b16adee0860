from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import apis
from slens_lint.legacy.intrinsics import NO_VALUE, branches, is_intrinsic
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource


class CanaryWithoutTrafficSplit(Rule):
    id = "SL106"
    severity = Severity.WARNING
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

    def check(self, template: Template) -> Iterator[Violation]:
        for resource, at in _canary_settings(template):
            props: Any = resource.raw_properties
            for name in at:
                props = props.get(name) if isinstance(props, dict) and not is_intrinsic(props) else None
            problem = _problem(props)
            if problem is None:
                continue
            label = " ".join(at)
            where = "canary setting" if at[-1] != "DeploymentCanarySettings" else "deployment canary"
            yield self.report(
                template,
                resource,
                f"{_subject(resource)} has a {where} ({label.replace(' ', '.')}) {problem}",
                at=(*at, "PercentTraffic"),
                fix="Give the canary a partial share of the traffic, then promote it once it behaves:",
                snippet={at[-1]: {"PercentTraffic": 10}},
            )


def _canary_settings(template: Template) -> Iterator[tuple[Resource, tuple[str, ...]]]:
    for resource in template.of_type(apis.SAM_REST_API, "AWS::ApiGateway::Stage", implicit=True):
        yield resource, ("CanarySetting",)
    for resource in template.of_type("AWS::ApiGateway::Deployment"):
        yield resource, ("StageDescription", "CanarySetting")
        yield resource, ("DeploymentCanarySettings",)


def _subject(resource: Resource) -> str:
    if resource.type == apis.SAM_REST_API:
        implicit = " (implicit, from Api events)" if getattr(resource, "implicit", False) else ""
        return f"REST API '{resource.logical_id}'{implicit}"
    if resource.type == "AWS::ApiGateway::Deployment":
        return f"Deployment '{resource.logical_id}'"
    return f"Stage '{resource.logical_id}'"


def _problem(setting: Any) -> Optional[str]:
    """What makes every branch of a canary setting unusable, or None when one branch works (or no canary)."""
    if setting is None:
        return None
    problems = []
    for branch in branches(setting):
        if branch is NO_VALUE:
            return None
        if not isinstance(branch, dict) or is_intrinsic(branch):
            return None
        for share in branches(branch.get("PercentTraffic")) if "PercentTraffic" in branch else [None]:
            problem = _share_problem(share)
            if problem is None:
                return None
            problems.append(problem)
    return problems[0] if problems else None


def _share_problem(share: Any) -> Optional[str]:
    if share is None or share is NO_VALUE:
        return (
            "without PercentTraffic: the share defaults to 0, so the canary receives no request and is "
            "promoted untested."
        )
    value = apis.number(share)
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
