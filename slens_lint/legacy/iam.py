"""IAM as the template declares it: the statements a role carries, wherever they are written, and
whether they allow an action.

A role's permissions can come from its inline `Policies`, from `AWS::IAM::Policy` /
`AWS::IAM::ManagedPolicy` / `AWS::IAM::RolePolicy` resources that attach themselves to it, and from
its `ManagedPolicyArns` (AWS managed policies, or managed policies of the template). Anything that
cannot be read (a customer managed policy ARN, a parameter, an intrinsic policy document, an AWS
managed policy whose content is not known here) makes the answer "unknown" instead of "no": a rule
must not claim a permission is missing when it may sit in a document it cannot see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Optional

from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE, Unknown
from slens_lint.legacy.resources.base import Resource

if TYPE_CHECKING:
    from slens_lint.legacy.model import Template

JsonPath = tuple[Any, ...]

ROLE_TYPE = "AWS::IAM::Role"
POLICY_TYPES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
ROLE_POLICY_TYPE = "AWS::IAM::RolePolicy"

_AWS_MANAGED_ARN = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]+)$")

_LOGS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")


@dataclass(frozen=True)
class Statement:
    """One policy statement, normalised: actions as a tuple of patterns (or `not_actions`)."""

    effect: str
    actions: tuple[str, ...] = ()
    not_actions: Optional[tuple[str, ...]] = None
    """Set for a `NotAction` statement: it covers every action these patterns do not."""
    resources: tuple[Any, ...] = ("*",)
    conditional: bool = False
    source: str = ""
    """Where the statement comes from: a logical id, or `aws:<ManagedPolicyName>`."""
    path: Optional[JsonPath] = None
    """Its JSON path in the template (None for AWS managed policies)."""

    def covers(self, action: str) -> bool:
        if self.not_actions is not None:
            return not any(action_matches(p, action) for p in self.not_actions)
        return any(action_matches(p, action) for p in self.actions)


def _statements(*specs: tuple[str, ...], not_action: bool = False) -> tuple[Statement, ...]:
    return tuple(
        Statement(effect="Allow", not_actions=spec) if not_action else Statement(effect="Allow", actions=spec)
        for spec in specs
    )


# AWS managed policies whose content is stable and known. A policy not listed here is unknown: a rule
# asking about it gets no answer rather than a wrong one. Keep entries complete (every Allow).
AWS_MANAGED_POLICIES: dict[str, tuple[Statement, ...]] = {
    "AdministratorAccess": _statements(("*",)),
    "PowerUserAccess": _statements(("iam:*", "organizations:*", "account:*"), not_action=True)
    + _statements(
        (
            "account:GetAccountInformation",
            "account:GetPrimaryEmail",
            "account:ListRegions",
            "iam:CreateServiceLinkedRole",
            "iam:DeleteServiceLinkedRole",
            "iam:ListRoles",
            "organizations:DescribeOrganization",
        )
    ),
    "AWSLambdaBasicExecutionRole": _statements(_LOGS),
    "AWSLambdaVPCAccessExecutionRole": _statements(
        _LOGS
        + (
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
        )
    ),
    "AWSLambdaENIManagementAccess": _statements(
        (
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
        )
    ),
    "AWSLambdaMSKExecutionRole": _statements(
        (
            "kafka:DescribeCluster",
            "kafka:DescribeClusterV2",
            "kafka:GetBootstrapBrokers",
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeVpcs",
            "ec2:DeleteNetworkInterface",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
        )
        + _LOGS
    ),
    "AWSLambdaSQSQueueExecutionRole": _statements(
        ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes") + _LOGS
    ),
    "AWSLambdaKinesisExecutionRole": _statements(
        (
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:ListShards",
            "kinesis:ListStreams",
            "kinesis:SubscribeToShard",
        )
        + _LOGS
    ),
    "AWSLambdaDynamoDBExecutionRole": _statements(
        ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams")
        + _LOGS
    ),
    "AWSLambdaRole": _statements(("lambda:InvokeFunction",)),
    "AWSXRayDaemonWriteAccess": _statements(
        (
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
            "xray:GetSamplingStatisticSummaries",
        )
    ),
    "AWSXrayWriteOnlyAccess": _statements(
        (
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
            "xray:GetSamplingStatisticSummaries",
        )
    ),
    "CloudWatchLambdaInsightsExecutionRolePolicy": _statements(_LOGS),
    "AmazonEC2FullAccess": _statements(
        ("ec2:*", "elasticloadbalancing:*", "cloudwatch:*", "autoscaling:*", "iam:CreateServiceLinkedRole")
    ),
    "AmazonS3FullAccess": _statements(("s3:*", "s3-object-lambda:*")),
    "AmazonS3ReadOnlyAccess": _statements(
        ("s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*")
    ),
    "AmazonSQSFullAccess": _statements(("sqs:*",)),
    "AmazonSNSFullAccess": _statements(("sns:*",)),
}


@lru_cache(maxsize=1024)
def _pattern(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: case-insensitive, `*` and `?` wildcards (`ec2:*`, `ec2:*NetworkInterface*`)."""
    return _pattern(pattern).fullmatch(action) is not None


