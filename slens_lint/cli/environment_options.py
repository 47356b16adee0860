"""The environment options, declared once for every command that lints (`check`, and `review`):

    def command(..., parameter_overrides: ParameterOverrides = None, parameters: ParameterFiles = None,
                config_env: ConfigEnv = None, samconfig: SamconfigFile = None, all_envs: AllEnvs = False):
        environments = environment_options(parameter_overrides, parameters, config_env, samconfig, all_envs)

`AllowOutsideRoot` (`--allow-outside-root`) goes with them: nested stacks and CDK files are followed
for every command that reads templates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from slens_lint.cli import _fail

ParameterOverrides = Annotated[
    Optional[List[str]],
    typer.Option(
        "--parameter-overrides",
        metavar="VALUES",
        help="Parameter values as `sam deploy` takes them: 'Key=Value Key2=Value2' or "
        "'ParameterKey=Key,ParameterValue=Value'. Repeatable; wins over --parameters and the samconfig.",
    ),
]
ParameterFiles = Annotated[
    Optional[List[Path]],
    typer.Option(
        "--parameters",
        metavar="FILE",
        help='A parameter file: JSON or YAML {"Name": "value"}, CloudFormation\'s [{"ParameterKey", '
        '"ParameterValue"}] list, or a CodePipeline template configuration. Repeatable.',
    ),
]
ConfigEnv = Annotated[
    Optional[str],
    typer.Option("--config-env", metavar="NAME", help="Lint with the parameter_overrides of this samconfig environment (SAM CLI's --config-env)."),
]
SamconfigFile = Annotated[
    Optional[Path],
    typer.Option("--samconfig", metavar="FILE", help="The samconfig file (toml, yaml or json). Default: samconfig.* beside each template."),
]
AllEnvs = Annotated[
    bool,
    typer.Option("--all-envs", help="Lint once per samconfig environment; each finding is labelled with the environments it holds in."),
]

AllowOutsideRoot = Annotated[
    Optional[bool],
    typer.Option(
        "--allow-outside-root/--no-allow-outside-root",
        help="Follow nested stacks and CDK files outside the folder being linted (never on untrusted pull requests). "
        "Default: allow-outside-root in the configuration, else no.",
    ),
]


def environment_options(
    parameter_overrides: Optional[List[str]],
    parameters: Optional[List[Path]],
    config_env: Optional[str],
    samconfig: Optional[Path],
    all_envs: bool,
):
    """The options read and checked (`environments.EnvironmentOptions`); a usage error exits with 2."""
    from slens_lint.environments import ParameterError, read_options

    try:
        return read_options(parameter_overrides or (), parameters or (), config_env, samconfig, all_envs)
    except ParameterError as exc:
        raise _fail(str(exc))
