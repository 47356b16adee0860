"""The IAM reading helpers: action wildcards, managed policy ARNs, and what a role of the template allows."""

from __future__ import annotations

import pytest

from slens_lint.template import iam, loader
from slens_lint.template.function_roles import function_policies
from slens_lint.template.managed_policies import aws_managed_policy_name
from slens_lint.template.model import Template
from slens_lint.template.values import free_form

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
    assert aws_managed_policy_name(free_form(value, ())) == expected


def test_document_statements_reads_single_statement_not_action_and_if_branches():
    document = {
        "Statement": [
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
            {"Fn::If": ["C", {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": "*"}, {"Ref": "AWS::NoValue"}]},
        ]
    }
    path = ("Resources", "P", "Properties", "PolicyDocument")
    statements = iam.document_statements(free_form(document, path), "P")
    not_action, send = statements
    assert not_action.covers("ec2:CreateNetworkInterface").always and not_action.covers("iam:PassRole").never
    assert send.covers("sqs:SendMessage").always
    assert not_action.path == (*path, "Statement", 0) and not_action.when == ()
    assert send.when == (("C", True),)

    single = iam.document_statements(free_form({"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}, ()))
    assert len(single) == 1 and single[0].effect == "Deny" and single[0].covers("s3:PutObject").always


@pytest.mark.parametrize(
    "document",
    [
        {"Fn::Sub": "{}"},
        {"Statement": [{"Effect": "Allow", "Action": {"Ref": "Actions"}, "Resource": "*"}]},
        {"Statement": [{"Effect": {"Ref": "Effect"}, "Action": "s3:*", "Resource": "*"}]},
        {"Statement": "nonsense"},
    ],
)
def test_unreadable_parts_are_hidden_statements(document):
    statements = iam.document_statements(free_form(document, ()), "P")
    assert statements and any(s.hidden is not None for s in statements)
    assert all(s.covers("s3:GetObject").may_hold for s in statements if s.hidden is not None)


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
    assert policies.allows("logs:PutLogEvents").always
    assert policies.allows_all(ENI).never


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
    assert {s.source for s in policies.unreadable} >= {"aws:SomePolicyNobodyListed", "Role"}
    unknown = policies.allows("ec2:CreateNetworkInterface")
    assert unknown.holds is None and not unknown.may_fail
    assert "SomePolicyNobodyListed" in unknown.unknown()[0].evidence.reason
    reasons = [s.hidden.reason for s in policies.unreadable]
    assert any("parameter 'Extra' has no default" in r for r in reasons)
    # What is known to be allowed stays allowed.
    assert policies.allows("logs:CreateLogStream").always


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
    assert policies.allows_all(ENI).always
    assert policies.allows("sqs:SendMessage").always
    assert policies.allows("s3:GetObject").never
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
    assert policies.allows("ec2:CreateNetworkInterface").never
    assert policies.allows("ec2:DescribeNetworkInterfaces").always


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

    def role_of(expression):
        return iam.role_of(template, free_form(expression, ()))

    assert role_of({"Fn::GetAtt": ["Role", "Arn"]}) is role
    assert role_of({"Fn::GetAtt": "Role.Arn"}) is role
    assert role_of({"Fn::Sub": "${Role.Arn}"}) is role
    assert role_of({"Fn::GetAtt": ["Role", "RoleId"]}) is None
    assert role_of({"Fn::GetAtt": ["Topic", "Arn"]}) is None
    assert role_of("arn:aws:iam::123456789012:role/worker") is None



def test_conditions_follow_attachments_policies_and_statements():
    policies = policies_of(
        f"""
Conditions:
  InVpc: !Equals [!Ref AWS::StackName, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:{TRUST}
      ManagedPolicyArns:
        - !If
          - InVpc
          - arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole
          - !Ref AWS::NoValue
  Guard:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: guard
      Roles: !If [InVpc, !Ref AWS::NoValue, [!Ref Role]]
      PolicyDocument:
        Statement:
          - {{Effect: Deny, Action: "ec2:*", Resource: "*"}}
"""
    )
    allowed = policies.allows_all(ENI)
    assert sorted((case.when, case.holds) for case in allowed.cases) == [((("InVpc", False),), False), ((("InVpc", True),), True)]


def test_function_policies_read_sam_policies_and_template_roles():
    template = model(
        f"""
Transform: AWS::Serverless-2016-10-31
Conditions:
  IsDev: !Equals [!Ref AWS::StackName, dev]
Resources:
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {{Effect: Allow, Action: "sqs:*", Resource: "*"}}
  Sam:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AWSLambdaBasicExecutionRole
        - !Sub arn:${{AWS::Partition}}:iam::aws:policy/AmazonS3ReadOnlyAccess
        - !Ref Shared
        - arn:aws:iam::123456789012:policy/custom
        - DynamoDBCrudPolicy: {{TableName: orders}}
        - Statement: [{{Effect: Allow, Action: "s3:GetObject", Resource: "*"}}]
        - !If [IsDev, AdministratorAccess, !Ref AWS::NoValue]
  Role:
    Type: AWS::IAM::Role
    Properties:{TRUST}
      ManagedPolicyArns: [!Ref Shared]
  Cfn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !If [IsDev, !GetAtt Role.Arn, arn:aws:iam::123456789012:role/outside]
"""
    )
    sam = function_policies(template, template.resources["Sam"])
    assert sam.roles == ()
    assert [(s.kind, s.name, s.owner.logical_id, s.when) for s in sam.sources] == [
        ("managed", "AWSLambdaBasicExecutionRole", "Sam", ()),
        ("managed", "AmazonS3ReadOnlyAccess", "Sam", ()),
        ("document", None, "Shared", ()),
        (None, None, "Sam", ()),
        ("policy-template", "DynamoDBCrudPolicy", "Sam", ()),
        ("document", None, "Sam", ()),
        ("managed", "AdministratorAccess", "Sam", (("IsDev", True),)),
    ]
    assert sam.sources[6].path == ("Resources", "Sam", "Properties", "Policies", 6)

    cfn = function_policies(template, template.resources["Cfn"])
    assert [r.logical_id for r in cfn.roles] == ["Role"]
    assert [(s.kind, s.owner.logical_id, s.role, s.when) for s in cfn.sources] == [
        ("document", "Shared", "Role", (("IsDev", True),)),
        (None, "Cfn", None, (("IsDev", False),)),
    ]
    assert "outside the template" in cfn.sources[1].hidden.reason
