"""`--format text` (default): grouped by file, the fix hint under each finding, a summary line.

A finding's context follows its line: the environments it holds in (`--all-envs`, before the message),
the nested stack chain from the root template, the CDK construct path and, when the finding points at
the app's source, where it is in the synthesized template."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from slens_lint.findings import Report, Severity
from slens_lint.output import OutputOptions

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def render(report: Report, options: OutputOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        width=10_000,
        highlight=False,
        soft_wrap=True,
    )
    for result in report.files:
        if result.skipped and options.verbose:
            console.print(Text(f"{result.file}: skipped ({result.skipped})", style="dim"))
        for error in result.errors:
            console.print(Text(f"{error.one_line()}", style="bold red"))
        if not result.findings:
            continue
        if not options.quiet:
            console.print(Text(result.file, style="bold underline"))
        for f in result.findings:
            r = f.range
            line = Text()
            line.append(f"{f.file}:{r.start_line}:{r.start_column}", style="bold")
            line.append(" ")
            line.append(f.rule_id, style=_STYLE[f.severity])
            line.append(" ")
            line.append(f.severity.value, style=_STYLE[f.severity])
            line.append(f" {f.labelled()}")
            console.print(line)
            for label, text in f.context():
                console.print(Text(f"  {label}: {text}", style="dim"))
            if f.fix and not options.quiet:
                fix_lines = f.fix.splitlines()
                console.print(Text(f"  fix: {fix_lines[0]}", style="green"))
                for extra in fix_lines[1:]:
                    console.print(Text(f"    {extra}", style="green"))
        if not options.quiet:
            console.print()
    if options.verbose:
        for note in options.notes:
            console.print(Text(note, style="dim"))
    counts = report.counts()
    linted = sum(1 for r in report.files if r.linted)
    skipped = sum(1 for r in report.files if r.skipped)
    failed = sum(1 for r in report.files if r.errors)
    summary = (
        f"{_plural(len(report.findings), 'finding')} "
        f"({counts[Severity.ERROR]} error, {counts[Severity.WARNING]} warning, {counts[Severity.INFO]} info) "
        f"in {_plural(linted, 'file')} linted"
        f"{f', {skipped} skipped' if skipped else ''}"
        f"{f', {failed} failed' if failed else ''}"
    )
    console.print(Text(summary, style="bold" if report.findings else "green"))
    return buffer.getvalue()
