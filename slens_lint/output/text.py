"""`--format text` (default): one line per finding, at most one short fix line under it, then a summary.

    templates/app.yaml:12:5 SL501 warning Function 'Orders' has no log group with a retention period ...
      fix: Add a log group named /aws/lambda/${Orders} with RetentionInDays [fixable]

`--show-fixes` prints each fix whole (with the template fragment to add, in the file's format);
`--statistics` prints how many findings each rule has instead. The summary counts what the run found,
what it did not show (info findings, baselined, suppressed), what `--fix` can fix, and says where to
read more about the most frequent rule. Problems with files go to standard error (see `cli.check`).

A finding's context follows its line: the environments it holds in (`--all-envs`, before the message),
the nested stack chain from the root template, the CDK construct path and, when the finding points at
the app's source, where it is in the synthesized template.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Callable, Optional

from slens_lint.findings import Finding, Report, Severity, rule_info
from slens_lint.output import OutputOptions

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

Segment = tuple[str, Optional[str]]
"""A piece of a line and its rich style (None: plain)."""


def plural(n: int, word: str, words: str = "") -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def render(report: Report, options: OutputOptions) -> str:
    lines: list[list[Segment]] = []
    if options.statistics:
        _statistics(lines, report)
    else:
        for result in report.files:
            if result.skipped and options.verbose:
                lines.append([(f"{result.file}: skipped ({result.skipped})", "dim")])
            for finding in result.findings:
                _finding(lines, finding, options)
    if options.verbose:
        lines.extend([(note, "dim")] for note in options.notes)
    if not options.quiet:
        style = "bold" if report.findings else "green"
        lines.extend([(line, style)] for line in summary(report, options.unsafe_fixes))
    paint = _painter() if options.color else _plain
    return "".join("".join(paint(text, style) for text, style in line) + "\n" for line in lines)


def _plain(text: str, style: Optional[str]) -> str:
    return text


def _painter() -> Callable[[str, Optional[str]], str]:
    # rich only when colour is asked for: it is a sizeable import, and a run of 16,000 findings spent
    # a second in Console.print; a Style renders a piece of text to ANSI codes directly.
    from rich.color import ColorSystem
    from rich.style import Style

    @lru_cache(maxsize=None)
    def style_of(name: str) -> Style:
        return Style.parse(name)

    def paint(text: str, style: Optional[str]) -> str:
        return style_of(style).render(text, color_system=ColorSystem.TRUECOLOR) if style else text

    return paint


def _finding(lines: list[list[Segment]], f: Finding, options: OutputOptions) -> None:
    r = f.range
    style = _STYLE[f.severity]
    lines.append(
        [
            (f"{f.file}:{r.start_line}:{r.start_column}", "bold"),
            (" ", None),
            (f.rule_id, style),
            (" ", None),
            (f.severity.value, style),
            (f" {f.labelled()}", None),
        ]
    )
    for label, text in f.context():
        lines.append([(f"  {label}: {text}", "dim")])
    if f.fix and not options.quiet:
        fix_lines = f.fix.splitlines()
        first = fix_lines[0].rstrip()
        if not options.show_fixes:
            first = first.rstrip(":")
        unsafe = " [fixable]" if options.unsafe_fixes else " [fixable with --unsafe-fixes]"
        marker = {"safe": " [fixable]", "unsafe": unsafe}.get(f.fix_safety or "", "")
        lines.append([(f"  fix: {first}{marker}", "green")])
        if options.show_fixes:
            lines.extend([(f"    {extra}", "green")] for extra in fix_lines[1:])


def _statistics(lines: list[list[Segment]], report: Report) -> None:
    """`--statistics`: findings per rule, most first (ties by id), with how many are fixable."""
    counts = Counter(f.rule_id for f in report.findings)
    fixable = Counter(f.rule_id for f in report.findings if f.fix_safety == "safe")
    titles = _titles(report)
    width = max((len(str(n)) for n in counts.values()), default=1)
    for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        mark = "[*]" if fixable.get(rule_id) else "   "
        lines.append([(f"{count:>{width}} {rule_id:<6} {mark} {titles.get(rule_id, '')}".rstrip(), None)])


def _titles(report: Report) -> dict[str, str]:
    titles = {}
    for rule_id in {f.rule_id for f in report.findings}:
        rule = rule_info(rule_id)
        external = report.external_rules.get(rule_id)
        titles[rule_id] = rule.title if rule is not None else (external.short_description if external else "")
    return titles


def summary(report: Report, unsafe_fixes: bool = False) -> list[str]:
    """What the run found and left out, what can be fixed, and where to read more."""
    counts = report.counts()
    findings = report.findings
    linted = sum(1 for r in report.files if r.linted)
    skipped = sum(1 for r in report.files if r.skipped)
    failed = sum(1 for r in report.files if r.errors)
    parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}" for s in Severity if counts[s]]
    found = plural(len(findings), "finding") + (f" ({', '.join(parts)})" if parts else "")
    where = f"in {plural(linted, 'file')} linted"
    if skipped:
        where += f", {skipped} skipped"
    if failed:
        where += f", {plural(failed, 'file')} not linted (see above)"
    lines = [f"{found} {where}."]
    left_out = []
    hidden = sum(report.hidden.values())
    if hidden:
        left_out.append(f"{plural(hidden, 'info finding')} not shown (--min-severity info, or `slens-lint review`)")
    if report.baselined:
        left_out.append(f"{report.baselined} in the baseline")
    if report.suppressed:
        left_out.append(f"{report.suppressed} suppressed in Metadata")
    if left_out:
        lines.append("Also: " + "; ".join(left_out) + ".")
    if report.baseline_stale:
        lines.append(
            f"{plural(report.baseline_stale, 'baseline entry', 'baseline entries')} no longer match anything: "
            f"write the baseline again (--write-baseline) to shrink it."
        )
    if report.fixed or report.fix_refused:
        refused = f"; {report.fix_refused} not applied (verification, see above)" if report.fix_refused else ""
        lines.append(f"Fixed {plural(report.fixed, 'finding')}{refused}.")
    fixable = report.fixable()
    if unsafe_fixes and fixable:
        total = sum(fixable.values())
        lines.append(f"{plural(total, 'finding')} fixable with `slens-lint check --fix --unsafe-fixes`.")
    elif fixable.get("safe"):
        more = f" ({fixable['unsafe']} more with --unsafe-fixes)" if fixable.get("unsafe") else ""
        lines.append(f"{plural(fixable['safe'], 'finding')} fixable with `slens-lint check --fix`{more}.")
    elif fixable.get("unsafe"):
        lines.append(f"{plural(fixable['unsafe'], 'finding')} fixable with `slens-lint check --fix --unsafe-fixes`.")
    frequent = Counter(f.rule_id for f in findings).most_common(2)
    if frequent and frequent[0][1] > 1:
        ids = " or ".join(f"`slens-lint explain {rule_id}`" for rule_id, count in frequent if count > 1)
        lines.append(f"Most frequent: {', '.join(f'{r} ({n})' for r, n in frequent)}; see {ids}.")
    return lines
