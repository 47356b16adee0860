"""Custom domains with mutual TLS, and whether an API's default `execute-api` endpoint is disabled.

Mutual TLS (`MutualTlsAuthentication`) is set on an inline SAM `Domain` or on a domain resource
(`AWS::ApiGateway::DomainName`, `AWS::ApiGatewayV2::DomainName`) that a `BasePathMapping` / `ApiMapping`
ties to an API. A mapping names its domain by the domain *name*: a `Ref` to the domain resource, or the
same name expression the domain was given (templates often repeat the parameter). Callers on the
domain present a client certificate; the default endpoint asks for none unless it is disabled
(`DisableExecuteApiEndpoint`, or the document's `x-amazon-apigateway-endpoint-configuration`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Optional

from slens_lint.template import apis
from slens_lint.template.expressions import same_string
from slens_lint.template.resources.base import Resource
from slens_lint.template.values import Truth, Unknown, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

ENDPOINT_EXTENSION = "x-amazon-apigateway-endpoint-configuration"
SAM_APIS = (apis.SAM_REST_API, apis.SAM_HTTP_API)
DOMAINS = ("AWS::ApiGateway::DomainName", "AWS::ApiGatewayV2::DomainName")
MAPPINGS = {"AWS::ApiGateway::BasePathMapping": "RestApiId", "AWS::ApiGatewayV2::ApiMapping": "ApiId"}
MAPPABLE_API_TYPES = (apis.REST_API, apis.V2_API, *SAM_APIS)


@dataclass(frozen=True, eq=False)
class MtlsDomain:
    """An API served on a custom domain that may require client certificates."""

    api: Resource[Any]
    label: str
    """`custom domain 'api.example.com'` (an inline SAM domain) or `custom domain 'Domain'` (a resource)."""
    mtls: Truth
    """Where the domain has mutual TLS."""
    setting: Value
    """The `MutualTlsAuthentication` (or the `Domain` holding it), for pointing at."""


def mtls_domains(template: "Template") -> list[MtlsDomain]:
    """Every API served on a domain that may have mutual TLS, with that domain (read once per
    template: several rules ask)."""
    return template.memo("api_access.mtls_domains", lambda t: list(_mtls_domains(t)))


def _mtls_domains(template: "Template") -> Iterator[MtlsDomain]:
    for api in template.of_type(*SAM_APIS, implicit=True):
        domain = api.props.value_of("Domain")
        mtls = domain.each(_inline_mtls)
        if not domain.is_set() or not mtls.may_hold:
            continue
        setting = domain
        label = "its custom domain"
        for leaf in domain.branches():
            if isinstance(leaf.literal, dict) and leaf.project("MutualTlsAuthentication").is_set():
                setting = leaf.project("MutualTlsAuthentication")
                name = apis.written_text(leaf.project("DomainName"))
                label = f"custom domain '{name}'" if name else label
                break
        yield MtlsDomain(api, label, mtls, setting)
    domains = [d for d in template.of_type(*DOMAINS) if d.props.value_of("MutualTlsAuthentication").given().may_hold]
    if not domains:
        return
    for mapping in template.of_type(*MAPPINGS):
        props = mapping.props
        domain = _mapped_domain(domains, props.value_of("DomainName"))
        if domain is None:
            continue
        api = template.target(props.value_of(MAPPINGS[mapping.type]))
        if api is not None and api.type in MAPPABLE_API_TYPES:
            setting = domain.props.value_of("MutualTlsAuthentication")
            yield MtlsDomain(api, f"custom domain '{domain.logical_id}'", setting.given(), setting)


def _inline_mtls(domain: Value) -> Truth:
    if domain.absent:
        return Truth.of(False, domain)
    if not isinstance(domain.literal, dict):
        return Truth.of(None, domain)
    return domain.project("MutualTlsAuthentication").given()


def _mapped_domain(domains: list[Resource[Any]], name: Value) -> Optional[Resource[Any]]:
    """The domain a mapping's `DomainName` names: a `Ref` to the domain resource, or the same name
    expression the domain was given."""
    for domain in domains:
        if name.ref == domain.logical_id:
            return domain
        own = domain.props.value_of("DomainName")
        if own.is_set() and same_string(name.expr, own.expr):
            return domain
    return None


def mtls_only(template: "Template", api: Optional[Resource[Any]]) -> Truth:
    """Where an API is served on a mutual-TLS custom domain with its default endpoint disabled: every
    caller presents a client certificate from the trust store, which is authentication."""
    if api is None:
        return Truth.of(False)
    served = [d.mtls for d in mtls_domains(template) if d.api is api]
    if not served:
        return Truth.of(False)
    return Truth.any_of(served) & default_endpoint_disabled(api)


def default_endpoint_disabled(api: Resource[Any]) -> Truth:
    """Where the API's default `execute-api` endpoint is disabled (`DisableExecuteApiEndpoint`, else
    the inline document's endpoint configuration); unknown where a document in a file or a computed
    one may disable it."""

    def per_branch(leaf: Value) -> Truth:
        if leaf.absent:
            return _document_disables(api)
        if leaf.unknown:
            return Truth.of(None, leaf)
        return Truth.of(leaf.flag(), leaf)

    return api.props.value_of("DisableExecuteApiEndpoint").each(per_branch)


def _document_disables(api: Resource[Any]) -> Truth:
    """`disableExecuteApiEndpoint` of the inline OpenAPI document's endpoint configuration extension."""
    body_key, file_key = ("DefinitionBody", "DefinitionUri") if api.type in SAM_APIS else ("Body", "BodyS3Location")
    props = api.props

    def per_body(body: Value) -> Truth:
        if body.absent:
            in_file = props.value_of(file_key)
            if in_file.is_set():
                return Truth.of(None, Unknown(f"the API's document is in a file ({file_key}), which may disable it", None, in_file.path))
            return Truth.of(False, body)
        document = apis.document_of(body)
        if document is None:
            reason = getattr(body, "reason", None) or "the API's document is not a mapping the template shows"
            return Truth.of(None, Unknown(reason, body.expr, body.path))
        return body.project(ENDPOINT_EXTENSION).project("disableExecuteApiEndpoint").is_true()

    return props.value_of(body_key).each(per_body)
