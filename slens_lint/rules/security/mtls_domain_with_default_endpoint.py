from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy.api_access import default_endpoint_disabled, mtls_apis
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource


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
        for api, domain in mtls_apis(template):
            if api.logical_id in reported or default_endpoint_disabled(api) is not False:
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
