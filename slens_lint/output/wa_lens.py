"""`review --format wa-lens`: the Lens map as a Well-Architected Tool custom lens (lens format
specification, schemaVersion 2021-11-01), to import as-is (ImportLens, or the console's "Create custom
lens"): the framework's pillar ids, the questions as the Tool asks them, every choice with a helpful
resource and an improvement plan (naming the slens-lint rules that check it), and the risk rules the
review itself uses. The lens does not depend on the templates reviewed."""

from __future__ import annotations

import json
from typing import Any

from slens_lint.output.review_formats import ReviewOptions
from slens_lint.review.model import ReviewSet
from slens_lint.review.schema import WA_PILLAR_IDS

SCHEMA_VERSION = "2021-11-01"

# The format's limits (characters); tests/test_review_wa.py checks the lens against them.
LIMITS = {
    "name": 128,
    "description": 2048,
    "pillar_name": 128,
    "question_title": 128,
    "question_description": 2048,
    "choice_title": 128,
    "display_text": 1024,
    "url": 2048,
}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def lens_document(review_set: ReviewSet) -> dict[str, Any]:
    lens = review_set.lens
    pillars = []
    for pillar in lens.pillars():
        questions = []
        for q in (q for q in lens.questions if q.pillar is pillar):
            choices = []
            for c in q.choices:
                rules = [review_set.rules[r] for r in c.rules]
                plan = c.plan
                if rules:
                    plan += " Checked in templates by slens-lint: " + "; ".join(f"{r.id} {r.title}" for r in rules) + "."
                    plan_url = rules[0].docs_url
                else:
                    plan += " Not visible from templates: " + c.judged.split(": ", 1)[-1]
                    plan_url = q.helpful.url
                choices.append(
                    {
                        "id": c.id,
                        "title": clip(c.title, LIMITS["choice_title"]),
                        "helpfulResource": {"displayText": clip(f"{c.helpful.text}. {c.judged}", LIMITS["display_text"]), "url": c.helpful.url},
                        "improvementPlan": {"displayText": clip(plan, LIMITS["display_text"]), "url": plan_url},
                    }
                )
            questions.append(
                {
                    "id": q.id,
                    "title": clip(q.title, LIMITS["question_title"]),
                    "description": clip(f"{q.label}. {q.description} Risk: {q.why} Lens question: {q.helpful.url}", LIMITS["question_description"]),
                    "choices": choices,
                    "riskRules": [{"condition": r.condition, "risk": r.risk.tool_name} for r in q.risk_rules],
                }
            )
        pillars.append({"id": WA_PILLAR_IDS[pillar], "name": clip(pillar.title, LIMITS["pillar_name"]), "questions": questions})
    return {
        "schemaVersion": SCHEMA_VERSION,
        "name": clip(lens.name, LIMITS["name"]),
        "description": clip(lens.description, LIMITS["description"]),
        "pillars": pillars,
    }


def render(review_set: ReviewSet, options: ReviewOptions) -> str:
    return json.dumps(lens_document(review_set), indent=2) + "\n"