def aws_managed_policy_name(value: Any) -> Optional[str]:
    """The name of the AWS managed policy an ARN names (any partition, literal or `!Sub`), else None."""
    tokens = intrinsics.string_tokens(value)
    if tokens is None:
        return None
    text = ""
    for token in tokens:
        if token[0] == "lit":
            text += token[1]
        elif token == ("pseudo", "AWS::Partition"):
            text += "aws"
        else:
            return None
    match = _AWS_MANAGED_ARN.match(text)
    return match["name"] if match else None


def _strings(value: Any) -> Optional[tuple[str, ...]]:
    """A string or list of strings (an `Action` / `Resource`), None when any part is not literal."""
    value = intrinsics.as_raw(value)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def document_statements(document: Any, source: str = "", path: Optional[JsonPath] = None) -> Optional[list[Statement]]:
    """The statements of a policy document, through `Fn::If` (every branch's statements, so a caller
    asking "is X allowed anywhere" gets the union). None when the document cannot be read."""
    found: list[Statement] = []
    docs = intrinsics.branches(document)
    for doc in docs:
        if doc is NO_VALUE:
            continue
        if not isinstance(doc, dict) or intrinsics.is_intrinsic(doc):
            return None
        raw_statements = doc.get("Statement")
        statement_path = (*path, "Statement") if path is not None and len(docs) == 1 else None
        if isinstance(raw_statements, dict) or intrinsics.is_intrinsic(raw_statements):
            items = [raw_statements]
            indexed = False
        elif isinstance(raw_statements, list):
            items = raw_statements
            indexed = True
        else:
            return None
        for index, item in enumerate(items):
            item_path = (*statement_path, index) if statement_path is not None and indexed else statement_path
            for branch in intrinsics.branches(item):
                if branch is NO_VALUE:
                    continue
                statement = _statement(branch, source, item_path)
                if statement is None:
                    return None
                found.append(statement)
    return found


def _statement(raw: Any, source: str, path: Optional[JsonPath]) -> Optional[Statement]:
    if not isinstance(raw, dict) or intrinsics.is_intrinsic(raw):
        return None
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        return None
    resources = _strings(raw.get("Resource", raw.get("NotResource", "*")))
    common = dict(
        effect=effect,
        resources=resources if resources is not None else (Unknown(raw=raw.get("Resource")),),
        conditional=bool(raw.get("Condition")),
        source=source,
        path=path,
    )
    if "NotAction" in raw:
        not_actions = _strings(raw["NotAction"])
        return None if not_actions is None else Statement(not_actions=not_actions, **common)
    actions = _strings(raw.get("Action"))
    return None if actions is None else Statement(actions=actions, **common)


@dataclass
class RolePolicies:
    """Everything the template attaches to one role."""

    role: Resource
    statements: list[Statement] = field(default_factory=list)
    managed_policies: list[str] = field(default_factory=list)
    """Names of the AWS managed policies in `ManagedPolicyArns` (known or not)."""
    unreadable: list[str] = field(default_factory=list)
    """Why the picture is incomplete: each source that could not be read."""

    @property
    def complete(self) -> bool:
        return not self.unreadable

    def allows(self, action: str) -> Optional[bool]:
        """True when a statement allows `action` (and no unconditional wildcard-resource Deny removes
        it); False only when every attached policy was read and none allows it; None otherwise."""
        denied = any(
            s.effect == "Deny" and not s.conditional and "*" in s.resources and s.covers(action)
            for s in self.statements
        )
        if any(s.effect == "Allow" and s.covers(action) for s in self.statements):
            return False if denied else True
        return False if self.complete or denied else None

    def allows_all(self, actions: Iterable[str]) -> Optional[bool]:
        """True when every action is allowed, False when one is certainly not, None otherwise."""
        answers = [self.allows(a) for a in actions]
        if all(a is True for a in answers):
            return True
        if any(a is False for a in answers):
            return False
        return None


