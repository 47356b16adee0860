"""`slens-lint check`: lint templates and report findings (the run itself is `session.check`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from slens_lint.cli import FailOn, Format, Level, _fail, _split, app
from slens_lint.cli.common import check_ids, write_report
from slens_lint.cli.environment_options import AllEnvs, AllowOutsideRoot, ConfigEnv, ParameterFiles, ParameterOverrides, SamconfigFile, environment_options

_RULES = "Rules"
_OUTPUT = "Output"
_FIXES = "Fixes and baselines"
_FILES = "Files and configuration"


@app.command()
def check(
    # Described in the docstring: this typer prints an argument's Python type ("<list[str]>") in help.
    paths: Optional[List[str]] = typer.Argument(None, metavar="PATH", hidden=True, show_default=False),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format.", rich_help_panel=_OUTPUT),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the report to FILE instead of standard output.", rich_help_panel=_OUTPUT),
    select: Optional[List[str]] = typer.Option(None, "--select", metavar="IDS", help="Only these rule ids or prefixes (SL5, WSL501, any case). Repeatable or comma-separated.", rich_help_panel=_RULES),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="IDS", help="Skip these rule ids or prefixes.", rich_help_panel=_RULES),
    enable: Optional[List[str]] = typer.Option(None, "--enable", metavar="IDS", help="Switch on opt-in rules (SL205).", rich_help_panel=_RULES),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1. Default: warning.", rich_help_panel=_RULES, show_default=False),
    min_severity: Optional[Level] = typer.Option(None, "--min-severity", help="Lowest severity reported. Default: warning (the summary counts the info findings left out).", rich_help_panel=_RULES, show_default=False),
    cfn_lint: Optional[bool] = typer.Option(None, "--cfn-lint/--no-cfn-lint", help="Also run cfn-lint's own rules.", rich_help_panel=_RULES, show_default=False),
    fix: bool = typer.Option(False, "--fix", help="Apply the safe automatic fixes (each verified before it is written).", rich_help_panel=_FIXES),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="With --fix or --diff: the unsafe fixes too (they change behaviour or cost); alone, they are shown as fixable.", rich_help_panel=_FIXES),
    diff: bool = typer.Option(False, "--diff", help="Show the fixes as a unified diff and write nothing (exit 1 when there is something to fix).", rich_help_panel=_FIXES),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE", help="Report only findings this baseline does not hold.", rich_help_panel=_FIXES),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", metavar="FILE", help="Record the findings of this run as the accepted baseline.", rich_help_panel=_FIXES),
    show_fixes: bool = typer.Option(False, "--show-fixes", help="Show each finding's full fix, with the template fragment to add.", rich_help_panel=_OUTPUT),
    statistics: bool = typer.Option(False, "--statistics", help="Show how many findings each rule has, most first, instead of the findings.", rich_help_panel=_OUTPUT),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", metavar="GLOB", help="Files or folders not to scan (repeatable).", rich_help_panel=_FILES),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", metavar="NAME", help="The name of the template read from standard input (-).", rich_help_panel=_FILES),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N", help="Worker processes. Default: one per CPU when there are many files.", rich_help_panel=_FILES),
    max_file_size: Optional[int] = typer.Option(None, "--max-file-size", min=1, metavar="BYTES", help="Largest file read. Default: 10 MB.", rich_help_panel=_FILES),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Configuration file for every linted file (.slens-lint.toml or pyproject.toml). Default: the nearest one up from each file.", rich_help_panel=_FILES),
    show_settings: bool = typer.Option(False, "--show-settings", help="Print the effective settings and the file they came from, then exit.", rich_help_panel=_FILES),
    cache: Optional[bool] = typer.Option(None, "--cache/--no-cache", help="Reuse the results of unchanged files (.slens-lint-cache at the project root). Default: on.", rich_help_panel=_FILES, show_default=False),
    sarif_root: Optional[Path] = typer.Option(None, "--sarif-root", metavar="DIR", help="Folder SARIF paths are relative to. Default: the git top level, else the current folder.", rich_help_panel=_OUTPUT),
    sarif_category: Optional[str] = typer.Option(None, "--sarif-category", metavar="NAME", help="SARIF automationDetails category (one per analysis in code scanning).", rich_help_panel=_OUTPUT),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour text output. Default: on a terminal, or when FORCE_COLOR is set.", rich_help_panel=_OUTPUT, show_default=False),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also list skipped files and notes, and the configuration used.", rich_help_panel=_OUTPUT),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only findings and errors: no fix hints, no summary.", rich_help_panel=_OUTPUT),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors.", rich_help_panel=_OUTPUT),
    skip_non_templates: bool = typer.Option(False, "--skip-non-templates", help="Pass over named files that neither parse nor look like templates (used by the pre-commit hooks).", rich_help_panel=_FILES),
    parameter_overrides: ParameterOverrides = None,
    parameters: ParameterFiles = None,
    config_env: ConfigEnv = None,
    samconfig: SamconfigFile = None,
    all_envs: AllEnvs = False,
    allow_outside_root: AllowOutsideRoot = None,
) -> None:
    """Lint templates and report Serverless Lens findings.

    PATH: files, folders (scanned recursively) or globs; - reads a template from standard input.
    Default: the configured paths, else the current folder.
    """
    import gc

    # A one-shot command: the run allocates heavily, and the collector's default thresholds make it
    # rescan what is loaded over and over (see engine.batch).
    gc.set_threshold(100_000, 50, 1_000)
    from slens_lint.config import ConfigError
    from slens_lint.session.check import CheckRequest, UsageError, needs_edits, run_check
    from slens_lint.session.settings import CommandLine, Resolver

    stdin = None
    if paths and "-" in paths:
        if len(paths) > 1:
            raise _fail("- (standard input) is the only path when given")
        stdin = sys.stdin.read()
    cli = CommandLine(
        select=tuple(_split(select)),
        ignore=tuple(_split(ignore)),
        enable=tuple(_split(enable)),
        fail_on=fail_on.value if fail_on else None,
        min_severity=min_severity.value if min_severity else None,
        cfn_lint=cfn_lint,
        max_file_size=max_file_size,
        allow_outside_root=allow_outside_root,
        config=config,
        debug=debug,
        fix_edits=needs_edits(fix, diff, format.value),
        baseline=baseline,
        cache=False if stdin is not None or write_baseline is not None else cache,
    )
    try:
        if show_settings:
            folder = Path(paths[0]).resolve() if paths and paths[0] != "-" else Path.cwd()
            settings = Resolver(cli, Path.cwd()).for_folder(folder if folder.is_dir() else folder.parent)
            typer.echo(json.dumps(settings.describe(), indent=2))
            raise typer.Exit(0)
        check_ids(list(cli.select + cli.ignore + cli.enable), bool(cfn_lint))
        from slens_lint.discovery import discover

        request = CheckRequest(
            paths=[p for p in (paths or []) if p != "-"],
            cli=cli,
            exclude=_split(exclude),
            jobs=jobs,
            environments=environment_options(parameter_overrides, parameters, config_env, samconfig, all_envs),
            skip_non_templates=skip_non_templates,
            fix=fix,
            unsafe_fixes=unsafe_fixes,
            diff=diff,
            write_baseline=write_baseline,
            stdin=stdin,
            stdin_filename=stdin_filename,
        )
        run = run_check(request, discover)
    except (ConfigError, UsageError) as exc:
        raise _fail(str(exc))
    if verbose:
        sources = sorted({r for r in _config_sources(run)})
        typer.echo(f"slens-lint: configuration: {', '.join(sources) or 'none (defaults)'}", err=True)
    _emit(run, format.value, output, color, verbose, quiet, show_fixes, statistics, sarif_root, sarif_category, diff, stdin is not None and fix, unsafe_fixes)
    raise typer.Exit(run.exit_code)


def _config_sources(run: object) -> list[str]:
    from slens_lint.config import find_config_file

    files = {Path(r.file).parent for r in run.report.files}  # type: ignore[attr-defined]
    return [str(find_config_file(folder) or "none (defaults)") for folder in files]


def _emit(run, fmt: str, output: Optional[Path], color: Optional[bool], verbose: bool, quiet: bool, show_fixes: bool,
          statistics: bool, sarif_root: Optional[Path], sarif_category: Optional[str], diff: bool, fixed_stdin: bool,
          unsafe_fixes: bool) -> None:
    """The report to standard output or a file; problems, notes and warnings to standard error."""
    import os

    from slens_lint.output import OutputOptions, render

    if diff:
        sys.stdout.write("".join(run.diffs))
    if fixed_stdin and run.fixed_text is not None:
        sys.stdout.write(run.fixed_text)
        return
    use_color = color if color is not None else (output is None and (sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))))
    options = OutputOptions(
        color=use_color,
        verbose=verbose,
        quiet=quiet,
        notes=run.notes,
        sarif_root=str(sarif_root) if sarif_root else None,
        sarif_category=sarif_category,
        show_fixes=show_fixes,
        statistics=statistics,
        unsafe_fixes=unsafe_fixes,
    )
    text = render(fmt, run.report, options)
    # Problems with files go to stderr, one line each, before the report (whose summary says "see
    # above"): they stay on the terminal whatever the format and --output.
    for error in run.report.errors:
        typer.echo(f"slens-lint: {error.one_line()}", err=True)
    sys.stderr.flush()
    if output is not None or not (diff and fmt == "text"):
        write_report(text, output)
    for warning in [*run.warnings, *options.warnings]:
        typer.echo(f"slens-lint: warning: {warning}", err=True)
    if verbose and fmt != "text":
        for note in run.notes:
            typer.echo(f"slens-lint: {note}", err=True)
