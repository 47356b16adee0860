from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import apis
from slens_lint.legacy.apis import Operation, RestMethod
from slens_lint.legacy.intrinsics import NO_VALUE, branches, is_intrinsic, literal_string, truthy
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

SAM_REQUEST_MODEL = {"Model": "OrderInput", "Required": True, "ValidateBody": True}
OPENAPI_VALIDATORS = {"body": {"validateRequestBody": True, "validateRequestParameters": False}}


@dataclass(frozen=True)
class Verdict:
    """The body validation of one definition of a method: ok, unknown, or bad with what is missing."""

    ok: bool = False
    known: bool = True
    problem: str = ""
    at: tuple[Any, ...] = ()
    """Absolute JSON path the finding points at."""


OK = Verdict(ok=True)
UNKNOWN = Verdict(known=False)


class ApiMethodWithoutBodyValidation(Rule):
    id = "SL201"
    severity = Severity.WARNING
    title = "REST API method that takes a body without body validation"
    practice = "Security 12: Validate inbound events"
    rationale = (
        "API Gateway can check a request body against a JSON schema (a model) before anything runs: a "
        "malformed or hostile payload is answered with 400 at the edge instead of reaching the function, "
        "being parsed by hand, and costing an invocation. That needs both a request validator that "
        "validates the body and a model for the content type. A POST, PUT, PATCH or ANY method without "
        "them passes any body to the integration. SAM adds a validator only for a `RequestModel` with "
        "`ValidateBody` or `ValidateParameters`, the other defaulting to false: a `RequestModel` alone "
        "validates nothing. HTTP APIs have no request validation; methods defined in a file "
        "(`DefinitionUri`, `BodyS3Location`) are not visible to the rule, and catch-all proxies "
        "(`/{proxy+}` and the root `ANY` of the same API) and S3 object uploads are left alone: no single "
        "schema describes their bodies."
    )
    fix = (
        "SAM: declare the schema in the API's `Models` and set the event's `RequestModel` with "
        "`ValidateBody: true`. CloudFormation: an `AWS::ApiGateway::RequestValidator` with "
        "`ValidateRequestBody: true` named by the method's `RequestValidatorId`, plus `RequestModels`. "
        "OpenAPI: an `x-amazon-apigateway-request-validator` (operation or root) naming a validator with "
        "`validateRequestBody: true`, and a request body schema."
    )
    example = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "StageName": "prod",
                    "Models": {"OrderInput": {"type": "object", "required": ["sku"], "properties": {"sku": {"type": "string"}}}},
                },
            },
            "CreateOrderFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Events": {
                        "Create": {
                            "Type": "Api",
                            "Properties": {
                                "RestApiId": {"Ref": "OrdersApi"},
                                "Path": "/orders",
                                "Method": "post",
                                "RequestModel": SAM_REQUEST_MODEL,
                            },
                        }
                    },
                },
            },
        }
    }
    use_instead = (
        "When the integration validates the body itself and a 400 from API Gateway adds nothing (a "
        "binary upload, a webhook whose signature the function must check on the raw body), suppress "
        "the finding on that method with the reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-requestmodel.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/security.html",
    )
    service = "apigateway"
    resource_types = (
        "AWS::Serverless::Function",
        "AWS::Serverless::Api",
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGateway::Method",
        "AWS::ApiGateway::RequestValidator",
    )

    def check(self, template: Template) -> Iterator[Violation]:
        methods = apis.rest_methods(template)
        proxied = {m.api.logical_id for m in methods if m.greedy and m.api is not None}
        for method in methods:
            if not method.takes_body or not method.visible or _not_applicable(method, proxied):
                continue
            verdict = _judge(template, method)
            if verdict.ok or not verdict.known:
                continue
            fix, snippet = _fix(method)
            yield self.report(
                template,
                method.resource,
                f"{method.subject()} {verdict.problem}: API Gateway passes any body, malformed or hostile, "
                f"to the integration instead of rejecting it with 400.",
                path=verdict.at,
                fix=fix,
                snippet=snippet,
            )


def _not_applicable(method: RestMethod, proxied: set[str]) -> bool:
    """Methods no single body schema can describe."""
    if method.greedy:
        # `/{proxy+}` forwards every route of an application; the framework behind it validates.
        return True
    if method.verb == "ANY" and method.path == "/" and method.api is not None and method.api.logical_id in proxied:
        return True  # the root route of that same proxied application
    uri = method.integration_uri() or ""
    # An S3 object proxy: the body is the object's bytes, not a JSON document.
    return ":s3:path/" in uri


