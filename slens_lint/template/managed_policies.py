"""AWS managed policies: their names in ARNs, and the content of the few whose content is stable.

A policy not listed in `AWS_MANAGED_POLICIES` is unknown here: a rule asking about it gets no answer
rather than a wrong one. Keep entries complete (every Allow of the policy).
"""

from __future__ import annotations

import re
from typing import Optional

from slens_lint.template import expressions
from slens_lint.template.values import Value

_AWS_MANAGED_ARN = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]+)$")

Grant = tuple[tuple[str, ...], bool]
"""Action patterns of one Allow statement, and whether they are its `NotAction`."""

_LOGS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")
_XRAY = (
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
)


def _allow(*actions: str) -> tuple[Grant, ...]:
    return ((actions, False),)


AWS_MANAGED_POLICIES: dict[str, tuple[Grant, ...]] = {
    "AdministratorAccess": _allow("*"),
    "PowerUserAccess": ((("iam:*", "organizations:*", "account:*"), True),)
    + _allow(
        "account:GetAccountInformation",
        "account:GetPrimaryEmail",
        "account:ListRegions",
        "iam:CreateServiceLinkedRole",
        "iam:DeleteServiceLinkedRole",
        "iam:ListRoles",
        "organizations:DescribeOrganization",
    ),
    "AWSLambdaBasicExecutionRole": _allow(*_LOGS),
    "AWSLambdaVPCAccessExecutionRole": _allow(
        *_LOGS,
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
    ),
    "AWSLambdaENIManagementAccess": _allow(
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
    ),
    "AWSLambdaMSKExecutionRole": _allow(
        "kafka:DescribeCluster",
        "kafka:DescribeClusterV2",
        "kafka:GetBootstrapBrokers",
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeVpcs",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        *_LOGS,
    ),
    "AWSLambdaSQSQueueExecutionRole": _allow("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", *_LOGS),
    "AWSLambdaKinesisExecutionRole": _allow(
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
        "kinesis:ListStreams",
        "kinesis:SubscribeToShard",
        *_LOGS,
    ),
    "AWSLambdaDynamoDBExecutionRole": _allow(
        "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams", *_LOGS
    ),
    "AWSLambdaRole": _allow("lambda:InvokeFunction"),
    "AWSXRayDaemonWriteAccess": _allow(*_XRAY),
    "AWSXrayWriteOnlyAccess": _allow(*_XRAY),
    "CloudWatchLambdaInsightsExecutionRolePolicy": _allow(*_LOGS),
    "AmazonEC2FullAccess": _allow(
        "ec2:*", "elasticloadbalancing:*", "cloudwatch:*", "autoscaling:*", "iam:CreateServiceLinkedRole"
    ),
    "AmazonS3FullAccess": _allow("s3:*", "s3-object-lambda:*"),
    "AmazonS3ReadOnlyAccess": _allow(
        "s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"
    ),
    "AmazonSQSFullAccess": _allow("sqs:*"),
    "AmazonSNSFullAccess": _allow("sns:*"),
}


def aws_managed_policy_name(value: Value) -> Optional[str]:
    """The name of the AWS managed policy an ARN names (any partition, literal, `!Sub`, or a parameter's
    value), else None."""
    text = value.text() if value.resolved else None
    tokens = expressions.string_tokens(text) if text is not None else value.tokens()
    if tokens is None:
        return None
    arn = ""
    for token in tokens:
        if token[0] == "lit":
            arn += token[1]
        elif token == ("pseudo", "AWS::Partition"):
            arn += "aws"
        else:
            return None
    match = _AWS_MANAGED_ARN.match(arn)
    return match["name"] if match else None
