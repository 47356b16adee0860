"""IAM as the template declares it: the statements a role carries, wherever they are written, and
whether they allow an action.

A role's permissions can come from its inline `Policies`, from `AWS::IAM::Policy` /
`AWS::IAM::ManagedPolicy` / `AWS::IAM::RolePolicy` resources that attach themselves to it, and from
its `ManagedPolicyArns` (AWS managed policies, or managed policies of the template). Anything that
cannot be read (a customer managed policy ARN, a parameter, an intrinsic policy document, an AWS
managed policy whose content is not known here) makes the answer "unknown" instead of "no": a rule
must not claim a permission is missing when it may sit in a document it cannot see.

`Fn::If` can choose a policy, an attachment, a document or a statement: each statement keeps the
conditions it needs (`when`), so "does the role allow X" is a `Truth` per combination of conditions.

Policy documents are free-form (IAM's grammar, not CloudFormation's): they are walked here through
their parts read as values (`Fn::If`, `AWS::NoValue` and parameters understood, other intrinsics
unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Optional

from slens_lint.template.managed_policies import AWS_MANAGED_POLICIES, aws_managed_policy_name
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.other import IamPolicy, IamRole, IamRolePolicy, InlinePolicy
from slens_lint.template.values import Case, Conditions, JsonPath, Truth, Unknown, Value

DOCUMENT = "document"
MANAGED = "managed"
POLICY_TEMPLATE = "policy-template"


# ---- statements ---------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _pattern(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: case-insensitive, `*` and `?` wildcards (`ec2:*`, `ec2:*NetworkInterface*`)."""
    return _pattern(pattern).fullmatch(action) is not None


@dataclass(frozen=True)
class Statement:
    """One policy statement, normalised: the literal action patterns (or `not_actions`), and what of
    it cannot be read (`hidden`). A statement nothing of which can be read has no effect."""

    effect: str
    """`Allow`, `Deny`, or "" when it cannot be read."""
    actions: tuple[str, ...] = ()
    not_actions: Optional[tuple[str, ...]] = None
    """Set for a `NotAction` statement: it covers every action these patterns do not."""
    resources: tuple[str, ...] = ("*",)
    """The literal resources (or `NotResource`); an intrinsic one is left out."""
    conditional: bool = False
    """It has an IAM `Condition` (not a template condition: that is `when`)."""
    source: str = ""
    """Where the statement comes from: a logical id, or `aws:<ManagedPolicyName>`."""
    path: Optional[JsonPath] = None
    """Its JSON path in the template (None for AWS managed policies)."""
    when: Conditions = ()
    """The template conditions under which the role carries it."""
    hidden: Optional[Unknown] = None
    """What cannot be read (an action that is an intrinsic, an unreadable document), with why."""

    def covers(self, action: str) -> Truth:
        """Whether its actions cover `action`; unknown when only an unreadable part could (`hidden`)."""
        if self.not_actions is not None:
            covered = None if self.hidden is not None else not any(action_matches(p, action) for p in self.not_actions)
        elif any(action_matches(p, action) for p in self.actions):
            covered = True
        else:
            covered = None if self.hidden is not None else False
        return Truth.of(covered, self.hidden)


def holds_when(when: Conditions, evidence: Optional[Value] = None, holds: Optional[bool] = True) -> Truth:
    """`holds` under the conditions `when`, False under every other combination."""
    cases, prefix = [], ()
    for name, outcome in when:
        cases.append(Case(tuple(sorted((*prefix, (name, not outcome)))), False, evidence))
        prefix = (*prefix, (name, outcome))
    cases.append(Case(prefix, holds, evidence))
    return Truth(cases)


def _hidden(source: str, when: Conditions, value: Value, what: str) -> Statement:
    detail = value.reason if isinstance(value, Unknown) else "not in the form IAM reads"
    reason = f"{what} of '{source}' cannot be read here ({detail})"
    return Statement(effect="", source=source, path=value.path, when=when, hidden=Unknown(reason, value.expr, value.path))


def _strings(value: Value) -> tuple[tuple[str, ...], bool]:
    """The literal strings of an `Action` / `Resource` (a string or a list), and whether that is all."""
    if value.absent or value.conditional:
        return (), False
    if value.unknown or value.resolved:
        text = value.text()
        return ((text,), True) if text is not None else ((), False)
    items = value.items() if isinstance(value.literal, list) else [value]
    texts = [item.text() for item in items]
    found = tuple(t.strip() for t in texts if t is not None)
    return found, len(found) == len(items)


def document_statements(document: Value, source: str = "", when: Conditions = ()) -> list[Statement]:
    """The statements of a policy document in every `Fn::If` branch, each with the conditions it
    needs; what cannot be read is a statement with `hidden` set."""
    found: list[Statement] = []
    for doc_when, doc in document.leaves(when):
        if doc.absent:
            continue
        if not isinstance(doc.literal, dict):
            found.append(_hidden(source, doc_when, doc, "the policy document"))
            continue
        for list_when, listing in doc.Statement.leaves(doc_when):
            raw = listing.literal
            if isinstance(raw, dict):
                items = [listing]
            elif isinstance(raw, list):
                items = listing.items()
            else:
                found.append(_hidden(source, list_when, listing, "the Statement"))
                continue
            for item in items:
                for item_when, statement in item.leaves(list_when):
                    if not statement.absent:
                        found.extend(_statement(statement, source, item_when))
    return found


