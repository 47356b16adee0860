from __future__ import annotations

from typing import Any

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import apis, rest_features
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource

# What moving gives up that the other rules ask of every REST stage: said in the fix, so that the
# advice to move and the advice to trace or canary the stage read as one choice.
_TRADE_OFF = (
    "Moving gives up API Gateway's own X-Ray segment and stage canary releases, which only REST stages "
    "have: keep REST if you want those, otherwise trace from the functions (Tracing: Active) and roll "
    "out through function aliases (AutoPublishAlias with a DeploymentPreference)."
)


class RestApiCouldBeHttpApi(Rule):
    id = "SL504"
    severity = Severity.INFO
    severity_reason = "info: an HTTP API is cheaper, but moving is a design decision; advice."
    title = "REST API that needs no REST-only feature"
    practice = "Cost optimization 4: Use cost-aware patterns in code"
    rationale = (
        "HTTP APIs cost up to about 70% less per request than REST APIs and add less latency. A REST "
        "API pays for features HTTP APIs lack: usage plans and API keys, request validation, caching, "
        "WAF, private or edge endpoints, resource policies, X-Ray tracing, canary releases, AWS service "
        "integrations through mapping templates. When a REST API uses none of them, and none of its "
        "methods takes a body that should be validated at the edge (which only REST can do), an HTTP API "
        "would serve it for less. The stage tracing and canary asked of every REST stage are what moving "
        "gives up, and the finding says so: the functions then carry the traces and their aliases the "
        "gradual release."
    )
    fix = (
        "Consider an HTTP API (`AWS::Serverless::HttpApi`, `Type: HttpApi` events, or "
        "`AWS::ApiGatewayV2::Api`). Keep REST if you plan to use one of its features, API Gateway's own "
        "X-Ray segment and stage canaries included."
    )
    example = {
        "Resources": {
            "ListOrders": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Events": {"List": {"Type": "HttpApi", "Properties": {"Path": "/orders", "Method": "get"}}},
                },
            }
        }
    }
    use_instead = "If the API will need a REST-only feature soon, suppress the finding on it with that plan as the reason."
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html",
        "https://aws.amazon.com/api-gateway/pricing/",
    )
    service = "apigateway"
    precision = "medium"
    resource_types = ("AWS::Serverless::Api", "AWS::ApiGateway::RestApi", *rest_features.REST_RELATED_TYPES)

    subject = "REST API"

    def subjects(self, template: Template) -> list[Resource[Any]]:
        return apis.apis(template, apis.REST)

    def judge(self, api: Resource[Any], template: Template) -> Verdict:
        needs = rest_features.needs_rest(template, api)
        # The type of an API cannot follow a condition: a need in some branch keeps it on REST.
        if needs.sometimes:
            return self.met(api)
        unknown = needs.unknown()
        if unknown:
            hidden = [case.evidence for case in unknown if case.evidence is not None and case.evidence.unknown]
            return self.undecidable(api, hidden or "a setting the template does not show")
        return self.not_met(
            api,
            f"REST API '{api.logical_id}' uses no REST-only feature (usage plans, validation, caching, "
            f"WAF, private/edge endpoint, resource policy, X-Ray, canary) and none of its methods takes a "
            f"body to validate: an HTTP API would cost up to about 70% less per request.",
            fix=f"Consider an HTTP API for it, for example with function events of Type HttpApi. {_TRADE_OFF}",
        )
