"""A function's (or capacity provider's) `VpcConfig`, read the way Lambda reads it.

Lambda wants subnets and security groups together: both non-empty attaches the function to the VPC,
both empty (or absent) detaches it, one without the other is rejected. `Fn::If` can make each of
`VpcConfig`, `SubnetIds` and `SecurityGroupIds` conditional, so the config is read as the list of
shapes it can take, one per combination of branches; rules decide per shape and report only when
every shape is bad.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any, Optional

from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.resources.base import Resource

_MAX_SHAPES = 64


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()
"""The key is absent (or `AWS::NoValue`) in this shape."""


@dataclass(frozen=True)
class VpcShape:
    """One value `VpcConfig` can take. `subnets` / `security_groups` are the raw values: a list, an
    intrinsic (a list parameter, `Fn::Split`...), or `MISSING`."""

    present: bool
    subnets: Any = MISSING
    security_groups: Any = MISSING

    @staticmethod
    def _given(value: Any) -> Optional[bool]:
        """True: a non-empty list or an intrinsic (a list parameter counts); False: absent or `[]`."""
        if value is MISSING or value is None:
            return False
        if isinstance(value, list):
            return bool(value)
        if intrinsics.is_intrinsic(value):
            return True
        return None

    @property
    def has_subnets(self) -> Optional[bool]:
        return self._given(self.subnets)

    @property
    def has_security_groups(self) -> Optional[bool]:
        return self._given(self.security_groups)

    @property
    def attached(self) -> bool:
        return self.present and self.has_subnets is True and self.has_security_groups is True

    @property
    def detached(self) -> bool:
        """Not in a VPC: no `VpcConfig`, or one with neither subnets nor security groups (the
        documented way to detach a function)."""
        return not self.present or (self.has_subnets is False and self.has_security_groups is False)

    @property
    def incomplete(self) -> bool:
        """Subnets without security groups or the reverse: Lambda rejects it."""
        return self.present and {self.has_subnets, self.has_security_groups} == {True, False}

    @property
    def subnet_list(self) -> Optional[list[Any]]:
        """The literal subnet list (items may be intrinsics), or None when its length is not known."""
        return self.subnets if isinstance(self.subnets, list) else None


def vpc_shapes(resource: Resource) -> list[VpcShape]:
    """Every shape the resource's `VpcConfig` can take; empty when one cannot be read (an intrinsic
    for the whole config, an unexpected type), so callers find nothing to report."""
    raw = resource.raw_properties.get("VpcConfig")
    if raw is None:
        return [VpcShape(present=False)]
    shapes: list[VpcShape] = []
    for config in intrinsics.branches(raw):
        if config is NO_VALUE:
            shapes.append(VpcShape(present=False))
            continue
        if not isinstance(config, dict) or intrinsics.is_intrinsic(config):
            return []
        subnet_options = _options(config, "SubnetIds")
        group_options = _options(config, "SecurityGroupIds")
        for subnets, groups in product(subnet_options, group_options):
            shapes.append(VpcShape(present=True, subnets=subnets, security_groups=groups))
            if len(shapes) > _MAX_SHAPES:
                return []
    return shapes


def _options(config: dict[str, Any], key: str) -> list[Any]:
    if key not in config or config[key] is None:
        return [MISSING]
    return [MISSING if b is NO_VALUE else b for b in intrinsics.branches(config[key])]


def attachment(resource: Resource) -> Optional[bool]:
    """True when the resource is attached to a VPC in every shape, False when in none, else None."""
    shapes = vpc_shapes(resource)
    if not shapes:
        return None
    if all(s.attached for s in shapes):
        return True
    if all(s.detached for s in shapes):
        return False
    return None
