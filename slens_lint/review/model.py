"""What a review is: per question, its choices with a status and their evidence, and a risk; per
pillar and overall, questions counted by risk. Plain data: the output formats read only this, and
`to_dict` is the documented JSON (docs/review.md), which `--compare` reads back."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Optional

from slens_lint.review.schema import Lens, Risk, RiskRule
from slens_lint.findings import Pillar

SCHEMA_VERSION = 1
REPOSITORY = "repository"
"""The name of the one review of everything given (the default scope)."""


class Status(str, enum.Enum):
    """A choice's status in a review."""

    MET = "met"
    """Every subject it applies to meets it."""
    PARTLY_MET = "partly-met"
    """Some subjects meet it, some do not."""
    NOT_MET = "not-met"
    """No subject meets it (some do not; others may be undecidable or accepted)."""
    ACCEPTED = "accepted"
    """Every subject that does not meet it is suppressed or baselined: a known risk, chosen."""
    UNDECIDABLE = "undecidable"
    """No subject fails, but the template hides the answer for some (intrinsics, parameters)."""
    NOT_APPLICABLE = "not-applicable"
    """Its rules ran and found nothing they apply to."""
    NOT_VISIBLE = "not-visible"
    """No template can show it (or its rules did not run): the team answers it."""

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")

    def followed(self, pessimistic: bool = False) -> bool:
        """Whether the choice counts as followed for the risk rules (see lens.py). Undecidable counts
        as followed, except for the worst case (`pessimistic`)."""
        if self in (Status.NOT_MET, Status.PARTLY_MET):
            return False
        return not (pessimistic and self is Status.UNDECIDABLE)


# Evidence statuses (one subject of one rule).
NOT_MET, ACCEPTED, UNDECIDABLE, MET = "not-met", "accepted", "undecidable", "met"


@dataclass
class Evidence:
    """One subject a rule judged, where a review shows it: a finding (not met), an accepted gap with its
    recorded reason, or an undecidable subject with what hides it."""

    rule_id: str
    status: str
    file: str
    line: Optional[int]
    column: Optional[int]
    resource: Optional[str]
    subject: str
    message: str = ""
    fix: Optional[str] = None
    hidden_by: tuple[str, ...] = ()
    reason: Optional[str] = None
    """Accepted: the reason recorded with the suppression ("" when none was written)."""

    def location(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "status": self.status,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "resource": self.resource,
            "subject": self.subject,
        }
        if self.status == NOT_MET:
            out.update(message=self.message, fix=self.fix)
        elif self.status == ACCEPTED:
            out.update(message=self.message, reason=self.reason)
        else:
            out["hidden_by"] = list(self.hidden_by)
        return out


@dataclass(frozen=True)
class RuleRef:
    """What a review says of a rule: its title and page, whether it ran, and whether it reports the
    subjects it checked (verdicts) or only the problems it found (findings)."""

    id: str
    title: str
    severity: str
    docs_url: str
    ran: bool
    verdicts: bool


@dataclass
class ChoiceResult:
    id: str
    title: str
    status: Status
    judged: str
    rules: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    """Subjects by evidence status: met, not-met, accepted, undecidable."""
    evidence: list[Evidence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def subjects(self) -> int:
        return sum(self.counts.values())

    def reasons(self) -> list[str]:
        """The distinct reasons recorded for accepted gaps."""
        return list(dict.fromkeys(e.reason or "(no reason recorded)" for e in self.evidence if e.status == ACCEPTED))

    def hidden_by(self) -> list[str]:
        return list(dict.fromkeys(h for e in self.evidence if e.status == UNDECIDABLE for h in e.hidden_by))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "judged": self.judged,
            "rules": self.rules,
            "subjects": {k: self.counts.get(k, 0) for k in (MET, NOT_MET, ACCEPTED, UNDECIDABLE)},
            "reasons": self.reasons(),
            "hidden_by": self.hidden_by(),
            "notes": self.notes,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass
class QuestionResult:
    id: str
    label: str
    pillar: Pillar
    title: str
    risk: Risk
    worst_risk: Risk
    """The risk if every undecidable choice turned out not to be followed."""
    condition: str
    """The risk rule that decided (`default` when none of the others held)."""
    why: str
    choices: list[ChoiceResult]
    rules: tuple[RiskRule, ...] = ()
    """The question's risk rules, in order."""

    def findings(self) -> list[Evidence]:
        return [e for c in self.choices for e in c.evidence if e.status == NOT_MET]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "pillar": self.pillar.value,
            "title": self.title,
            "risk": self.risk.value,
            "worst_risk": self.worst_risk.value,
            "risk_rule": self.condition,
            "risk_rules": [{"condition": r.condition, "risk": r.risk.value} for r in self.rules],
            "why": self.why,
            "choices": [c.to_dict() for c in self.choices],
        }


