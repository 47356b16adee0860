from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.template import intrinsics
from slens_lint.template.intrinsics import NO_VALUE
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource

SAM_APIS = ("AWS::Serverless::Api", "AWS::Serverless::HttpApi")
DOMAINS = ("AWS::ApiGateway::DomainName", "AWS::ApiGatewayV2::DomainName")
MAPPINGS = {"AWS::ApiGateway::BasePathMapping": "RestApiId", "AWS::ApiGatewayV2::ApiMapping": "ApiId"}
API_TYPES = ("AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api", *SAM_APIS)
ENDPOINT_EXTENSION = "x-amazon-apigateway-endpoint-configuration"


class MtlsDomainWithDefaultEndpoint(Rule):
    id = "SL207"
    severity = Severity.ERROR
    title = "API behind a mutual-TLS custom domain keeps its default execute-api endpoint"
    practice = "Security 2: Authentication and authorization"
    rationale = (
        "Mutual TLS on a custom domain (`MutualTlsAuthentication`) makes API Gateway require a client "
        "certificate from the trust store, but only on that domain. The API's default endpoint "
        "(`https://<api-id>.execute-api.<region>.amazonaws.com`) stays reachable without any client "
        "certificate unless it is disabled, so a client that knows the API id bypasses mTLS entirely."
    )
    fix = (
        "Set `DisableExecuteApiEndpoint: true` on every API mapped to a domain with mutual TLS (SAM "
        "`AWS::Serverless::Api`/`HttpApi`, `AWS::ApiGateway::RestApi`, `AWS::ApiGatewayV2::Api`), so "
        "that the custom domain is the only way in."
    )
    example = {
        "Resources": {
            "PartnerApi": {
                "Type": "AWS::Serverless::HttpApi",
                "Properties": {
                    "DisableExecuteApiEndpoint": True,
                    "Domain": {
                        "DomainName": "partners.example.com",
                        "CertificateArn": {"Ref": "Certificate"},
                        "MutualTlsAuthentication": {"TruststoreUri": "s3://example-truststore/ca.pem"},
                    },
                },
            }
        }
    }
    example_bad = {
        "Resources": {
            "PartnerApi": {
                "Type": "AWS::Serverless::HttpApi",
                "Properties": {
                    "Domain": {
                        "DomainName": "partners.example.com",
                        "CertificateArn": {"Ref": "Certificate"},
                        "MutualTlsAuthentication": {"TruststoreUri": "s3://example-truststore/ca.pem"},
                    }
                },
            }
        }
    }
    use_instead = (
        "If the default endpoint must stay on for a while (clients being migrated to the custom domain), "
        "protect it with an authorizer or a resource policy and suppress the finding on the API with "
        "that reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mutual-tls.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html",
    )
    service = "apigateway"
    resource_types = (
        "AWS::Serverless::Api",
        "AWS::Serverless::HttpApi",
        "AWS::ApiGateway::DomainName",
        "AWS::ApiGateway::BasePathMapping",
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGatewayV2::DomainName",
        "AWS::ApiGatewayV2::ApiMapping",
        "AWS::ApiGatewayV2::Api",
    )

    def check(self, template: Template) -> Iterator[Violation]:
        reported: set[str] = set()
        for api, domain in _mtls_apis(template):
            if api.logical_id in reported or _default_endpoint_disabled(api) is not False:
                continue
            reported.add(api.logical_id)
            yield self._violation(template, api, domain)

    def _violation(self, template: Template, api: Resource, domain: str) -> Violation:
        name = api.logical_id
        message = (
            f"API '{name}' is served on {domain} with mutual TLS, but its default execute-api endpoint "
            f"stays enabled: clients can call the API there without a client certificate, bypassing mTLS."
        )
        fix = f"Disable the default endpoint of '{name}' so the mTLS domain is the only way in:"
        snippet = {"DisableExecuteApiEndpoint": True}
        if getattr(api, "implicit", False) and "DisableExecuteApiEndpoint" not in api.raw_properties:
            section = "Api" if api.type == "AWS::Serverless::Api" else "HttpApi"
            path = ("Globals", section, "Domain", "MutualTlsAuthentication")
            return self.report(template, api, message, path=path, fix=fix, snippet=snippet)
        return self.report(template, api, message, at=("DisableExecuteApiEndpoint",), fix=fix, snippet=snippet)


def _mtls_apis(template: Template) -> Iterator[tuple[Resource, str]]:
    """(API, description of its mTLS domain) for every API served on a domain with mutual TLS."""
    for api in template.of_type(*SAM_APIS, implicit=True):
        for domain in intrinsics.iter_dicts(api.raw_properties.get("Domain")):
            if _has_mtls(domain.get("MutualTlsAuthentication")):
                label = intrinsics.literal_string(domain.get("DomainName"))
                yield api, f"custom domain '{label}'" if label else "its custom domain"
    domains = [d for d in template.of_type(*DOMAINS) if _has_mtls(d.raw_properties.get("MutualTlsAuthentication"))]
    if not domains:
        return
    for mapping in template.of_type(*MAPPINGS):
        props = mapping.raw_properties
        domain = _mapped_domain(domains, props.get("DomainName"))
        if domain is None:
            continue
        api = template.target(props.get(MAPPINGS[mapping.type]))
        if api is not None and api.type in API_TYPES:
            yield api, f"custom domain '{domain.logical_id}'"


def _has_mtls(value: Any) -> bool:
    """Mutual TLS configured in every Fn::If branch (an unreadable value is no claim)."""
    if value is None:
        return False
    found = intrinsics.branches(value)
    return bool(found) and all(isinstance(b, dict) and not intrinsics.is_intrinsic(b) for b in found)


def _mapped_domain(domains: list[Resource], value: Any) -> Optional[Resource]:
    """The domain a mapping's `DomainName` names: a `Ref` to the domain resource, or the same name
    expression the domain was given (templates often repeat the parameter)."""
    target = intrinsics.ref_target(value)
    for domain in domains:
        if target == domain.logical_id:
            return domain
        name = domain.raw_properties.get("DomainName")
        if name is not None and intrinsics.same_string(value, name):
            return domain
    return None


def _default_endpoint_disabled(api: Resource) -> Optional[bool]:
    """True when disabled in every branch, False when enabled in every branch, None when unknown."""
    raw = api.raw_properties.get("DisableExecuteApiEndpoint")
    if raw is None:
        raw = _extension_value(api)
    if raw is None:
        return False
    answers = set()
    for branch in intrinsics.branches(raw):
        answers.add(False if branch is NO_VALUE else intrinsics.truthy(branch))
    if answers == {True}:
        return True
    if answers == {False}:
        return False
    return None


def _extension_value(api: Resource) -> Any:
    """`disableExecuteApiEndpoint` of an inline OpenAPI document's endpoint configuration extension."""
    body_key, file_key = ("DefinitionBody", "DefinitionUri") if api.type in SAM_APIS else ("Body", "BodyS3Location")
    body = api.raw_properties.get(body_key)
    if body is None:
        # A document in a file may disable it: no claim.
        return True if api.raw_properties.get(file_key) is not None else None
    if not isinstance(body, dict) or intrinsics.is_intrinsic(body):
        # An included or computed document may disable it: no claim.
        return True
    extension = body.get(ENDPOINT_EXTENSION)
    if isinstance(extension, dict) and not intrinsics.is_intrinsic(extension):
        return extension.get("disableExecuteApiEndpoint")
    return None

