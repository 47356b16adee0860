from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.rules.stage_subject import stage_subject
from slens_lint.legacy import apis
from slens_lint.legacy.apis import ApiStage
from slens_lint.legacy.intrinsics import NO_VALUE, branches, is_intrinsic
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

RATE = "ThrottlingRateLimit"
BURST = "ThrottlingBurstLimit"
DEFAULT_LIMITS = {RATE: 100, BURST: 50}
REST_DEFAULT_SETTING = {"HttpMethod": "*", "ResourcePath": "/*", **DEFAULT_LIMITS}


class ApiStageWithoutThrottling(Rule):
    id = "SL301"
    severity = Severity.WARNING
    title = "API stage without default throttling"
    practice = "Reliability 1: Throttle the inbound request rate"
    rationale = (
        "Without stage-level throttling an API accepts requests up to the account's API Gateway limit "
        "(10,000 requests per second and a 5,000 burst per Region, shared by every API of the account). "
        "One client or a traffic spike can then exhaust that shared quota, throttling unrelated APIs, "
        "and pass the whole load on to functions and downstream systems that do not scale as far. A "
        "default rate and burst limit on the stage answers the excess with 429 (clients retry with "
        "back-off) and protects everything behind it. For REST APIs that is a `MethodSettings` entry for "
        "`HttpMethod: \"*\"` on `ResourcePath: \"/*\"` (or a usage plan throttle on the stage); for HTTP "
        "and WebSocket APIs, `DefaultRouteSettings`."
    )
    fix = (
        "REST API: add a `MethodSettings` entry with `HttpMethod: \"*\"`, `ResourcePath: \"/*\"`, "
        "`ThrottlingRateLimit` and `ThrottlingBurstLimit` (SAM `Api`, `Globals.Api` for the implicit API, "
        "`AWS::ApiGateway::Stage`, or a Deployment's `StageDescription`). HTTP / WebSocket API: set "
        "`DefaultRouteSettings.ThrottlingRateLimit` and `ThrottlingBurstLimit`."
    )
    example = {
        "Globals": {"Api": {"MethodSettings": [REST_DEFAULT_SETTING]}},
        "Resources": {
            "OrdersHttpApi": {
                "Type": "AWS::Serverless::HttpApi",
                "Properties": {"DefaultRouteSettings": DEFAULT_LIMITS},
            }
        },
    }
    example_bad = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "StageName": "prod",
                    "MethodSettings": [{"HttpMethod": "*", "ResourcePath": "/*", "MetricsEnabled": True}],
                },
            }
        }
    }
    use_instead = (
        "If a usage plan in another stack throttles every key of this stage, or every request arrives "
        "through a front door that already limits the rate, suppress the finding on the API with that "
        "reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigatewayv2-stage-routesettings.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "apigateway"
    resource_types = (
        "AWS::Serverless::Api",
        "AWS::Serverless::HttpApi",
        "AWS::Serverless::WebSocketApi",
        "AWS::ApiGateway::Stage",
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGateway::UsagePlan",
        "AWS::ApiGatewayV2::Stage",
        "AWS::ApiGatewayV2::Api",
        "AWS::ApiGatewayV2::ApiGatewayManagedOverrides",
    )

    def check(self, template: Template) -> Iterator[Violation]:
        for stage in apis.stages(template):
            if stage.kind == apis.REST:
                yield from self._check_rest(template, stage)
            else:
                yield from self._check_route_settings(template, stage)

    # ---- REST --------------------------------------------------------------------------------

    def _check_rest(self, template: Template, stage: ApiStage) -> Iterator[Violation]:
        entries = stage.method_settings()
        if entries is None:
            return
        defaults = [e for e in entries if e.scope is not False]
        rate = any(apis.limit_may_be_set(e.get(RATE)) for e in defaults)
        burst = any(apis.limit_may_be_set(e.get(BURST)) for e in defaults)
        if rate and burst:
            return
        if _throttled_by_usage_plan(template, stage):
            return
        subject = stage_subject(stage)
        if rate or burst:
            present, missing = (RATE, BURST) if rate else (BURST, RATE)
            gap = f"its default method setting has {present} but no {missing}"
        elif defaults:
            gap = "its default method setting (HttpMethod '*', ResourcePath '/*') sets no throttling limit"
        elif entries:
            gap = "its MethodSettings throttle no default (HttpMethod '*', ResourcePath '/*')"
        else:
            gap = "it has no default throttling"
        message = (
            f"{subject}: {gap}, and no usage plan with a Throttle covers it: one client or a spike can use "
            f"up the account-wide API Gateway quota shared by every API and pass the full load to the backend."
        )
        at = defaults[0].path if defaults else stage.at("MethodSettings")
        fix, snippet = _rest_fix(stage, bool(defaults))
        yield self.report(template, stage.resource, message, at=at, fix=fix, snippet=snippet)

    # ---- HTTP and WebSocket ------------------------------------------------------------------

    def _check_route_settings(self, template: Template, stage: ApiStage) -> Iterator[Violation]:
        resource, prefix, settings = stage.resource, (), stage.default_route_settings()
        overrides = apis.managed_overrides(template, stage)
        if overrides is not None:
            # A quick-create API's $default stage is configured through its managed overrides.
            resource, prefix = overrides, ("Stage",)
            settings = _override_route_settings(overrides)
        if settings is None:
            return
        rate = any(apis.limit_may_be_set(s.get(RATE)) for s in settings)
        burst = any(apis.limit_may_be_set(s.get(BURST)) for s in settings)
        if rate and burst:
            return
        if rate or burst:
            present, missing = (RATE, BURST) if rate else (BURST, RATE)
            gap = f"DefaultRouteSettings has {present} but no {missing}"
        else:
            gap = "it has no DefaultRouteSettings throttling"
        subject = stage_subject(stage)
        if overrides is not None:
            subject = f"ApiGatewayManagedOverrides '{overrides.logical_id}' of {subject}"
        message = (
            f"{subject}: {gap}: one client or a spike can use up the account-wide API Gateway quota shared "
            f"by every API and pass the full load to the backend."
        )
        at = (*prefix, "DefaultRouteSettings") if overrides is not None else stage.at("DefaultRouteSettings")
        fix, snippet = _route_settings_fix(stage, overrides)
        yield self.report(template, resource, message, at=at, fix=fix, snippet=snippet)


def _override_route_settings(overrides: Resource) -> Optional[list[dict[str, Any]]]:
    stage = overrides.raw_properties.get("Stage")
    if stage is None:
        return []
    if not isinstance(stage, dict) or is_intrinsic(stage):
        return None
    found = []
    for branch in branches(stage.get("DefaultRouteSettings")) if "DefaultRouteSettings" in stage else []:
        if branch is NO_VALUE:
            continue
        if not isinstance(branch, dict) or is_intrinsic(branch):
            return None
        found.append(branch)
    return found


def _throttled_by_usage_plan(template: Template, stage: ApiStage) -> bool:
    return any(plan.throttles() and plan.covers(template, stage) is not False for plan in apis.usage_plans(template))


def _rest_fix(stage: ApiStage, has_default: bool) -> tuple[str, Optional[Any]]:
    if has_default and stage.origin != "deployment":
        where = " (in Globals.Api)" if stage.implicit else ""
        return (
            f"Add both limits to the default method setting (HttpMethod '*', ResourcePath '/*'){where}:",
            {"MethodSettings": [REST_DEFAULT_SETTING]},
        )
    if stage.origin == "deployment":
        return (
            "Set stage-wide limits in the Deployment's StageDescription (or a usage plan Throttle on the stage):",
            {"StageDescription": DEFAULT_LIMITS},
        )
    if stage.implicit:
        return (
            "The implicit API takes its stage settings from Globals.Api; add a default method setting there:",
            {"Globals": {"Api": {"MethodSettings": [REST_DEFAULT_SETTING]}}},
        )
    return (
        "Add a MethodSettings entry for every method (HttpMethod '*', ResourcePath '/*') with both limits:",
        {"MethodSettings": [REST_DEFAULT_SETTING]},
    )


def _route_settings_fix(stage: ApiStage, overrides: Optional[Resource]) -> tuple[str, Optional[Any]]:
    if overrides is not None:
        return "Set both limits in the overridden stage's DefaultRouteSettings:", {"Stage": {"DefaultRouteSettings": DEFAULT_LIMITS}}
    if stage.origin == "quick-create":
        api_id = stage.resource.logical_id
        return (
            "Quick create makes the $default stage; give it throttling through managed overrides:",
            {
                f"{api_id}Overrides": {
                    "Type": "AWS::ApiGatewayV2::ApiGatewayManagedOverrides",
                    "Properties": {"ApiId": {"Ref": api_id}, "Stage": {"DefaultRouteSettings": DEFAULT_LIMITS}},
                }
            },
        )
    if stage.implicit:
        return (
            "The implicit HTTP API takes its stage settings from Globals.HttpApi; add the limits there:",
            {"Globals": {"HttpApi": {"DefaultRouteSettings": DEFAULT_LIMITS}}},
        )
    return "Set both limits in DefaultRouteSettings:", {"DefaultRouteSettings": DEFAULT_LIMITS}
