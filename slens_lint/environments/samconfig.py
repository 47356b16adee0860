"""SAM CLI's configuration file: `samconfig.toml`, `samconfig.yaml` / `.yml` or `samconfig.json`.

    version = 0.1
    [prod.deploy.parameters]
    stack_name = "orders-prod"
    parameter_overrides = "Stage=prod MemorySize=1024"      # or a list: ["Stage=prod", "MemorySize=1024"]
    [prod.global.parameters]
    parameter_overrides = "Stage=prod"

An environment is a top-level table (`default`, `prod`); its `parameter_overrides` are read from the
`deploy` command's parameters first, else from `global` (as `sam deploy --config-env prod` does: the
command's own value replaces the global one whole, they are not merged). Every spelling SAM CLI takes
is read: one string (`Key=Value` pairs or `ParameterKey=...,ParameterValue=...`, values quoted with
escaped quotes as `sam deploy --guided` writes them) or a list of such strings.

SAM CLI looks for the file beside the template (`--config-file` elsewhere); so does `find_samconfig`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from slens_lint.environments.overrides import ParameterError, load_document, parse_overrides

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

SAMCONFIG_NAMES = ("samconfig.toml", "samconfig.yaml", "samconfig.yml", "samconfig.json")
"""Looked for in this order beside a template (SAM CLI's order, with JSON last)."""

COMMANDS = ("deploy", "global")
"""Where `parameter_overrides` is read from, first found wins."""

MAX_SAMCONFIG = 1024 * 1024


def find_samconfig(folder: Path) -> Optional[Path]:
    for name in SAMCONFIG_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


@dataclass
class SamConfig:
    path: Path
    document: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "SamConfig":
        from slens_lint.template.loader import read_text

        text = read_text(path, MAX_SAMCONFIG)
        if not isinstance(text, str):
            raise ParameterError(f"{path}: {text.reason}")
        if path.suffix.lower() == ".toml":
            try:
                document: Any = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                # tomllib's messages give a line and column, never the text.
                raise ParameterError(f"{path}: not valid TOML: {exc}") from None
        else:
            document = load_document(text, str(path))
        if not isinstance(document, dict):
            raise ParameterError(f"{path}: not a SAM CLI configuration (the top level is not a mapping)")
        return cls(path, document)

    def environments(self) -> list[str]:
        """Every environment the file configures for deploying (a `deploy` or `global` table), in file order."""
        return [
            str(name)
            for name, table in self.document.items()
            if name != "version" and isinstance(table, dict) and any(isinstance(table.get(c), dict) for c in COMMANDS)
        ]

    def has(self, environment: str) -> bool:
        return isinstance(self.document.get(environment), dict)

    def _parameters(self, environment: str, command: str) -> dict[str, Any]:
        table = self.document.get(environment)
        section = table.get(command) if isinstance(table, dict) else None
        parameters = section.get("parameters") if isinstance(section, dict) else None
        return parameters if isinstance(parameters, dict) else {}

    def setting(self, environment: str, key: str) -> Any:
        """A setting of `sam deploy` in an environment: its `deploy` parameters first, then `global`."""
        for command in COMMANDS:
            parameters = self._parameters(environment, command)
            if key in parameters:
                return parameters[key]
        return None

    def overrides(self, environment: str) -> dict[str, str]:
        """The parameter values an environment deploys with ({} when it sets none)."""
        raw = self.setting(environment, "parameter_overrides")
        if raw is None:
            return {}
        source = f"{self.path} [{environment}] parameter_overrides"
        if isinstance(raw, str):
            return parse_overrides([raw], source)
        if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
            return parse_overrides(raw, source)
        raise ParameterError(f"{source}: expected a string or a list of strings")
