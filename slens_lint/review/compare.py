"""Review again: what changed since a previous review (`--compare PREVIOUS.json`, a file written by
`slens-lint review --format json`): questions whose risk went up or down, practices newly met or lost,
and the risk counts before. Reviews are matched by name (`repository`, or the template's path with
--per-template)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from slens_lint.review.model import SCHEMA_VERSION, Changes, QuestionChange, Review, ReviewSet, Status
from slens_lint.review.schema import Risk

_LOST_TO = {Status.NOT_MET.value, Status.PARTLY_MET.value, Status.ACCEPTED.value, Status.UNDECIDABLE.value}


class CompareError(ValueError):
    pass


def load(path: Path) -> dict[str, Any]:
    """A previous review document, checked to be one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CompareError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise CompareError(f"{path} is not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("kind") != "slens-lint-review":
        raise CompareError(f"{path} is not a review (write one with `slens-lint review --format json`)")
    if document.get("version") != SCHEMA_VERSION:
        raise CompareError(f"{path} is a review of format version {document.get('version')}; this slens-lint reads version {SCHEMA_VERSION}")
    if not isinstance(document.get("reviews"), list):
        raise CompareError(f"{path} has no reviews")
    return document


def apply(review_set: ReviewSet, previous: dict[str, Any], source: str) -> None:
    """Attach to each review what changed since the review of the same name in `previous`."""
    by_name = {r.get("name"): r for r in previous["reviews"] if isinstance(r, dict)}
    for review in review_set.reviews:
        review.changes = changes(review, by_name.get(review.name), source)


def changes(review: Review, before: Optional[dict[str, Any]], source: str) -> Changes:
    if before is None:
        return Changes(previous=source, found=False)
    old_questions = {q.get("id"): q for q in before.get("questions", []) if isinstance(q, dict)}
    out = []
    for question in review.questions:
        old = old_questions.get(question.id)
        old_risk = _risk(old.get("risk")) if old else None
        old_status = {c.get("id"): c.get("status") for c in (old or {}).get("choices", []) if isinstance(c, dict)}
        gained, lost = [], []
        for choice in question.choices:
            was = old_status.get(choice.id)
            if was is None:
                continue
            if choice.status is Status.MET and was != Status.MET.value:
                gained.append(choice.title)
            elif was == Status.MET.value and choice.status.value in _LOST_TO:
                lost.append(choice.title)
        out.append(QuestionChange(question.id, question.label, old_risk, question.risk, gained, lost))
    counts = before.get("summary", {}).get("risk", {})
    return Changes(previous=source, found=True, questions=out, counts_before=dict(counts) if isinstance(counts, dict) else {})


def _risk(value: Any) -> Optional[Risk]:
    try:
        return Risk(value)
    except ValueError:
        return None
