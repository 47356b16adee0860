"""A function's (or capacity provider's) `VpcConfig`, read the way Lambda reads it.

Lambda wants subnets and security groups together: both non-empty attaches the function to the VPC,
both empty (or absent) detaches it, one without the other is rejected. `Fn::If` can make each of
`VpcConfig`, `SubnetIds` and `SecurityGroupIds` conditional; every answer here is a `Truth`, so a rule
says which condition leads to which shape. A whole `VpcConfig` that is an intrinsic answers unknown;
a subnet list that is an intrinsic (a list parameter, `Fn::Split`) counts as given.
"""

from __future__ import annotations

from typing import Any, Callable

from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.lambda_ import VpcConfigSpec
from slens_lint.template.values import Truth, Value


def _items_given(value: Value) -> Truth:
    """True where a non-empty list (or an intrinsic list) is given, False where absent or `[]`."""

    def check(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(False, leaf)
        if leaf.unknown:
            return Truth.of(True, leaf)
        literal = leaf.literal
        return Truth.of(bool(literal) if isinstance(literal, list) else None, leaf)

    return value.each(check)


def _per_config(resource: Resource[Any], question: Callable[[VpcConfigSpec | None], Truth]) -> Truth:
    def check(config: Value) -> Truth:
        if config.absent:
            return question(None)
        spec = config.literal
        if not isinstance(spec, VpcConfigSpec):
            return Truth.of(None, config)
        return question(spec)

    return resource.props.value_of("VpcConfig").each(check)


def subnets_given(resource: Resource[Any]) -> Truth:
    return _per_config(resource, lambda c: Truth.of(False) if c is None else _items_given(c.SubnetIds))


def attached(resource: Resource[Any]) -> Truth:
    """In a VPC: subnets and security groups both given."""
    return _per_config(
        resource,
        lambda c: Truth.of(False) if c is None else _items_given(c.SubnetIds) & _items_given(c.SecurityGroupIds),
    )


def detached(resource: Resource[Any]) -> Truth:
    """Not in a VPC: no `VpcConfig`, or one with neither subnets nor security groups (the documented
    way to detach a function)."""
    return _per_config(
        resource,
        lambda c: Truth.of(True) if c is None else ~_items_given(c.SubnetIds) & ~_items_given(c.SecurityGroupIds),
    )


def incomplete(resource: Resource[Any]) -> Truth:
    """Subnets without security groups or the reverse: Lambda rejects it."""

    def question(config: VpcConfigSpec | None) -> Truth:
        if config is None:
            return Truth.of(False)
        subnets, groups = _items_given(config.SubnetIds), _items_given(config.SecurityGroupIds)
        return (subnets & ~groups) | (~subnets & groups)

    return _per_config(resource, question)


def subnet_ids(resource: Resource[Any]) -> Value:
    """The `VpcConfig.SubnetIds` value (every branch)."""
    return resource.props.value_of("VpcConfig").SubnetIds
