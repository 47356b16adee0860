from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import apis
from slens_lint.legacy.apis import UsagePlan
from slens_lint.legacy.model import Template

QUOTA = {"Limit": 100000, "Period": "MONTH"}
THROTTLE = {"RateLimit": 50, "BurstLimit": 100}


class UsagePlanWithoutLimits(Rule):
    id = "SL303"
    severity = Severity.INFO
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

    def check(self, template: Template) -> Iterator[Violation]:
        plans = apis.usage_plans(template)
        shared = [p for p in plans if p.is_sam and p.mode == "SHARED"]
        for plan in plans:
            if plan in shared:
                if plan is not shared[0]:
                    continue
                # Every SHARED declaration configures the same generated plan; judge them together.
                quota = any(p.has_quota() for p in shared)
                throttle = any(p.throttles() for p in shared)
            else:
                quota, throttle = plan.has_quota(), plan.throttles()
            if quota and throttle:
                continue
            yield self._violation(template, plan, quota, throttle)

    def _violation(self, template: Template, plan: UsagePlan, quota: bool, throttle: bool) -> Violation:
        subject = plan.describe()
        subject = subject[0].upper() + subject[1:]
        if not quota and not throttle:
            missing = "neither a Quota nor a Throttle: it meters API keys but limits none of them"
            snippet = {"Quota": QUOTA, "Throttle": THROTTLE}
        elif not quota:
            missing = "no Quota: a client or a leaked key can call without end, and every call is paid for downstream"
            snippet = {"Quota": QUOTA}
        else:
            missing = "no Throttle: one key's bursts are bounded only by the stage and account limits and can crowd out the others"
            snippet = {"Throttle": THROTTLE}
        if plan.is_sam:
            where = "Globals.Api.Auth.UsagePlan" if getattr(plan.resource, "implicit", False) else "Auth.UsagePlan"
            fix = f"Add the missing limits to {where}:"
        else:
            fix = "Add the missing limits to the usage plan:"
        return self.report(
            template,
            plan.resource,
            f"{subject} has {missing}.",
            at=plan.at("Quota" if not quota else "Throttle") if plan.is_sam else (),
            fix=fix,
            snippet=snippet,
        )
