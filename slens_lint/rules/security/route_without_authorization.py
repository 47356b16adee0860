from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import api_access, apis, intrinsics
from slens_lint.legacy.api_access import NONE, Route
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template


class RouteWithoutAuthorization(Rule):
    id = "SL206"
    severity = Severity.WARNING
    title = "API route or function URL that anyone can call"
    practice = "Security 2: Authentication and authorization"
    rationale = (
        "A REST or HTTP API route without an authorizer (IAM, Cognito, Lambda or JWT), and a Lambda "
        "function URL with `AuthType: NONE`, accept calls from anyone on the internet who finds the "
        "URL: they can read or change data, and run up the bill of everything behind the route. An API "
        "key alone is no authentication: keys identify a client for usage plans, travel in clear in "
        "headers and are not meant to be secrets, so a route that only requires a key is reported too. "
        "A public route can be a deliberate choice (a web hook, a public catalogue): then it should be "
        "documented as one, which a suppression with a reason does."
    )
    fix = (
        "Give the API a default authorizer (SAM `Auth.DefaultAuthorizer`: `AWS_IAM`, a Cognito user "
        "pool or a Lambda authorizer; `Globals.Api` / `Globals.HttpApi` for the implicit APIs), set "
        "`AuthorizationType` on `AWS::ApiGateway::Method` / `AWS::ApiGatewayV2::Route`, add `security` "
        "to OpenAPI operations, and use `AuthType: AWS_IAM` on function URLs."
    )
    example = {
        "Globals": {"Api": {"Auth": {"DefaultAuthorizer": "AWS_IAM"}}},
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Events": {"List": {"Type": "Api", "Properties": {"Path": "/orders", "Method": "get"}}},
                },
            }
        },
    }
    example_bad = {
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Events": {"List": {"Type": "Api", "Properties": {"Path": "/orders", "Method": "get"}}},
                    "FunctionUrlConfig": {"AuthType": "NONE"},
                },
            }
        }
    }
    use_instead = (
        "For a deliberately public route, suppress the finding on its function, Method or Route with the "
        "reason (`Metadata: slens-lint: ignore: [{id: SL206, reason: public web hook}]`). Not reported: "
        "CORS preflight `OPTIONS` methods, APIs served only on a mutual-TLS custom domain (default endpoint "
        "disabled: every caller presents a client certificate), routes of `PRIVATE` REST APIs (reachable only through a VPC "
        "endpoint; see SL208), REST APIs whose resource policy limits callers (source IP, VPC, account "
        "allow lists or conditions), and routes defined outside the template (`DefinitionUri`)."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-controlling-access-to-apis.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
    )
    service = "apigateway"
    resource_types = (
        "AWS::Serverless::Function",
        "AWS::Serverless::Api",
        "AWS::Serverless::HttpApi",
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGateway::Method",
        "AWS::ApiGatewayV2::Api",
        "AWS::ApiGatewayV2::Route",
        "AWS::Lambda::Url",
    )

    def check(self, template: Template) -> Iterator[Violation]:
        for route in api_access.routes(template):
            if route.authorization != NONE or route.is_preflight:
                continue
            if route.kind == apis.REST and _protected_rest_api(route):
                continue
            if api_access.mtls_only(template, route.api):
                continue
            yield self._route_violation(template, route)
        yield from self._function_urls(template)

    def _route_violation(self, template: Template, route: Route) -> Violation:
        api = route.api
        api_label = f" of {_api_label(route)} '{api.logical_id}'" if api is not None and f"'{api.logical_id}'" not in route.subject else ""
        if route.api_key:
            risk = (
                "requires only an API key, which identifies a client but does not authenticate it: "
                "anyone holding or guessing a key can call it"
            )
        elif route.explicit_none:
            risk = "opts out of the API's default authorizer (Authorizer: NONE): anyone can call it"
        else:
            risk = "has no authorizer: anyone who can reach the API can call it"
        message = f"{route.subject}{api_label} {risk}."
        fix, snippet = _route_fix(route)
        violation = self.report(template, route.resource, message, path=route.location, fix=fix, snippet=snippet)
        if api is not None and api.logical_id not in violation.owners:
            # Suppressing on the API (or, for the implicit API, on the function creating it) counts too.
            violation.owners = (*violation.owners, api.logical_id)
        return violation

    def _function_urls(self, template: Template) -> Iterator[Violation]:
        for function in template.of_type("AWS::Serverless::Function"):
            config = function.raw_properties.get("FunctionUrlConfig")
            if config is None:
                continue
            configs = intrinsics.branches(config)
            if not configs or not all(_url_auth_none(c) for c in configs):
                continue
            direct = isinstance(config, dict) and not intrinsics.is_intrinsic(config)
            yield self.report(
                template,
                function,
                f"Function '{function.logical_id}' has a function URL with AuthType NONE: anyone on the "
                f"internet can invoke it.",
                at=("FunctionUrlConfig", "AuthType") if direct else ("FunctionUrlConfig",),
                fix="Use AuthType AWS_IAM (callers sign requests with SigV4, e.g. CloudFront with origin "
                "access control), or put an API with an authorizer in front:",
                snippet={"FunctionUrlConfig": {"AuthType": "AWS_IAM"}},
            )
        for url in template.of_type("AWS::Lambda::Url"):
            raw = url.raw_properties.get("AuthType")
            values = intrinsics.branches(raw) if raw is not None else []
            if not values or not all(_literal_upper(v) == "NONE" for v in values):
                continue
            target = intrinsics.ref_target(url.raw_properties.get("TargetFunctionArn"))
            of = f" of function '{target}'" if target else ""
            yield self.report(
                template,
                url,
                f"Function URL '{url.logical_id}'{of} has AuthType NONE: anyone on the internet can invoke "
                f"the function.",
                at=("AuthType",),
                fix="Use AuthType AWS_IAM (callers sign requests with SigV4, e.g. CloudFront with origin "
                "access control), or put an API with an authorizer in front:",
                snippet={"AuthType": "AWS_IAM"},
            )


