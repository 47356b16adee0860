"""The settings a file is linted with: its configuration (found from its folder upward, or `--config`)
with the command line over it, as engine options and what the command does around the engine."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from slens_lint.config import ConfigError, Settings, load_settings
from slens_lint.engine import EngineOptions
from slens_lint.template.loader import DEFAULT_MAX_FILE_SIZE


def normalise_ids(ids: list[str]) -> list[str]:
    """Rule ids as written anywhere (`sl5`, ` wsl501 `): case and spaces do not matter."""
    return [i.strip().upper() for i in ids if i and i.strip()]


@dataclass(frozen=True)
class CommandLine:
    """What the command line says (None where it says nothing, so the configuration decides)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    fail_on: Optional[str] = None
    min_severity: Optional[str] = None
    cfn_lint: Optional[bool] = None
    max_file_size: Optional[int] = None
    allow_outside_root: Optional[bool] = None
    config: Optional[Path] = None
    debug: bool = False
    keep_verdicts: bool = False
    fix_edits: bool = False
    baseline: Optional[Path] = None
    cache: Optional[bool] = None


@dataclass(frozen=True)
class Effective:
    """Everything about how one group of files is linted and reported."""

    settings: Settings
    engine: EngineOptions
    fail_on: str
    min_severity: str
    baseline: Optional[Path]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    folder: Optional[Path] = None
    """The configuration's folder: per-file-ignores patterns and the baseline are relative to it."""
    cache_dir: Optional[Path] = None
    notes: tuple[str, ...] = field(default=())

    @property
    def source(self) -> Optional[str]:
        return self.settings.source

    def describe(self) -> dict[str, Any]:
        """The effective settings, as `--show-settings` prints them."""
        options = self.engine
        return {
            "configuration": self.source or "(none: defaults)",
            "select": list(options.select) or "every rule on by default",
            "ignore": list(options.ignore),
            "enable": list(options.enable),
            "severity": dict(options.severities),
            "fail-on": self.fail_on,
            "min-severity": self.min_severity,
            "cfn-lint": options.cfn_lint,
            "max-file-size": options.max_file_size,
            "allow-outside-root": options.allow_outside_root,
            "per-file-ignores": {pattern: list(ids) for pattern, ids in self.per_file_ignores},
            "per-construct-ignores": {pattern: list(ids) for pattern, ids in options.per_construct_ignores},
            "fix": dict(options.fix_settings),
            "baseline": str(self.baseline) if self.baseline else None,
            "cache": str(self.cache_dir) if self.cache_dir else "off",
        }


def _check_config_ids(settings: Settings) -> None:
    """A rule id in a configuration that matches no rule is refused, naming where it is: a typo must
    not silently lint everything (or nothing)."""
    from slens_lint.rules.index import known_id

    places = [
        ("select", settings.select), ("ignore", settings.ignore), ("enable", settings.enable),
        ("rules", list(settings.rules)),
        *((f"per-file-ignores.{pattern!r}", ids) for pattern, ids in settings.per_file_ignores.items()),
        *((f"per-construct-ignores.{pattern!r}", ids) for pattern, ids in settings.per_construct_ignores.items()),
    ]
    for where, ids in places:
        for rule_id in normalise_ids(list(ids)):
            cfn_lint_id = rule_id[:1] in "EWI" and rule_id[1:2].isdigit()
            if not known_id(rule_id) and not cfn_lint_id:
                raise ConfigError(f"{settings.source}: unknown rule id or prefix '{rule_id}' in {where} (see `slens-lint rules`)")


def effective(settings: Settings, cli: CommandLine, project: Path) -> Effective:
    if settings.source:
        _check_config_ids(settings)
    folder = settings.folder
    selected = normalise_ids(list(cli.select)) or normalise_ids(settings.select)
    ignored = normalise_ids(list(cli.ignore)) + normalise_ids(settings.ignore) + settings.disabled_rules()
    enabled = normalise_ids(list(cli.enable)) + settings.enabled_rules()
    engine = EngineOptions(
        select=tuple(selected),
        ignore=tuple(dict.fromkeys(ignored)),
        enable=tuple(dict.fromkeys(enabled)),
        cfn_lint=cli.cfn_lint if cli.cfn_lint is not None else settings.cfn_lint,
        max_file_size=cli.max_file_size or settings.max_file_size or DEFAULT_MAX_FILE_SIZE,
        debug=cli.debug,
        keep_verdicts=cli.keep_verdicts,
        allow_outside_root=cli.allow_outside_root if cli.allow_outside_root is not None else settings.allow_outside_root,
        per_construct_ignores=settings.construct_ignores(),
        fix_edits=cli.fix_edits,
        fix_settings=tuple(sorted(settings.fix.items())),
        severities=settings.severities(),
    )
    baseline = cli.baseline or ((folder / settings.baseline) if settings.baseline and folder else (Path(settings.baseline) if settings.baseline else None))
    use_cache = (cli.cache if cli.cache is not None else settings.cache) and not cli.keep_verdicts
    cache_dir = None
    if use_cache:
        # As ruff: beside the configuration, else at the repository's top level, else here.
        base = folder or _repository_root(project)
        cache_dir = base / (settings.cache_dir or ".slens-lint-cache")
    return Effective(
        settings=settings,
        engine=engine,
        fail_on=cli.fail_on or settings.fail_on or "warning",
        min_severity=cli.min_severity or settings.min_severity or "warning",
        baseline=baseline,
        per_file_ignores=tuple((pattern, tuple(normalise_ids(ids))) for pattern, ids in settings.per_file_ignores.items()),
        folder=folder,
        cache_dir=cache_dir,
    )


def _repository_root(start: Path) -> Path:
    """The nearest folder up from `start` holding `.git` (a checkout or a worktree), else `start`."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


class Resolver:
    """The effective settings for each file: one per configuration file, computed once."""

    def __init__(self, cli: CommandLine, project: Path) -> None:
        self.cli = cli
        self.project = project
        self._by_source: dict[Optional[str], Effective] = {}

    def for_folder(self, folder: Path) -> Effective:
        settings = load_settings(self.cli.config, start=folder)
        if settings.source not in self._by_source:
            self._by_source[settings.source] = effective(settings, self.cli, self.project)
        return self._by_source[settings.source]

    def for_file(self, path: Path) -> Effective:
        return self.for_folder(path.parent)


def cache_settings(options: EngineOptions) -> str:
    """What about a run changes a file's result, as text for the cache key."""
    data = {name: getattr(options, name) for name in options.__dataclass_fields__}
    return json.dumps(data, sort_keys=True, default=repr)