def role_of(template: "Template", value: Any) -> Optional[Resource]:
    """The `AWS::IAM::Role` of the template a role ARN expression names (`!GetAtt R.Arn`, `!Sub ${R.Arn}`)."""
    pair = intrinsics.getatt(value)
    if pair is None:
        tokens = intrinsics.string_tokens(value)
        if tokens is not None and len(tokens) == 1 and tokens[0][0] == "att":
            pair = (tokens[0][1], tokens[0][2])
    if pair is None or pair[1] != "Arn":
        return None
    resource = template.resources.get(pair[0])
    return resource if resource is not None and resource.type == ROLE_TYPE else None


def _names_role(template: "Template", role: Resource, value: Any) -> bool:
    """Whether a role-name expression (`!Ref R`, or the role's literal `RoleName`) names `role`."""
    if intrinsics.ref_target(value) == role.logical_id:
        return True
    role_name = role.raw_properties.get("RoleName")
    return role_name is not None and intrinsics.same_string(value, role_name)


def _attaches_to(template: "Template", resource: Resource, role: Resource) -> bool:
    if resource.type == ROLE_POLICY_TYPE:
        return any(
            b is not NO_VALUE and _names_role(template, role, b)
            for b in intrinsics.branches(resource.raw_properties.get("RoleName"))
        )
    roles = resource.raw_properties.get("Roles")
    for branch in intrinsics.branches(roles):
        items = intrinsics.as_list(branch)
        for item in items or []:
            if any(b is not NO_VALUE and _names_role(template, role, b) for b in intrinsics.branches(item)):
                return True
    return False


def role_policies(template: "Template", role: Resource) -> RolePolicies:
    """The statements and managed policies the template gives `role` (see the module docstring); read
    once per role (every function of the role, and several rules, ask)."""
    return template.memo(f"iam.role_policies.{role.logical_id}", lambda t: _role_policies(t, role))


def _role_policies(template: "Template", role: Resource) -> RolePolicies:
    result = RolePolicies(role=role)
    props = role.raw_properties

    inline = props.get("Policies")
    for branch in intrinsics.branches(inline):
        if branch is NO_VALUE or branch is None:
            continue
        if not isinstance(branch, list):
            result.unreadable.append(f"{role.logical_id}.Policies")
            continue
        for index, policy in enumerate(branch):
            for policy_branch in intrinsics.branches(policy):
                if policy_branch is NO_VALUE:
                    continue
                if not isinstance(policy_branch, dict) or intrinsics.is_intrinsic(policy_branch):
                    result.unreadable.append(f"{role.logical_id}.Policies[{index}]")
                    continue
                path = role.prop_path("Policies", index, "PolicyDocument") if branch is inline else None
                _add_document(result, policy_branch.get("PolicyDocument"), role.logical_id, path)

    managed = props.get("ManagedPolicyArns")
    for branch in intrinsics.branches(managed):
        if branch is NO_VALUE or branch is None:
            continue
        items = branch if isinstance(branch, list) else None
        if items is None:
            result.unreadable.append(f"{role.logical_id}.ManagedPolicyArns")
            continue
        for item in items:
            for arn in intrinsics.branches(item):
                if arn is NO_VALUE:
                    continue
                _add_managed(template, result, arn)

    for resource in template.resources.values():
        if resource.type not in (*POLICY_TYPES, ROLE_POLICY_TYPE):
            continue
        if _attaches_to(template, resource, role):
            _add_document(
                result,
                resource.raw_properties.get("PolicyDocument"),
                resource.logical_id,
                resource.prop_path("PolicyDocument"),
            )
    return result


def _add_document(result: RolePolicies, document: Any, source: str, path: Optional[JsonPath]) -> None:
    statements = document_statements(document, source, path)
    if statements is None:
        result.unreadable.append(source)
    else:
        result.statements.extend(statements)


def _add_managed(template: "Template", result: RolePolicies, arn: Any) -> None:
    target = template.resources.get(intrinsics.ref_target(arn) or "")
    if target is not None and target.type == "AWS::IAM::ManagedPolicy":
        # Attached both ways (Roles on the policy and the ARN on the role) it must count once.
        if not _attaches_to(template, target, result.role):
            _add_document(
                result, target.raw_properties.get("PolicyDocument"), target.logical_id, target.prop_path("PolicyDocument")
            )
        return
    name = aws_managed_policy_name(arn)
    if name is None:
        result.unreadable.append(str(intrinsics.literal_string(arn) or arn))
        return
    result.managed_policies.append(name)
    known = AWS_MANAGED_POLICIES.get(name)
    if known is None:
        result.unreadable.append(f"aws:{name}")
        return
    result.statements.extend(
        Statement(
            effect=s.effect,
            actions=s.actions,
            not_actions=s.not_actions,
            resources=s.resources,
            conditional=s.conditional,
            source=f"aws:{name}",
        )
        for s in known
    )
