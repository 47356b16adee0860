from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import apis
from slens_lint.legacy.apis import RestMethod
from slens_lint.legacy.intrinsics import truthy
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

QUOTA = {"Limit": 100000, "Period": "MONTH"}
THROTTLE = {"RateLimit": 50, "BurstLimit": 100}
SAM_PLAN = {"CreateUsagePlan": "PER_API", "Quota": QUOTA, "Throttle": THROTTLE}
SHOWN_METHODS = 3


class ApiKeyWithoutUsagePlan(Rule):
    id = "SL302"
    severity = Severity.WARNING
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

    def check(self, template: Template) -> Iterator[Violation]:
        keyed: dict[str, list[RestMethod]] = {}
        for method in apis.rest_methods(template):
            if method.api is not None and apis.api_key_required(method) is True:
                keyed.setdefault(method.api.logical_id, []).append(method)
        for api in apis.apis(template, apis.REST):
            methods = keyed.get(api.logical_id, [])
            api_wide = _api_default(api)
            if not methods and not api_wide:
                continue
            if any(plan.covers_api(template, api) is not False for plan in apis.usage_plans(template)):
                continue
            yield self._violation(template, api, methods, api_wide)

    def _violation(self, template: Template, api: Resource, methods: list[RestMethod], api_wide: bool) -> Violation:
        implicit = bool(getattr(api, "implicit", False))
        label = f"REST API '{api.logical_id}'" + (" (implicit, from Api events)" if implicit else "")
        if api_wide:
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
        if api_wide:
            return self.report(template, api, message, at=("Auth", "ApiKeyRequired"), fix=fix, snippet=snippet)
        return self.report(template, api, message, path=_method_anchor(methods[0]), fix=fix, snippet=snippet)


def _api_default(api: Resource) -> bool:
    auth = apis.api_auth(api)
    return bool(auth) and truthy(auth.get("ApiKeyRequired")) is True


def _method_anchor(method: RestMethod) -> tuple[Any, ...]:
    if method.method is not None:
        return method.method.prop_path("ApiKeyRequired")
    if method.event is not None and method.event_applies:
        return method.event.prop_path("Auth", "ApiKeyRequired")
    return method.location


def _fix(template: Template, api: Resource) -> tuple[str, Optional[Any]]:
    if api.type == apis.SAM_REST_API:
        if getattr(api, "implicit", False):
            return (
                "Let SAM create a usage plan for the implicit API in Globals.Api:",
                {"Globals": {"Api": {"Auth": {"UsagePlan": SAM_PLAN}}}},
            )
        return "Let SAM create a usage plan for the API's stage:", {"Auth": {"UsagePlan": SAM_PLAN}}
    stage_value: Any = "prod"
    for stage in apis.stages(template, apis.REST):
        if stage.api_id == api.logical_id:
            stage_value = {"Ref": stage.logical_id} if stage.origin == "stage" else stage.name
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
