from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import fix_names
from slens_lint.rules.base import Rule
from slens_lint.template import secrets
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import EnvironmentSpec, Function
from slens_lint.template.values import Case, Conditions, JsonPath, Truth, Value


@dataclass(frozen=True, eq=False)
class EnvironmentVariable:
    """One environment variable of a function (a subject): its value in every `Fn::If` branch."""

    function: Function
    name: str
    path: JsonPath
    values: tuple[tuple[Conditions, Value], ...]

    @property
    def key(self) -> str:
        return "/".join(map(str, self.path))

    @property
    def resource_id(self) -> Optional[str]:
        return self.function.logical_id

    @property
    def owners(self) -> tuple[str, ...]:
        return (self.function.logical_id,)

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return (self.path, *self.function.anchors)


class HardcodedSecretInEnvironment(Rule):
    id = "SL211"
    severity = Severity.ERROR
    severity_reason = (
        "error: a secret written into the template is in version control and in the stack's "
        "configuration for anyone who can read them."
    )
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

    subject = "environment variable"

    def subjects(self, template: Template) -> Iterator[Union[EnvironmentVariable, Function]]:
        # A variable inherited from Globals is one line shared by every function: judged once. The line,
        # not the path: under cfn-lint the Globals are merged into each function before rules run.
        seen: set[Any] = set()
        for function in template.functions():
            variables, hidden = _variables(function)
            for variable in variables:
                where = template.positions.exact(variable.path) or variable.path
                if where not in seen:
                    seen.add(where)
                    yield variable
            if hidden or not variables:
                yield function

    def judge(self, subject: Union[EnvironmentVariable, Function], template: Template) -> Verdict:
        if not isinstance(subject, EnvironmentVariable):
            _, hidden = _variables(subject)
            return self.undecidable(subject, hidden) if hidden else self.met(subject)
        name = subject.name
        truth = Truth(
            Case(when, _secret_kind(name, leaf) is None, leaf)
            for outer, value in subject.values
            for when, leaf in value.leaves(outer)
        )
        if truth.never:
            # A literal secret in every branch: one unconditional finding.
            truth = Truth.of(False, truth.cases[0].evidence)
        fid = subject.function.logical_id
        reference = _reference_name(name)

        def message() -> str:
            kind = next(_secret_kind(name, case.evidence) for case in truth.failing() if case.evidence is not None)
            return (
                f"Function '{fid}' has a hard-coded secret in environment variable '{name}' ({kind}): "
                f"anyone who can read the template, its repository or the function configuration can read it."
            )

        return self.expect(
            subject,
            truth,
            message,
            at=subject.path,
            fix=f"Store the value in Secrets Manager (or SSM SecureString), pass its ARN instead and read "
            f"it at initialisation; remove '{name}' from the template (and rotate the exposed value):",
            snippet=_secret_reference(template, fid, name, reference),
        )


def _variables(function: Function) -> tuple[list[EnvironmentVariable], list[Value]]:
    """The function's variables (each with its values per `Fn::If` branch), and what hides others."""
    found: dict[tuple[str, JsonPath], list[tuple[Conditions, Value]]] = {}
    hidden: list[Value] = []
    for when, environment in function.props.Environment.leaves():
        spec = environment.literal
        if environment.absent:
            continue
        if not isinstance(spec, EnvironmentSpec):
            hidden.append(environment)
            continue
        for inner, variables in spec.Variables.leaves(when):
            if variables.absent:
                continue
            if not variables.known:
                hidden.append(variables)
                continue
            for name, value in variables.entries().items():
                found.setdefault((name, value.path), []).append((inner, value))
    variables = [EnvironmentVariable(function, name, path, tuple(values)) for (name, path), values in found.items()]
    return variables, [value for value in hidden if value.unknown]


def _secret_kind(name: str, value: Value) -> Optional[str]:
    """Why a value is a hard-coded secret (never the value itself), else None. Only what the template
    writes counts: a parameter (its default is SL212's business), a reference, a dynamic reference or
    an expression that is not a plain string is no hard-coded secret (nor is a boolean: `true` and
    `false` are no secret values)."""
    if value.absent or value.resolved:
        return None
    text = value.text()
    if text is None or "{{resolve:" in text:
        return None
    shape = secrets.credential_shape(text)
    if shape is not None:
        return f"a value shaped like {shape}"
    if secrets.secret_like_name(name) and secrets.literal_secret_value(text):
        return "a literal value under a secret-like name"
    return None


def _secret_reference(template: Template, function_id: str, name: str, reference: str) -> dict[str, Any]:
    """The variable that passes the secret's ARN, from a parameter the fragment declares: where the
    secret is kept (Secrets Manager, SSM) is the deployer's to say, and its value must stay out."""
    parts = [part for part in re.split(r"[^A-Za-z0-9]+", name) if part]
    words = "".join(part.capitalize() if part.isupper() else part[:1].upper() + part[1:] for part in parts)
    parameter, exists = fix_names.parameter_name(template, f"{function_id}{words}SecretArn")
    description = f"ARN of the secret (Secrets Manager or SSM SecureString) holding {name} for {function_id}"
    declared = {} if exists else {parameter: fix_names.parameter(description)}
    return fix_names.fragment(function_id, {"Environment": {"Variables": {reference: {"Ref": parameter}}}}, parameters=declared)


def _reference_name(name: str) -> str:
    separator = "_" if name.isupper() or "_" in name else ""
    return f"{name}{separator}{'SECRET_ARN' if separator else 'SecretArn'}"
