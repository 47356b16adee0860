from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.function_roles import (
    DOCUMENT,
    MANAGED,
    POLICY_TEMPLATE,
    PolicySource,
    function_policies,
)
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

JsonPath = tuple[Any, ...]

_SERVICE_WILDCARD = re.compile(r"^[A-Za-z0-9-]+:\*$")
# AWS managed policies that grant whole services (or everything).
_FULL_ACCESS = re.compile(r"^(AdministratorAccess|PowerUserAccess)$|FullAccess")
# SAM policy templates whose statements grant a whole service.
_WILDCARD_POLICY_TEMPLATES = {"TextractPolicy": ("textract:*", "TextractDetectAnalyzePolicy and TextractGetResultPolicy")}


@dataclass
class _Grant:
    """One place that grants wildcard actions, and the functions whose role gets it."""

    owner: Resource
    path: JsonPath
    what: str
    """`actions s3:*, dynamodb:*` / `the AWS managed policy AdministratorAccess`."""
    fix: str
    functions: list[str] = field(default_factory=list)
    role: Optional[str] = None


class FunctionRoleWithWildcardActions(Rule):
    id = "SL210"
    severity = Severity.WARNING
    title = "Function role with wildcard actions or a full-access managed policy"
    practice = "Security 7: Compact, single-purpose functions"
    rationale = (
        "A function's execution role should allow the actions its code performs and no more. An "
        "`Allow` of `*` or `service:*` (or a `NotAction` allow), or an AWS managed policy such as "
        "`AdministratorAccess`, `PowerUserAccess` or `AmazonDynamoDBFullAccess`, lets anyone who gets "
        "code running in the function (a vulnerable dependency, an injection) delete tables, read every "
        "bucket or change IAM, far beyond what the function was written to do."
    )
    fix = (
        "Replace wildcards with the actions the function calls (`dynamodb:GetItem`, `dynamodb:PutItem`, "
        "...) on the resources it uses; in SAM prefer policy templates scoped to one resource "
        "(`DynamoDBCrudPolicy: {TableName: !Ref Table}`, `S3ReadPolicy`, `SQSSendMessagePolicy`)."
    )
    example = {
        "Resources": {
            "Worker": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Policies": [
                        {"DynamoDBReadPolicy": {"TableName": {"Ref": "Orders"}}},
                        {
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": ["s3:GetObject"],
                                    "Resource": {"Fn::Sub": "${Uploads.Arn}/*"},
                                }
                            ]
                        },
                    ],
                },
            }
        }
    }
    example_bad = {
        "Resources": {
            "Worker": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Policies": [
                        "AmazonDynamoDBFullAccess",
                        {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]},
                    ],
                },
            }
        }
    }
    use_instead = (
        "A function that administers a service on purpose (a custom resource that manages resources "
        "whose actions cannot be listed ahead) can keep the grant: suppress the finding on the function "
        "or the policy with the reason. `Deny` statements with wildcards are not reported."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html",
    )
    service = "iam"
    resource_types = (
        "AWS::Serverless::Function",
        "AWS::Lambda::Function",
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::RolePolicy",
    )

    def check(self, template: Template) -> Iterator[Violation]:
        grants: dict[JsonPath, _Grant] = {}
        for function in template.functions():
            policies = function_policies(template, function)
            if policies is None:
                continue
            role = policies.role.logical_id if policies.role is not None else None
            for choice in policies.choices:
                for grant in _bad_choice(choice):
                    known = grants.setdefault(grant.path, grant)
                    known.role = known.role or role
                    if function.logical_id not in known.functions:
                        known.functions.append(function.logical_id)
        for grant in grants.values():
            yield self._violation(template, grant)

    def _violation(self, template: Template, grant: _Grant) -> Violation:
        functions = grant.functions
        who = f"function '{functions[0]}'" + (f" (and {len(functions) - 1} more)" if len(functions) > 1 else "")
        owner = grant.owner
        if owner.logical_id in functions:
            where = f"Function '{owner.logical_id}' gets"
        elif owner.type == "AWS::IAM::Role":
            where = f"Role '{owner.logical_id}' of {who} grants"
        else:
            via = f" through role '{grant.role}'" if grant.role else ""
            where = f"Policy '{owner.logical_id}' gives {who}{via}"
        violation = self.report(
            template,
            owner,
            f"{where} {grant.what}: code running in the function can do far more than it needs "
            f"(least privilege).",
            path=grant.path,
            fix=grant.fix,
        )
        violation.owners = tuple(dict.fromkeys((owner.logical_id, *functions)))
        return violation


