"""`slens-lint review`: a Serverless Lens review of templates, question by question, with its risks.

The same files, rules, configuration and suppressions as `check`: the run keeps every verdict (met,
not met, undecidable) and `slens_lint.review` turns them into the review.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from slens_lint.cli import EXIT_FINDINGS, EXIT_OK, _fail, _split, app
from slens_lint.cli.environment_options import AllEnvs, AllowOutsideRoot, ConfigEnv, ParameterFiles, ParameterOverrides, SamconfigFile, environment_options
from slens_lint.config import ConfigError


class ReviewFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"
    wa_lens = "wa-lens"
    wa_answers = "wa-answers"


class FailOnRisk(str, Enum):
    high = "high"
    medium = "medium"
    never = "never"


@app.command(short_help="Review templates question by question, with risks.")
def review(
    # Described in the docstring: this typer prints an argument's Python type ("<list[str]>") in help.
    paths: Optional[List[str]] = typer.Argument(None, metavar="PATH", hidden=True, show_default=False),
    format: ReviewFormat = typer.Option(ReviewFormat.text, "--format", "-f", help="Output format. wa-lens writes the Lens map as a Well-Architected Tool custom lens (no templates needed); wa-answers the answers to import."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the review to FILE instead of standard output."),
    compare: Optional[Path] = typer.Option(None, "--compare", metavar="FILE", help="A previous review (--format json) to compare with: questions whose risk went up or down, practices newly met or lost."),
    per_template: bool = typer.Option(False, "--per-template", help="One review per template (stack) instead of one for everything given."),
    select: Optional[List[str]] = typer.Option(None, "--select", metavar="IDS", help="Only these rule ids or prefixes. Repeatable or comma-separated."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="IDS", help="Skip these rule ids or prefixes (their practices are then not judged)."),
    enable: Optional[List[str]] = typer.Option(None, "--enable", metavar="IDS", help="Switch on opt-in rules (e.g. SL205)."),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", metavar="GLOB", help="Glob of files or folders not to scan (repeatable)."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE", help="A baseline (check --write-baseline): the findings it holds are accepted risks."),
    cfn_lint: Optional[bool] = typer.Option(None, "--cfn-lint/--no-cfn-lint", help="Also run cfn-lint's built-in rules, as check does (their findings are counted, outside the Lens map)."),
    fail_on: FailOnRisk = typer.Option(FailOnRisk.never, "--fail-on", help="Exit 1 when a question is at this risk or above."),
    max_evidence: Optional[int] = typer.Option(None, "--max-evidence", min=0, metavar="N", help="Pieces of evidence listed per best practice in text, Markdown and HTML. Default: 5, 50, 500 (JSON lists all)."),
    link_base: Optional[str] = typer.Option(None, "--link-base", metavar="URL", help="HTML/Markdown file links: URL prefix (e.g. https://github.com/org/repo/blob/<sha>/). Default: paths relative to the output file."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N", help="Worker processes. Default: one per CPU when there are many files."),
    max_file_size: Optional[int] = typer.Option(None, "--max-file-size", min=1, metavar="BYTES", help="Largest file to read, in bytes. Default: 10 MB."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Configuration file for every reviewed file (.slens-lint.toml or pyproject.toml). Default: the nearest one up from each file."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour text output. Default: on a terminal."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Text: list every piece of evidence."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
    parameter_overrides: ParameterOverrides = None,
    parameters: ParameterFiles = None,
    config_env: ConfigEnv = None,
    samconfig: SamconfigFile = None,
    all_envs: AllEnvs = False,
    allow_outside_root: AllowOutsideRoot = None,
) -> None:
    """Review templates against the Serverless Lens: per question, its best practices and risk.

    PATH: files, folders (scanned recursively) or globs. Default: the configured paths, else the
    current folder.
    """
    import gc

    gc.set_threshold(100_000, 50, 1_000)  # as `check`: a one-shot command that allocates heavily
    from slens_lint import __version__
    from slens_lint.cli.common import check_ids, write_report
    from slens_lint.discovery import discover
    from slens_lint.output.review_formats import ReviewOptions, render_review
    from slens_lint.review import build as builder
    from slens_lint.review.compare import CompareError, apply, load
    from slens_lint.session.check import CheckRequest, UsageError, run_check
    from slens_lint.session.settings import CommandLine

    previous = None
    if compare is not None:
        try:
            previous = load(compare)
        except CompareError as exc:
            raise _fail(str(exc))
    results, rule_ids, code = [], [], EXIT_OK
    if format is not ReviewFormat.wa_lens:  # the custom lens is the Lens map itself: nothing to lint
        # check's run, every verdict kept, every finding (min-severity is a reporting filter of check).
        cli = CommandLine(
            select=tuple(_split(select)),
            ignore=tuple(_split(ignore)),
            enable=tuple(_split(enable)),
            fail_on="never",
            min_severity="info",
            cfn_lint=cfn_lint,
            max_file_size=max_file_size,
            allow_outside_root=allow_outside_root,
            config=config,
            debug=debug,
            keep_verdicts=True,
            baseline=baseline,
        )
        check_ids(list(cli.select + cli.ignore + cli.enable), bool(cfn_lint))
        request = CheckRequest(
            paths=list(paths or []),
            cli=cli,
            exclude=_split(exclude),
            jobs=jobs,
            environments=environment_options(parameter_overrides, parameters, config_env, samconfig, all_envs),
        )
        try:
            run = run_check(request, discover)
        except (UsageError, ConfigError) as exc:
            raise _fail(str(exc))
        results, rule_ids, code = run.report.files, run.report.rule_ids, run.exit_code
    errors = [e for r in results for e in r.errors]

    review_set = builder.build(results, rule_ids, __version__, per_template=per_template)
    if previous is not None:
        apply(review_set, previous, str(compare))
    options = ReviewOptions(
        color=color if color is not None else (output is None and sys.stdout.isatty()),
        verbose=verbose,
        max_evidence=max_evidence,
        link_base=link_base,
        link_root=str(output.resolve().parent) if output is not None else None,
    )
    write_report(render_review(format.value, review_set, options), output)
    if format is not ReviewFormat.text:
        for error in errors:
            typer.echo(f"slens-lint: {error.one_line()}", err=True)
    # Unreadable files and internal errors give check's exit codes (2, 3); else the risk decides.
    raise typer.Exit(code if code != EXIT_OK or not _at_risk(review_set, fail_on) else EXIT_FINDINGS)


def _at_risk(review_set, fail_on: FailOnRisk) -> bool:
    if fail_on is FailOnRisk.never:
        return False
    threshold = 3 if fail_on is FailOnRisk.high else 2
    return any(q.risk.rank >= threshold for r in review_set.reviews for q in r.questions)
