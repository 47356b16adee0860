from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import api_access, apis, rest_features
from slens_lint.template.apis import Operation, RestMethod
from slens_lint.template.model import Template
from slens_lint.template.resources.apigateway import ApiModel, Method, RequestValidator
from slens_lint.template.resources.base import Resource
from slens_lint.template.values import JsonPath, Known, Truth, Unknown, Value

OPENAPI_VALIDATORS = {"body": {"validateRequestBody": True, "validateRequestParameters": False}}
REQUEST_VALIDATOR = "AWS::ApiGateway::RequestValidator"
API_MODEL = "AWS::ApiGateway::Model"
BODY_SCHEMA = {"type": "object"}


@dataclass(frozen=True)
class Check:
    """One requirement on a method's definition: where it holds, what is wrong where it does not, and
    where a finding about it points."""

    truth: Truth
    problem: str
    at: Any


@dataclass(frozen=True, eq=False)
class BodyMethod:
    """A method as this rule's subject: a finding about a property an `AWS::ApiGateway::Method` lacks
    points at its `Properties`, as for any resource (a method's own anchors start at its logical id)."""

    method: RestMethod

    @property
    def key(self) -> str:
        return self.method.key

    @property
    def resource_id(self) -> Optional[str]:
        return self.method.resource_id

    @property
    def owners(self) -> tuple[str, ...]:
        return self.method.owners

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return self.method.method.anchors if self.method.method is not None else self.method.anchors


class ApiMethodWithoutBodyValidation(Rule):
    id = "SL201"
    severity = Severity.WARNING
    severity_reason = (
        "warning: request validation is a design-card check; without it malformed or hostile bodies "
        "reach the integration."
    )
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
                                "RequestModel": {"Model": "OrderInput", "Required": True, "ValidateBody": True},
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

    subject = "REST API method"

    def subjects(self, template: Template) -> Iterator[BodyMethod]:
        # The same methods keep their API on REST for SL504: request validation is REST-only.
        for method in rest_features.body_validation_methods(template):
            yield BodyMethod(method)

    def judge(self, subject: BodyMethod, template: Template) -> Verdict:
        method = subject.method
        definitions: list[list[Check]] = []
        if isinstance(method.method, Method):
            definitions.append(_cfn_checks(template, method.method))
        else:
            if method.event is not None and method.event_applies:
                definitions.append(_event_checks(method))
            if method.operation is not None:
                definitions.append(_operation_checks(method.operation))
        # Any one definition that validates is enough (an event SAM merges into a document that
        # validates the operation, or the reverse).
        truth = Truth.any_of((Truth.all_of(check.truth for check in checks) for checks in definitions), default=True)
        first = next((check for checks in definitions for check in checks if check.truth.may_fail), None)
        if first is None:
            return self.expect(subject, truth, "")
        fix, snippet = _fix(template, method)
        return self.expect(
            subject,
            truth,
            f"{api_access.method_label(template, method)} {first.problem}: API Gateway passes any body, malformed or hostile, "
            f"to the integration instead of rejecting it with 400.",
            at=first.at,
            fix=fix,
            snippet=snippet,
        )


# ---- the definitions -------------------------------------------------------------------------


def _event_checks(method: RestMethod) -> list[Check]:
    event = method.event
    assert event is not None
    model = event.value("RequestModel")

    def validates(spec: Value) -> Truth:
        if spec.absent:
            # Where there is no RequestModel at all, the first check says so.
            return Truth.of(True, spec)
        if spec.unknown:
            return Truth.of(None, spec)
        return spec.ValidateBody.is_true()

    return [
        Check(model.given(), "has no RequestModel", event.path),
        Check(
            model.each(validates),
            "has a RequestModel without ValidateBody: true (SAM validates the body only with it)",
            model,
        ),
    ]