def _bad_choice(choice: tuple[Optional[PolicySource], ...]) -> list[_Grant]:
    """The grants of an entry when every `Fn::If` alternative of it grants wildcards (else none)."""
    found: list[_Grant] = []
    for source in choice:
        grants = _grants(source) if source is not None else []
        if not grants:
            return []
        found.extend(grants)
    if len(choice) > 1:
        # Alternatives: one finding at the entry, not one per branch.
        first = found[0]
        return [_Grant(first.owner, first.path, f"{first.what} (and every other Fn::If branch as much)", first.fix)]
    return found


def _grants(source: PolicySource) -> list[_Grant]:
    if source.kind == MANAGED and source.name and _FULL_ACCESS.search(source.name):
        return [
            _Grant(
                source.owner,
                source.path,
                f"the AWS managed policy {source.name}",
                f"Replace {source.name} with a policy that allows only the actions the function calls, "
                f"on its own resources (SAM policy templates, or an inline statement).",
            )
        ]
    if source.kind == POLICY_TEMPLATE and source.name in _WILDCARD_POLICY_TEMPLATES:
        actions, instead = _WILDCARD_POLICY_TEMPLATES[source.name]
        return [
            _Grant(
                source.owner,
                source.path,
                f"{actions} from the SAM policy template {source.name}",
                f"Use the narrower policy templates {instead} instead of {source.name}.",
            )
        ]
    if source.kind == DOCUMENT:
        return [
            _Grant(source.owner, path, what, "Replace the wildcard with the actions the function calls, on its resources.")
            for path, what in _wildcard_statements(source.document, source.path)
        ]
    return []


def _wildcard_statements(document: Any, path: JsonPath) -> list[tuple[JsonPath, str]]:
    """(path, description) of each Allow statement with wildcard actions, in every Fn::If branch."""
    docs = intrinsics.branches(document)
    if len(docs) != 1:
        per_branch = [_wildcard_statements(d, path) if d is not NO_VALUE else [] for d in docs]
        if per_branch and all(per_branch):
            return [(path, per_branch[0][0][1])]
        return []
    doc = docs[0]
    if not isinstance(doc, dict) or intrinsics.is_intrinsic(doc):
        return []
    raw = doc.get("Statement")
    direct = doc is document
    if isinstance(raw, dict) and not intrinsics.is_intrinsic(raw):
        items: list[tuple[Any, JsonPath]] = [(raw, (*path, "Statement"))]
    elif isinstance(raw, list):
        items = [(item, (*path, "Statement", index)) for index, item in enumerate(raw)]
    else:
        return []
    found = []
    for item, item_path in items:
        if not direct:
            item_path = path
        alternatives = [_wildcard(b) if b is not NO_VALUE else None for b in intrinsics.branches(item)]
        if alternatives and all(alternatives):
            key = _action_key(item) if len(alternatives) == 1 else None
            found.append(((*item_path, key) if key and direct else item_path, str(alternatives[0])))
    return found


def _action_key(statement: Any) -> Optional[str]:
    if isinstance(statement, dict):
        for key in ("Action", "NotAction"):
            if key in statement:
                return key
    return None


def _wildcard(statement: Any) -> Optional[str]:
    """What wildcard an Allow statement grants (`actions s3:*`), else None."""
    if not isinstance(statement, dict) or intrinsics.is_intrinsic(statement):
        return None
    if intrinsics.literal_string(statement.get("Effect")) != "Allow":
        return None
    if "NotAction" in statement:
        excluded = _literal_actions(statement.get("NotAction"))
        listed = ", ".join(excluded) if excluded else "a few"
        return f"every action except {listed} (Allow with NotAction)"
    actions = _literal_actions(statement.get("Action"))
    if "*" in actions:
        return "every action of every service ('*')"
    wild = [a for a in actions if _SERVICE_WILDCARD.match(a)]
    if wild:
        return f"every action of {', '.join(wild)}"
    return None


def _literal_actions(value: Any) -> list[str]:
    items = intrinsics.as_list(value) or []
    return [a.strip() for a in (intrinsics.literal_string(i) for i in items) if a is not None]
