"""`review --format markdown`: for a pull request, a wiki or the GitHub job summary. The summary first
(risk counts per pillar, one row per question), then each question with its best practices and, folded
under `<details>`, the evidence (the first 50 pieces per practice by default: a job summary holds at
most 1 MiB)."""

from __future__ import annotations

import re

from slens_lint.output import review_formats as fmt
from slens_lint.output.review_formats import ReviewOptions
from slens_lint.review.model import REPOSITORY, Review, ReviewSet, Status

EVIDENCE_SHOWN = 50
_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md(text: str) -> str:
    """Text safe in Markdown (and in a table cell): no formatting, no HTML, one line."""
    text = _SPECIAL.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())


def render(review_set: ReviewSet, options: ReviewOptions) -> str:
    out: list[str] = []
    for review in review_set.reviews:
        _review(out, review_set, review, options)
    return "\n".join(out).rstrip() + "\n"


def _review(out: list[str], review_set: ReviewSet, review: Review, options: ReviewOptions) -> None:
    title = "Serverless Lens review" + ("" if review.name == REPOSITORY else f": `{review.name}`")
    out += [f"## {title}", ""]
    out += [
        f"{fmt.scope_line(review_set, review).capitalize()} reviewed by slens-lint {review_set.tool_version} against "
        f"the AWS Well-Architected Serverless Lens. Questions by risk: **{fmt.risk_line(review.counts())}**.",
        "",
        "| Pillar | " + " | ".join(fmt.RISK_LABEL[r] for r in fmt.RISK_ORDER) + " |",
        "|---|" + "---:|" * len(fmt.RISK_ORDER),
    ]
    for pillar, counts in review.pillar_counts().items():
        out.append(f"| {pillar.title} | " + " | ".join(str(counts[r.value]) for r in fmt.RISK_ORDER) + " |")
    total = review.counts()
    out += ["| **Overall** | " + " | ".join(f"**{total[r.value]}**" for r in fmt.RISK_ORDER) + " |", ""]
    out += ["| Question | Risk | Best practices |", "|---|---|---|"]
    for q in review.questions:
        out.append(f"| {q.label} {md(q.title)} | {fmt.RISK_LABEL[q.risk]} | {fmt.choice_tally(q)} |")
    out.append("")
    if review.changes is not None:
        _changes(out, review)
    if review.errors:
        out += [f"**Not reviewed**: {len(review.errors)} files could not be read or parsed.", ""]
        out += [f"- {md(e)}" for e in review.errors] + [""]
    for q in review.questions:
        _question(out, q, options)


def _changes(out: list[str], review: Review) -> None:
    changes = review.changes
    assert changes is not None
    out += ["### Since the last review", ""]
    if not changes.found:
        out += [f"No review named `{review.name}` in `{md(changes.previous)}` to compare with.", ""]
        return
    changed = changes.changed()
    if not changed:
        out += [f"No change since `{md(changes.previous)}`.", ""]
        return
    out += ["| Question | Risk before | Risk now | Newly met | Lost |", "|---|---|---|---|---|"]
    for q in changed:
        before = fmt.RISK_LABEL[q.before] if q.before else "-"
        arrow = {"up": " (up)", "down": " (down)"}.get(q.direction, "")
        out.append(
            f"| {q.label} | {before} | {fmt.RISK_LABEL[q.after]}{arrow} | {md('; '.join(q.gained)) or '-'} | {md('; '.join(q.lost)) or '-'} |"
        )
    out.append("")


def _question(out: list[str], q, options: ReviewOptions) -> None:
    out += [f"### {q.label} {md(q.title)}", ""]
    before, condition, after = fmt.risk_rule_parts(q)
    space = " " if after.startswith(" ") else ""
    rule = f"{md(before)} `{condition}`{space}{md(after)}" if condition else md(before)
    risk = f"**Risk: {fmt.question_risk(q)}**. {rule}"
    if q.condition:
        risk += f" {md(q.why)}"
    out += [risk, "", "| Best practice | Status | Subjects |", "|---|---|---|"]
    for c in q.choices:
        status = fmt.STATUS_LABEL[c.status]
        out.append(f"| {md(c.title)} | {status} | {md(fmt.subjects_line(c)) or '-'} |")
    out.append("")
    shown = fmt.evidence_limit(options, EVIDENCE_SHOWN)
    for c in q.choices:
        lines = []
        if c.status is Status.NOT_VISIBLE:
            lines.append(md(c.judged))
        lines += [f"Note: {md(n)}" for n in c.notes]
        lines += [f"Accepted because: {md(r)}" for r in c.reasons()]
        if not lines and not c.evidence:
            continue
        out += [f"<details><summary>{md(c.title)}: {fmt.STATUS_LABEL[c.status]}</summary>", ""]
        out += [f"- {line}" for line in lines]
        for e in c.evidence[:shown]:
            link = f"[{md(e.location())}]({fmt.href(e.file, e.line, options)})"
            out.append(f"- {link} `{e.rule_id}` {md(fmt.evidence_text(e))}")
        if len(c.evidence) > shown:
            out.append(f"- ... and {len(c.evidence) - shown} more (see the JSON or HTML review)")
        out += ["", "</details>", ""]



def lens_map(review_set: ReviewSet) -> str:
    """The Lens map as Markdown (docs/review.md): per question its risk rules and, per best practice,
    how templates show it and the rules that judge it."""
    out: list[str] = []
    for q in review_set.lens.questions:
        out += [f"### {q.label} {md(q.title)}", "", md(q.description), ""]
        out += ["Risk rules, the first that holds decides: " + "; ".join(
            f"{fmt.RISK_LABEL[r.risk].lower()} when `{r.condition}`" if r.condition != "default" else f"else {fmt.RISK_LABEL[r.risk].lower()}"
            for r in q.risk_rules
        ) + f". {md(q.why)}", ""]
        out += ["| Choice id | Best practice | How templates show it | Rules |", "|---|---|---|---|"]
        for c in q.choices:
            rules = ", ".join(f"[{r}](../rules/{r}.md)" for r in c.rules) or "not visible"
            out.append(f"| `{c.id}` | {md(c.title)} | {md(c.judged)} | {rules} |")
        out.append("")
    return "\n".join(out)
