"""Configuration from `[tool.slens-lint]` in `pyproject.toml` or from `.slens-lint.toml`.

Found from each linted file's folder upward, as ruff does: the first folder holding either file wins
(a `.slens-lint.toml` beats `pyproject.toml` in the same folder, and a `pyproject.toml` without a
`[tool.slens-lint]` table is passed over), so `slens-lint check ~/proj/templates` from anywhere
applies `~/proj`'s settings. `--config FILE` names one file for every linted file. Command-line
options override it.

A key slens-lint does not know is refused, naming the key, the file and the valid keys: a typo must
never silently do nothing.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    pass


class RuleOptions(BaseModel):
    """`[tool.slens-lint.rules.SL501]`: switch a rule on or off, or change its severity."""

    model_config = ConfigDict(extra="forbid")

    enabled: Optional[bool] = None
    severity: Optional[str] = None

    @field_validator("severity")
    @classmethod
    def _severity(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and value not in SEVERITIES:
            raise ValueError(f"must be one of {', '.join(SEVERITIES)}")
        return value


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    select: list[str] = []
    ignore: list[str] = []
    enable: list[str] = []
    """Opt-in rules to switch on, e.g. ["SL205"]."""
    fail_on: Optional[str] = Field(default=None, alias="fail-on")
    min_severity: Optional[str] = Field(default=None, alias="min-severity")
    exclude: list[str] = []
    cfn_lint: bool = Field(default=False, alias="cfn-lint")
    max_file_size: Optional[int] = Field(default=None, alias="max-file-size")
    paths: list[str] = []
    """What `slens-lint check` (and the `slens-lint-config` pre-commit hook) lints when given no path."""
    rules: dict[str, RuleOptions] = {}
    """Per-rule options: `[tool.slens-lint.rules.SL205] enabled = true`, `severity = "error"`."""
    per_file_ignores: dict[str, list[str]] = Field(default={}, alias="per-file-ignores")
    """Rule ids (or prefixes) ignored in files matching a glob, relative to the configuration's folder."""
    per_construct_ignores: dict[str, list[str]] = Field(default={}, alias="per-construct-ignores")
    """CDK: rule ids (or prefixes) ignored per construct path glob, `{"OrdersStack/Api/*" = ["SL105"]}`;
    a path also covers everything under it."""
    allow_outside_root: bool = Field(default=False, alias="allow-outside-root")
    """Follow nested stacks and CDK files that lie outside the folder being linted."""
    fix: dict[str, Any] = {}
    """Values automatic fixes need a decision for: `log-retention-days = 90` (see `slens-lint rules`)."""
    baseline: Optional[str] = None
    """A baseline file (relative to the configuration's folder): its findings are not reported."""
    cache: bool = True
    cache_dir: Optional[str] = Field(default=None, alias="cache-dir")
    """Where the results cache lives (default `.slens-lint-cache` at the project root)."""
    source: Optional[str] = Field(default=None, exclude=True)
    """The file these settings came from (None: the defaults)."""

    @field_validator("fail_on")
    @classmethod
    def _fail_on(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and value not in (*SEVERITIES, "never"):
            raise ValueError("must be one of error, warning, info, never")
        return value

    @field_validator("min_severity")
    @classmethod
    def _min_severity(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and value not in SEVERITIES:
            raise ValueError(f"must be one of {', '.join(SEVERITIES)}")
        return value

    @field_validator("per_construct_ignores", "per_file_ignores")
    @classmethod
    def _ignores(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for pattern, ids in value.items():
            if not pattern.strip("/") or not ids or not all(i.strip() for i in ids):
                raise ValueError('each pattern needs a list of rule ids, e.g. {"legacy/*.yaml" = ["SL105"]}')
        return value

    @field_validator("fix")
    @classmethod
    def _fix(cls, value: dict[str, Any]) -> dict[str, Any]:
        from slens_lint.rules.fix_settings import ALL

        known = {s.name: s for s in ALL}
        for name, setting in value.items():
            if name not in known:
                raise ValueError(f"unknown fix setting '{name}'; valid: {', '.join(sorted(known))}")
            if type(setting) is not type(known[name].default):
                raise ValueError(f"'{name}' must be a {type(known[name].default).__name__}")
        return value

    # ---- what the run does with them -----------------------------------------------------------

    @property
    def folder(self) -> Optional[Path]:
        return Path(self.source).parent if self.source else None

    def construct_ignores(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((pattern, tuple(i.strip() for i in ids)) for pattern, ids in self.per_construct_ignores.items())

    def enabled_rules(self) -> list[str]:
        """`enable` plus every rule with `enabled = true` in its options table."""
        extra = [rule_id.upper() for rule_id, opts in self.rules.items() if opts.enabled is True]
        return list(dict.fromkeys([e.upper() for e in self.enable] + extra))

    def disabled_rules(self) -> list[str]:
        return [rule_id.upper() for rule_id, opts in self.rules.items() if opts.enabled is False]

    def severities(self) -> tuple[tuple[str, str], ...]:
        """(rule id, severity) for every rule whose severity is overridden."""
        return tuple((rule_id.upper(), opts.severity) for rule_id, opts in sorted(self.rules.items()) if opts.severity)


def _valid_keys(model: type[BaseModel]) -> list[str]:
    return sorted((field.alias or name) for name, field in model.model_fields.items() if name != "source")


def _explain(exc: ValidationError, source: Path, table: str) -> str:
    """The first problem of a configuration, in the tool's own words."""
    error = exc.errors()[0]
    location = [str(part) for part in error["loc"]]
    key = location[-1] if location else ""
    prefix = f"{table}." if table else ""
    if error["type"] == "extra_forbidden":
        if len(location) >= 3 and location[0] == "rules":
            where, valid = f"in [{prefix}rules.{location[1]}]", _valid_keys(RuleOptions)
        else:
            where, valid = (f"in [{table}]" if table else "at the top level"), _valid_keys(Settings)
        return f"{source}: unknown key '{key}' {where}; valid keys: {', '.join(valid)}"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] in ("model_type", "model_attributes_type", "dict_type"):
        message = "expected a table (`[...]` or `{ key = value }`)"
    elif error["type"] == "bool_parsing" or error["type"] == "bool_type":
        message = "expected true or false"
    return f"{source}: invalid value for '{prefix}{'.'.join(location)}': {message}"


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: is not valid TOML: {exc}") from exc


def _table(path: Path, data: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The slens-lint table of a file: `[tool.slens-lint]` of a pyproject.toml, the top level of a
    `.slens-lint.toml` (or its `[tool.slens-lint]`, for one copied from a pyproject.toml)."""
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    nested = tool.get("slens-lint") if isinstance(tool, dict) else None
    if path.name == "pyproject.toml":
        return nested if isinstance(nested, dict) else None
    if isinstance(nested, dict):
        others = [key for key in data if key != "tool"] + [key for key in tool if key != "slens-lint"]
        if others:
            raise ConfigError(
                f"{path}: keys both at the top level and under [tool.slens-lint]; in a .slens-lint.toml write "
                f"them at the top level (or keep [tool.slens-lint] alone)"
            )
        return nested
    return data


def parse(path: Path, data: dict[str, Any]) -> Settings:
    table = _table(path, data)
    if table is None:
        return Settings()
    # A .slens-lint.toml holds the settings at its top level (or under [tool.slens-lint]).
    name = "tool.slens-lint" if path.name == "pyproject.toml" or "tool" in data else ""
    try:
        settings = Settings.model_validate(table)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, path, name)) from exc
    settings.source = str(path)
    return settings


@lru_cache(maxsize=4096)
def _find(folder: Path) -> Optional[Path]:
    # One folder, then its parent's answer (remembered): a run over hundreds of folders of one
    # repository looks at each folder once, not at every parent of every file.
    dedicated = folder / ".slens-lint.toml"
    if dedicated.is_file():
        return dedicated
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and _table(pyproject, _read(pyproject)) is not None:
        return pyproject
    return _find(folder.parent) if folder.parent != folder else None


def find_config_file(start: Optional[Path] = None) -> Optional[Path]:
    """The configuration that applies to a folder (the nearest one up), if any."""
    folder = (start or Path.cwd()).resolve()
    return _find(folder)


@lru_cache(maxsize=256)
def _load(path: Path) -> Settings:
    return parse(path, _read(path))


def load_settings(path: Optional[Path] = None, start: Optional[Path] = None) -> Settings:
    """Settings from an explicit file (`--config`), else the nearest one found from `start` (a file's
    folder; default: the current folder), else defaults."""
    if path is not None:
        return _load(path.resolve())
    found = find_config_file(start)
    return _load(found) if found is not None else Settings()


def clear_cache() -> None:
    """Forget files read (the language server re-reads configuration when it changes)."""
    _find.cache_clear()
    _load.cache_clear()
