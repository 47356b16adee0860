"""`review --format wa-answers`: per review, one Well-Architected Tool UpdateAnswer request per question
of the custom lens (`--format wa-lens`), in the API's own parameter names, so that each can be sent as
it is with `aws wellarchitected update-answer --workload-id ID --lens-alias LENS_ARN --cli-input-json`.

- `SelectedChoices`: the best practices the templates show met.
- `ChoiceUpdates`: met -> SELECTED; accepted (every gap suppressed with a reason) -> NOT_APPLICABLE with
  reason BUSINESS_PRIORITIES and the recorded reasons; nothing in the templates it applies to ->
  NOT_APPLICABLE, OUT_OF_SCOPE; not met or partly met -> UNSELECTED with the count of gaps.
- `Notes`: the risk the review found and the evidence (findings with file:line), cut to the API's limit.
- A question nothing in the templates applies to: `IsApplicable: false`, reason OUT_OF_SCOPE.

Practices the templates cannot show, and undecidable ones, are left out of the request and listed under
`for_the_team` beside it: `SelectedChoices` replaces the whole selection, so add the ones you follow
before sending it.
"""

from __future__ import annotations

import json
from typing import Any

from slens_lint.output.review_formats import STATUS_LABEL, ReviewOptions, evidence_text, subjects_line
from slens_lint.output.wa_lens import SCHEMA_VERSION, clip
from slens_lint.review.model import QuestionResult, Review, ReviewSet, Status
from slens_lint.review.schema import Risk

NOTES_LIMIT = 2084
CHOICE_NOTES_LIMIT = 250
FOR_THE_TEAM = (Status.NOT_VISIBLE, Status.UNDECIDABLE)


def answer(question: QuestionResult, review: Review, tool_version: str) -> dict[str, Any]:
    """The UpdateAnswer parameters (less WorkloadId and LensAlias) for one question."""
    if question.risk is Risk.NOT_APPLICABLE:
        notes = f"slens-lint {tool_version}: nothing in the {len(review.files)} templates reviewed is concerned by this question."
        return {"QuestionId": question.id, "IsApplicable": False, "Reason": "OUT_OF_SCOPE", "Notes": clip(notes, NOTES_LIMIT)}
    selected, updates = [], {}
    for c in question.choices:
        if c.status is Status.MET:
            selected.append(c.id)
            updates[c.id] = {"Status": "SELECTED", "Notes": clip(subjects_line(c), CHOICE_NOTES_LIMIT)}
        elif c.status is Status.ACCEPTED:
            updates[c.id] = {
                "Status": "NOT_APPLICABLE",
                "Reason": "BUSINESS_PRIORITIES",
                "Notes": clip("Accepted: " + "; ".join(c.reasons()), CHOICE_NOTES_LIMIT),
            }
        elif c.status is Status.NOT_APPLICABLE:
            updates[c.id] = {"Status": "NOT_APPLICABLE", "Reason": "OUT_OF_SCOPE", "Notes": "Nothing in the templates it applies to."}
        elif c.status in (Status.NOT_MET, Status.PARTLY_MET):
            updates[c.id] = {"Status": "UNSELECTED", "Notes": clip(f"{STATUS_LABEL[c.status]}: {subjects_line(c)}", CHOICE_NOTES_LIMIT)}
    return {
        "QuestionId": question.id,
        "SelectedChoices": selected,
        "ChoiceUpdates": updates,
        "Notes": _notes(question, review, tool_version),
        "IsApplicable": True,
    }


def _notes(question: QuestionResult, review: Review, tool_version: str) -> str:
    head = f"slens-lint {tool_version} review of {len(review.files)} templates: risk {question.risk.value} (rule: {question.condition})."
    lines = [head]
    for c in question.choices:
        if c.status in (Status.NOT_MET, Status.PARTLY_MET, Status.ACCEPTED, Status.UNDECIDABLE):
            lines.append(f"{c.title}: {STATUS_LABEL[c.status]} ({subjects_line(c)}).")
    evidence = [e for c in question.choices for e in c.evidence]
    text = "\n".join(lines)
    for index, e in enumerate(evidence):
        line = f"\n{e.location()} {e.rule_id} {evidence_text(e)}"
        rest = len(evidence) - index
        tail = f"\n... and {rest} more in the full review."
        if len(text) + len(line) + len(tail) > NOTES_LIMIT:
            return text + tail
        text += line
    return text


def document(review_set: ReviewSet) -> dict[str, Any]:
    reviews = []
    for review in review_set.reviews:
        reviews.append(
            {
                "name": review.name,
                "answers": [answer(q, review, review_set.tool_version) for q in review.questions],
                "for_the_team": {
                    q.id: [c.id for c in q.choices if c.status in FOR_THE_TEAM]
                    for q in review.questions
                    if any(c.status in FOR_THE_TEAM for c in q.choices)
                },
            }
        )
    return {
        "version": 1,
        "kind": "slens-lint-wa-answers",
        "tool_version": review_set.tool_version,
        "lens": {"name": review_set.lens.name, "schemaVersion": SCHEMA_VERSION},
        "usage": (
            "aws wellarchitected update-answer --workload-id WORKLOAD_ID --lens-alias LENS_ARN "
            "--cli-input-json \"$(jq -c '.reviews[0].answers[0]' answers.json)\""
        ),
        "reviews": reviews,
    }


def render(review_set: ReviewSet, options: ReviewOptions) -> str:
    return json.dumps(document(review_set), indent=2) + "\n"
