from __future__ import annotations

import json
from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.model import FUNCTION_TYPES, Template
from slens_lint.legacy.vpc import VpcShape, vpc_shapes

CAPACITY_PROVIDER_TYPES = ("AWS::Serverless::CapacityProvider", "AWS::Lambda::CapacityProvider")
SUBNET = "AWS::EC2::Subnet"
# Parameter types whose single value is already a list: `[!Ref Subnets]` is not one subnet.
_LIST_PARAMETER_PREFIXES = ("List<", "CommaDelimitedList", "AWS::SSM::Parameter::Value<List<")
_SINGLE_SUBNET = "is attached to a single subnet"
_SINGLE_SUBNET_TAIL = ", and the IP addresses of one subnet cap how far it scales"
_LIST_FUNCTIONS = ("Fn::Split", "Fn::GetAZs", "Fn::Cidr", "Fn::FindInMap", "Fn::ImportValue", "Fn::If")


class SingleAvailabilityZoneVpcConfig(Rule):
    id = "SL304"
    severity = Severity.WARNING
    title = "VPC function in a single Availability Zone"
    practice = "Reliability 7: Consider scaling patterns at burst rates"
    rationale = (
        "Outside a VPC, Lambda runs a function across the Availability Zones of the Region. Attached to "
        "a VPC, it runs only in the Availability Zones of its subnets: with one subnet (or subnets that "
        "are all in one zone), an outage of that zone stops the function, and every network interface "
        "and IP address comes from that one subnet, which caps how far it scales under bursts. The same "
        "holds for the instances of a Lambda capacity provider."
    )
    fix = "List subnets in at least two (ideally three) Availability Zones in `VpcConfig.SubnetIds`."
    example = {
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "VpcConfig": {
                        "SubnetIds": [{"Ref": "PrivateSubnetA"}, {"Ref": "PrivateSubnetB"}],
                        "SecurityGroupIds": [{"Ref": "FunctionSecurityGroup"}],
                    },
                },
            }
        }
    }
    use_instead = (
        "For a development stack where one zone is an accepted trade-off, suppress this rule for the "
        "template or the function with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/security-resilience.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "ec2"
    precision = "high"
    resource_types = (*FUNCTION_TYPES, *CAPACITY_PROVIDER_TYPES, SUBNET)

    def check(self, template: Template) -> Iterator[Violation]:
        for resource in template.of_type(*FUNCTION_TYPES, *CAPACITY_PROVIDER_TYPES):
            shapes = vpc_shapes(resource)
            reasons = [_single_zone(template, s) for s in shapes]
            if not reasons or any(r is None for r in reasons):
                continue
            name = resource.logical_id
            what = "Function" if resource.type in FUNCTION_TYPES else "Capacity provider"
            yield self.report(
                template,
                resource,
                f"{what} '{name}' {reasons[0]}: it runs in one Availability Zone, so an outage of that "
                f"zone stops it{_SINGLE_SUBNET_TAIL if reasons[0] == _SINGLE_SUBNET else ''}.",
                at=("VpcConfig", "SubnetIds"),
                fix="Add subnets in other Availability Zones:",
                snippet={"SubnetIds": [{"Ref": "PrivateSubnetA"}, {"Ref": "PrivateSubnetB"}]},
            )


def _single_zone(template: Template, shape: VpcShape) -> Optional[str]:
    """Why this VpcConfig shape confines the resource to one zone, or None."""
    if not shape.present:
        return None
    subnets = shape.subnet_list
    if subnets is None or not subnets:
        return None
    if len(subnets) == 1:
        if _may_be_a_list(template, subnets[0]):
            return None
        return _SINGLE_SUBNET
    zones = [_zone_of(template, item) for item in subnets]
    if all(z is not None for z in zones) and len(set(zones)) == 1:
        return "has all its subnets in the same Availability Zone"
    return None


def _may_be_a_list(template: Template, item: Any) -> bool:
    item = intrinsics.as_raw(item)
    if intrinsics.is_intrinsic(item):
        ((fn, _),) = item.items()
        if fn in _LIST_FUNCTIONS:
            return True
    name = intrinsics.ref_target(item)
    parameter = template.parameters.get(name) if name else None
    if isinstance(parameter, dict):
        kind = parameter.get("Type")
        return not isinstance(kind, str) or kind.startswith(_LIST_PARAMETER_PREFIXES)
    return False


def _zone_of(template: Template, item: Any) -> Optional[str]:
    """A canonical form of the zone of a subnet of the template, when the template fixes it."""
    subnet = template.resource(intrinsics.ref_target(item))
    if subnet is None or subnet.type != SUBNET:
        return None
    for key in ("AvailabilityZone", "AvailabilityZoneId"):
        value = subnet.raw_properties.get(key)
        if value is None:
            continue
        if any(b is intrinsics.NO_VALUE for b in intrinsics.branches(value)) or len(intrinsics.branches(value)) > 1:
            return None
        # `!Select [0, !GetAZs ""]` twice is the same zone, as is the same literal.
        return key + json.dumps(intrinsics.as_raw(value), sort_keys=True, default=str)
    return None
