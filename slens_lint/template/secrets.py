"""What looks like a secret: names (environment variables, parameters) and literal values.

Read by the rules on hard-coded secrets (SL211) and on secret parameters (SL212), and by every output
that could show a parameter's value (a secret one never is). The name test is
deliberately narrow, tuned on real templates: a name is secret-like when it says *password*,
*secret*, *token*, *credentials*, *API key*, *private key* or *access key*, unless it names where a
secret lives or something about it (`SECRET_ARN`, `SecretName`, `PASSWORD_PARAM`, `TOKEN_URL`,
`SecretsManagerSecretForMQ`), and plain `...Key` (an S3 object key, a key pair name) never counts.

Nothing here returns or formats a secret value: callers get a yes/no and a description of the shape.
"""

from __future__ import annotations

import re
from typing import Optional

# camelCase, PascalCase with acronyms (`MyAPIKeyValue`), snake_case, kebab-case, dotted.
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

_SECRET_WORDS = frozenset(
    {"password", "passwords", "passwd", "passphrase", "secret", "token", "credential", "credentials"}
)
# Lower-case words that hide a secret word inside (`dbpassword`, `APPSYNC_APIKEY`).
_SECRET_FRAGMENTS = ("password", "passwd", "apikey", "privatekey", "accesskey", "secretkey", "authtoken")
_SECRET_PAIRS = frozenset({("api", "key"), ("private", "key"), ("access", "key"), ("signing", "key")})

# A last word that makes the name describe a secret rather than hold one.
_DESCRIBING_WORDS = frozenset(
    {
        "arn", "arns", "name", "names", "id", "ids", "param", "params", "parameter", "parameters",
        "path", "paths", "url", "urls", "uri", "endpoint", "host", "port", "file", "bucket", "table",
        "region", "version", "stage", "length", "size", "ttl", "type", "enabled", "disabled", "enable",
        "header", "location", "prefix", "suffix", "policy", "role", "account", "expiry", "expiration",
        "expires", "rotation", "field", "attribute", "format", "algorithm", "mode", "provider", "issuer",
        "audience", "scope", "scopes", "duration", "limit", "count", "tokens", "user", "username",
        "label", "key",
    }
)
# Words anywhere in the name that make it point at a secret store, not hold a value.
_REFERENCE_WORDS = frozenset({"arn", "ssm", "secretsmanager", "kms"})
_REFERENCE_PAIRS = frozenset({("secrets", "manager"), ("parameter", "store")})


def words(name: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(name)]


def secret_like_name(name: str) -> bool:
    """Whether an environment variable or parameter name says it holds a secret value."""
    parts = words(name)
    # A trailing counter (`SecretName2`, `DB_PASSWORD_ARN_1`) does not change what the name says.
    while parts and parts[-1].isdigit():
        parts.pop()
    if not parts:
        return False
    if any(w in _REFERENCE_WORDS for w in parts):
        return False
    pairs = set(zip(parts, parts[1:]))
    if pairs & _REFERENCE_PAIRS:
        return False
    last = parts[-1]
    # `API_KEY_ID` and `ACCESS_KEY_ID` name a key, they are not one; `SECRET_KEY` is, so "key" after a
    # secret word does not describe.
    if last in _DESCRIBING_WORDS and not (last == "key" and len(parts) > 1 and _names_key_secret(parts)):
        return False
    if any(w in _SECRET_WORDS for w in parts):
        return True
    if pairs & _SECRET_PAIRS:
        return True
    return any(fragment in w for w in parts for fragment in _SECRET_FRAGMENTS)


def _names_key_secret(parts: list[str]) -> bool:
    """`...API_KEY`, `PRIVATE_KEY`, `SECRET_KEY`, `ACCESS_KEY`: the trailing "key" is the secret."""
    return (parts[-2], parts[-1]) in _SECRET_PAIRS or parts[-2] in _SECRET_WORDS


# Values that are plainly no secret even under a secret-like name.
_NOT_SECRET_VALUES = frozenset({"true", "false", "yes", "no", "none", "null", "enabled", "disabled", "on", "off"})
_REFERENCE_VALUE = re.compile(r"^(arn:|/|\{\{resolve:|https?://|s3://|\$\{)", re.IGNORECASE)
_PLACEHOLDER = re.compile(
    r"^<.*>$|^\s*$|\b(enter|insert|replace|paste|put)\b.{0,20}\b(your|the|with|here)\b",
    re.IGNORECASE | re.DOTALL,
)


def is_placeholder(value: str) -> bool:
    """`<<Enter your Password>>`, `<>`, an empty string: a slot to fill in, no secret."""
    return bool(_PLACEHOLDER.search(value))


def literal_secret_value(value: str) -> bool:
    """Whether a literal value under a secret-like name is plausibly the secret itself."""
    text = value.strip()
    if len(text) < 4 or text.lower() in _NOT_SECRET_VALUES:
        return False
    if text.isdigit() or _REFERENCE_VALUE.match(text):
        return False
    return not is_placeholder(text)


# Value shapes that are credentials whatever the name says. Each has a description (never the value).
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![A-Z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"), "an AWS access key id"),
    (re.compile(r"-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY( BLOCK)?-----"), "a private key"),
    (re.compile(r"(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])"), "a GitHub token"),
    (re.compile(r"(?<![A-Za-z0-9])xox[abposr]-[0-9]{6,}-[0-9A-Za-z-]{10,}"), "a Slack token"),
    (re.compile(r"(?<![A-Za-z0-9])sk_live_[0-9A-Za-z]{20,}"), "a Stripe live secret key"),
)


def looks_secret(name: str) -> bool:
    """Whether a value under this name must never be printed (a parameter, a variable)."""
    return secret_like_name(name)


def credential_shape(value: str) -> Optional[str]:
    """What kind of credential a literal value is shaped like (`"an AWS access key id"`), else None."""
    for pattern, description in _SHAPES:
        if pattern.search(value):
            return description
    return None
