from __future__ import annotations

from typing import Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import apis
from slens_lint.template.api_access import MtlsDomain, default_endpoint_disabled, mtls_domains
from slens_lint.template.model import Template
from slens_lint.template.resources.apigateway import RestApi, SamApi
from slens_lint.template.resources.apigatewayv2 import ApiV2, SamHttpApi
from slens_lint.template.values import Truth

# The APIs a custom domain serves (`mtls_domains` yields no other).
Api = Union[SamApi, SamHttpApi, RestApi, ApiV2]


class MtlsDomainWithDefaultEndpoint(Rule):
    id = "SL207"
    severity = Severity.ERROR
    severity_reason = (
        "error: mutual TLS on a custom domain is bypassed entirely while the default endpoint "
        "answers."
    )
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

    subject = "API"

    def subjects(self, template: Template) -> list[Api]:
        served = dict.fromkeys(domain.api for domain in mtls_domains(template))
        return [api for api in served if isinstance(api, (SamApi, SamHttpApi, RestApi, ApiV2))]

    def judge(self, api: Api, template: Template) -> Verdict:
        domains = [domain for domain in mtls_domains(template) if domain.api is api]
        mtls = Truth.any_of(domain.mtls for domain in domains)
        truth = ~mtls | default_endpoint_disabled(api)
        failing = truth.failing()
        when = failing[0].when if failing else ()
        # The domain named is one that has mTLS where the endpoint stays enabled.
        domain: MtlsDomain = next((d for d in domains if apis.holds_under(d.mtls, when)), domains[0])
        name = api.logical_id
        message = (
            f"API '{name}' is served on {domain.label} with mutual TLS, but its default execute-api endpoint "
            f"stays enabled: clients can call the API there without a client certificate, bypassing mTLS."
        )
        setting = api.props.DisableExecuteApiEndpoint
        # The implicit API has no resource to point at: its domain comes from Globals.
        at = domain.setting if api.implicit and not setting.is_set() else setting
        return self.expect(
            api,
            truth,
            message,
            at=at,
            fix=f"Disable the default endpoint of '{name}' so the mTLS domain is the only way in:",
            snippet={"DisableExecuteApiEndpoint": True},
        )