def _protected_rest_api(route: Route) -> bool:
    """Private endpoints (reachable only through a VPC endpoint) and resource policies that limit
    callers are access control of their own."""
    if api_access.is_private(route.api):
        return True
    return api_access.restricts_callers(route.api, route.event) is not False


def _api_label(route: Route) -> str:
    return {apis.REST: "REST API", apis.HTTP: "HTTP API", apis.WEBSOCKET: "WebSocket API"}.get(route.kind, "API")


def _route_fix(route: Route) -> tuple[str, Any]:
    resource = route.resource
    if route.explicit_none:
        return (
            "Remove `Authorizer: NONE` so the default authorizer applies; if the route is public on "
            "purpose, suppress this finding on the function with the reason.",
            None,
        )
    if route.event is not None:
        api = route.api
        where = "Globals." + ("Api" if route.kind == apis.REST else "HttpApi") if getattr(api, "implicit", False) else f"'{api.logical_id}'" if api else "the API"
        return (
            f"Set Auth.DefaultAuthorizer on {where} (AWS_IAM, or a Cognito / Lambda / JWT authorizer "
            f"declared in Auth.Authorizers), or an Auth.Authorizer on the event:",
            {"Auth": {"DefaultAuthorizer": "AWS_IAM"}} if route.kind == apis.REST else
            {"Auth": {"EnableIamAuthorizer": True, "DefaultAuthorizer": "AWS_IAM"}},
        )
    if resource.type == "AWS::ApiGateway::Method":
        return (
            "Set AuthorizationType to AWS_IAM, COGNITO_USER_POOLS or CUSTOM (with AuthorizerId):",
            {"AuthorizationType": "AWS_IAM"},
        )
    if resource.type == "AWS::ApiGatewayV2::Route":
        return ("Set AuthorizationType to AWS_IAM, JWT or CUSTOM (with AuthorizerId):", {"AuthorizationType": "AWS_IAM"})
    if route.path == "$default" and route.verb == "ANY" and resource.type == apis.V2_API:
        return (
            "Replace the quick-create Target with routes that have an authorizer (AWS::ApiGatewayV2::Route "
            "with AuthorizationType, or an OpenAPI Body with security).",
            None,
        )
    return (
        "Add a security requirement naming an authorizer to the operation (or to the whole document):",
        {"security": [{"YourAuthorizer": []}]},
    )


def _url_auth_none(config: Any) -> bool:
    if not isinstance(config, dict) or intrinsics.is_intrinsic(config):
        return False
    values = intrinsics.branches(config.get("AuthType")) if config.get("AuthType") is not None else []
    return bool(values) and all(_literal_upper(v) == "NONE" for v in values)


def _literal_upper(value: Any) -> Optional[str]:
    if value is NO_VALUE or value is None:
        return None
    text = intrinsics.literal_string(value)
    return text.upper() if text is not None else None
