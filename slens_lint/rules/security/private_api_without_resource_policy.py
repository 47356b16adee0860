from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import fix_names
from slens_lint.rules.base import Rule
from slens_lint.template import api_access, apis
from slens_lint.template.model import Template
from slens_lint.template.resources.apigateway import RestApi
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.network import VpcEndpoint


class PrivateApiWithoutResourcePolicy(Rule):
    id = "SL208"
    severity = Severity.WARNING
    severity_reason = (
        "warning: a private API without a resource policy cannot be invoked at all (or, with a "
        "permissive one, by any VPC), a misconfiguration either way."
    )
    title = "Private REST API without a resource policy"
    practice = "Security 1: Protect API access with the right endpoint type and mechanism"
    rationale = (
        "A `PRIVATE` REST API is reachable only through interface VPC endpoints, but which endpoints, "
        "VPCs and principals may invoke it is decided by its resource policy. API Gateway refuses to "
        "deploy a private API without one, so teams attach a policy by hand outside the template "
        "(often `Principal: *` on `execute-api:Invoke` from anywhere), where it drifts and is never "
        "reviewed. "
        "The policy belongs in the template, limited with `aws:SourceVpce` or `aws:SourceVpc`. (HTTP "
        "APIs have no private endpoint type and no resource policy: they are not concerned.)"
    )
    fix = (
        "Add a resource policy: SAM `Auth.ResourcePolicy` (`SourceVpceWhitelist`, "
        "`IntrinsicVpceWhitelist`, `SourceVpcWhitelist`...) or `Policy`, CloudFormation `Policy` on the "
        "`AWS::ApiGateway::RestApi`, or `x-amazon-apigateway-policy` in the OpenAPI document."
    )
    example = {
        "Resources": {
            "InternalApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "StageName": "prod",
                    "EndpointConfiguration": {"Type": "PRIVATE", "VPCEndpointIds": [{"Ref": "ApiEndpoint"}]},
                    "Auth": {"ResourcePolicy": {"SourceVpceWhitelist": [{"Ref": "ApiEndpoint"}]}},
                },
            }
        }
    }
    example_bad = {
        "Resources": {
            "InternalApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "StageName": "prod",
                    "EndpointConfiguration": {"Type": "PRIVATE", "VPCEndpointIds": [{"Ref": "ApiEndpoint"}]},
                },
            }
        }
    }
    use_instead = (
        "If the policy is managed outside this template on purpose (a central team attaches it), "
        "suppress the finding on the API with that reason. A definition kept in a file "
        "(`DefinitionUri`, `BodyS3Location`) may carry the policy and is not reported."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-resourcepolicystatement.html",
    )
    service = "apigateway"
    resource_types = ("AWS::Serverless::Api", "AWS::ApiGateway::RestApi")

    subject = "REST API"

    def subjects(self, template: Template) -> Iterator[Resource[Any]]:
        return template.of_type(apis.SAM_REST_API, apis.REST_API, implicit=True)

    def judge(self, api: Resource[Any], template: Template) -> Verdict:
        private = api_access.is_private(api)
        truth = apis.settle(~private | api_access.declares_policy(template, api))
        name = api.logical_id
        message = (
            f"Private REST API '{name}' has no resource policy: API Gateway refuses to deploy it "
            f"without one, and a policy attached by hand outside the template escapes review and drifts."
        )
        props = api.props
        endpoints, declared = _vpc_endpoints(template, api)
        if isinstance(api, RestApi):
            return self.expect(
                api,
                truth,
                message,
                at=props.Policy,
                fix=f"Add a Policy to '{name}' that allows execute-api:Invoke only from {_whose(declared)}:",
                snippet=fix_names.fragment(name, {"Policy": _policy_document(endpoints)}, parameters=declared),
            )
        auth = props.Auth
        # The implicit API's private endpoint type comes from Globals.Api: point there, not at an event.
        at = props.EndpointConfiguration if api.implicit and not auth.is_set() else auth.ResourcePolicy
        policy = {"Auth": {"ResourcePolicy": {"SourceVpceWhitelist": endpoints}}}
        if api.implicit:
            return self.expect(
                api,
                truth,
                message,
                at=at,
                fix=f"The implicit API takes its Auth from Globals.Api; limit it to {_whose(declared)} there:",
                snippet={**_parameters(declared), "Globals": {"Api": policy}},
            )
        return self.expect(
            api,
            truth,
            message,
            at=at,
            fix=f"Add Auth.ResourcePolicy to '{name}' limited to {_whose(declared)}:",
            snippet=fix_names.fragment(name, policy, parameters=declared),
        )


_ENDPOINT_IDS = {apis.SAM_REST_API: "VPCEndpointIds", apis.REST_API: "VpcEndpointIds"}


def _vpc_endpoints(template: Template, api: Resource[Any]) -> tuple[list[Any], dict[str, Any]]:
    """The endpoints the policy allows, as expressions, and the parameters a snippet declares for them:
    those the API's EndpointConfiguration lists, else the template's execute-api interface endpoints,
    else one a new parameter `<Api>VpcEndpointId` receives."""
    listed = api.props.EndpointConfiguration.project(_ENDPOINT_IDS.get(api.type, "VPCEndpointIds"))
    found: list[Any] = []
    for leaf in listed.branches():
        if leaf.absent or leaf.unknown:
            continue
        for item in leaf.items():
            if item.expr is not None and item.expr not in found:
                found.append(item.expr)
    if found:
        return found, {}
    for endpoint in template.of(VpcEndpoint):
        service = " ".join(str(t[1]) for t in endpoint.props.ServiceName.tokens() or () if t[0] == "lit")
        if "execute-api" in service:
            found.append({"Ref": endpoint.logical_id})
    if found:
        return found, {}
    parameter, exists = fix_names.parameter_name(template, f"{api.logical_id}VpcEndpointId")
    description = f"The interface VPC endpoint (execute-api) allowed to invoke {api.logical_id}"
    return [{"Ref": parameter}], {} if exists else {parameter: fix_names.parameter(description)}


def _whose(declared: dict[str, Any]) -> str:
    return "the VPC endpoint a new parameter names" if declared else "the VPC endpoints it is reached through"


def _parameters(declared: dict[str, Any]) -> dict[str, Any]:
    return {"Parameters": declared} if declared else {}


def _policy_document(endpoints: list[Any]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"StringEquals": {"aws:SourceVpce": endpoints[0] if len(endpoints) == 1 else endpoints}},
            }
        ],
    }
