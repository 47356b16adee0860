from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import apis
from slens_lint.template.apis import UsagePlan
from slens_lint.template.model import Template
from slens_lint.template.values import Truth

QUOTA = {"Limit": 100000, "Period": "MONTH"}
THROTTLE = {"RateLimit": 50, "BurstLimit": 100}


class UsagePlanWithoutLimits(Rule):
    id = "SL303"
    severity = Severity.WARNING
    severity_reason = (
        "warning: a usage plan is there to throttle or to set a quota (a design-card check); one with"
        " neither limits nothing."
    )
    title = "Usage plan without a quota or a throttle"
    practice = "Reliability 2: Use, analyze and enforce API quotas"
    rationale = (
        "A usage plan is where an API enforces limits per API key. Without `Throttle`, one client's "
        "burst is bounded only by the stage and account limits, and it can crowd out every other key; "
        "without `Quota`, a client (or a leaked key) can call without end over a day, week or month, "
        "and each call is paid for downstream. A plan with neither meters keys and enforces nothing."
    )
    fix = (
        "Give the plan both a `Quota` (`Limit` per `Period`) and a `Throttle` (`RateLimit`, `BurstLimit`), "
        "on `AWS::ApiGateway::UsagePlan` or in SAM's `Auth.UsagePlan`."
    )
    example = {
        "Resources": {
            "PartnerPlan": {
                "Type": "AWS::ApiGateway::UsagePlan",
                "Properties": {
                    "ApiStages": [{"ApiId": {"Ref": "OrdersApi"}, "Stage": {"Ref": "OrdersApi.Stage"}}],
                    "Quota": QUOTA,
                    "Throttle": THROTTLE,
                },
            }
        }
    }
    example_bad = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "StageName": "prod",
                    "Auth": {"ApiKeyRequired": True, "UsagePlan": {"CreateUsagePlan": "PER_API"}},
                },
            }
        }
    }
    use_instead = (
        "A plan that exists only to meter usage (billing, analytics) may leave limits out on purpose; "
        "suppress the finding on that plan with the reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiusageplan.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "apigateway"
    resource_types = ("AWS::ApiGateway::UsagePlan", "AWS::Serverless::Api")

    subject = "usage plan"

    def subjects(self, template: Template) -> Iterator[UsagePlan]:
        shared_seen = False
        for plan in apis.usage_plans(template):
            if plan.is_sam and plan.mode == "SHARED":
                # Every SHARED declaration configures the same generated plan: judged once, together.
                if shared_seen:
                    continue
                shared_seen = True
            yield plan

    def judge(self, plan: UsagePlan, template: Template) -> Verdict:
        if plan.is_sam and plan.mode == "SHARED":
            shared = [p for p in apis.usage_plans(template) if p.is_sam and p.mode == "SHARED"]
            quota = Truth.any_of(p.has_quota() for p in shared)
            throttle = Truth.any_of(p.throttles() for p in shared)
        else:
            quota, throttle = plan.has_quota(), plan.throttles()
        limited = apis.settle(~plan.creates() | (quota & throttle))
        failing = limited.failing()
        if not failing:
            return self.expect(plan, limited, "")
        when = failing[0].when
        no_quota = apis.holds_under(quota, when) is False
        no_throttle = apis.holds_under(throttle, when) is False
        subject = plan.describe()
        subject = subject[0].upper() + subject[1:]
        if no_quota and no_throttle:
            missing = "neither a Quota nor a Throttle: it meters API keys but limits none of them"
            snippet: dict[str, Any] = {"Quota": QUOTA, "Throttle": THROTTLE}
        elif no_quota:
            missing = "no Quota: a client or a leaked key can call without end, and every call is paid for downstream"
            snippet = {"Quota": QUOTA}
        else:
            missing = "no Throttle: one key's bursts are bounded only by the stage and account limits and can crowd out the others"
            snippet = {"Throttle": THROTTLE}
        if plan.is_sam:
            where = "Globals.Api.Auth.UsagePlan" if plan.resource.implicit else "Auth.UsagePlan"
            fix = f"Add the missing limits to {where}:"
            at: Any = plan.setting("Quota" if no_quota else "Throttle")
        else:
            fix = "Add the missing limits to the usage plan:"
            at = plan.resource.props_path
        return self.expect(plan, limited, f"{subject} has {missing}.", at=at, fix=fix, snippet=snippet)
