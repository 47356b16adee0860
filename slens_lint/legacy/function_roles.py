"""Where a function's permissions are declared: each policy its execution role gets, as written.

`slens_lint.legacy.iam` answers "does this role allow action X" from normalised statements. Rules
that judge the *shape* of a grant (a wildcard action, a full-access managed policy) need more: which
document or ARN grants it, at which JSON path, and whether an `Fn::If` offers an alternative. This
module gives that, for both ways a function gets a role:

- a SAM function without `Role`: SAM builds the role from `Policies` (AWS managed policy names or ARNs,
  `!Ref` to a managed policy of the template, inline policy documents, SAM policy templates);
- a function whose `Role` names an `AWS::IAM::Role` of the template (`!GetAtt R.Arn`): the role's
  inline `Policies`, its `ManagedPolicyArns`, and the `AWS::IAM::Policy` / `ManagedPolicy` /
  `RolePolicy` resources that attach themselves to it.

A role outside the template (an ARN, a parameter) gives no sources: nothing can be said about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Optional

from slens_lint.legacy import iam, intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.resources.base import Resource

if TYPE_CHECKING:
    from slens_lint.legacy.model import Template

JsonPath = tuple[Any, ...]

DOCUMENT = "document"
MANAGED = "managed"
POLICY_TEMPLATE = "policy-template"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class PolicySource:
    """One policy a function's role gets."""

    kind: str
    """`document` (a policy document), `managed` (an AWS managed policy by name), `policy-template`
    (a SAM policy template), or `unknown` (an intrinsic or shape that cannot be read)."""
    owner: Resource
    """The resource where it is written: the SAM function, the role, or an IAM policy resource."""
    path: JsonPath
    """Absolute JSON path of the document, the ARN or name, or the policy template entry."""
    document: Any = None
    name: Optional[str] = None
    """The managed policy's or the policy template's name."""


PolicyChoice = tuple[Optional[PolicySource], ...]
"""The alternatives one entry can be through `Fn::If` (None for an `AWS::NoValue` branch); most
entries have exactly one."""


@dataclass(frozen=True)
class FunctionPolicies:
    function: Resource
    role: Optional[Resource]
    """The template's `AWS::IAM::Role` the function uses; None for a role SAM builds from `Policies`."""
    choices: tuple[PolicyChoice, ...]


def function_policies(template: "Template", function: Resource) -> Optional[FunctionPolicies]:
    """The policies of a function's execution role; None when the role cannot be read (outside the
    template, or chosen by a condition)."""
    role_value = function.raw_properties.get("Role")
    if role_value is None:
        if function.type != "AWS::Serverless::Function":
            return None
        return FunctionPolicies(function, None, tuple(_sam_policies(template, function)))
    role = iam.role_of(template, role_value)
    if role is None:
        return None
    return FunctionPolicies(function, role, tuple(role_sources(template, role)))


def role_sources(template: "Template", role: Resource) -> Iterator[PolicyChoice]:
    """The policies of an `AWS::IAM::Role` of the template, each entry with its `Fn::If` alternatives."""
    props = role.raw_properties
    for item, path in _entries(role, props.get("Policies"), "Policies"):
        alternatives: list[Optional[PolicySource]] = []
        for branch in intrinsics.branches(item):
            if branch is NO_VALUE:
                alternatives.append(None)
            elif isinstance(branch, dict) and not intrinsics.is_intrinsic(branch):
                doc_path = (*path, "PolicyDocument") if branch is item else path
                alternatives.append(PolicySource(DOCUMENT, role, doc_path, document=branch.get("PolicyDocument")))
            else:
                alternatives.append(PolicySource(UNKNOWN, role, path))
        yield tuple(alternatives)
    seen: set[str] = set()
    for item, path in _entries(role, props.get("ManagedPolicyArns"), "ManagedPolicyArns"):
        alternatives = []
        for branch in intrinsics.branches(item):
            source = None if branch is NO_VALUE else _arn_source(template, role, branch, path)
            if source is not None and source.kind == DOCUMENT:
                seen.add(source.owner.logical_id)
            alternatives.append(source)
        yield tuple(alternatives)
    for resource in _attached_policies(template, role):
        if resource.logical_id in seen:
            continue
        document = resource.raw_properties.get("PolicyDocument")
        yield (PolicySource(DOCUMENT, resource, resource.prop_path("PolicyDocument"), document=document),)


