"""Review formats (`slens-lint review --format ...`). Each module has `render(review_set, options) ->
str` and reads the review object only (slens_lint.review.model), never the engine or the model.

This module also holds what several of them share: labels, evidence lines, file links.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Optional

from slens_lint.review.model import ReviewSet, Status
from slens_lint.review.schema import Risk

REVIEW_FORMATS: dict[str, str] = {
    "text": "slens_lint.output.review_text",
    "markdown": "slens_lint.output.review_markdown",
    "html": "slens_lint.output.review_html",
    "json": "slens_lint.output.review_json",
    "wa-lens": "slens_lint.output.wa_lens",
    "wa-answers": "slens_lint.output.wa_answers",
}


@dataclass
class ReviewOptions:
    color: bool = False
    verbose: bool = False
    """Text: every piece of evidence, not the first few per practice."""
    max_evidence: Optional[int] = None
    """Pieces of evidence listed per practice (None: the format's default)."""
    link_base: Optional[str] = None
    """HTML and Markdown file links: a URL prefix (`https://github.com/org/repo/blob/<sha>/`); by
    default links are relative to `link_root`."""
    link_root: Optional[str] = None
    """The folder the output is written to (relative links start there); default the current folder."""


def evidence_limit(options: ReviewOptions, default: int) -> int:
    """How many pieces of evidence a format lists per best practice."""
    return default if options.max_evidence is None else options.max_evidence


def render_review(fmt: str, review_set: ReviewSet, options: ReviewOptions) -> str:
    module = importlib.import_module(REVIEW_FORMATS[fmt])
    return module.render(review_set, options)


RISK_LABEL = {Risk.HIGH: "High", Risk.MEDIUM: "Medium", Risk.NONE: "None", Risk.NOT_APPLICABLE: "N/A"}
RISK_ORDER = (Risk.HIGH, Risk.MEDIUM, Risk.NONE, Risk.NOT_APPLICABLE)
STATUS_LABEL = {
    Status.MET: "met",
    Status.PARTLY_MET: "partly met",
    Status.NOT_MET: "not met",
    Status.ACCEPTED: "accepted",
    Status.UNDECIDABLE: "undecidable",
    Status.NOT_APPLICABLE: "not applicable",
    Status.NOT_VISIBLE: "not visible",
}


def plural(n: int, word: str, many: Optional[str] = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def risk_line(counts: dict[str, int]) -> str:
    """`2 high, 3 medium, 4 none, 0 not applicable`"""
    return ", ".join(f"{counts.get(r.value, 0)} {r.value.replace('-', ' ')}" for r in RISK_ORDER)


def question_risk(question) -> str:
    """`Medium` or `Medium (up to High: undecidable)` when an undecidable choice could raise it."""
    text = RISK_LABEL[question.risk]
    if question.worst_risk.rank > question.risk.rank:
        text += f" (up to {RISK_LABEL[question.worst_risk]} if the undecidable is not followed)"
    return text


STATUS_ORDER = (
    Status.MET,
    Status.PARTLY_MET,
    Status.NOT_MET,
    Status.ACCEPTED,
    Status.UNDECIDABLE,
    Status.NOT_APPLICABLE,
    Status.NOT_VISIBLE,
)


def choice_tally(question) -> str:
    """`1 met, 2 not met, 1 not visible`"""
    counts = {s: sum(1 for c in question.choices if c.status is s) for s in STATUS_ORDER}
    return ", ".join(f"{n} {STATUS_LABEL[s]}" for s, n in counts.items() if n)


def risk_rule_parts(question) -> tuple[str, str, str]:
    """Which risk rule decided (and, for the default, what the next better risk needs), as text before
    the condition, the condition, and text after it (formats set the condition as code)."""
    if not question.condition:
        return "Nothing in the templates is concerned by this question.", "", ""
    if question.condition != "default":
        return "Risk rule ", question.condition, " holds."
    better = [r for r in question.rules if r.condition != "default"]
    if not better:
        return "Risk rule ", "default", "."
    return f"Risk rule default: {RISK_LABEL[better[-1].risk].lower()} risk needs ", better[-1].condition, "."


def risk_rule_line(question) -> str:
    return "".join(risk_rule_parts(question))


def subjects_line(choice) -> str:
    """What the subjects say: `3 of 5 met; 1 accepted; 1 undecidable`."""
    c = choice.counts
    total = choice.subjects()
    if not total:
        return ""
    parts = [f"{c.get('met', 0)} of {total} met"]
    for key, word in (("not-met", "not met"), ("accepted", "accepted"), ("undecidable", "undecidable")):
        if c.get(key):
            parts.append(f"{c[key]} {word}")
    return "; ".join(parts)


def evidence_text(e) -> str:
    """The one-line account of a piece of evidence (after its location and rule)."""
    if e.status == "accepted":
        reason = e.reason or "no reason recorded"
        return f"accepted ({reason}): {e.message}"
    if e.status == "undecidable":
        hidden = "; ".join(e.hidden_by) or "the template hides the value"
        return f"undecidable for {e.resource or e.subject}: {hidden}"
    return e.message


def href(file: str, line: Optional[int], options: ReviewOptions) -> str:
    """Where a file link points: `link_base` + path, else the path relative to `link_root`."""
    anchor = f"#L{line}" if line else ""
    if options.link_base:
        return options.link_base + file.replace(os.sep, "/").lstrip("/") + anchor
    root = options.link_root or os.getcwd()
    try:
        path = os.path.relpath(os.path.abspath(file), root)
    except ValueError:  # another drive on Windows
        path = os.path.abspath(file)
    return path.replace(os.sep, "/") + anchor


def scope_line(review_set: ReviewSet, review) -> str:
    files = len(review.files)
    what = plural(files, "template")
    if review.errors:
        what += f" ({len(review.errors)} not readable)"
    return what
