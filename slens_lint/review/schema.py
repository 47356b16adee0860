"""The shapes of the Lens map: questions, their choices (best practices) and risk rules, as the
Well-Architected Tool knows them (see docs/review.md and the custom lens format, schemaVersion
2021-11-01). The map itself is data, in `lens.py`."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterator

from slens_lint.findings import Pillar

# The Well-Architected Framework's own pillar ids: a custom lens that uses them files its questions
# under the framework's pillars in the Tool.
WA_PILLAR_IDS = {
    Pillar.OPERATIONAL_EXCELLENCE: "operationalExcellence",
    Pillar.SECURITY: "security",
    Pillar.RELIABILITY: "reliability",
    Pillar.PERFORMANCE: "performance",
    Pillar.COST: "costOptimization",
}


class Risk(str, enum.Enum):
    """A question's risk, as the Tool rates it (NOT_APPLICABLE: nothing in the templates it applies to)."""

    HIGH = "high"
    MEDIUM = "medium"
    NONE = "none"
    NOT_APPLICABLE = "not-applicable"

    @property
    def tool_name(self) -> str:
        """The Tool's spelling in a custom lens's risk rules."""
        return {"high": "HIGH_RISK", "medium": "MEDIUM_RISK", "none": "NO_RISK", "not-applicable": "NOT_APPLICABLE"}[self.value]

    @property
    def rank(self) -> int:
        return {"high": 3, "medium": 2, "none": 1, "not-applicable": 0}[self.value]


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Choice:
    """One best practice of a question, as the Tool offers it to select."""

    id: str
    """The Tool's choice id (letters, digits, underscores; unique in the lens)."""
    title: str
    practices: tuple[int, ...]
    """Numbers of the practices it covers in its pillar (shared/serverless-lens-practices.md)."""
    judged: str
    """How templates show it (what the rules check); for a choice no template shows, what would show it."""
    helpful: Link
    plan: str
    """The improvement plan: what to do when the practice is not followed."""
    rules: tuple[str, ...] = ()
    """The rules whose verdicts are its evidence (every rule gives evidence for exactly one choice)."""

    @property
    def visible(self) -> bool:
        """Whether templates can show it at all (some rule judges it)."""
        return bool(self.rules)


@dataclass(frozen=True)
class RiskRule:
    """`condition` over the question's choice ids (`&&`, `||`, parentheses) or `default`; the first rule
    whose condition holds gives the question's risk, as in the Tool."""

    condition: str
    risk: Risk


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    """How the Lens numbers it: `OPS 1`."""
    pillar: Pillar
    title: str
    description: str
    helpful: Link
    choices: tuple[Choice, ...]
    risk_rules: tuple[RiskRule, ...]
    why: str
    """Why the risk rules say what they say, in a sentence (docs and outputs)."""

    def choice(self, choice_id: str) -> Choice:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(choice_id)


@dataclass(frozen=True)
class Lens:
    name: str
    description: str
    version: str
    practices: dict[Pillar, tuple[str, ...]]
    """The Lens practices per pillar, numbered from 1 (the names rules cite in `practice`)."""
    questions: tuple[Question, ...]

    def choices(self) -> Iterator[tuple[Question, Choice]]:
        for question in self.questions:
            for choice in question.choices:
                yield question, choice

    def practice_names(self, question: Question, choice: Choice) -> tuple[str, ...]:
        """`Operational excellence 8: Rollout deployment mechanisms`, as rules name their practice."""
        names = self.practices[question.pillar]
        return tuple(f"{question.pillar.title} {n}: {names[n - 1]}" for n in choice.practices)

    def pillars(self) -> list[Pillar]:
        return list(dict.fromkeys(q.pillar for q in self.questions))
