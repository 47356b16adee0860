from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template.function_roles import (
    DOCUMENT,
    MANAGED,
    POLICY_TEMPLATE,
    PolicySource,
    function_policies,
)
from slens_lint.template.iam import Statement, document_statements, holds_when
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.values import Conditions, JsonPath, Truth

_SERVICE_WILDCARD = re.compile(r"^[A-Za-z0-9-]+:\*$")
# AWS managed policies that grant whole services (or everything).
_FULL_ACCESS = re.compile(r"^(AdministratorAccess|PowerUserAccess)$|FullAccess")
# SAM policy templates whose statements grant a whole service.
_WILDCARD_POLICY_TEMPLATES = {"TextractPolicy": ("textract:*", "TextractDetectAnalyzePolicy and TextractGetResultPolicy")}
_DOCUMENT_FIX = "Replace the wildcard with the actions the function calls, on its resources."


@dataclass(eq=False)
class Grant:
    """One place that grants wildcard actions (a subject), the conditions under which it does, and the
    functions whose role gets it."""

    owner: Resource[Any]
    path: JsonPath
    what: str
    """`actions s3:*, dynamodb:*` / `the AWS managed policy AdministratorAccess`."""
    fix: str
    whats: list[str] = field(default_factory=list)
    whens: list[Conditions] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)
    role: Optional[str] = None

    @property
    def key(self) -> str:
        return "/".join(map(str, self.path))

    @property
    def resource_id(self) -> Optional[str]:
        return self.owner.logical_id

    @property
    def owners(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.owner.logical_id, *self.functions)))

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return (self.path, *self.owner.anchors)


class FunctionRoleWithWildcardActions(Rule):
    id = "SL210"
    severity = Severity.WARNING
    severity_reason = (
        "warning: least privilege is a design-card check; wildcards grant far more than the function "
        "uses."
    )
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

    subject = "permission grant"

    def subjects(self, template: Template) -> Iterator[Union[Grant, Function]]:
        grants: dict[JsonPath, Grant] = {}
        quiet: list[Function] = []
        for function in template.functions():
            policies = function_policies(template, function)
            found = False
            for source in policies.sources:
                for grant in _grants(source):
                    found = True
                    known = grants.setdefault(grant.path, grant)
                    if known is not grant:
                        known.whats.extend(grant.whats)
                        known.whens.extend(grant.whens)
                    known.role = known.role or source.role
                    if function.logical_id not in known.functions:
                        known.functions.append(function.logical_id)
            if not found:
                quiet.append(function)
        yield from grants.values()
        yield from quiet

    def judge(self, subject: Union[Grant, Function], template: Template) -> Verdict:
        if not isinstance(subject, Grant):
            hidden = [h for source in function_policies(template, subject).sources for h in _hidden(source)]
            return self.undecidable(subject, hidden) if hidden else self.met(subject)
        granted = Truth.any_of(holds_when(when) for when in subject.whens)
        if granted.always:
            # Granted in every combination of conditions (every branch, or every function): say so once.
            granted = Truth.of(True)
        return self.expect(subject, ~granted, lambda: self._message(subject, granted), at=subject.path, fix=subject.fix)

    def _message(self, grant: Grant, granted: Truth) -> str:
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
        what = grant.what
        if len(set(grant.whats)) > 1 and granted.always:
            what += " (and every other Fn::If branch as much)"
        return f"{where} {what}: code running in the function can do far more than it needs (least privilege)."


def _grant(source: PolicySource, path: JsonPath, what: str, fix: str, when: Conditions) -> Grant:
    return Grant(source.owner, path, what, fix, whats=[what], whens=[when])


def _grants(source: PolicySource) -> list[Grant]:
    if source.kind == MANAGED and source.name and _FULL_ACCESS.search(source.name):
        fix = (
            f"Replace {source.name} with a policy that allows only the actions the function calls, "
            f"on its own resources (SAM policy templates, or an inline statement)."
        )
        return [_grant(source, source.path, f"the AWS managed policy {source.name}", fix, source.when)]
    if source.kind == POLICY_TEMPLATE and source.name in _WILDCARD_POLICY_TEMPLATES:
        actions, instead = _WILDCARD_POLICY_TEMPLATES[source.name]
        what = f"{actions} from the SAM policy template {source.name}"
        fix = f"Use the narrower policy templates {instead} instead of {source.name}."
        return [_grant(source, source.path, what, fix, source.when)]
    if source.kind == DOCUMENT and source.document is not None:
        found = []
        for statement in document_statements(source.document, source.owner.logical_id, source.when):
            what = _wildcard(statement)
            if what is not None and statement.path is not None:
                key = "NotAction" if statement.not_actions is not None else "Action"
                found.append(_grant(source, (*statement.path, key), what, _DOCUMENT_FIX, statement.when))
        return found
    return []


def _hidden(source: PolicySource) -> list[Any]:
    """What may hide a wildcard grant: an unreadable source, or an Allow that cannot be read whole."""
    if source.hidden is not None:
        return [source.hidden]
    if source.kind == DOCUMENT and source.document is not None:
        statements = document_statements(source.document, source.owner.logical_id, source.when)
        return [s.hidden for s in statements if s.hidden is not None and s.effect != "Deny"]
    return []


def _wildcard(statement: Statement) -> Optional[str]:
    """What wildcard an Allow statement grants (`actions s3:*`), else None."""
    if statement.effect != "Allow":
        return None
    if statement.not_actions is not None:
        listed = ", ".join(statement.not_actions) if statement.not_actions else "a few"
        return f"every action except {listed} (Allow with NotAction)"
    if "*" in statement.actions:
        return "every action of every service ('*')"
    wild = [a for a in statement.actions if _SERVICE_WILDCARD.match(a)]
    if wild:
        return f"every action of {', '.join(wild)}"
    return None
