"""API Gateway custom domain names (REST and HTTP) and the mappings that put an API behind them.

A SAM `Api` / `HttpApi` declares its domain inline (`Domain`); `SamDomain` reads that mapping. In
plain CloudFormation the domain is its own resource and a `BasePathMapping` (REST) or `ApiMapping`
(HTTP/WebSocket) ties it to an API. A mapping names its domain by the domain *name* (a `Ref` to the
domain resource returns that name, but templates often repeat the parameter that named the domain).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from slens_lint.legacy.resources.base import Lenient, Props, Resource


class MutualTls(Props):
    TruststoreUri: Lenient[str] = None
    TruststoreVersion: Lenient[str] = None


class SamDomain(Props):
    """The `Domain` property of `AWS::Serverless::Api` and `AWS::Serverless::HttpApi`."""

    DomainName: Lenient[str] = None
    CertificateArn: Lenient[str] = None
    EndpointConfiguration: Lenient[str] = None
    BasePath: Any = None
    SecurityPolicy: Lenient[str] = None
    MutualTlsAuthentication: Lenient[MutualTls] = None
    OwnershipVerificationCertificateArn: Any = None
    Route53: Any = None


class DomainNameProps(Props):
    DomainName: Lenient[str] = None
    CertificateArn: Lenient[str] = None
    RegionalCertificateArn: Lenient[str] = None
    EndpointConfiguration: Any = None
    SecurityPolicy: Lenient[str] = None
    MutualTlsAuthentication: Lenient[MutualTls] = None
    OwnershipVerificationCertificateArn: Any = None


class DomainName(Resource):
    """`AWS::ApiGateway::DomainName`: a custom domain for REST APIs."""

    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::DomainName",)
    properties: DomainNameProps = Field(default_factory=DomainNameProps)


class BasePathMappingProps(Props):
    DomainName: Lenient[str] = None
    RestApiId: Lenient[str] = None
    Stage: Lenient[str] = None
    BasePath: Lenient[str] = None


class BasePathMapping(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::BasePathMapping",)
    properties: BasePathMappingProps = Field(default_factory=BasePathMappingProps)


class DomainNameConfiguration(Props):
    CertificateArn: Lenient[str] = None
    EndpointType: Lenient[str] = None
    SecurityPolicy: Lenient[str] = None


class DomainNameV2Props(Props):
    DomainName: Lenient[str] = None
    DomainNameConfigurations: Lenient[list[Lenient[DomainNameConfiguration]]] = None
    MutualTlsAuthentication: Lenient[MutualTls] = None


class DomainNameV2(Resource):
    """`AWS::ApiGatewayV2::DomainName`: a custom domain for HTTP and WebSocket APIs (REST too)."""

    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::DomainName",)
    properties: DomainNameV2Props = Field(default_factory=DomainNameV2Props)


class ApiMappingProps(Props):
    DomainName: Lenient[str] = None
    ApiId: Lenient[str] = None
    Stage: Lenient[str] = None
    ApiMappingKey: Lenient[str] = None


class ApiMapping(Resource):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::ApiMapping",)
    properties: ApiMappingProps = Field(default_factory=ApiMappingProps)
