"""The secret rules (SL211, SL212) report a secret without ever repeating it, in any output format."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, run_cli
from slens_lint.template import secrets

# Literal secrets in the fail fixtures; none may reach a message, a fix or any rendered output.
SECRET_VALUES = {
    "SL211/fail-sam.yaml": ["hunter2-but-longer", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "AKIAIOSFODNN7EXAMPLE",
                            "MIIB", "prod-signing-secret", "dev-signing-secret"],
    "SL211/fail-cfn.json": ["Tr0ub4dor&3", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"],
    "SL211/fail-conditions.yaml": ["dev-only-jwt-secret"],
    "SL212/fail-cfn.yaml": ["brokerPassword123", "xoxb-not-a-real-token"],
    "SL212/fail-sam.json": ["docdbPassword123"],
}


@pytest.mark.parametrize("fmt", ["text", "json", "parseable", "sarif", "github"])
def test_no_output_format_repeats_the_secret(fmt: str):
    files = [str(FIXTURES / "rules" / f) for f in sorted(SECRET_VALUES)]
    result = run_cli("check", "--select", "SL211", "--select", "SL212", "-f", fmt, *files)
    assert "SL211" in result.stdout and "SL212" in result.stdout, result.stdout + result.stderr
    for values in SECRET_VALUES.values():
        for value in values:
            assert value not in result.stdout and value not in result.stderr


@pytest.mark.parametrize(
    "name",
    ["DB_PASSWORD", "dbPassword", "DB_PASSWORD_2", "JWT_SECRET", "API_KEY", "MyAPIKeyValue", "APPSYNC_APIKEY", "SSHPrivateKey",
     "AWS_SECRET_ACCESS_KEY", "GatewayToken", "SalesforceOauthClientSecret", "DB_CREDENTIALS"],
)
def test_secret_like_names(name: str):
    assert secrets.secret_like_name(name)


@pytest.mark.parametrize(
    "name",
    ["SECRET_ARN", "SECRET_NAME", "SecretId", "PASSWORD_PARAM", "TABLE_NAME", "TOKEN_URL", "MAX_TOKENS",
     "API_KEY_HEADER", "AWS_ACCESS_KEY_ID", "S3Key", "KeyName", "CACertKey", "SSHPublicKey", "SecretUserName",
     "SecretsManagerSecretForMQ", "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "StripeAPIKeyName",
     # A trailing counter does not change what the name says.
     "DbSecretName2", "DB_SECRET_ARN_1", "ApiTokenParam2"],
)
def test_names_that_point_at_or_describe_a_secret_are_not_secret_like(name: str):
    assert not secrets.secret_like_name(name)
