from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.template import secrets
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.model import Template


class SecretParameterWithoutNoEcho(Rule):
    id = "SL212"
    severity = Severity.WARNING
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

    def check(self, template: Template) -> Iterator[Violation]:
        for name, parameter in template.parameters.items():
            if not isinstance(parameter, dict):
                continue
            violation = self._check(template, str(name), parameter)
            if violation is not None:
                yield violation

    def _check(self, template: Template, name: str, parameter: dict[str, Any]) -> Optional[Violation]:
        no_echo = intrinsics.truthy(parameter.get("NoEcho"))
        default = _real_default(parameter)
        if no_echo:
            if default is None:
                return None
            return self.report_at(
                template,
                name,
                ("Parameters", name, "Default"),
                f"Parameter '{name}' is NoEcho but has a Default: the masked value is in plain text in the "
                f"template and its repository.",
                fix=f"Remove the Default of '{name}' and pass the value at deployment (or from Secrets "
                f"Manager); rotate the value that was in the template.",
            )
        if no_echo is None and "NoEcho" in parameter:
            return None
        if not _secret_like(name, parameter):
            return None
        exposed = " Its Default is also in plain text in the template." if default is not None else ""
        return self.report_at(
            template,
            name,
            ("Parameters", name),
            f"Parameter '{name}' looks like a secret but is not NoEcho: CloudFormation shows its value "
            f"in the console, DescribeStacks and stack events.{exposed}",
            fix=f"Mark '{name}' NoEcho (and give it no Default), or pass the name or ARN of a Secrets "
            f"Manager secret instead:",
            snippet={name: {"Type": "String", "NoEcho": True}},
        )


def _secret_like(name: str, parameter: dict[str, Any]) -> bool:
    # `AWS::SSM::Parameter::Value<String>` names a parameter, Number and lists are no secrets, and a
    # parameter limited to `AllowedValues` is a choice, not a secret.
    if parameter.get("Type") != "String" or "AllowedValues" in parameter:
        return False
    return secrets.secret_like_name(name)


def _real_default(parameter: dict[str, Any]) -> Optional[str]:
    """The Default when it is a value someone could read a secret from (not empty, not a placeholder)."""
    if "Default" not in parameter:
        return None
    text = intrinsics.literal_string(parameter.get("Default"))
    if text is None or secrets.is_placeholder(text):
        return None
    return text