def _statement(statement: Value, source: str, when: Conditions) -> list[Statement]:
    raw = statement.literal
    if not isinstance(raw, dict):
        return [_hidden(source, when, statement, "a policy statement")]
    resources, _ = _strings(statement["Resource" if "Resource" in raw else "NotResource"])
    common = dict(
        resources=resources if ("Resource" in raw or "NotResource" in raw) else ("*",),
        conditional=bool(raw.get("Condition")),
        source=source,
        path=statement.path,
    )
    key = "NotAction" if "NotAction" in raw else "Action"
    found = []
    for effect_when, effect in statement.Effect.leaves(when):
        text = effect.text()
        if text not in ("Allow", "Deny"):
            found.append(_hidden(source, effect_when, effect, "the Effect of a statement"))
            continue
        for action_when, actions in statement[key].leaves(effect_when):
            patterns, complete = _strings(actions)
            hidden = None if complete else _hidden(source, action_when, actions, f"the {key} of a statement").hidden
            if key == "NotAction":
                found.append(Statement(text, not_actions=patterns, when=action_when, hidden=hidden, **common))
            else:
                found.append(Statement(text, actions=patterns, when=action_when, hidden=hidden, **common))
    return found


# ---- where a role's policies are ------------------------------------------------------------


@dataclass(frozen=True)
class PolicySource:
    """One policy a role (or a SAM function's generated role) gets, as written."""

    kind: Optional[str]
    """`document` (a policy document), `managed` (an AWS managed policy by name) or `policy-template`
    (a SAM policy template); None for a policy that cannot be read (an intrinsic, an ARN outside the
    template, a shape IAM does not take), which `hidden` then holds."""
    owner: Resource[Any]
    """The resource where it is written: the SAM function, the role, or an IAM policy resource."""
    path: JsonPath
    """Absolute JSON path of the document, the ARN or name, or the policy template entry."""
    when: Conditions = ()
    """The template conditions under which the role gets it."""
    document: Optional[Value] = None
    name: Optional[str] = None
    """The managed policy's or the policy template's name."""
    hidden: Optional[Unknown] = None
    """For a policy that cannot be read: the value that hides it, with why."""
    role: Optional[str] = None
    """The template role it reaches a function through (None for a role SAM generates)."""


def role_of(template: Template, value: Value) -> Optional[IamRole]:
    """The `AWS::IAM::Role` of the template a role ARN expression names (`!GetAtt R.Arn`, `!Sub ${R.Arn}`)."""
    tokens = value.tokens()
    if tokens is None or len(tokens) != 1 or tokens[0][0] != "att" or tokens[0][2] != "Arn":
        return None
    resource = template.resources.get(tokens[0][1])
    return resource if isinstance(resource, IamRole) else None


def unknown_source(owner: Resource[Any], value: Value, when: Conditions, what: str) -> PolicySource:
    detail = value.reason if isinstance(value, Unknown) else "outside the template"
    hidden = Unknown(f"{what} of '{owner.logical_id}' cannot be read here ({detail})", value.expr, value.path)
    return PolicySource(None, owner, value.path, when, hidden=hidden)


def arn_source(template: Template, owner: Resource[Any], arn: Value, when: Conditions) -> Optional[PolicySource]:
    """A managed policy ARN: a managed policy of the template (its document), an AWS managed policy
    (by name), or unknown. None for a managed policy of the template that attaches itself to `owner`
    through `Roles` (counted once, as an attached policy)."""
    target = template.resources.get(arn.ref or "")
    if isinstance(target, IamPolicy) and target.type == "AWS::IAM::ManagedPolicy":
        if any(resource is target for resource, _ in attached_policies(template, owner)):
            return None
        document = target.props.PolicyDocument
        return PolicySource(DOCUMENT, target, document.path, when, document=document)
    name = aws_managed_policy_name(arn)
    if name is not None:
        return PolicySource(MANAGED, owner, arn.path, when, name=name)
    return unknown_source(owner, arn, when, "a managed policy")


def _list_items(value: Value) -> Iterable[tuple[Conditions, Value]]:
    """Each item of a list property in every branch, with its conditions (unknown lists as items)."""
    for when, listing in value.leaves():
        if listing.absent:
            continue
        if not isinstance(listing.literal, list):
            yield when, listing
            continue
        for item in listing.items():
            for item_when, leaf in item.leaves(when):
                if not leaf.absent:
                    yield item_when, leaf


def role_sources(template: Template, role: IamRole) -> list[PolicySource]:
    """Every policy of an `AWS::IAM::Role` of the template, with the conditions it needs."""
    return template.memo(f"iam.role_sources.{role.logical_id}", lambda t: _role_sources(t, role))


