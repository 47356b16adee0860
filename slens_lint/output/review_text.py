"""`review --format text` (default): a one-screen summary first (risk counts per pillar, then one line
per question), then each question with its best practices, their status and evidence (the first few
per practice; `--verbose` lists all)."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from slens_lint.output.review_formats import (
    RISK_LABEL,
    RISK_ORDER,
    STATUS_LABEL,
    ReviewOptions,
    evidence_limit,
    choice_tally,
    evidence_text,
    question_risk,
    risk_line,
    risk_rule_line,
    scope_line,
    subjects_line,
)
from slens_lint.review.model import REPOSITORY, Review, ReviewSet, Status
from slens_lint.review.schema import Risk

RISK_STYLE = {Risk.HIGH: "bold red", Risk.MEDIUM: "yellow", Risk.NONE: "green", Risk.NOT_APPLICABLE: "dim"}
STATUS_STYLE = {
    Status.MET: "green",
    Status.PARTLY_MET: "yellow",
    Status.NOT_MET: "red",
    Status.ACCEPTED: "cyan",
    Status.UNDECIDABLE: "magenta",
    Status.NOT_APPLICABLE: "dim",
    Status.NOT_VISIBLE: "dim",
}
EVIDENCE_SHOWN = 5


def render(review_set: ReviewSet, options: ReviewOptions) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=options.color, no_color=not options.color, width=120, highlight=False)
    reviews = review_set.reviews
    if review_set.per_template and len(reviews) > 1:
        _templates_table(console, reviews)
    for review in reviews:
        _summary(console, review_set, review)
    for review in reviews:
        _details(console, review, options)
    return buffer.getvalue()


def _summary(console: Console, review_set: ReviewSet, review: Review) -> None:
    console.print(Text(f"Serverless Lens review: {review.name} ({scope_line(review_set, review)})", style="bold"))
    console.print(Text(f"Questions by risk: {risk_line(review.counts())}"))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Pillar")
    for risk in RISK_ORDER:
        table.add_column(RISK_LABEL[risk], justify="right", style=RISK_STYLE[risk])
    for pillar, counts in review.pillar_counts().items():
        table.add_row(pillar.title, *(str(counts[r.value]) for r in RISK_ORDER))
    total = review.counts()
    table.add_row(Text("Overall", style="bold"), *(str(total[r.value]) for r in RISK_ORDER), end_section=True)
    console.print(table)
    questions = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    questions.add_column("Question", no_wrap=False)
    questions.add_column("Risk")
    questions.add_column("Best practices")
    for q in review.questions:
        questions.add_row(f"{q.label}  {q.title}", Text(RISK_LABEL[q.risk], style=RISK_STYLE[q.risk]), choice_tally(q))
    console.print(questions)
    if review.changes is not None:
        _changes(console, review)
    if review.errors:
        console.print(Text(f"Not reviewed ({len(review.errors)} files could not be read or parsed):", style="bold red"))
        for error in review.errors:
            console.print(Text(f"  {error}", style="red"))
    console.print()


def _changes(console: Console, review: Review) -> None:
    changes = review.changes
    assert changes is not None
    if not changes.found:
        console.print(Text(f"Since {changes.previous}: no review of '{review.name}' there to compare with.", style="dim"))
        return
    changed = changes.changed()
    console.print(Text(f"Since {changes.previous}: " + (f"{len(changed)} questions changed" if changed else "no change"), style="bold"))
    for q in changed:
        before = RISK_LABEL[q.before] if q.before else "-"
        line = Text(f"  {q.label}: risk {before} -> {RISK_LABEL[q.after]}")
        if q.direction == "up":
            line.stylize("red")
        elif q.direction == "down":
            line.stylize("green")
        for title in q.gained:
            line.append(f"\n    newly met: {title}", style="green")
        for title in q.lost:
            line.append(f"\n    lost: {title}", style="red")
        console.print(line)


def _details(console: Console, review: Review, options: ReviewOptions) -> None:
    shown = None if options.verbose else evidence_limit(options, EVIDENCE_SHOWN)
    for q in review.questions:
        head = Text(f"{q.label}  {q.title}  ", style="bold")
        head.append(question_risk(q), style=RISK_STYLE[q.risk])
        if review.name != REPOSITORY:
            head.append(f"  [{review.name}]", style="dim")
        console.print(head, soft_wrap=True)
        console.print(Text(f"  {risk_rule_line(q)} {q.why if q.condition else ''}", style="dim"), soft_wrap=True)
        for choice in q.choices:
            line = Text("  ")
            line.append(f"{STATUS_LABEL[choice.status]:<14}", style=STATUS_STYLE[choice.status])
            line.append(f" {choice.title}")
            tally = subjects_line(choice)
            if tally:
                line.append(f" ({tally})", style="dim")
            console.print(line, soft_wrap=True)
            if choice.status is Status.NOT_VISIBLE:
                console.print(Text(f"      {choice.judged}", style="dim"), soft_wrap=True)
            for note in choice.notes:
                console.print(Text(f"      note: {note}", style="dim"), soft_wrap=True)
            for reason in choice.reasons():
                console.print(Text(f"      accepted because: {reason}", style="cyan"), soft_wrap=True)
            items = choice.evidence if shown is None else choice.evidence[:shown]
            for e in items:
                row = Text("      ")
                row.append(e.location(), style="bold")
                row.append(f" {e.rule_id} ")
                row.append(evidence_text(e))
                console.print(row, soft_wrap=True)
            if shown is not None and len(choice.evidence) > shown:
                console.print(Text(f"      ... and {len(choice.evidence) - shown} more (--verbose, or --format html/markdown/json)", style="dim"))
        console.print()


def _templates_table(console: Console, reviews: list[Review]) -> None:
    """Per template: first its questions by risk summed per pillar over all templates, then one row each."""
    totals: dict = {}
    for review in reviews:
        for pillar, counts in review.pillar_counts().items():
            for risk, n in counts.items():
                totals.setdefault(pillar, {}).setdefault(risk, 0)
                totals[pillar][risk] += n
    console.print(Text(f"Serverless Lens review of {len(reviews)} templates, one review each: questions by risk, summed", style="bold"))
    summed = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    summed.add_column("Pillar")
    for risk in RISK_ORDER:
        summed.add_column(RISK_LABEL[risk], justify="right", style=RISK_STYLE[risk])
    for pillar, counts in totals.items():
        summed.add_row(pillar.title, *(str(counts[r.value]) for r in RISK_ORDER))
    console.print(summed)
    table = Table(title="Templates by risk", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Template")
    for risk in RISK_ORDER:
        table.add_column(RISK_LABEL[risk], justify="right", style=RISK_STYLE[risk])
    for review in sorted(reviews, key=lambda r: (-r.counts()["high"], -r.counts()["medium"], r.name)):
        counts = review.counts()
        table.add_row(review.name, *(str(counts[r.value]) for r in RISK_ORDER))
    console.print(table)
