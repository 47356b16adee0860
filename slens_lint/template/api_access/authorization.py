"""What authorizes one route, by how it is written: an event's `Auth.Authorizer`, a SAM API's
`Auth.DefaultAuthorizer`, an `AuthorizationType`, or an OpenAPI operation's `security`.

Each answer is a `Truth`: True where an authorizer applies, False where none does, unknown where the
template hides it. OpenAPI documents are free-form (OpenAPI's grammar, not CloudFormation's): their
security requirements are read here as written.
"""

from __future__ import annotations

from typing import Any, Optional

from slens_lint.template.apis import Operation, api_key_only
from slens_lint.template.expressions import is_intrinsic, literal_string
from slens_lint.template.resources.base import Resource
from slens_lint.template.sam import Event
from slens_lint.template.values import Truth, Unknown, Value

IAM_AUTH_EXTENSION = "x-amazon-apigateway-auth"


def _names_none(leaf: Value) -> Optional[bool]:
    text = leaf.text()
    return None if text is None else text.upper() == "NONE"


def default_authorizer(api: Optional[Resource[Any]]) -> Truth:
    """Where a SAM API sets `Auth.DefaultAuthorizer` (any other API has none); unknown where its `Auth`
    cannot be read."""
    if api is None or not api.is_sam:
        return Truth.of(False)

    def per_auth(auth: Value) -> Truth:
        if auth.absent:
            return Truth.of(False, auth)
        if auth.unknown:
            return Truth.of(None, auth)
        # A name written as an intrinsic still names an authorizer.
        return auth.project("DefaultAuthorizer").each(lambda name: Truth.of(not name.absent and name.text() != "", name))

    return api.props.value_of("Auth").each(per_auth)


def event_authorizer(event: Event, api: Optional[Resource[Any]]) -> tuple[Truth, Truth]:
    """(authorized, opts out) for a SAM `Api`/`HttpApi` event: its `Auth.Authorizer` (`NONE` opts out
    of the default), else the API's `Auth.DefaultAuthorizer`."""
    default = default_authorizer(api)

    def per_auth(auth: Value, opting_out: bool) -> Truth:
        if auth.absent:
            return Truth.of(False) if opting_out else default
        if auth.unknown:
            return Truth.of(None, auth)

        def per_name(name: Value) -> Truth:
            if name.absent:
                return Truth.of(False) if opting_out else default
            says_none = _names_none(name)
            if says_none is None:
                return Truth.of(None, name)
            return Truth.of(says_none if opting_out else not says_none, name)

        return auth.project("Authorizer").each(per_name)

    auth = event.value("Auth")
    return auth.each(lambda leaf: per_auth(leaf, False)), auth.each(lambda leaf: per_auth(leaf, True))


def authorization_type(value: Value) -> Truth:
    """What an `AuthorizationType` (a Method's, a V2 Route's) decides: absent or `NONE` is no
    authorizer, another value an authorizer."""
    return value.test(lambda leaf: None if _names_none(leaf) is None else not _names_none(leaf), absent=False)


def operation_authorization(operation: Operation) -> Truth:
    """Where every security alternative of an OpenAPI operation names an authorizer (not only an API
    key): False where there is no security or an alternative without authentication."""
    evidence = operation.value
    iam_auth = operation.definition.get(IAM_AUTH_EXTENSION)
    if isinstance(iam_auth, dict):
        auth_type = literal_string(iam_auth.get("type"))
        if auth_type is not None and auth_type.upper() != "NONE":
            return Truth.of(True, evidence)
    requirements = operation.security()
    if requirements is None:
        return Truth.of(None, Unknown("the operation's security is not a list the template shows", None, operation.json_path))
    if not requirements:
        return Truth.of(False, evidence)
    schemes = operation.schemes
    for requirement in requirements:
        if not isinstance(requirement, dict) or is_intrinsic(requirement):
            return Truth.of(None, Unknown("a security requirement of the operation is an intrinsic", None, operation.json_path))
        names = [n for n in requirement if n != "NONE"]
        if not names or all(api_key_only(schemes.get(n)) for n in names):
            return Truth.of(False, evidence)
    return Truth.of(True, evidence)


def opts_out_in_document(operation: Operation) -> bool:
    """The operation names `NONE` among its security requirements (SAM's way to keep it public)."""
    security = operation.definition.get("security")
    return isinstance(security, list) and any(isinstance(s, dict) and "NONE" in s for s in security)


def sam_rest_document_authorization(api: Resource[Any], operation: Operation, event: Optional[Event]) -> Truth:
    """An operation of a SAM REST API's own document: SAM applies `DefaultAuthorizer` to every operation
    (except those marked `NONE`, and preflights when `AddDefaultAuthorizerToCorsPreflight` is false),
    and an event with `OverrideApiAuth` writes its authorizer in."""
    answers = [operation_authorization(operation)]
    if event is not None:

        def per_auth(auth: Value) -> Truth:
            if auth.absent:
                return Truth.of(False, auth)
            if auth.unknown:
                return Truth.of(None, auth)
            names_one = auth.project("Authorizer").test(lambda name: None if _names_none(name) is None else not _names_none(name))
            return auth.project("OverrideApiAuth").is_true() & names_one

        answers.append(event.value("Auth").each(per_auth))
    answers.append(default_authorizer(api) & Truth.of(not opts_out_in_document(operation), operation.value))
    return Truth.any_of(answers)


def http_document_authorization(api: Resource[Any], operation: Operation) -> Truth:
    """An operation of an HTTP API's own document: SAM's DefaultAuthorizer fills every operation that
    has no security of its own."""
    own = not operation.definition.get("security")
    return operation_authorization(operation) | (default_authorizer(api) & Truth.of(own, operation.value))
