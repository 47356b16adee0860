from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import api_access, intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

SAM_REST_API = "AWS::Serverless::Api"
REST_API = "AWS::ApiGateway::RestApi"



class PrivateApiWithoutResourcePolicy(Rule):
    id = "SL208"
    severity = Severity.WARNING
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

    def check(self, template: Template) -> Iterator[Violation]:
        event_policies = _apis_with_event_policies(template)
        for api in template.of_type(SAM_REST_API, REST_API, implicit=True):
            if not api_access.is_private(api) or api.logical_id in event_policies:
                continue
            if _has_policy(api) is not False:
                continue
            yield self._violation(template, api)

    def _violation(self, template: Template, api: Resource) -> Violation:
        name = api.logical_id
        message = (
            f"Private REST API '{name}' has no resource policy: API Gateway refuses to deploy it "
            f"without one, and a policy attached by hand outside the template escapes review and drifts."
        )
        if api.type == REST_API:
            return self.report(
                template,
                api,
                message,
                at=("Policy",),
                fix=f"Add a Policy to '{name}' that allows execute-api:Invoke only from your VPC endpoint:",
                snippet={"Policy": _policy_document()},
            )
        fix = f"Add Auth.ResourcePolicy to '{name}' limited to your VPC endpoint:"
        snippet = {"Auth": {"ResourcePolicy": {"SourceVpceWhitelist": [{"Ref": "YourVpcEndpoint"}]}}}
        if getattr(api, "implicit", False) and "Auth" not in api.raw_properties:
            # The private endpoint type comes from Globals.Api: point there rather than at an event.
            return self.report(template, api, message, path=("Globals", "Api", "EndpointConfiguration"), fix=fix, snippet=snippet)
        return self.report(template, api, message, at=("Auth", "ResourcePolicy"), fix=fix, snippet=snippet)


def _has_policy(api: Resource) -> Optional[bool]:
    """True/False when known; None when the policy may be in a file or a computed document."""
    props = api.raw_properties
    if _set(props.get("Policy")):
        return True
    if api.type == SAM_REST_API:
        for auth in intrinsics.iter_dicts(props.get("Auth")):
            if _set(auth.get("ResourcePolicy")):
                return True
        if intrinsics.is_intrinsic(props.get("Auth")):
            return None
        body_key, file_key = "DefinitionBody", "DefinitionUri"
    else:
        body_key, file_key = "Body", "BodyS3Location"
    if props.get(file_key) is not None:
        return None
    body = props.get(body_key)
    if body is None:
        return False
    if not isinstance(body, dict) or intrinsics.is_intrinsic(body):
        return None
    return _set(body.get(api_access.POLICY_EXTENSION))


def _set(value: Any) -> bool:
    if value is None:
        return False
    return any(b is not NO_VALUE and b not in (None, {}, "") for b in intrinsics.branches(value))


def _apis_with_event_policies(template: Template) -> set[str]:
    """SAM REST APIs that an `Api` event adds a resource policy to (event `Auth.ResourcePolicy`)."""
    found: set[str] = set()
    for event in template.all_events():
        api_id = event.rest_api_id
        auth = event.get("Auth")
        if api_id and isinstance(auth, dict) and _set(auth.get("ResourcePolicy")):
            found.add(api_id)
    return found


def _policy_document() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"StringEquals": {"aws:SourceVpce": {"Ref": "YourVpcEndpoint"}}},
            }
        ],
    }