def _attached_policies(template: "Template", role: Resource) -> list[Resource]:
    """IAM policy resources that attach themselves to `role` (through `Roles` / `RoleName`)."""
    attached = iam.role_policies(template, role)
    sources = {s.source for s in attached.statements} | set(attached.unreadable)
    return [
        r
        for r in template.resources.values()
        if r.type in (*iam.POLICY_TYPES, iam.ROLE_POLICY_TYPE) and r.logical_id in sources
    ]


def _sam_policies(template: "Template", function: Resource) -> Iterator[PolicyChoice]:
    for item, path in _entries(function, function.raw_properties.get("Policies"), "Policies"):
        alternatives: list[Optional[PolicySource]] = []
        for branch in intrinsics.branches(item):
            if branch is NO_VALUE:
                alternatives.append(None)
            elif isinstance(branch, str):
                name = iam.aws_managed_policy_name(branch)
                if name is None and ":" not in branch:
                    # SAM turns a bare name into the AWS managed policy of that name.
                    name = branch.rsplit("/", 1)[-1]
                alternatives.append(PolicySource(MANAGED, function, path, name=name) if name else PolicySource(UNKNOWN, function, path))
            elif intrinsics.is_intrinsic(branch):
                alternatives.append(_arn_source(template, function, branch, path))
            elif isinstance(branch, dict) and "Statement" in branch:
                alternatives.append(PolicySource(DOCUMENT, function, path, document=branch))
            elif isinstance(branch, dict) and len(branch) == 1:
                (name,) = branch.keys()
                alternatives.append(PolicySource(POLICY_TEMPLATE, function, path, name=str(name)))
            else:
                alternatives.append(PolicySource(UNKNOWN, function, path))
        yield tuple(alternatives)


def _arn_source(template: "Template", owner: Resource, value: Any, path: JsonPath) -> PolicySource:
    target = template.resources.get(intrinsics.ref_target(value) or "")
    if target is not None and target.type == "AWS::IAM::ManagedPolicy":
        document = target.raw_properties.get("PolicyDocument")
        return PolicySource(DOCUMENT, target, target.prop_path("PolicyDocument"), document=document)
    name = iam.aws_managed_policy_name(value)
    if name is not None:
        return PolicySource(MANAGED, owner, path, name=name)
    return PolicySource(UNKNOWN, owner, path)


def _entries(owner: Resource, raw: Any, prop: str) -> Iterator[tuple[Any, JsonPath]]:
    """(item, path) of each entry of a list property (a single item counts as a list of one).

    A list chosen by `Fn::If` as a whole gives one entry, itself an `Fn::If` over every item of every
    branch: a rule that reports only when every alternative is bad then stays silent unless all of
    them are (conservative: a branch mixing a bad and a good item is not reported).
    """
    found = intrinsics.branches(raw)
    if len(found) == 1:
        branch = found[0]
        if branch is NO_VALUE or branch is None:
            return
        if isinstance(branch, list):
            for index, item in enumerate(branch):
                yield item, owner.prop_path(prop, index)
        else:
            yield branch, owner.prop_path(prop)
        return
    items: list[Any] = []
    for branch in found:
        if branch is NO_VALUE or branch is None or branch == []:
            items.append({"Ref": "AWS::NoValue"})
        elif isinstance(branch, list):
            items.extend(branch)
        else:
            items.append(branch)
    yield _as_if(items), owner.prop_path(prop)


def _as_if(items: list[Any]) -> Any:
    """A nested `Fn::If` whose branches are `items` (so `intrinsics.branches` gives them back)."""
    if len(items) == 1:
        return items[0]
    return {"Fn::If": ["(alternatives)", items[0], _as_if(items[1:])]}
