from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity, Range
from slens_lint.template import secrets
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource


class HardcodedSecretInEnvironment(Rule):
    id = "SL211"
    severity = Severity.ERROR
    title = "Hard-coded secret in a function's environment variables"
    practice = "Security 9: Store secrets used in code securely"
    rationale = (
        "A literal password, token or key in `Environment.Variables` is stored in the template (and so "
        "in source control), in the deployment artifacts, and in the function configuration, where "
        "anyone with `lambda:GetFunctionConfiguration` or read access to the repository can read it. "
        "It cannot be rotated without a deployment and is the same in every environment. A value shaped "
        "like an AWS access key or a private key is a long-lived credential where the execution role's "
        "temporary credentials should be used instead."
    )
    fix = (
        "Move the secret to AWS Secrets Manager (or an SSM `SecureString` parameter) and read it at "
        "initialisation, caching it (the Parameters and Secrets Lambda extension or Powertools "
        "Parameters do this); pass only the secret's ARN or name in the environment. For AWS "
        "credentials, drop them and grant the execution role the permissions instead."
    )
    example = {
        "Resources": {
            "DbPassword": {
                "Type": "AWS::SecretsManager::Secret",
                "Properties": {"GenerateSecretString": {"PasswordLength": 32}},
            },
            "Worker": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Environment": {"Variables": {"DB_PASSWORD_SECRET_ARN": {"Ref": "DbPassword"}}},
                    "Policies": [{"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": {"Ref": "DbPassword"}}}],
                },
            },
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
                    "Environment": {"Variables": {"DB_PASSWORD": "<the literal password>"}},
                },
            }
        }
    }
    use_instead = (
        "A value that only looks secret (a public test fixture, a documented sample key) can be "
        "suppressed on the function with the reason. Names that point at a secret (`SECRET_ARN`, "
        "`SECRET_NAME`, `PASSWORD_PARAM`), `Ref`s to parameters and dynamic references "
        "(`{{resolve:secretsmanager:...}}`, `{{resolve:ssm-secure:...}}`) are not reported."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption",
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/security.html",
    )
    service = "lambda"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function")

    def check(self, template: Template) -> Iterator[Violation]:
        # A variable inherited from Globals is one line shared by every function: reported once.
        reported: dict[Range, Violation] = {}
        for function in template.functions():
            for name, kind, at in _secret_variables(function):
                violation = self._violation(template, function, name, kind, at)
                if violation.range in reported:
                    continue
                reported[violation.range] = violation
                yield violation

    def _violation(self, template: Template, function: Resource, name: str, kind: str, at: tuple[Any, ...]) -> Violation:
        fid = function.logical_id
        reference = _reference_name(name)
        return self.report(
            template,
            function,
            f"Function '{fid}' has a hard-coded secret in environment variable '{name}' ({kind}): "
            f"anyone who can read the template, its repository or the function configuration can read it.",
            at=at,
            fix=f"Store the value in Secrets Manager (or SSM SecureString), pass its ARN instead and read "
            f"it at initialisation; remove '{name}' from the template (and rotate the exposed value):",
            snippet={"Environment": {"Variables": {reference: {"Ref": "YourSecret"}}}},
        )


def _secret_variables(function: Resource) -> Iterator[tuple[str, str, tuple[Any, ...]]]:
    """(variable name, what makes it a secret, property path) for each hard-coded secret."""
    environment = function.raw_properties.get("Environment")
    for env_branch in intrinsics.branches(environment):
        if not isinstance(env_branch, dict) or intrinsics.is_intrinsic(env_branch):
            continue
        direct_env = env_branch is environment
        variables = env_branch.get("Variables")
        for var_branch in intrinsics.branches(variables):
            if not isinstance(var_branch, dict) or intrinsics.is_intrinsic(var_branch):
                continue
            direct = direct_env and var_branch is variables
            for name, value in var_branch.items():
                kind = _secret_kind(str(name), value)
                if kind is not None:
                    at = ("Environment", "Variables", str(name)) if direct else ("Environment",)
                    yield str(name), kind, at


def _secret_kind(name: str, value: Any) -> Optional[str]:
    """Why the value is a hard-coded secret (never the value itself), when every `Fn::If` branch is one."""
    kinds = []
    for branch in intrinsics.branches(value):
        if branch is NO_VALUE:
            return None
        text = intrinsics.literal_string(branch)
        if text is None or isinstance(branch, bool) or "{{resolve:" in text:
            return None
        shape = secrets.credential_shape(text)
        if shape is not None:
            kinds.append(f"a value shaped like {shape}")
        elif secrets.secret_like_name(name) and secrets.literal_secret_value(text):
            kinds.append("a literal value under a secret-like name")
        else:
            return None
    return kinds[0] if kinds else None


def _reference_name(name: str) -> str:
    separator = "_" if name.isupper() or "_" in name else ""
    return f"{name}{separator}{'SECRET_ARN' if separator else 'SecretArn'}"
