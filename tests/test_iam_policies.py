"""The IAM reading helpers: action wildcards, managed policy ARNs, and what a role of the template allows."""

from __future__ import annotations

import pytest

from slens_lint.legacy import iam
from slens_lint.template import loader
from slens_lint.legacy.model import Template

ENI = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface")

TRUST = """
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
"""


def model(text: str) -> Template:
    decoded = loader.decode_text(text)
    assert not isinstance(decoded, loader.LoadError), decoded
    return Template(decoded.data)


def policies_of(text: str, role: str = "Role") -> iam.RolePolicies:
    template = model(text)
    return iam.role_policies(template, template.resources[role])


@pytest.mark.parametrize(
    "pattern, action, expected",
    [
        ("ec2:CreateNetworkInterface", "ec2:CreateNetworkInterface", True),
        ("EC2:createnetworkinterface", "ec2:CreateNetworkInterface", True),
        ("ec2:*", "ec2:DeleteNetworkInterface", True),
        ("ec2:*NetworkInterface*", "ec2:DescribeNetworkInterfaces", True),
        ("*", "s3:GetObject", True),
        ("ec2:Describe?etworkInterfaces", "ec2:DescribeNetworkInterfaces", True),
        ("ec2:Describe*", "ec2:CreateNetworkInterface", False),
        ("ec2:CreateNetworkInterfacePermission", "ec2:CreateNetworkInterface", False),
        ("s3:*", "ec2:CreateNetworkInterface", False),
        # Only * and ? are wildcards: brackets are literal characters.
        ("ec2:[C]reateNetworkInterface", "ec2:CreateNetworkInterface", False),
    ],
)
def test_action_matches(pattern, action, expected):
    assert iam.action_matches(pattern, action) is expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", "AWSLambdaVPCAccessExecutionRole"),
        ("arn:aws-cn:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", "AWSLambdaVPCAccessExecutionRole"),
        ("arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "AdministratorAccess"),
        (
            {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
            "AWSLambdaBasicExecutionRole",
        ),
        ({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/ReadOnlyAccess"]]}, "ReadOnlyAccess"),
        # A customer managed policy, a parameter, another pseudo parameter: not an AWS managed policy.
        ("arn:aws:iam::123456789012:policy/vpc-access", None),
        ({"Ref": "PolicyArn"}, None),
        ({"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:policy/vpc-access"}, None),
    ],
)
def test_aws_managed_policy_name(value, expected):
    assert iam.aws_managed_policy_name(value) == expected


def test_document_statements_reads_single_statement_not_action_and_if_branches():
    document = {
        "Statement": [
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
            {"Fn::If": ["C", {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": "*"}, {"Ref": "AWS::NoValue"}]},
        ]
    }
    statements = iam.document_statements(document, "P", ("Resources", "P", "Properties", "PolicyDocument"))
    assert statements is not None
    not_action, send = statements
    assert not_action.covers("ec2:CreateNetworkInterface") and not not_action.covers("iam:PassRole")
    assert send.covers("sqs:SendMessage")
    assert not_action.path == ("Resources", "P", "Properties", "PolicyDocument", "Statement", 0)

    single = iam.document_statements({"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}})
    assert single is not None and single[0].effect == "Deny" and single[0].covers("s3:PutObject")


@pytest.mark.parametrize(
    "document",
    [
        {"Fn::Sub": "{}"},
        {"Statement": [{"Effect": "Allow", "Action": {"Ref": "Actions"}, "Resource": "*"}]},
        {"Statement": [{"Effect": {"Ref": "Effect"}, "Action": "s3:*", "Resource": "*"}]},
        {"Statement": "nonsense"},
    ],
)
def test_unreadable_documents_are_none(document):
    assert iam.document_statements(document) is None


def test_known_managed_policy_answers_yes_or_no():
    policies = policies_of(
        f"""
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:{TRUST}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
"""
    )
    assert policies.complete
    assert policies.managed_policies == ["AWSLambdaBasicExecutionRole"]
    assert policies.allows("logs:PutLogEvents") is True
    assert policies.allows_all(ENI) is False


def test_unknown_policy_sources_make_the_answer_unknown():
    policies = policies_of(
        f"""
Parameters:
  Extra:
    Type: String
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:{TRUST}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - arn:aws:iam::aws:policy/SomePolicyNobodyListed
        - !Ref Extra
"""
    )
    assert not policies.complete
    assert set(policies.unreadable) >= {"aws:SomePolicyNobodyListed"}
    assert policies.allows("ec2:CreateNetworkInterface") is None
    # What is known to be allowed stays allowed.
    assert policies.allows("logs:CreateLogStream") is True


def test_every_attachment_route_counts():
    text = f"""
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:{TRUST}
      RoleName: worker-role
      ManagedPolicyArns: [!Ref Referenced]
      Policies:
        - PolicyName: inline
          PolicyDocument:
            Statement:
              - {{Effect: Allow, Action: "ec2:CreateNetworkInterface", Resource: "*"}}
  Attached:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: attached
      Roles: [worker-role]
      PolicyDocument:
        Statement:
          - {{Effect: Allow, Action: "ec2:DescribeNetworkInterfaces", Resource: "*"}}
  RolePolicy:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref Role
      PolicyName: role-policy
      PolicyDocument:
        Statement:
          - {{Effect: Allow, Action: "ec2:DeleteNetworkInterface", Resource: "*"}}
  Referenced:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {{Effect: Allow, Action: "sqs:SendMessage", Resource: "*"}}
  Unrelated:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: other
      Roles: [other-role]
      PolicyDocument:
        Statement:
          - {{Effect: Allow, Action: "s3:*", Resource: "*"}}
"""
    policies = policies_of(text)
    assert policies.complete
    assert policies.allows_all(ENI) is True
    assert policies.allows("sqs:SendMessage") is True
    assert policies.allows("s3:GetObject") is False
    sources = {s.source for s in policies.statements}
    assert sources == {"Role", "Attached", "RolePolicy", "Referenced"}
    inline = next(s for s in policies.statements if s.source == "Role")
    assert inline.path == ("Resources", "Role", "Properties", "Policies", 0, "PolicyDocument", "Statement", 0)


def test_unconditional_deny_removes_an_allow():
    policies = policies_of(
        f"""
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:{TRUST}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
      Policies:
        - PolicyName: guard
          PolicyDocument:
            Statement:
              - {{Effect: Deny, Action: "ec2:*NetworkInterface", Resource: "*"}}
"""
    )
    assert policies.allows("ec2:CreateNetworkInterface") is False
    assert policies.allows("ec2:DescribeNetworkInterfaces") is True


def test_role_of_reads_getatt_and_sub_forms_only_for_roles_of_the_template():
    template = model(
        f"""
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:{TRUST}
  Topic:
    Type: AWS::SNS::Topic
"""
    )
    role = template.resources["Role"]
    assert iam.role_of(template, {"Fn::GetAtt": ["Role", "Arn"]}) is role
    assert iam.role_of(template, {"Fn::GetAtt": "Role.Arn"}) is role
    assert iam.role_of(template, {"Fn::Sub": "${Role.Arn}"}) is role
    assert iam.role_of(template, {"Fn::GetAtt": ["Role", "RoleId"]}) is None
    assert iam.role_of(template, {"Fn::GetAtt": ["Topic", "Arn"]}) is None
    assert iam.role_of(template, "arn:aws:iam::123456789012:role/worker") is None
