"""What a VPC fix names (SL202, SL205, SL304): subnets in two Availability Zones or more, and a security
group, taken from the template when it has them, else created or asked for by the snippet.

Subnets and VPCs are the network team's more often than the application's: when the template declares
no subnets spread over two zones, the snippet declares a `List<AWS::EC2::Subnet::Id>` parameter for
them rather than inventing subnets. A security group is the function's own, so the snippet creates
`<Function>SecurityGroup` in the VPC of its subnets (or a VPC the template has, else one a parameter
names).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from slens_lint.rules import fix_names
from slens_lint.template import vpc
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.network import Subnet

VPC = "AWS::EC2::VPC"
SECURITY_GROUP = "AWS::EC2::SecurityGroup"


@dataclass
class VpcFix:
    """The values a snippet sets, with what it creates and the parameters it declares for them."""

    created: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)

    def snippet(self, resource_id: str, properties: dict[str, Any]) -> dict[str, Any]:
        return fix_names.fragment(resource_id, properties, self.created, self.parameters)


def zone_of(subnet: Subnet) -> Optional[str]:
    """A canonical form of a template subnet's zone when the template fixes it (`!Select [0, !GetAZs
    ""]` twice is the same zone, as is the same literal)."""
    for key, value in (("AvailabilityZone", subnet.props.AvailabilityZone), ("AvailabilityZoneId", subnet.props.AvailabilityZoneId)):
        if value.absent:
            continue
        if value.conditional:
            return None
        # The zone as written is what compares: the same literal, or the same expression (`!Select [0,
        # !GetAZs ""]`, a parameter's `Ref` whatever its value) twice is the same zone.
        written = value.literal if value.known else value.expr
        return key + json.dumps(written, sort_keys=True, default=str)
    return None


def subnet_ids(template: Template, resource: Resource[Any], fix: VpcFix) -> Any:
    """`SubnetIds` over two zones or more: the resource's own template subnets first, then one template
    subnet per other zone (private ones preferred); else a list parameter `<Resource>SubnetIds`."""
    written = [leaf.ref for leaf in _subnet_items(resource) if leaf.ref is not None]
    subnets = [s for s in template.of(Subnet) if zone_of(s) is not None]
    # Subnets that give instances public addresses are the last choice for a function.
    subnets.sort(key=lambda s: (s.logical_id not in written, s.props.MapPublicIpOnLaunch.is_true().may_hold))
    chosen: dict[str, str] = {}
    for subnet in subnets:
        zone = zone_of(subnet)
        if zone is not None and zone not in chosen:
            chosen[zone] = subnet.logical_id
    if len(chosen) >= 2:
        return [{"Ref": name} for name in chosen.values()]
    name, exists = fix_names.parameter_name(template, f"{resource.logical_id}SubnetIds")
    if not exists:
        description = f"Private subnets in two Availability Zones or more for {resource.logical_id}"
        fix.parameters[name] = fix_names.parameter(description, "List<AWS::EC2::Subnet::Id>")
    return {"Ref": name}


def security_group(template: Template, resource: Resource[Any], fix: VpcFix, subnets: Any = None) -> Any:
    """`<Resource>SecurityGroup`: the template's, else one the snippet creates in the VPC of the subnets
    (`subnets`: those the snippet sets, else the resource's own)."""
    name, exists = fix_names.resource_name(template, f"{resource.logical_id}SecurityGroup", SECURITY_GROUP)
    if not exists:
        properties = {
            "GroupDescription": f"Network access of {resource.logical_id}",
            "VpcId": _vpc_id(template, resource, fix, subnets),
        }
        fix.created[name] = {"Type": SECURITY_GROUP, "Properties": properties}
    return {"Ref": name}


def _vpc_id(template: Template, resource: Resource[Any], fix: VpcFix, subnets: Any) -> Any:
    # `subnets` is the snippet's own value (`[{"Ref": Subnet}, ...]` or a parameter's `Ref`), not the template's.
    named = [item.get("Ref") for item in subnets if isinstance(item, dict)] if isinstance(subnets, list) else []
    named += [leaf.ref for leaf in _subnet_items(resource) if leaf.ref is not None]
    subnet = next((n for n in named if isinstance(template.resource(n), Subnet)), None)
    if subnet is not None:
        return {"Fn::GetAtt": [subnet, "VpcId"]}
    vpcs = list(template.of_type(VPC))
    if len(vpcs) == 1:
        return {"Ref": vpcs[0].logical_id}
    name, exists = fix_names.parameter_name(template, f"{resource.logical_id}VpcId")
    if not exists:
        fix.parameters[name] = fix_names.parameter(f"The VPC {resource.logical_id} runs in", "AWS::EC2::VPC::Id")
    return {"Ref": name}


def _subnet_items(resource: Resource[Any]) -> list[Any]:
    return [item for leaf in vpc.subnet_ids(resource).branches() for item in leaf.items()]
