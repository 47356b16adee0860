"""The environment options of a command (`check` today, `review` tomorrow), read once and checked.

    --parameter-overrides 'Stage=prod MemorySize=1024'   (repeatable; as `sam deploy` takes them)
    --parameters FILE                                    (repeatable; JSON/YAML, see `overrides`)
    --config-env NAME [--samconfig FILE]                 (one environment of a samconfig)
    --all-envs [--samconfig FILE]                        (every environment of it, findings labelled)

Values are layered, later winning key by key: the samconfig environment, then the parameter files in
the order given, then `--parameter-overrides`. The samconfig is `--samconfig` when given, else the
one beside each template (as SAM CLI looks for it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from slens_lint.environments.overrides import ParameterError, parse_overrides, read_parameter_file
from slens_lint.environments.samconfig import SamConfig, find_samconfig


@dataclass(frozen=True)
class EnvSpec:
    """The parameter values of one environment (`name` None: values given without a name)."""

    name: Optional[str]
    values: tuple[tuple[str, Any], ...] = ()
    source: str = ""
    """Where the values came from, for notes (`samconfig.toml [prod]`); never the values themselves."""

    @property
    def given(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass(frozen=True)
class EnvironmentOptions:
    parameter_overrides: tuple[str, ...] = ()
    parameter_files: tuple[Path, ...] = ()
    config_env: Optional[str] = None
    samconfig: Optional[Path] = None
    all_envs: bool = False
    values: tuple[tuple[str, Any], ...] = ()
    """The values of the parameter files and overrides, read once by `read_options`."""

    @property
    def active(self) -> bool:
        """Values are given to the run (else parameter defaults apply and conditions are named)."""
        return bool(self.parameter_overrides or self.parameter_files or self.config_env or self.all_envs)

    @property
    def uses_samconfig(self) -> bool:
        return bool(self.config_env or self.all_envs)


def read_options(
    parameter_overrides: Sequence[str] = (),
    parameter_files: Sequence[Path] = (),
    config_env: Optional[str] = None,
    samconfig: Optional[Path] = None,
    all_envs: bool = False,
) -> EnvironmentOptions:
    """The options checked, and the values of files and overrides read (samconfigs are read per
    template, by `environments_for`). Raises `ParameterError` with a message for the user."""
    if all_envs and config_env:
        raise ParameterError("--all-envs lints every samconfig environment; it cannot be combined with --config-env")
    if samconfig is not None and not (config_env or all_envs):
        raise ParameterError("--samconfig needs --config-env NAME or --all-envs")
    if samconfig is not None and not samconfig.is_file():
        raise ParameterError(f"--samconfig {samconfig}: no such file")
    fixed: dict[str, Any] = {}
    for path in parameter_files:
        fixed.update(read_parameter_file(path))
    fixed.update(parse_overrides(parameter_overrides))
    options = EnvironmentOptions(
        parameter_overrides=tuple(parameter_overrides),
        parameter_files=tuple(parameter_files),
        config_env=config_env,
        samconfig=samconfig,
        all_envs=all_envs,
        values=tuple(fixed.items()),
    )
    if samconfig is not None:
        # Read now: a broken or incomplete explicit samconfig is a usage error, reported once.
        config = SamConfig.load(samconfig)
        if config_env and not config.has(config_env):
            raise ParameterError(f"{samconfig}: no environment '{config_env}' ({_listed(config)})")
    return options


def _listed(config: SamConfig) -> str:
    names = config.environments()
    return "environments: " + ", ".join(names) if names else "it configures no environment"


@dataclass
class Plan:
    """The environments one template is linted in, and what the user should know about them."""

    environments: list[Optional[EnvSpec]]
    """None: parameter defaults (no environment)."""
    notes: list[str] = field(default_factory=list)
    error: Optional[str] = None


def environments_for(template: Path, options: EnvironmentOptions, display: str) -> Plan:
    """The environments to lint `template` in."""
    if not options.active:
        return Plan([None])
    fixed = dict(options.values)
    if not options.uses_samconfig:
        return Plan([EnvSpec(None, tuple(fixed.items()), "parameters given")])
    path = options.samconfig or find_samconfig(template.parent)
    if path is None:
        if options.config_env:
            return Plan([], error=f"no samconfig beside the template for --config-env {options.config_env} (pass --samconfig FILE)")
        plan = Plan([EnvSpec(None, tuple(fixed.items()), "parameters given") if fixed else None])
        plan.notes.append(f"{display}: no samconfig beside it; linted once" + (" with the values given" if fixed else " with parameter defaults"))
        return plan
    try:
        config = SamConfig.load(path)
        names = [options.config_env] if options.config_env else config.environments()
        if options.config_env and not config.has(options.config_env):
            return Plan([], error=f"{path}: no environment '{options.config_env}' ({_listed(config)})")
        specs = []
        for name in names:
            assert name is not None
            values = {**config.overrides(name), **fixed}
            specs.append(EnvSpec(name, tuple(values.items()), f"{path} [{name}]"))
    except ParameterError as exc:
        return Plan([], error=str(exc))
    if not specs:
        plan = Plan([EnvSpec(None, tuple(fixed.items()), "parameters given") if fixed else None])
        plan.notes.append(f"{display}: {path} configures no environment; linted once")
        return plan
    return Plan(specs, notes=[f"{display}: environments {', '.join(s.name or '' for s in specs)} from {path}"])
