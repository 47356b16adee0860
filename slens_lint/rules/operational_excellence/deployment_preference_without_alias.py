from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import deployment
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource


class DeploymentPreferenceWithoutAlias(Rule):
    id = "SL103"
    severity = Severity.ERROR
    severity_reason = (
        "error: SAM rejects a DeploymentPreference without AutoPublishAlias, so the deployment fails."
    )
    title = "DeploymentPreference without AutoPublishAlias"
    practice = "Operational excellence 8: Rollout deployment mechanisms"
    rationale = (
        "SAM shifts traffic between the versions an alias points at; a `DeploymentPreference` has "
        "nothing to shift without `AutoPublishAlias`, and the SAM transform rejects the template "
        "(\"'DeploymentPreference' requires AutoPublishAlias property to be specified\"), so the "
        "deployment fails. A preference set in `Globals.Function` applies to every function, including "
        "those that do not publish an alias. On a function, a preference with `Enabled: false` is "
        "ignored by SAM and passes; a state machine has no `Enabled`, so any preference needs the alias."
    )
    fix = "Add `AutoPublishAlias` (for example `live`) next to the `DeploymentPreference`, or remove the preference."
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
                        "Type": "Linear10PercentEvery1Minute",
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
                    "DeploymentPreference": {"Type": "Linear10PercentEvery1Minute"},
                },
            }
        }
    }
    use_instead = (
        "When a `Globals` preference should not apply to one function, list it in that function's "
        "`IgnoreGlobals` or set `DeploymentPreference.Enabled: false` on the function."
    )
    references = (
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-deploymentpreference.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-statemachine-deploymentpreference.html",
    )
    service = "lambda"
    precision = "very-high"
    resource_types = ("AWS::Serverless::Function", "AWS::Serverless::StateMachine")

    subject = "function or state machine"

    def subjects(self, template: Template) -> Iterator[Resource[Any]]:
        return iter(deployment.rollout_resources(template))

    def judge(self, resource: Resource[Any], template: Template) -> Verdict:
        name = resource.logical_id
        what = deployment.kind(resource)
        return self.expect(
            resource,
            ~deployment.preference_enabled(resource) | deployment.publishes_alias(resource),
            f"{what} '{name}' has a DeploymentPreference but no AutoPublishAlias: SAM rejects the "
            f"template, so the deployment fails.",
            at=deployment.preference(resource),
            fix="Publish the alias the preference shifts traffic on:",
            snippet={"AutoPublishAlias": "live"},
        )
