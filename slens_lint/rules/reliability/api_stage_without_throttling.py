from __future__ import annotations

from typing import Any, Optional

from slens_lint.findings import Change, Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_settings import THROTTLING_BURST_LIMIT, THROTTLING_RATE_LIMIT
from slens_lint.rules.stage_subject import stage_subject
from slens_lint.template import apis
from slens_lint.template.apis import ApiStage
from slens_lint.template.model import Template
from slens_lint.template.values import Conditions, Truth

RATE = "ThrottlingRateLimit"
BURST = "ThrottlingBurstLimit"
DEFAULT_LIMITS = {RATE: THROTTLING_RATE_LIMIT, BURST: THROTTLING_BURST_LIMIT}
REST_DEFAULT_SETTING = {"HttpMethod": "*", "ResourcePath": "/*", **DEFAULT_LIMITS}


class ApiStageWithoutThrottling(Rule):
    id = "SL301"
    severity = Severity.WARNING
    severity_reason = (
        "warning: throttling is a design-card check; an unthrottled stage lets one client use up the "
        "account-wide quota."
    )
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

    subject = "API stage"
    fix_safety = "safe"
    fix_title = "add default throttling"
    fix_settings = (THROTTLING_RATE_LIMIT, THROTTLING_BURST_LIMIT)
    fix_note = (
        "The limits come from configuration: check them against the stage's real peak before "
        "applying, since requests above them get 429 responses."
    )

    def subjects(self, template: Template) -> list[ApiStage]:
        return apis.stages(template)

    def judge(self, stage: ApiStage, template: Template) -> Verdict:
        if stage.kind == apis.REST:
            return self._judge_rest(stage, template)
        return self._judge_route_settings(stage)

    # ---- REST --------------------------------------------------------------------------------

    def _judge_rest(self, stage: ApiStage, template: Template) -> Verdict:
        entries = stage.method_settings()
        defaults = [e for e in entries if e.every_method.may_hold]
        rate = Truth.any_of(apis.limit_set(e.get(RATE)) for e in defaults)
        burst = Truth.any_of(apis.limit_set(e.get(BURST)) for e in defaults)
        by_plan = Truth.any_of(
            plan.throttles() & plan.covers(template, stage) for plan in apis.usage_plans(template)
        )
        throttled = apis.settle((rate & burst) | by_plan)
        failing = throttled.failing()
        if not failing:
            return self.expect(stage, throttled, "")
        # The message describes the first failing branch: what its default setting has, and lacks.
        when = failing[0].when
        half = _half_set(rate, burst, when)
        present = [e for e in defaults if apis.holds_under(e.value.given(), when)]
        listed = any(apis.holds_under(e.value.given(), when) for e in entries)
        if half:
            gap = "its default method setting has {} but no {}".format(*half)
        elif present:
            gap = "its default method setting (HttpMethod '*', ResourcePath '/*') sets no throttling limit"
        elif listed:
            gap = "its MethodSettings throttle no default (HttpMethod '*', ResourcePath '/*')"
        else:
            gap = "it has no default throttling"
        message = (
            f"{stage_subject(stage)}: {gap}, and no usage plan with a Throttle covers it: one client or a spike can use "
            f"up the account-wide API Gateway quota shared by every API and pass the full load to the backend."
        )
        at: Any = present[0].path if present else stage.setting("MethodSettings")
        fix, snippet = _rest_fix(stage, bool(present))
        changes = _rest_changes(stage, present[0].path if present and stage.origin != "deployment" else None)
        return self.expect(stage, throttled, message, at=at, fix=fix, snippet=snippet, changes=changes)

    # ---- HTTP and WebSocket ------------------------------------------------------------------

    def _judge_route_settings(self, stage: ApiStage) -> Verdict:
        settings = stage.setting("DefaultRouteSettings")
        rate = stage.ask(lambda s: apis.limit_set(s.DefaultRouteSettings.ThrottlingRateLimit))
        burst = stage.ask(lambda s: apis.limit_set(s.DefaultRouteSettings.ThrottlingBurstLimit))
        throttled = apis.settle(rate & burst)
        failing = throttled.failing()
        if not failing:
            return self.expect(stage, throttled, "")
        half = _half_set(rate, burst, failing[0].when)
        gap = "DefaultRouteSettings has {} but no {}".format(*half) if half else "it has no DefaultRouteSettings throttling"
        subject = stage_subject(stage)
        if stage.overrides is not None:
            subject = f"ApiGatewayManagedOverrides '{stage.overrides.logical_id}' of {subject}"
        message = (
            f"{subject}: {gap}: one client or a spike can use up the account-wide API Gateway quota shared "
            f"by every API and pass the full load to the backend."
        )
        fix, snippet = _route_settings_fix(stage)
        changes = _route_settings_changes(stage)
        return self.expect(stage, throttled, message, at=settings, fix=fix, snippet=snippet, changes=changes)


def _half_set(rate: Truth, burst: Truth, when: Conditions) -> Optional[tuple[str, str]]:
    """(the limit set, the one missing) when only one of them is set in the failing branch `when`."""
    has_rate = apis.holds_under(rate, when) is True
    has_burst = apis.holds_under(burst, when) is True
    if has_rate == has_burst:
        return None
    return (RATE, BURST) if has_rate else (BURST, RATE)


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


def _rest_changes(stage: ApiStage, default_entry: Optional[tuple[Any, ...]]) -> tuple[Change, ...]:
    """The automatic fix: the limits in the default method setting there is, else a new default entry
    (in Globals.Api for the implicit API), or a Deployment's stage-wide limits."""
    if default_entry is not None:
        return tuple(Change(tuple(default_entry) + (key,), value) for key, value in DEFAULT_LIMITS.items())
    if stage.origin == "deployment":
        return (Change(stage.resource.props_path + ("StageDescription",), DEFAULT_LIMITS),)
    if stage.implicit:
        return (Change(("Globals", "Api", "MethodSettings"), REST_DEFAULT_SETTING, before="Resources", append=True),)
    if stage.origin in ("sam", "stage"):
        return (Change(stage.resource.props_path + ("MethodSettings",), REST_DEFAULT_SETTING, append=True),)
    return ()


def _route_settings_changes(stage: ApiStage) -> tuple[Change, ...]:
    if stage.implicit:
        return (Change(("Globals", "HttpApi", "DefaultRouteSettings"), DEFAULT_LIMITS, before="Resources"),)
    if stage.overrides is None and stage.origin in ("sam", "stage"):
        return (Change(stage.resource.props_path + ("DefaultRouteSettings",), DEFAULT_LIMITS),)
    return ()  # a quick-create $default stage needs a new overrides resource: its hint says how


def _route_settings_fix(stage: ApiStage) -> tuple[str, Optional[Any]]:
    if stage.overrides is not None:
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
