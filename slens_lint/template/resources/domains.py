"""API Gateway custom domain names (REST and HTTP) and the mappings that put an API behind them.

A SAM `Api` / `HttpApi` declares its domain inline (`Domain`, read as written: see `api_access.domains`).
In plain CloudFormation the domain is its own resource and a `BasePathMapping` (REST) or `ApiMapping`
(HTTP/WebSocket) ties it to an API. A mapping names its domain by the domain *name* (a `Ref` to the
domain resource returns that name, but templates often repeat the parameter that named the domain).
"""

from __future__ import annotations

from typing import Any, ClassVar

from slens_lint.template.resources.base import ABSENT, Props, Resource, V


class MutualTls(Props):
    TruststoreUri: V[str] = ABSENT


class DomainNameProps(Props):
    DomainName: V[str] = ABSENT
    CertificateArn: V[str] = ABSENT
    EndpointConfiguration: V[Any] = ABSENT
    MutualTlsAuthentication: V[MutualTls] = ABSENT


class DomainName(Resource[DomainNameProps]):
    """`AWS::ApiGateway::DomainName`: a custom domain for REST APIs."""

    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::DomainName",)


class BasePathMappingProps(Props):
    DomainName: V[str] = ABSENT
    RestApiId: V[str] = ABSENT
    Stage: V[str] = ABSENT


class BasePathMapping(Resource[BasePathMappingProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGateway::BasePathMapping",)


class DomainNameV2Props(Props):
    DomainName: V[str] = ABSENT
    MutualTlsAuthentication: V[MutualTls] = ABSENT


class DomainNameV2(Resource[DomainNameV2Props]):
    """`AWS::ApiGatewayV2::DomainName`: a custom domain for HTTP and WebSocket APIs (REST too)."""

    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::DomainName",)


class ApiMappingProps(Props):
    DomainName: V[str] = ABSENT
    ApiId: V[str] = ABSENT
    Stage: V[str] = ABSENT


class ApiMapping(Resource[ApiMappingProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::ApiGatewayV2::ApiMapping",)