def _role_sources(template: Template, role: IamRole) -> list[PolicySource]:
    found: list[PolicySource] = []
    for when, policy in _list_items(role.props.Policies):
        spec = policy.literal
        if isinstance(spec, InlinePolicy):
            document = spec.PolicyDocument
            found.append(PolicySource(DOCUMENT, role, document.path, when, document=document))
        else:
            found.append(unknown_source(role, policy, when, "an inline policy"))
    for when, arn in _list_items(role.props.ManagedPolicyArns):
        source = arn_source(template, role, arn, when)
        if source is not None:
            found.append(source)
    for resource, when in attached_policies(template, role):
        document = resource.props.PolicyDocument
        found.append(PolicySource(DOCUMENT, resource, document.path, when, document=document))
    return found


def attached_policies(template: Template, role: Resource[Any]) -> list[tuple[Resource[Any], Conditions]]:
    """IAM policy resources that attach themselves to `role` (through `Roles` / `RoleName`), each with
    the conditions under which it does."""
    return template.memo("iam.attachments", _attachments).get(role.logical_id, [])


def _attachments(template: Template) -> dict[str, list[tuple[Resource[Any], Conditions]]]:
    roles = [(role, [leaf.tokens() for leaf in role.props.RoleName.branches() if not leaf.absent]) for role in template.of(IamRole)]
    found: dict[str, list[tuple[Resource[Any], Conditions]]] = {}
    for resource in template.of(IamPolicy, IamRolePolicy):
        if isinstance(resource, IamRolePolicy):
            names = [(when, leaf) for when, leaf in resource.props.RoleName.leaves() if not leaf.absent]
        else:
            names = list(_list_items(resource.props.Roles))
        for role, role_names in roles:
            for when, name in names:
                tokens = name.tokens()
                if name.ref == role.logical_id or (tokens is not None and tokens in role_names):
                    found.setdefault(role.logical_id, []).append((resource, when))
                    break
    return found


# ---- what a role allows ---------------------------------------------------------------------


@dataclass
class RolePolicies:
    """Everything the template attaches to one role, as statements."""

    role: IamRole
    statements: list[Statement] = field(default_factory=list)
    managed_policies: list[str] = field(default_factory=list)
    """Names of the AWS managed policies in `ManagedPolicyArns` (known or not)."""

    @property
    def unreadable(self) -> list[Statement]:
        """What makes the picture incomplete: each part that could not be read (`hidden`)."""
        return [s for s in self.statements if s.hidden is not None]

    @property
    def complete(self) -> bool:
        return not self.unreadable

    def allows(self, action: str) -> Truth:
        """True where a statement allows `action` (and no unconditional wildcard-resource Deny removes
        it); False where every attached policy was read and none allows it; unknown otherwise."""
        allowed, maybe, denied = [], [], []
        for s in self.statements:
            covers = s.covers(action)
            if s.effect == "Deny" and covers.always and not s.conditional and "*" in s.resources:
                denied.append(holds_when(s.when))
            elif s.effect == "Allow" and covers.always:
                allowed.append(holds_when(s.when))
            elif s.hidden is not None and s.effect != "Deny" and covers.may_hold:
                maybe.append(holds_when(s.when, s.hidden, holds=None))
        return ~Truth.any_of(denied) & (Truth.any_of(allowed) | Truth.any_of(maybe))

    def allows_all(self, actions: Iterable[str]) -> Truth:
        """True where every action is allowed, False where one is certainly not, unknown otherwise."""
        return Truth.all_of(self.allows(a) for a in actions)


def role_policies(template: Template, role: IamRole) -> RolePolicies:
    """The statements and managed policies the template gives `role` (see the module docstring); read
    once per role (every function of the role, and several rules, ask)."""
    return template.memo(f"iam.role_policies.{role.logical_id}", lambda t: _role_policies(t, role))


def _role_policies(template: Template, role: IamRole) -> RolePolicies:
    result = RolePolicies(role=role)
    for source in role_sources(template, role):
        if source.kind == DOCUMENT and source.document is not None:
            result.statements.extend(document_statements(source.document, source.owner.logical_id, source.when))
        elif source.kind == MANAGED and source.name is not None:
            result.managed_policies.append(source.name)
            result.statements.extend(managed_statements(source))
        elif source.hidden is not None:
            result.statements.append(Statement("", source=source.owner.logical_id, when=source.when, hidden=source.hidden))
    return result


def managed_statements(source: PolicySource) -> list[Statement]:
    """The statements of an AWS managed policy, or one unreadable statement when it is not known here."""
    name = source.name or ""
    known = AWS_MANAGED_POLICIES.get(name)
    tag = f"aws:{name}"
    if known is None:
        reason = f"the AWS managed policy {name} (its content is not known here)"
        return [Statement("", source=tag, when=source.when, hidden=Unknown(reason, None, source.path))]
    return [
        Statement("Allow", actions=() if negated else p, not_actions=p if negated else None, source=tag, when=source.when)
        for p, negated in known
    ]
