"""The command line: `slens-lint check | rules | explain | lsp`; one module per command.

Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 usage error, bad configuration, or a
file that could not be read or parsed; 3 internal error (a rule or cfn-lint failed on a template).
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import List, Optional

import typer

from slens_lint import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

app = typer.Typer(
    name="slens-lint",
    help="Lint AWS SAM and CloudFormation templates against the AWS Well-Architected Serverless Lens.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"
    parseable = "parseable"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slens-lint {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Lint AWS SAM and CloudFormation templates against the AWS Well-Architected Serverless Lens."""


def _split(values: Optional[List[str]]) -> list[str]:
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> "typer.Exit":
    typer.echo(f"slens-lint: error: {message}", err=True)
    return typer.Exit(code)


# The commands register themselves on `app` when imported (kept last: they import `app`).
from slens_lint.cli import check as _check  # noqa: E402,F401
from slens_lint.cli import lsp as _lsp  # noqa: E402,F401
from slens_lint.cli import review as _review  # noqa: E402,F401
from slens_lint.cli import rules as _rules  # noqa: E402,F401


def main() -> None:
    try:
        app()
    except SystemExit as done:
        _exit_now(done.code)
    except KeyboardInterrupt:
        typer.echo("slens-lint: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - a linter never ends in a traceback unless asked
        if "--debug" in sys.argv:
            import traceback

            traceback.print_exc()
        typer.echo(f"slens-lint: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(EXIT_INTERNAL)


def _exit_now(code: object) -> None:
    """Exit once the report is out, without tearing down the interpreter.

    Freeing every object of a run (cfn-lint's schemas, decoded templates) takes a quarter of a second
    after the work is done, longer than a small run itself; the report is written and flushed, output
    files are closed, the worker pool is shut down, so there is nothing left to finish.
    """
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
