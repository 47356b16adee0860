from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import vpc_fixes
from slens_lint.rules.base import Rule
from slens_lint.template import expressions, vpc
from slens_lint.template.model import FUNCTION_TYPES, Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.network import Subnet
from slens_lint.template.values import Resolved, Truth, Unknown, Value

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
    severity_reason = "warning: a function in one Availability Zone stops when that zone does."
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

    subject = "VPC-attached function"

    def subjects(self, template: Template) -> Iterator[Resource[Any]]:
        return template.of_type(*FUNCTION_TYPES, *CAPACITY_PROVIDER_TYPES)

    def judge(self, resource: Resource[Any], template: Template) -> Verdict:
        reasons: list[str] = []

        def spread(subnets: Value) -> Truth:
            reason, answer = _single_zone(template, subnets)
            if reason is not None:
                reasons.append(reason)
            return answer

        truth = vpc.subnet_ids(resource).each(spread)
        name = resource.logical_id
        what = "Function" if resource.type in FUNCTION_TYPES else "Capacity provider"

        def message() -> str:
            reason = reasons[0]
            tail = _SINGLE_SUBNET_TAIL if reason == _SINGLE_SUBNET else ""
            return f"{what} '{name}' {reason}: it runs in one Availability Zone, so an outage of that zone stops it{tail}."

        fix = vpc_fixes.VpcFix()
        snippet: dict[str, Any] = {"SubnetIds": vpc_fixes.subnet_ids(template, resource, fix)}
        if fix.parameters:
            snippet = fix.snippet(name, {"VpcConfig": snippet})
        return self.expect(
            resource,
            truth,
            message,
            at=vpc.subnet_ids(resource),
            fix="Add subnets in other Availability Zones:",
            snippet=snippet,
        )


def _single_zone(template: Template, subnets: Value) -> tuple[Optional[str], Truth]:
    """Whether one `SubnetIds` value spreads the resource over several zones (False: why not)."""
    if subnets.absent:
        return None, Truth.of(True, subnets)
    if subnets.unknown:
        return None, Truth.of(None, subnets)
    items = subnets.items()
    if len(items) == 1:
        (item,) = items
        # A parameter's value as the only item may itself be a list (`[!Ref Subnets]` with a
        # `List<AWS::EC2::Subnet::Id>`): then the subnets it holds count, not the one item. Only the
        # shape of the resolved value tells a list from one subnet id.
        inner = item.literal if item.resolved else None
        if isinstance(inner, list) and len(inner) != 1:
            # A list parameter's value given as the only item: its subnets are outside the template.
            return None, Truth.of(True, item) if not inner else Truth.of(None, _zone_unknown(template, item))
        if not isinstance(inner, list) and _may_be_a_list(template, item):
            return None, Truth.of(None, _count_unknown(item))
        # A parameter's default (the list, or the one subnet) decided: the evidence names it.
        return _SINGLE_SUBNET, Truth.of(False, subnets if subnets.resolved else item)
    if not items:
        return None, Truth.of(True, subnets)
    zones = [_zone_of(template, item) for item in items]
    known = {zone for zone in zones if zone is not None}
    if len(known) > 1:
        return None, Truth.of(True, subnets)
    if len(known) == 1 and None not in zones:
        return "has all its subnets in the same Availability Zone", Truth.of(False, subnets)
    return None, Truth.of(None, _zone_unknown(template, next(i for i, z in zip(items, zones) if z is None)))


def _zone_unknown(template: Template, item: Value) -> Unknown:
    """What hides the item's zone. It keeps the item's expression, so the review names the parameters
    behind it (as `_count_unknown` does)."""
    subnet = template.resource(item.ref)
    if isinstance(subnet, Subnet):
        reason = f"subnet '{subnet.logical_id}' has no fixed Availability Zone in the template"
    else:
        named = item.parameter if isinstance(item, Resolved) else item.text() or item.ref
        shown = f"subnet '{named}'" if named else "a subnet"
        reason = f"the Availability Zone of {shown} is outside the template"
    return Unknown(reason, item.expr, item.path)


def _count_unknown(item: Value) -> Unknown:
    reason = item.reason if isinstance(item, Unknown) else "a list function"
    return Unknown(f"a subnet item that may be a whole list ({reason})", item.expr, item.path)


def _may_be_a_list(template: Template, item: Value) -> bool:
    if item.conditional:
        return True
    # Which function computes the item says whether it may return a whole list: a value keeps the
    # expression as written, not a name for its function.
    expr = item.expr
    if expressions.is_intrinsic(expr):
        ((fn, _),) = expr.items()
        if fn in _LIST_FUNCTIONS:
            return True
    name = item.parameter if isinstance(item, Resolved) else item.ref
    parameter = template.env.parameters.get(name or "")
    return parameter is not None and parameter.type.startswith(_LIST_PARAMETER_PREFIXES)


def _zone_of(template: Template, item: Value) -> Optional[str]:
    """A canonical form of the zone of a subnet of the template, when the template fixes it."""
    subnet = template.resource(item.ref)
    return vpc_fixes.zone_of(subnet) if isinstance(subnet, Subnet) else None
