from __future__ import annotations

from typing import Any, Iterator, Optional, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import api_access, apis
from slens_lint.template.api_access import Route
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.lambda_ import LambdaUrl, SamFunction
from slens_lint.template.values import Truth, Value


class RouteWithoutAuthorization(Rule):
    id = "SL206"
    severity = Severity.WARNING
    severity_reason = "warning: a route anyone can call is the most direct exposure a template can show."
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

    subject = "API route or function URL"

    def subjects(self, template: Template) -> Iterator[Union[Route, Resource[Any]]]:
        for route in api_access.routes(template):
            if not route.is_preflight:
                yield route
        for function in template.of(SamFunction):
            if function.props.FunctionUrlConfig.is_set():
                yield function
        yield from template.of(LambdaUrl)

    def judge(self, subject: Union[Route, Resource[Any]], template: Template) -> Verdict:
        if isinstance(subject, Route):
            return self._judge_route(subject, template)
        if isinstance(subject, LambdaUrl):
            return self._judge_url(subject)
        return self._judge_function_url(subject)

    # ---- API routes ---------------------------------------------------------------------------

    def _judge_route(self, route: Route, template: Template) -> Verdict:
        truth = route.authorized | api_access.mtls_only(template, route.api)
        if route.kind == apis.REST:
            # Private endpoints (reachable only through a VPC endpoint) and resource policies that
            # limit callers are access control of their own.
            truth = truth | api_access.is_private(route.api) | api_access.restricts_callers(route.api, route.event)
        key_only = _throughout(truth, route.api_key)
        opted_out = _throughout(truth, route.opts_out)
        api = route.api
        shown = api is not None and f"'{api.logical_id}'" not in route.label
        api_label = f" of {_api_label(route)} '{api.logical_id}'" if shown and api is not None else ""
        if key_only:
            risk = (
                "requires only an API key, which identifies a client but does not authenticate it: "
                "anyone holding or guessing a key can call it"
            )
        elif opted_out:
            risk = "opts out of the API's default authorizer (Authorizer: NONE): anyone can call it"
        else:
            risk = "has no authorizer: anyone who can reach the API can call it"
        fix, snippet = _route_fix(route, opted_out)
        return self.expect(route, truth, f"{route.label}{api_label} {risk}.", at=route.location, fix=fix, snippet=snippet)

    # ---- function URLs ------------------------------------------------------------------------

    def _judge_function_url(self, function: SamFunction) -> Verdict:
        # Through every branch of the config: one without a URL is no open URL, and a config that
        # cannot be read (an intrinsic, not a mapping) has an AuthType that cannot be either.
        return self.expect(
            function,
            _authenticates(function.props.FunctionUrlConfig.AuthType),
            f"Function '{function.logical_id}' has a function URL with AuthType NONE: anyone on the "
            f"internet can invoke it.",
            fix=URL_FIX,
            snippet={"FunctionUrlConfig": {"AuthType": "AWS_IAM"}},
        )

    def _judge_url(self, url: LambdaUrl) -> Verdict:
        target = url.props.TargetFunctionArn.ref
        of = f" of function '{target}'" if target else ""
        return self.expect(
            url,
            _authenticates(url.props.AuthType),
            f"Function URL '{url.logical_id}'{of} has AuthType NONE: anyone on the internet can invoke "
            f"the function.",
            fix=URL_FIX,
            snippet={"AuthType": "AWS_IAM"},
        )


URL_FIX = (
    "Use AuthType AWS_IAM (callers sign requests with SigV4, e.g. CloudFront with origin "
    "access control), or put an API with an authorizer in front:"
)


def _authenticates(auth_type: Value) -> Truth:
    """A function URL's `AuthType` other than NONE (a missing one is a broken URL, not an open one)."""

    def check(leaf: Value) -> Optional[bool]:
        text = leaf.text()
        return None if text is None else text.upper() != "NONE"

    return auth_type.test(check, absent=True)


def _throughout(truth: Truth, other: Truth) -> bool:
    """`other` holds wherever `truth` fails (a risk the message may then name)."""
    fails = ~truth
    return fails.sometimes and not (fails & ~other).sometimes


def _api_label(route: Route) -> str:
    return {apis.REST: "REST API", apis.HTTP: "HTTP API", apis.WEBSOCKET: "WebSocket API"}.get(route.kind, "API")


def _route_fix(route: Route, opted_out: bool) -> tuple[str, Any]:
    resource = route.resource
    if opted_out:
        return (
            "Remove `Authorizer: NONE` so the default authorizer applies; if the route is public on "
            "purpose, suppress this finding on the function with the reason.",
            None,
        )
    if route.event is not None:
        api = route.api
        if api is not None and api.implicit:
            where = "Globals." + ("Api" if route.kind == apis.REST else "HttpApi")
        else:
            where = f"'{api.logical_id}'" if api is not None else "the API"
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
    return _document_fix(route)


# An IAM (SigV4) authorizer in OpenAPI terms, for REST and HTTP APIs alike.
SIGV4_SCHEME = {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}


def _document_fix(route: Route) -> tuple[str, Any]:
    """A fragment of the API's own document: the operation's security naming an authorizer the
    document declares, else an IAM scheme the fragment declares with it."""
    operation = route.operation
    if operation is None:
        return "Add a security requirement naming an authorizer to the operation (or to the whole document).", None
    existing = operation.authorizer_scheme()
    taken = operation.schemes
    name = existing or next(n for n in ("sigv4", *(f"sigv4{i}" for i in range(2, 100)), "iam") if n not in taken)
    fragment: dict[str, Any] = {"paths": {operation.path: {operation.written_verb: {"security": [{name: []}]}}}}
    if existing is not None:
        return f"Require the document's authorizer '{existing}' on the operation, in the API's OpenAPI document:", fragment
    declared = (
        {"components": {"securitySchemes": {name: SIGV4_SCHEME}}}
        if operation.openapi3
        else {"securityDefinitions": {name: SIGV4_SCHEME}}
    )
    return (
        "Require an authorizer on the operation in the API's OpenAPI document; here IAM (SigV4), declared "
        "as a security scheme beside it:",
        {**declared, **fragment},
    )
