"""REST API endpoint types and resource policies: is an API private, does a resource policy limit who
may call it, does the template declare one at all.

A resource policy is an IAM policy document (IAM's grammar, not CloudFormation's): a free-form
document, walked through its parts read as values (`Fn::If`, `AWS::NoValue` and parameters
understood, other intrinsics unknown).
SAM's `Auth.ResourcePolicy` is SAM's own shorthand (allow and block lists, `CustomStatements`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from slens_lint.template import apis
from slens_lint.template.expressions import is_intrinsic
from slens_lint.template.resources.base import Props, Resource
from slens_lint.template.sam import Event
from slens_lint.template.values import Truth, Unknown, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

POLICY_EXTENSION = "x-amazon-apigateway-policy"

# SAM `Auth.ResourcePolicy` keys that limit who may call (allow lists); block lists do not.
_RESTRICTING_POLICY_KEYS = frozenset(
    {
        "AwsAccountWhitelist",
        "IpRangeWhitelist",
        "SourceVpcWhitelist",
        "IntrinsicVpcWhitelist",
        "IntrinsicVpceWhitelist",
        "SourceVpceWhitelist",
    }
)


def _is_rest(api: Optional[Resource[Any]]) -> bool:
    return apis.api_kind(api) == apis.REST


def _names_private(leaf: Value) -> Optional[bool]:
    text = leaf.text()
    return None if text is None else text.upper() == "PRIVATE"


def is_private(api: Optional[Resource[Any]]) -> Truth:
    """Where a REST API's endpoint type is PRIVATE (SAM: `EndpointConfiguration` as a string or its
    `Type`; CloudFormation: one of `EndpointConfiguration.Types`)."""
    if api is None or not _is_rest(api):
        return Truth.of(False)
    configuration = api.props.value_of("EndpointConfiguration")
    if api.type == apis.SAM_REST_API:

        def per_branch(leaf: Value) -> Truth:
            if leaf.absent:
                return Truth.of(False, leaf)
            if isinstance(leaf.literal, dict):
                return leaf.project("Type").test(_names_private)
            return Truth.of(_names_private(leaf), leaf)

        return configuration.each(per_branch)
    return configuration.each(
        lambda leaf: Truth.of(None, leaf) if leaf.unknown else apis.any_item(leaf.project("Types"), lambda item: item.test(_names_private))
    )


def _mapping(leaf: Value) -> Optional[dict[Any, Any]]:
    literal = leaf.literal
    return literal if isinstance(literal, dict) and not is_intrinsic(literal) else None


def restricts_callers(api: Optional[Resource[Any]], event: Optional[Event] = None) -> Truth:
    """Where a REST API's resource policy limits who may call (an allow list, a condition, a deny,
    named principals); False where there is no policy or it allows everyone; unknown where the policy
    cannot be read."""
    if api is None or not _is_rest(api):
        return Truth.of(False)
    answers = []
    if api.type == apis.SAM_REST_API:
        answers.append(_sam_policy_restricts(api.props.value_of("Auth")))
    if event is not None:
        answers.append(_sam_policy_restricts(event.value("Auth")))
    policy = api.props.value_of("Policy")
    if policy.is_set():
        answers.append(document_restricts(policy))
    extension = _document_policy(api)
    if extension is not None:
        answers.append(document_restricts(extension))
    return Truth.any_of(answers, default=False)


def _sam_policy_restricts(auth: Value) -> Truth:
    """SAM's `Auth.ResourcePolicy` (of an API or an event)."""

    def per_policy(policy: Value) -> Truth:
        if policy.absent:
            return Truth.of(False, policy)
        mapping = _mapping(policy)
        if mapping is None:
            return Truth.of(None, _unreadable(policy, "the ResourcePolicy"))
        if _RESTRICTING_POLICY_KEYS & set(mapping):
            return Truth.of(True, policy)
        custom = policy.project("CustomStatements")
        return _statements_restrict(custom) if custom.is_set() else Truth.of(False, policy)

    def per_auth(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(False, leaf)
        if leaf.unknown:
            # An Auth the template does not show may hold no policy at all: no claim either way.
            return Truth.of(False, leaf)
        return leaf.project("ResourcePolicy").each(per_policy)

    return auth.each(per_auth)


def _document_policy(api: Resource[Any]) -> Optional[Value]:
    """The `x-amazon-apigateway-policy` of the API's inline OpenAPI document, when written."""
    body = api.props.value_of("DefinitionBody" if api.type == apis.SAM_REST_API else "Body")
    document = apis.document_of(body)
    if document is None or document.get(POLICY_EXTENSION) is None:
        return None
    return body.project(POLICY_EXTENSION)


def document_restricts(document: Value) -> Truth:
    """Whether an IAM policy document limits callers (a deny, a condition, a named principal)."""

    def per_document(doc: Value) -> Truth:
        if doc.absent:
            return Truth.of(False, doc)
        if isinstance(doc.literal, str):
            return Truth.of(None, Unknown("the resource policy is a JSON string, not read here", None, doc.path))
        if _mapping(doc) is None and not isinstance(doc.literal, Props):
            return Truth.of(None, _unreadable(doc, "the resource policy"))
        return _statements_restrict(doc.project("Statement"))

    return document.each(per_document)


def _statements_restrict(statements: Value) -> Truth:
    def per_list(listing: Value) -> Truth:
        if listing.absent:
            return Truth.of(False, listing)
        if isinstance(listing.literal, list):
            return Truth.any_of((item.each(_statement_restricts) for item in listing.items()), default=False)
        return _statement_restricts(listing)

    return statements.each(per_list)


def _statement_restricts(statement: Value) -> Truth:
    if statement.absent:
        return Truth.of(False, statement)
    raw = _mapping(statement)
    if raw is None:
        return Truth.of(None, _unreadable(statement, "a policy statement"))
    effect = raw.get("Effect")
    if effect == "Deny" or raw.get("Condition"):
        return Truth.of(True, statement)
    return Truth.of(effect == "Allow" and not _everyone(raw.get("Principal")), statement)


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict) and not is_intrinsic(principal):
        aws = principal.get("AWS")
        return aws == "*" or aws == ["*"]
    return False


