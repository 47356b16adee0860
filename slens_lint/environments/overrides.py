"""Parameter values as SAM CLI and CloudFormation users already write them.

- `--parameter-overrides`: `sam deploy`'s grammar, read the way SAM CLI reads it (its
  `CfnParameterOverridesType`): `Key=Value Key2=Value2`, or
  `ParameterKey=Key,ParameterValue=Value ParameterKey=...`, values quoted with `"` or `'` when they
  hold spaces (`Name="my app"`), `\\ `, `\\"` and `\\'` unescaped; several strings (a repeated option,
  a samconfig list) are read in turn, a later value winning.
- A parameter file: JSON (or YAML) holding `{"Name": "value"}`, CloudFormation's
  `[{"ParameterKey": "Name", "ParameterValue": "value"}]` (what `aws cloudformation create-stack
  --parameters file://...` takes), or a CodePipeline template configuration `{"Parameters": {...}}`.

Nothing here puts a value in a message: a value may be a secret, and which parameters are secret is
only known once a template is read. Errors name the source, the parameter or the line, never a value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Optional

MAX_PARAMETER_FILE = 1024 * 1024
"""A parameter file larger than this is refused (it holds names and values, never megabytes)."""


class ParameterError(Exception):
    """Values that cannot be read; the message names where, never a value."""


# SAM CLI's own expressions (samcli/cli/types.py), rebuilt here: a key is letters, digits and quotes; a
# value is a quoted string (escapes allowed) or a run of characters up to the next unescaped space.
_KEY = r"""([A-Za-z0-9"']+)"""
_VALUE = r"""("(?:\\.|[^"\\]+)*"|'(?:\\.|[^'\\]+)*'|(?:\\.|[^ "\\]+)+)"""
_LONG_FORM = re.compile(rf"(?:ParameterKey={_KEY},ParameterValue={_VALUE})")
_SHORT_FORM = re.compile(rf"(?:(?: ){_KEY}={_VALUE})")

VALUE_FORMS = "'Key=Value Key2=Value2' or 'ParameterKey=Key,ParameterValue=Value'"


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text.replace("\\ ", " ").replace('\\"', '"').replace("\\'", "'")


def parse_overrides(values: Iterable[str], source: str = "--parameter-overrides") -> dict[str, str]:
    """`sam deploy --parameter-overrides` strings to {name: value}; the first form that matches a
    string is used for all of it, as SAM CLI does."""
    result: dict[str, str] = {}
    for value in values:
        if not isinstance(value, str):
            raise ParameterError(f"{source}: expected text in the form {VALUE_FORMS}")
        normalized = " " + value.strip()
        if not normalized.strip():
            continue
        pattern = next((p for p in (_LONG_FORM, _SHORT_FORM) if p.search(normalized)), None)
        if pattern is None:
            raise ParameterError(f"{source}: not in the form {VALUE_FORMS}")
        for key, found in pattern.findall(normalized):
            result[_unquote(key)] = _unquote(found)
    return result


def parameter_value(value: Any, name: str, source: str) -> str | list[str]:
    """A value from a file as CloudFormation receives it: text, or a list for list parameters."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in value):
        return [str(item) for item in value]
    raise ParameterError(f"{source}: the value of parameter '{name}' is not text, a number, true/false or a list of those")


def read_parameter_file(path: Path) -> dict[str, str | list[str]]:
    """A parameter file (see the module docstring) to {name: value}."""
    data = _load(path)
    source = str(path)
    if isinstance(data, dict) and isinstance(data.get("Parameters"), dict) and set(data) <= {"Parameters", "Tags", "StackPolicy"}:
        data = data["Parameters"]  # a CodePipeline template configuration file
    if isinstance(data, dict):
        return {str(name): parameter_value(value, str(name), source) for name, value in data.items()}
    if isinstance(data, list):
        return _cloudformation_list(data, source)
    raise ParameterError(
        f"{source}: expected a mapping of parameter names to values, or a list of "
        '{"ParameterKey": ..., "ParameterValue": ...} entries'
    )


def _cloudformation_list(entries: list[Any], source: str) -> dict[str, str | list[str]]:
    result: dict[str, str | list[str]] = {}
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("ParameterKey"), str):
            raise ParameterError(f"{source}: entry {index} has no ParameterKey")
        name = entry["ParameterKey"]
        if entry.get("UsePreviousValue") is True:
            continue  # the deployed stack's value: not known here, so the template's default applies
        if "ParameterValue" not in entry:
            raise ParameterError(f"{source}: parameter '{name}' has no ParameterValue")
        result[name] = parameter_value(entry["ParameterValue"], name, source)
    return result


def _load(path: Path) -> Any:
    from slens_lint.template.loader import read_text

    text = read_text(path, MAX_PARAMETER_FILE)
    if not isinstance(text, str):
        raise ParameterError(f"{path}: {text.reason}")
    return load_document(text, str(path))


def load_document(text: str, source: str) -> Any:
    """JSON or YAML text (safe loader, aliases bounded) to data; errors give a line, never content."""
    from slens_lint.template.decode import decode

    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ParameterError(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    try:
        data, problems = decode(text)
    except Exception:  # noqa: BLE001 - any decoder failure is a parse error of this file
        raise ParameterError(f"{source}: not valid YAML or JSON") from None
    if problems:
        line: Optional[int] = getattr(problems[0], "linenumber", None)
        raise ParameterError(f"{source}: not valid YAML or JSON" + (f" (line {line})" if line else ""))
    return data
