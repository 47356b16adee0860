"""Where a function's permissions are declared: each policy its execution role gets, as written.

`iam` answers "does this role allow action X" from normalised statements. Rules that judge the
*shape* of a grant (a wildcard action, a full-access managed policy) need more: which document or ARN
grants it, at which JSON path, and under which `Fn::If` conditions. This module gives that, for both
ways a function gets a role:

- a SAM function without `Role`: SAM builds the role from `Policies` (AWS managed policy names or ARNs,
  `!Ref` to a managed policy of the template, inline policy documents, SAM policy templates);
- a function whose `Role` names an `AWS::IAM::Role` of the template (`!GetAtt R.Arn`): the role's
  inline `Policies`, its `ManagedPolicyArns`, and the `AWS::IAM::Policy` / `ManagedPolicy` /
  `RolePolicy` resources that attach themselves to it.

A role outside the template (an ARN, a parameter) is one `unknown` source: nothing can be said about it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from slens_lint.template import iam
from slens_lint.template.iam import DOCUMENT, MANAGED, POLICY_TEMPLATE, PolicySource
from slens_lint.template.managed_policies import aws_managed_policy_name
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function, SamFunction
from slens_lint.template.resources.other import IamRole
from slens_lint.template.values import Conditions, Value, merge_conditions

__all__ = ["DOCUMENT", "MANAGED", "POLICY_TEMPLATE", "FunctionPolicies", "PolicySource", "function_policies"]


@dataclass(frozen=True)
class FunctionPolicies:
    function: Function
    roles: tuple[IamRole, ...]
    """The template's `AWS::IAM::Role`s the function uses (in some branch); none for a role SAM
    builds from `Policies`."""
    sources: tuple[PolicySource, ...]


def function_policies(template: Template, function: Function) -> FunctionPolicies:
    """The policies of a function's execution role in every `Fn::If` branch of its `Role`."""
    roles: list[IamRole] = []
    sources: list[PolicySource] = []
    for when, role_value in function.props.Role.leaves():
        if role_value.absent:
            if isinstance(function, SamFunction):
                sources.extend(_sam_policies(template, function, when))
            continue
        role = iam.role_of(template, role_value)
        if role is None:
            sources.append(iam.unknown_source(function, role_value, when, "the execution role"))
            continue
        if role not in roles:
            roles.append(role)
        for source in iam.role_sources(template, role):
            merged = merge_conditions(when, source.when)
            if merged is not None:
                sources.append(replace(source, when=merged, role=role.logical_id))
    return FunctionPolicies(function, tuple(roles), tuple(sources))


def _entries(value: Value) -> Iterator[tuple[Conditions, Value]]:
    """Each entry of SAM `Policies` (a single item counts as a list of one), per `Fn::If` branch.

    `Policies` is free-form (a name, an ARN, a document, a policy template, or a list of them): a
    single entry is a list of one."""
    for when, listing in value.leaves():
        if listing.absent:
            continue
        items = listing.items() if isinstance(listing.literal, list) else [listing]
        for item in items:
            for item_when, leaf in item.leaves(when):
                if not leaf.absent:
                    yield item_when, leaf


def _sam_policies(template: Template, function: SamFunction, when: Conditions) -> Iterator[PolicySource]:
    for entry_when, item in _entries(function.props.Policies):
        conditions = merge_conditions(when, entry_when)
        if conditions is None:
            continue
        raw = item.literal
        if isinstance(raw, str):
            name = aws_managed_policy_name(item)
            if name is None and ":" not in raw:
                # SAM turns a bare name into the AWS managed policy of that name.
                name = raw.rsplit("/", 1)[-1]
            if name:
                yield PolicySource(MANAGED, function, item.path, conditions, name=name)
            else:
                yield iam.unknown_source(function, item, conditions, "a managed policy")
        elif item.unknown:
            source = iam.arn_source(template, function, item, conditions)
            if source is not None:
                yield source
        elif isinstance(raw, dict) and "Statement" in raw:
            yield PolicySource(DOCUMENT, function, item.path, conditions, document=item)
        elif isinstance(raw, dict) and len(raw) == 1:
            (name,) = raw.keys()
            yield PolicySource(POLICY_TEMPLATE, function, item.path, conditions, name=str(name))
        else:
            yield iam.unknown_source(function, item, conditions, "a policy")
