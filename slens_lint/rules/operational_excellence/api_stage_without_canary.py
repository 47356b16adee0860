from __future__ import annotations

from typing import Any

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.stage_subject import stage_subject
from slens_lint.template import apis
from slens_lint.template.apis import ApiStage
from slens_lint.template.model import Template
from slens_lint.template.resources.apigateway import Deployment

CANARY = {"PercentTraffic": 10, "UseStageCache": False}


class ApiStageWithoutCanary(Rule):
    id = "SL105"
    severity = Severity.INFO
    severity_reason = (
        "info: a stage canary is one way to release a REST API gradually, and most teams release "
        "through their functions' aliases instead; a reviewer would not block a merge for it, the "
        "review lists it."
    )
    title = "REST API stage without a canary release"
    practice = "Operational excellence 8: Rollout deployment mechanisms"
    rationale = (
        "Without a `CanarySetting`, every deployment of a REST API stage switches all of its traffic to "
        "the new deployment at once: a broken mapping template, authorizer or integration reaches every "
        "client before anyone sees an error rate. A canary sends a share of the requests (`PercentTraffic`) "
        "to the new deployment, with its own metrics and logs, so the release is promoted only once it "
        "behaves, or deleted. HTTP APIs have no canary releases; the rule is about REST APIs only."
    )
    fix = (
        "Set `CanarySetting` with a `PercentTraffic` between 0 and 100 on the stage (SAM `Api`, "
        "`Globals.Api` for the implicit API, `AWS::ApiGateway::Stage`, or a Deployment's "
        "`StageDescription`), watch the canary's metrics, then promote or delete it."
    )
    example = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {"StageName": "prod", "CanarySetting": CANARY},
            }
        }
    }
    example_bad = {
        "Resources": {
            "OrdersApi": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "prod"}},
        }
    }
    use_instead = (
        "When the API only fronts functions that already roll out gradually (`AutoPublishAlias` with a "
        "`DeploymentPreference`) and its own configuration rarely changes, or for a development stage, "
        "suppress the rule for that API with the reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/canary-release.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-canarysetting.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/operational-excellence.html",
    )
    service = "apigateway"
    precision = "medium"
    resource_types = ("AWS::Serverless::Api", "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment")

    subject = "API stage"

    def subjects(self, template: Template) -> list[ApiStage]:
        return apis.stages(template, apis.REST)

    def judge(self, stage: ApiStage, template: Template) -> Verdict:
        canary = stage.ask(lambda settings: settings.CanarySetting.given())
        if isinstance(stage.resource, Deployment):
            # A Deployment can also deploy itself as the canary of the stage it names.
            canary = canary | stage.resource.props.DeploymentCanarySettings.given()
        return self.expect(
            stage,
            apis.settle(canary),
            f"{stage_subject(stage, ' that')} has no CanarySetting: each deployment sends all traffic to the new "
            f"version at once, so a bad release reaches every client before it can be noticed and "
            f"rolled back.",
            fix=_fix_text(stage),
            snippet=_snippet(stage),
        )


def _fix_text(stage: ApiStage) -> str:
    if stage.implicit:
        return "The implicit API takes its stage settings from Globals.Api; add a canary there, then promote it:"
    if stage.origin == "deployment":
        return "Add a canary to the stage the Deployment creates, then promote it once it behaves:"
    return "Add a canary to the stage, watch its metrics, then promote it (or delete it):"


def _snippet(stage: ApiStage) -> Any:
    if stage.implicit:
        return {"Globals": {"Api": {"CanarySetting": CANARY}}}
    if stage.origin == "deployment":
        return {"StageDescription": {"CanarySetting": CANARY}}
    return {"CanarySetting": CANARY}
