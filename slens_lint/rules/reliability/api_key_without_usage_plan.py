from __future__ import annotations

from typing import Any, Optional

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import apis
from slens_lint.template.apis import RestMethod
from slens_lint.template.model import Template
from slens_lint.template.resources.apigateway import Method
from slens_lint.template.resources.base import Resource
from slens_lint.template.values import Truth

QUOTA = {"Limit": 100000, "Period": "MONTH"}
THROTTLE = {"RateLimit": 50, "BurstLimit": 100}
SAM_PLAN = {"CreateUsagePlan": "PER_API", "Quota": QUOTA, "Throttle": THROTTLE}
SHOWN_METHODS = 3


class ApiKeyWithoutUsagePlan(Rule):
    id = "SL302"
    severity = Severity.WARNING
    severity_reason = "warning: API keys without a usage plan are not enforced: every call is rejected."
    title = "API keys required without a usage plan"
    practice = "Reliability 2: Use, analyze and enforce API quotas"
    rationale = (
        "API keys identify clients; the quotas and throttles that protect the API from any one of them "
        "live in a usage plan that covers the API's stage. A REST API whose methods require a key while "
        "no usage plan in the template covers it enforces no per-client limit, and its keys only work "
        "once someone associates them with a plan by hand, outside the template and its reviews."
    )
    fix = (
        "Add a usage plan for the API's stage with `Quota` and `Throttle`: SAM `Auth.UsagePlan` with "
        "`CreateUsagePlan: PER_API` (or `SHARED`), or an `AWS::ApiGateway::UsagePlan` whose `ApiStages` "
        "names the API and stage, plus the `AWS::ApiGateway::UsagePlanKey` that attaches the keys."
    )
    example = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {"StageName": "prod", "Auth": {"ApiKeyRequired": True, "UsagePlan": SAM_PLAN}},
            }
        }
    }
    example_bad = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {"StageName": "prod", "Auth": {"ApiKeyRequired": True}},
            }
        }
    }
    use_instead = (
        "When the usage plan is managed in another stack (a shared platform stack that onboards API "
        "clients), suppress the finding on the API and name that stack in the reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-setup-api-key-with-console.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html",
    )
    service = "apigateway"
    resource_types = (
        "AWS::Serverless::Api",
        "AWS::Serverless::Function",
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGateway::Method",
        "AWS::ApiGateway::UsagePlan",
    )

    subject = "REST API"

    def subjects(self, template: Template) -> list[Resource[Any]]:
        return apis.apis(template, apis.REST)

    def judge(self, api: Resource[Any], template: Template) -> Verdict:
        keyed = [(m, apis.api_key_required(m)) for m in apis.rest_methods(template) if m.api is api]
        api_wide = apis.api_auth(api).ApiKeyRequired.is_true()
        requires = Truth.any_of([api_wide, *(truth for _, truth in keyed)])
        covered = Truth.any_of(plan.covers_api(api) for plan in apis.usage_plans(template))
        truth = apis.settle(~requires | covered)
        failing = truth.failing()
        if not failing:
            return self.expect(api, truth, "")
        when = failing[0].when
        methods = [m for m, required in keyed if apis.holds_under(required, when)]
        whole_api = apis.holds_under(api_wide, when) is True
        label = f"REST API '{api.logical_id}'" + (" (implicit, from Api events)" if api.implicit else "")
        if whole_api:
            scope = "requires an API key on every method (Auth.ApiKeyRequired)"
        else:
            shown = ", ".join(m.describe() for m in methods[:SHOWN_METHODS])
            more = f" and {len(methods) - SHOWN_METHODS} more" if len(methods) > SHOWN_METHODS else ""
            scope = f"requires an API key on {shown}{more}"
        message = (
            f"{label} {scope}, but no usage plan in the template covers it: no quota or throttle limits any "
            f"client, and the keys work only once associated with a plan by hand."
        )
        fix, snippet = _fix(template, api)
        at = apis.api_auth(api).ApiKeyRequired if whole_api or not methods else _method_anchor(methods[0])
        return self.expect(api, truth, message, at=at, fix=fix, snippet=snippet)


def _method_anchor(method: RestMethod) -> Any:
    if isinstance(method.method, Method):
        return method.method.props.ApiKeyRequired
    if method.event is not None and method.event_applies:
        return method.event.value("Auth").ApiKeyRequired
    return method.location


def _fix(template: Template, api: Resource[Any]) -> tuple[str, Optional[Any]]:
    if api.type == apis.SAM_REST_API:
        if api.implicit:
            return (
                "Let SAM create a usage plan for the implicit API in Globals.Api:",
                {"Globals": {"Api": {"Auth": {"UsagePlan": SAM_PLAN}}}},
            )
        return "Let SAM create a usage plan for the API's stage:", {"Auth": {"UsagePlan": SAM_PLAN}}
    stage_value: Any = "prod"
    for stage in apis.stages(template, apis.REST):
        if stage.api_id == api.logical_id:
            # A Deployment's stage by its name as written (a literal, or the parameter's `Ref`).
            stage_value = {"Ref": stage.logical_id} if stage.origin == "stage" else stage.name.expr
            break
    return (
        "Add a usage plan that covers the API's stage (and an AWS::ApiGateway::UsagePlanKey for each key):",
        {
            f"{api.logical_id}UsagePlan": {
                "Type": "AWS::ApiGateway::UsagePlan",
                "Properties": {
                    "ApiStages": [{"ApiId": {"Ref": api.logical_id}, "Stage": stage_value}],
                    "Quota": QUOTA,
                    "Throttle": THROTTLE,
                },
            }
        },
    )
