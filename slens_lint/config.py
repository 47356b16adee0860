"""Configuration from `[tool.slens-lint]` in `pyproject.toml` or from `.slens-lint.toml`.

Found by walking up from the current folder; the first folder holding either file wins (a
`.slens-lint.toml` beats `pyproject.toml` in the same folder, and a `pyproject.toml` without a
`[tool.slens-lint]` table is passed over). Command-line options override it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


class ConfigError(Exception):
    pass


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
    rules: dict[str, dict[str, Any]] = {}
    """Per-rule options: `[tool.slens-lint.rules.SL205] enabled = true`."""
    per_construct_ignores: dict[str, list[str]] = Field(default={}, alias="per-construct-ignores")
    """CDK: rule ids (or prefixes) ignored per construct path glob, `{"OrdersStack/Api/*" = ["SL105"]}`;
    a path also covers everything under it."""
    allow_outside_root: bool = Field(default=False, alias="allow-outside-root")
    """Follow nested stacks and CDK files that lie outside the folder being linted."""
    source: Optional[str] = Field(default=None, exclude=True)

    @field_validator("fail_on")
    @classmethod
    def _fail_on(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and value not in ("error", "warning", "info", "never"):
            raise ValueError("must be one of error, warning, info, never")
        return value

    @field_validator("min_severity")
    @classmethod
    def _min_severity(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and value not in ("error", "warning", "info"):
            raise ValueError("must be one of error, warning, info")
        return value

    @field_validator("per_construct_ignores")
    @classmethod
    def _construct_ignores(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for pattern, ids in value.items():
            if not pattern.strip("/") or not ids or not all(i.strip() for i in ids):
                raise ValueError("each construct path pattern needs a list of rule ids, e.g. {\"OrdersStack/Api\" = [\"SL105\"]}")
        return value

    def construct_ignores(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((pattern, tuple(i.strip() for i in ids)) for pattern, ids in self.per_construct_ignores.items())

    def enabled_rules(self) -> list[str]:
        """`enable` plus every rule with `enabled = true` in its options table."""
        extra = [rid for rid, opts in self.rules.items() if isinstance(opts, dict) and opts.get("enabled") is True]
        return list(dict.fromkeys(self.enable + extra))


def find_config_file(start: Optional[Path] = None) -> Optional[tuple[Path, dict[str, Any]]]:
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        dedicated = candidate / ".slens-lint.toml"
        if dedicated.is_file():
            return dedicated, _read(dedicated)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            data = _read(pyproject)
            table = data.get("tool", {}).get("slens-lint") if isinstance(data.get("tool"), dict) else None
            if isinstance(table, dict):
                return pyproject, table
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc


def load_settings(path: Optional[Path] = None, start: Optional[Path] = None) -> Settings:
    """Settings from an explicit file (`--config`), else the nearest one found, else defaults."""
    if path is not None:
        data = _read(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("slens-lint", {})
        found: Optional[tuple[Path, dict[str, Any]]] = (path, data)
    else:
        found = find_config_file(start)
    if found is None:
        return Settings()
    source, data = found
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{source}: invalid setting '{where}': {first['msg']}") from exc
    settings.source = str(source)
    return settings
