"""`slens-lint check`: lint templates and report findings."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from slens_lint.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, FailOn, Format, Level, _fail, _split, app
from slens_lint.cli.environment_options import AllEnvs, AllowOutsideRoot, ConfigEnv, ParameterFiles, ParameterOverrides, SamconfigFile, environment_options


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
    parameter_overrides: ParameterOverrides = None,
    parameters: ParameterFiles = None,
    config_env: ConfigEnv = None,
    samconfig: SamconfigFile = None,
    all_envs: AllEnvs = False,
    allow_outside_root: AllowOutsideRoot = None,
) -> None:
    """Lint templates and report Serverless Lens findings."""
    import gc

    # A one-shot command: the imports below (cfn-lint, models) allocate heavily, and the collector's
    # default thresholds make it rescan them over and over (see engine._batch_gc).
    gc.set_threshold(100_000, 50, 1_000)
    from slens_lint.config import ConfigError, load_settings
    from slens_lint.discovery import discover
    from slens_lint.engine import Engine, EngineOptions
    from slens_lint.engine.run import lint_run
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
    environments = environment_options(parameter_overrides, parameters, config_env, samconfig, all_envs)
    outside = allow_outside_root if allow_outside_root is not None else settings.allow_outside_root

    options = EngineOptions(
        select=tuple(selected),
        ignore=tuple(ignored),
        enable=tuple(enabled),
        cfn_lint=cfn_lint if cfn_lint is not None else settings.cfn_lint,
        max_file_size=max_file_size or settings.max_file_size or DEFAULT_MAX_FILE_SIZE,
        debug=debug,
        allow_outside_root=outside,
        per_construct_ignores=settings.construct_ignores(),
    )
    found = discover(paths or settings.paths, excludes=_split(exclude) + settings.exclude, allow_outside_root=outside)
    engine = Engine(options)
    results, run_notes = lint_run(engine, found.targets, environments, jobs=jobs, review=_skip_if_not_template if skip_non_templates else None)

    minimum = Severity(min_severity.value if min_severity else settings.min_severity or "info")
    for result in results:
        result.findings = [f for f in result.findings if f.severity.rank >= minimum.rank]
    from slens_lint.findings import FileError, FileResult

    for name in found.missing:
        results.append(FileResult(file=name, errors=[FileError(file=name, reason="no such file or directory")]))
    results.extend(FileResult(file=error.file, errors=[error]) for error in found.errors)
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
        notes=found.notes + run_notes + [f"{r.file}: skipped ({r.skipped})" for r in results if r.skipped and r.file],
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
