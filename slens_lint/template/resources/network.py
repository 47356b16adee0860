"""VPC networking resources rules read: subnets (their Availability Zone, whether they give public
addresses) for the VPC rules and their fixes, interface endpoints for private APIs' policies."""

from __future__ import annotations

from typing import Any, ClassVar

from slens_lint.template.resources.base import ABSENT, Props, Resource, V


class SubnetProps(Props):
    # The zone as written is what the VPC rules compare (the same literal, or the same `!Select [0,
    # !GetAZs ""]` twice): free-form, not read as a string.
    AvailabilityZone: V[Any] = ABSENT
    AvailabilityZoneId: V[Any] = ABSENT
    MapPublicIpOnLaunch: V[bool] = ABSENT


class Subnet(Resource[SubnetProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::EC2::Subnet",)


class VpcEndpointProps(Props):
    # Compared token by token (`com.amazonaws.${AWS::Region}.execute-api`), as written.
    ServiceName: V[Any] = ABSENT


class VpcEndpoint(Resource[VpcEndpointProps]):
    TYPES: ClassVar[tuple[str, ...]] = ("AWS::EC2::VPCEndpoint",)