def _unreadable(value: Value, what: str) -> Value:
    if isinstance(value, Unknown):
        return value
    return Unknown(f"{what} is not a mapping the template shows", value.expr, value.path)


# ---- does the template declare a policy -----------------------------------------------------


def _given(value: Value) -> Truth:
    """Where a policy is written (an intrinsic counts: it is some policy), not empty."""

    def check(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(False, leaf)
        if leaf.unknown:
            return Truth.of(True, leaf)
        literal = leaf.literal
        return Truth.of(literal not in (None, "") and not (isinstance(literal, dict) and not literal), leaf)

    return value.each(check)


def declares_policy(template: "Template", api: Resource[Any]) -> Truth:
    """Where the template gives a REST API a resource policy: `Policy`, SAM `Auth.ResourcePolicy` (of
    the API or of one of its events), or the document's `x-amazon-apigateway-policy`; unknown where a
    definition in a file or a computed document may carry it."""
    props = api.props
    answers = [_given(props.value_of("Policy"))]
    if api.type == apis.SAM_REST_API:
        answers.append(_auth_policy_given(props.value_of("Auth")))
        answers.extend(
            _auth_policy_given(event.value("Auth")) for event in template.all_events() if event.rest_api_id == api.logical_id
        )
        body_key, file_key = "DefinitionBody", "DefinitionUri"
    else:
        body_key, file_key = "Body", "BodyS3Location"
    in_file = props.value_of(file_key)
    if in_file.is_set():
        answers.append(Truth.of(None, Unknown(f"the definition is in a file ({file_key}), which may carry the policy", None, in_file.path)))
    else:
        answers.append(props.value_of(body_key).each(_body_policy))
    return Truth.any_of(answers, default=False)


def _auth_policy_given(auth: Value) -> Truth:
    return auth.each(lambda leaf: Truth.of(None, leaf) if leaf.unknown else _given(leaf.project("ResourcePolicy")))


def _body_policy(body: Value) -> Truth:
    if body.absent:
        return Truth.of(False, body)
    document = apis.document_of(body)
    if document is None:
        return Truth.of(None, _unreadable(body, "the API's document"))
    return _given(body.project(POLICY_EXTENSION))