def _cfn_checks(template: Template, method: Method) -> list[Check]:
    props = method.props
    validator_id = props.RequestValidatorId
    models = props.RequestModels

    def validator_checks_body(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(True, leaf)
        target = template.resource(leaf.ref)
        if not isinstance(target, RequestValidator):
            hidden = leaf if leaf.unknown else Unknown("RequestValidatorId names no validator of the template", leaf.expr, leaf.path)
            return Truth.of(None, hidden)
        return target.props.ValidateRequestBody.is_true()

    def schema(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(True, leaf)
        if leaf.unknown:
            return Truth.of(None, leaf)
        # An empty mapping is no schema either.
        names = [entry.text() for entry in leaf.entries().values()]
        return Truth.of(not all(name == "Empty" for name in names), leaf)

    return [
        Check(validator_id.given(), "has no RequestValidatorId", validator_id),
        Check(validator_id.each(validator_checks_body), "names a request validator without ValidateRequestBody: true", validator_id),
        Check(models.given(), "validates the body against no model (no RequestModels)", models),
        Check(models.each(schema), "validates the body only against the Empty model (no RequestModels schema)", models),
    ]


def _operation_checks(operation: Operation) -> list[Check]:
    evidence = operation.value
    at = operation.json_path
    name, definition, known = operation.request_validator()
    if not known:
        hidden = Unknown("the operation's request validator is an intrinsic or names no validator of the document", None, at)
        return [Check(Truth.of(None, hidden), "", at)]
    if name is None or definition is None:
        return [Check(Truth.of(False, evidence), "has no x-amazon-apigateway-request-validator", at)]
    flag = Known(definition, at).project("validateRequestBody")
    return [
        Check(flag.is_true(), f"uses request validator '{name}', which does not validate the body", at),
        Check(Truth.of(operation.has_body_schema(), evidence), "validates the body but declares no request body schema", at),
    ]


# ---- fixes: they name only what the template has or what the snippet itself creates ----------


def _fix(template: Template, method: RestMethod) -> tuple[str, Optional[Any]]:
    if isinstance(method.method, Method):
        return _cfn_fix(template, method.method)
    event = method.event
    if event is not None and method.event_applies:
        return _event_fix(template, method)
    ignored = ""
    if event is not None and event.value("RequestModel").is_set():
        ignored = (
            f"SAM ignores the RequestModel of event '{event.name}' of '{event.owner.logical_id}' "
            f"because the API has its own DefinitionBody (set MergeDefinitions: true, or validate in the document). "
        )
    return (
        f"{ignored}Declare a validator that checks the body (root level applies to every operation) and a "
        "requestBody schema for the operation:",
        {"x-amazon-apigateway-request-validators": OPENAPI_VALIDATORS, "x-amazon-apigateway-request-validator": "body"},
    )


def _free_id(template: Template, wanted: str) -> str:
    """`wanted`, or `wanted2`, `wanted3`... when the template already has a resource of that name."""
    candidate, index = wanted, 1
    while template.resource(candidate) is not None:
        index += 1
        candidate = f"{wanted}{index}"
    return candidate


def _model_names(api: Resource[Any]) -> list[str]:
    """The models a SAM API declares (`Models`), as written. Read by name: only the fix names them, no
    rule judges them, so the API model does not declare `Models`."""
    names: list[str] = []
    for leaf in api.props.value_of("Models").branches():
        names.extend(str(name) for name in leaf.entries() if str(name) not in names)
    return names


def _event_fix(template: Template, method: RestMethod) -> tuple[str, Any]:
    event = method.event
    assert event is not None
    api = method.api
    implicit = api is None or api.implicit
    if implicit:
        text = (
            "The implicit API cannot declare Models: point the event at an AWS::Serverless::Api with "
            "Models (RestApiId) and validate the body:"
        )
        # An API with a document of its own would ignore the event's RequestModel.
        explicit = [a for a in template.of_type(apis.SAM_REST_API) if apis.rest_definition(a).managed]
        target = next((a for a in explicit if _model_names(a)), explicit[0] if explicit else None)
    else:
        text = "Declare the body's schema in the API's Models and validate it in the event:"
        target = api
    target_id = target.logical_id if target is not None else _free_id(template, f"{event.owner.logical_id}Api")
    known_models = _model_names(target) if target is not None else []
    model = known_models[0] if known_models else f"{event.name}Input"
    properties: dict[str, Any] = {"RequestModel": {"Model": model, "Required": True, "ValidateBody": True}}
    if implicit:
        properties = {"RestApiId": {"Ref": target_id}, **properties}
    if known_models:
        return text, properties
    # The API to declare the model in, created when there is none to point at: one fragment with both.
    if target is None:
        api_fragment: dict[str, Any] = {
            "Type": apis.SAM_REST_API,
            "Properties": {"StageName": "Prod", "Models": {model: BODY_SCHEMA}},
        }
    else:
        api_fragment = {"Properties": {"Models": {model: BODY_SCHEMA}}}
    owner = event.owner.logical_id
    return text, {
        target_id: api_fragment,
        owner: {"Properties": {"Events": {event.name: {"Properties": properties}}}},
    }


def _cfn_fix(template: Template, method: Method) -> tuple[str, Any]:
    api_value = method.props.RestApiId
    api_id = api_value.ref

    def of_api(resource: Union[RequestValidator, ApiModel]) -> bool:
        return api_id is not None and resource.props.RestApiId.ref == api_id

    validator = next(
        (v for v in template.of(RequestValidator) if of_api(v) and v.props.ValidateRequestBody.is_true().always),
        None,
    )
    model = next((m for m in template.of(ApiModel) if of_api(m)), None)
    prefix = api_id or method.logical_id
    validator_id = validator.logical_id if validator is not None else _free_id(template, f"{prefix}BodyValidator")
    model_id = model.logical_id if model is not None else _free_id(template, f"{prefix}BodyModel")
    properties = {
        "RequestValidatorId": {"Ref": validator_id},
        "RequestModels": {"application/json": {"Ref": model_id}},
    }
    text = "Name a validator that checks the body and give the method a model for the content type:"
    if validator is not None and model is not None:
        return text, properties
    # The snippet's resources name the API as the method writes it (a `Ref`, an import, a parameter).
    api_ref = api_value.expr
    if api_ref is None:
        # The method names no API: the validator and model it needs cannot be tied to one either.
        return f"Give '{method.logical_id}' its RestApiId, then {text[0].lower()}{text[1:-1]}.", None
    fragment: dict[str, Any] = {}
    if validator is None:
        fragment[validator_id] = {
            "Type": REQUEST_VALIDATOR,
            "Properties": {"RestApiId": api_ref, "ValidateRequestBody": True, "ValidateRequestParameters": False},
        }
    if model is None:
        fragment[model_id] = {
            "Type": API_MODEL,
            "Properties": {"RestApiId": api_ref, "ContentType": "application/json", "Schema": BODY_SCHEMA},
        }
    fragment[method.logical_id] = {"Properties": properties}
    return text, fragment
