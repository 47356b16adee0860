from __future__ import annotations

from typing import Iterator, Optional

from slens_lint.findings import Change, Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import secrets
from slens_lint.template.model import ParameterSubject, Template
from slens_lint.template.values import Truth, Value


class SecretParameterWithoutNoEcho(Rule):
    id = "SL212"
    severity = Severity.WARNING
    severity_reason = "warning: a secret parameter without NoEcho is shown in the console and in API responses."
    title = "Secret parameter without NoEcho, or NoEcho parameter with a Default"
    practice = "Security 9: Store secrets used in code securely"
    rationale = (
        "CloudFormation shows parameter values in the console, in `DescribeStacks` and in stack events "
        "unless the parameter is `NoEcho: true`: a password or token passed as a plain parameter is "
        "readable by anyone with read access to the stack. A `Default` on a `NoEcho` parameter defeats "
        "the masking: the value sits in plain text in the template and its repository."
    )
    fix = (
        "Set `NoEcho: true` on parameters that carry secrets and give them no `Default`; better, keep "
        "the secret in Secrets Manager and pass its name or ARN, or use a dynamic reference "
        "(`{{resolve:secretsmanager:...}}`) where the secret is used."
    )
    example = {
        "Parameters": {
            "DbPassword": {"Type": "String", "NoEcho": True, "MinLength": 16},
            "DbSecretArn": {"Type": "String", "Description": "ARN of the database secret"},
        }
    }
    example_bad = {
        "Parameters": {
            "DbPassword": {"Type": "String"},
            "ApiToken": {"Type": "String", "NoEcho": True, "Default": "<a real token>"},
        }
    }
    use_instead = (
        "A parameter whose name only sounds secret can be renamed (`...Arn`, `...Name`, `...Param` are "
        "not reported), or the finding suppressed for the template in its top-level `Metadata` with the "
        "reason. Empty and placeholder defaults (`''`, `<...>`, `Enter your ...`) are not reported."
    )
    references = (
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#parameters-section-structure-properties",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html",
    )
    service = "cloudformation"
    resource_types = ("Parameters",)

    subject = "parameter"
    fix_safety = "safe"
    fix_title = "set NoEcho: true"

    def subjects(self, template: Template) -> Iterator[ParameterSubject]:
        for parameter in template.parameters:
            masked = _masked(parameter, template)
            if masked.always or _secret_like(parameter, template):
                yield parameter
            elif masked.may_hold and _real_default(parameter, template) is not None:
                # NoEcho neither true nor false: the Default may be a masked value in plain text.
                yield parameter

    def judge(self, parameter: ParameterSubject, template: Template) -> Verdict:
        name = parameter.name
        masked = _masked(parameter, template)
        default = _real_default(parameter, template)
        if masked.always:
            return self.expect(
                parameter,
                Truth.of(default is None, parameter.value("Default", template)),
                f"Parameter '{name}' is NoEcho but has a Default: the masked value is in plain text in the "
                f"template and its repository.",
                at=parameter.path + ("Default",),
                fix=f"Remove the Default of '{name}' and pass the value at deployment (or from Secrets "
                f"Manager); rotate the value that was in the template.",
            )
        if not masked.never:
            return self.undecidable(parameter, f"NoEcho of parameter '{name}' is not true or false")
        exposed = " Its Default is also in plain text in the template." if default is not None else ""
        return self.not_met(
            parameter,
            f"Parameter '{name}' looks like a secret but is not NoEcho: CloudFormation shows its value "
            f"in the console, DescribeStacks and stack events.{exposed}",
            at=parameter.path,
            fix=f"Mark '{name}' NoEcho (and give it no Default), or pass the name or ARN of a Secrets "
            f"Manager secret instead:",
            snippet={name: {"Type": "String", "NoEcho": True}},
            # With a Default left in place, NoEcho alone would only move the finding: no automatic fix.
            changes=() if default is not None else (Change(parameter.path + ("NoEcho",), True),),
        )


def _masked(parameter: ParameterSubject, template: Template) -> Truth:
    """Whether the parameter is `NoEcho` (unknown when NoEcho is written but is not true or false)."""
    return parameter.value("NoEcho", template).is_true()


def _secret_like(parameter: ParameterSubject, template: Template) -> bool:
    # `AWS::SSM::Parameter::Value<String>` names a parameter, Number and lists are no secrets, and a
    # parameter limited to `AllowedValues` is a choice, not a secret.
    if parameter.value("Type", template).text() != "String" or parameter.value("AllowedValues", template).is_set():
        return False
    return secrets.secret_like_name(parameter.name)


def _real_default(parameter: ParameterSubject, template: Template) -> Optional[Value]:
    """The Default when it is a value someone could read a secret from (not empty, not a placeholder)."""
    default = parameter.value("Default", template)
    text = default.text()
    if text is None or secrets.is_placeholder(text):
        return None
    return default