def risk_counts(questions: list[QuestionResult]) -> dict[str, int]:
    counts = {r.value: 0 for r in Risk}
    for question in questions:
        counts[question.risk.value] += 1
    return counts


@dataclass
class QuestionChange:
    id: str
    label: str
    before: Optional[Risk]
    after: Risk
    gained: list[str] = field(default_factory=list)
    """Titles of choices met now and not before."""
    lost: list[str] = field(default_factory=list)
    """Titles of choices met before and not now."""

    @property
    def direction(self) -> str:
        if self.before is None:
            return "new"
        if self.after.rank > self.before.rank:
            return "up"
        if self.after.rank < self.before.rank:
            return "down"
        return "same"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "risk_before": self.before.value if self.before else None,
            "risk_after": self.after.value,
            "direction": self.direction,
            "gained": self.gained,
            "lost": self.lost,
        }


@dataclass
class Changes:
    """What changed since a previous review of the same scope (`--compare`)."""

    previous: str
    found: bool
    """Whether the previous file held a review of this scope."""
    questions: list[QuestionChange] = field(default_factory=list)
    counts_before: dict[str, int] = field(default_factory=dict)

    def changed(self) -> list[QuestionChange]:
        return [q for q in self.questions if q.direction != "same" or q.gained or q.lost]

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous": self.previous,
            "found": self.found,
            "counts_before": self.counts_before,
            "questions": [q.to_dict() for q in self.changed()],
        }


@dataclass
class Review:
    """One review: the whole repository by default, one template with --per-template."""

    name: str
    files: list[str]
    questions: list[QuestionResult]
    errors: list[str] = field(default_factory=list)
    """Files that could not be read or parsed (`file:line: reason`): nothing in them was judged."""
    unmapped: dict[str, int] = field(default_factory=dict)
    """Findings of rules outside the Lens map (E0000 parse errors, cfn-lint's own rules), by rule id."""
    changes: Optional[Changes] = None

    def pillars(self) -> list[Pillar]:
        return list(dict.fromkeys(q.pillar for q in self.questions))

    def pillar_counts(self) -> dict[Pillar, dict[str, int]]:
        return {p: risk_counts([q for q in self.questions if q.pillar is p]) for p in self.pillars()}

    def counts(self) -> dict[str, int]:
        return risk_counts(self.questions)

    def choice_counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for question in self.questions:
            for choice in question.choices:
                counts[choice.status.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "files": self.files,
            "errors": self.errors,
            "unmapped_findings": self.unmapped,
            "summary": {
                "risk": self.counts(),
                "pillars": {p.value: c for p, c in self.pillar_counts().items()},
                "choices": self.choice_counts(),
            },
            "questions": [q.to_dict() for q in self.questions],
            "changes": self.changes.to_dict() if self.changes else None,
        }


@dataclass
class ReviewSet:
    """Everything one `slens-lint review` produces: the reviews, the Lens map they answer, and the
    rules behind the evidence."""

    reviews: list[Review]
    lens: Lens
    rules: dict[str, RuleRef]
    tool_version: str
    per_template: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": SCHEMA_VERSION,
            "kind": "slens-lint-review",
            "tool": "slens-lint",
            "tool_version": self.tool_version,
            "lens": {"name": self.lens.name, "version": self.lens.version},
            "scope": "per-template" if self.per_template else "repository",
            "rules": {
                r.id: {"title": r.title, "severity": r.severity, "docs_url": r.docs_url, "ran": r.ran, "reports_verdicts": r.verdicts}
                for r in self.rules.values()
            },
            "reviews": [r.to_dict() for r in self.reviews],
        }
