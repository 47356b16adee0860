"""The command line: `slens-lint check | rules | explain | lsp`.

Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 usage error, bad configuration, or a
file that could not be read or parsed; 3 internal error (a rule or cfn-lint failed on a template).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
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
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"
    parseable = "parseable"
    sarif = "sarif"
    github = "github"


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


@app.command()
def check(
    paths: Optional[List[str]] = typer.Argument(None, help="Files, folders (scanned recursively) or globs. Default: the configured paths, else the current folder."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to FILE instead of standard output."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only these rule ids or prefixes (SL5, WSL501). Repeatable or comma-separated."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these rule ids or prefixes."),
    enable: Optional[List[str]] = typer.Option(None, "--enable", help="Switch on opt-in rules (e.g. SL205)."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1. Default: warning."),
    min_severity: Optional[Level] = typer.Option(None, "--min-severity", help="Lowest severity to report. Default: info."),
    cfn_lint: Optional[bool] = typer.Option(None, "--cfn-lint/--no-cfn-lint", help="Also run cfn-lint's built-in rules."),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", help="Glob of files or folders not to scan (repeatable)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes. Default: one per CPU when there are many files."),
    max_file_size: Optional[int] = typer.Option(None, "--max-file-size", min=1, help="Largest file to read, in bytes. Default: 10 MB."),
    sarif_root: Optional[Path] = typer.Option(None, "--sarif-root", help="Folder SARIF paths are relative to. Default: the git top level, else the current folder."),
    sarif_category: Optional[str] = typer.Option(None, "--sarif-category", help="SARIF automationDetails category (one per analysis in code scanning)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Configuration file (.slens-lint.toml or pyproject.toml). Default: found upward from here."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour text output. Default: on a terminal."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also list skipped files and why."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only findings and errors, no fix hints."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
    skip_non_templates: bool = typer.Option(False, "--skip-non-templates", help="Pass over named files that do not look like templates even when they do not parse (tsconfig.json with comments, Helm charts, multi-document YAML). The pre-commit hooks use it."),
) -> None:
    """Lint templates and report Serverless Lens findings."""
    import gc

    # A one-shot command: the imports below (cfn-lint, models) allocate heavily, and the collector's
    # default thresholds make it rescan them over and over (see engine._batch_gc).
    gc.set_threshold(100_000, 50, 1_000)
    from slens_lint.config import ConfigError, load_settings
    from slens_lint.discovery import discover
    from slens_lint.engine import Engine, EngineOptions
    from slens_lint.findings import Report, Severity
    from slens_lint.output import OutputOptions, render
    from slens_lint.template.loader import DEFAULT_MAX_FILE_SIZE

    try:
        settings = load_settings(config)
    except ConfigError as exc:
        raise _fail(str(exc))

    selected = _split(select) or settings.select
    ignored = _split(ignore) + settings.ignore
    enabled = _split(enable) + settings.enabled_rules()
    _check_ids(selected + ignored + enabled, bool(cfn_lint if cfn_lint is not None else settings.cfn_lint))

    options = EngineOptions(
        select=tuple(selected),
        ignore=tuple(ignored),
        enable=tuple(enabled),
        cfn_lint=cfn_lint if cfn_lint is not None else settings.cfn_lint,
        max_file_size=max_file_size or settings.max_file_size or DEFAULT_MAX_FILE_SIZE,
        debug=debug,
    )
    found = discover(paths or settings.paths, excludes=_split(exclude) + settings.exclude)
    engine = Engine(options)
    results = engine.lint_targets(found.targets, jobs=jobs)
    if skip_non_templates:
        results = [_skip_if_not_template(t, r) for t, r in zip(found.targets, results)]

    minimum = Severity(min_severity.value if min_severity else settings.min_severity or "info")
    for result in results:
        result.findings = [f for f in result.findings if f.severity.rank >= minimum.rank]
    from slens_lint.findings import FileError, FileResult

    for name in found.missing:
        results.append(FileResult(file=name, errors=[FileError(file=name, reason="no such file or directory")]))
    report = Report(
        files=results,
        rule_ids=engine.rule_ids if found.targets else [c.id for c in engine.rule_classes],
        external_rules=engine.external_rules() if found.targets else {},
    )

    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    out_options = OutputOptions(
        color=use_color,
        verbose=verbose,
        quiet=quiet,
        notes=found.notes + [f"{r.file}: skipped ({r.skipped})" for r in results if r.skipped and r.file],
        sarif_root=str(sarif_root) if sarif_root else None,
        sarif_category=sarif_category,
    )
    text = render(format.value, report, out_options)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise _fail(f"cannot write {output}: {exc.strerror or exc}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if format is not Format.text:
        # Machine formats keep stdout clean; problems with files go to stderr as one line each.
        for error in report.errors:
            typer.echo(f"slens-lint: {error.one_line()}", err=True)
    for warning in out_options.warnings:
        typer.echo(f"slens-lint: warning: {warning}", err=True)

    raise typer.Exit(_exit_code(report, fail_on.value if fail_on else settings.fail_on or "warning"))


def _skip_if_not_template(target, result):
    """A file that failed to parse and does not look like a template is somebody else's YAML/JSON.

    pre-commit hands over every YAML/JSON file of a commit; a tsconfig.json with comments or a Helm
    chart must not fail the hook. A broken file that does look like a template is still reported.
    """
    from slens_lint.discovery import looks_like_template_file
    from slens_lint.findings import FileResult

    if result.errors and all(e.kind == "parse" for e in result.errors) and not looks_like_template_file(target.path):
        return FileResult(file=result.file, skipped="not a template (not parseable as a YAML or JSON template)", format=result.format)
    return result


def _exit_code(report, fail_on: str) -> int:
    from slens_lint.findings import Severity

    if any(e.kind == "internal" for e in report.errors):
        return EXIT_INTERNAL
    if report.errors:
        return EXIT_BAD_INPUT
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity(fail_on).rank
    if any(f.severity.rank >= threshold for f in report.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _check_ids(ids: list[str], with_cfn_lint: bool) -> None:
    """Reject ids that match no rule, so a typo in --select does not silently lint nothing."""
    from slens_lint.rules.registry import builtin_rules, rule_classes

    for rule_id in ids:
        if any(c.id.startswith(rule_id) or c.cfn_lint_id().startswith(rule_id) for c in rule_classes()):
            continue
        if any(b.id.startswith(rule_id) for b in builtin_rules()):  # a cfn-lint built-in the Lens lists
            continue
        if with_cfn_lint and rule_id[:1] in "EWI" and rule_id[1:2].isdigit():
            continue
        raise _fail(f"unknown rule id or prefix '{rule_id}' (see `slens-lint rules`)")


@app.command("rules")
def rules_command(
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """List every rule: id, cfn-lint id, severity, pillar, title; then the cfn-lint built-ins the Lens covers."""
    import json

    from slens_lint.rules.registry import builtin_rules, rule_classes

    classes = rule_classes()
    builtins = builtin_rules()  # cfn-lint's own rules, run by default under their cfn-lint ids
    if format == "json":
        typer.echo(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "cfn_lint_id": c.cfn_lint_id(),
                        "name": c.slug(),
                        "severity": c.severity.value,
                        "pillar": c.pillar().value,
                        "title": c.title,
                        "practice": c.practice,
                        "opt_in": c.opt_in,
                        "builtin": getattr(c, "builtin", False),
                        "docs": c.docs_url(),
                    }
                    for c in sorted((*classes, *builtins), key=lambda c: c.id)
                ],
                indent=2,
            )
        )
        return
    if format != "text":
        raise _fail("--format must be text or json")
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("Id", "cfn-lint", "Severity", "Pillar", "Title"):
        table.add_column(column)
    for c in classes:
        table.add_row(c.id, c.cfn_lint_id(), c.severity.value, c.pillar().title, c.title + (" (opt-in)" if c.opt_in else ""))
    console = Console(soft_wrap=True, width=200 if not sys.stdout.isatty() else None)
    console.print(table)
    # cfn-lint's own rules that belong to the Lens: run by default, reported under their cfn-lint ids.
    # Their practice is shown ("Security 4"): a cfn-lint id does not tell which practice it checks.
    extra = Table(box=None, pad_edge=False, show_edge=False, title="cfn-lint built-ins", title_justify="left")
    for column in ("Id", "Severity", "Lens practice", "Title"):
        extra.add_column(column)
    for b in builtins:
        extra.add_row(b.id, b.severity.value, b.practice.split(":")[0], b.title + " (cfn-lint built-in)")
    console.print()
    console.print(extra)


@app.command()
def explain(rule_id: str = typer.Argument(..., help="Canonical (SL501) or cfn-lint (WSL501) id.")) -> None:
    """Print a rule's documentation."""
    from slens_lint.docs import rule_markdown
    from slens_lint.rules.registry import get

    cls = get(rule_id.upper())
    if cls is None:
        raise _fail(f"unknown rule '{rule_id}' (see `slens-lint rules`)")
    text = rule_markdown(cls)
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        typer.echo(text)


@app.command()
def lsp() -> None:
    """Run the language server over stdio (needs the `lsp` extra: pip install 'slens-lint[lsp]')."""
    try:
        from slens_lint.lsp import serve
    except ImportError as exc:
        raise _fail(f"the language server needs the lsp extra: pip install 'slens-lint[lsp]' ({exc})")
    serve()


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