def _judge(template: Template, method: RestMethod) -> Verdict:
    if method.method is not None:
        return _judge_cfn(template, method.method)
    verdicts: list[Verdict] = []
    if method.event is not None and method.event_applies:
        if method.event.owner.type == "AWS::Serverless::StateMachine" and method.operation is None:
            # SAM has no RequestModel for state machine events: nothing the event could fix.
            return UNKNOWN
        verdicts.append(_judge_event(method))
    if method.operation is not None:
        verdicts.append(_judge_operation(method.operation))
    if not verdicts or any(v.ok for v in verdicts):
        return OK
    if any(not v.known for v in verdicts):
        return UNKNOWN
    return verdicts[0]


def _judge_event(method: RestMethod) -> Verdict:
    event = method.event
    assert event is not None
    raw = event.get("RequestModel")
    if raw is None:
        return Verdict(problem="has no RequestModel", at=event.path)
    at = event.prop_path("RequestModel")
    for branch in branches(raw):
        if branch is NO_VALUE:
            continue
        if not isinstance(branch, dict) or is_intrinsic(branch):
            return UNKNOWN
        validate = branch.get("ValidateBody")
        if validate is not None and truthy(validate) is None:
            return UNKNOWN
        if truthy(validate) is True:
            return OK
    return Verdict(problem="has a RequestModel without ValidateBody: true (SAM validates the body only with it)", at=at)


def _judge_cfn(template: Template, method: Resource) -> Verdict:
    props = method.raw_properties
    validator_id = props.get("RequestValidatorId")
    if validator_id is None:
        return Verdict(problem="has no RequestValidatorId", at=_cfn_at(template, method, "RequestValidatorId"))
    validates = False
    for branch in branches(validator_id):
        if branch is NO_VALUE:
            continue
        target = template.target(branch)
        if target is None or target.type != "AWS::ApiGateway::RequestValidator":
            return UNKNOWN
        flag = target.raw_properties.get("ValidateRequestBody")
        if flag is not None and truthy(flag) is None:
            return UNKNOWN
        if truthy(flag) is True:
            validates = True
    if not validates:
        return Verdict(
            problem="names a request validator without ValidateRequestBody: true",
            at=_cfn_at(template, method, "RequestValidatorId"),
        )
    models = props.get("RequestModels")
    if models is None:
        return Verdict(problem="validates the body against no model (no RequestModels)", at=_cfn_at(template, method, "RequestModels"))
    if isinstance(models, dict) and not is_intrinsic(models):
        names = [literal_string(v) for v in models.values()]
        if all(n is not None and n == "Empty" for n in names):
            return Verdict(
                problem="validates the body only against the Empty model (no RequestModels schema)",
                at=_cfn_at(template, method, "RequestModels"),
            )
    return OK


def _cfn_at(template: Template, method: Resource, name: str) -> tuple[Any, ...]:
    path, _ = template.anchor(method, name)
    return path


def _judge_operation(operation: Operation) -> Verdict:
    name, definition, known = operation.request_validator()
    if not known:
        return UNKNOWN
    at = operation.json_path
    if name is None or definition is None:
        return Verdict(problem="has no x-amazon-apigateway-request-validator", at=at)
    flag = definition.get("validateRequestBody")
    if flag is not None and truthy(flag) is None:
        return UNKNOWN
    if truthy(flag) is not True:
        return Verdict(problem=f"uses request validator '{name}', which does not validate the body", at=at)
    if not operation.has_body_schema():
        return Verdict(problem="validates the body but declares no request body schema", at=at)
    return OK


def _fix(method: RestMethod) -> tuple[str, Optional[Any]]:
    if method.method is not None:
        return (
            "Name a validator that checks the body and give the method a model for the content type:",
            {
                "RequestValidatorId": {"Ref": "BodyValidator"},
                "RequestModels": {"application/json": {"Ref": "OrderInputModel"}},
            },
        )
    if method.event is not None and method.event_applies:
        api = method.api
        if api is not None and getattr(api, "implicit", False):
            return (
                "The implicit API cannot declare Models: point the event at an AWS::Serverless::Api with "
                "Models (RestApiId) and validate the body:",
                {"RestApiId": {"Ref": "OrdersApi"}, "RequestModel": SAM_REQUEST_MODEL},
            )
        return (
            "Declare the body's schema in the API's Models and validate it in the event:",
            {"RequestModel": SAM_REQUEST_MODEL},
        )
    ignored = ""
    if method.event is not None and method.event.get("RequestModel") is not None:
        ignored = (
            f"SAM ignores the RequestModel of event '{method.event.name}' of '{method.event.owner.logical_id}' "
            f"because the API has its own DefinitionBody (set MergeDefinitions: true, or validate in the document). "
        )
    return (
        f"{ignored}Declare a validator that checks the body (root level applies to every operation) and a "
        "requestBody schema for the operation:",
        {"x-amazon-apigateway-request-validators": OPENAPI_VALIDATORS, "x-amazon-apigateway-request-validator": "body"},
    )
