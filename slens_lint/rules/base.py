"""The rule base class: all of a rule's metadata, once, and the judgement it makes.

A rule names the subjects it applies to (`subjects`) and judges each one (`judge`): met, not met or
undecidable, with the evidence. Findings are the verdicts that are not met; the review reads them all.
Positions, conditions, suppression and output are the engine's business, not the rule's.

Rules import neither cfn-lint nor the engine: `slens_lint.cfn_rules` adapts them to cfn-lint at its
edge, and `slens-lint rules`, `explain` and the docs generator read the metadata alone.
"""

from __future__ import annotations

import re
from typing import Any, Callable, ClassVar, Iterable, Iterator, Optional, Sequence, Union

from slens_lint import DOCS_BASE_URL
from slens_lint.findings import Change, Fix, Pillar, Setting, Severity, Status, Verdict
from slens_lint.template.model import Subject, Template
from slens_lint.template.truth import simplify
from slens_lint.template.values import Case, Truth, Value, describe_conditions

CANONICAL_ID = re.compile(r"^SL[1-5][0-9]{2}$")


class RuleMetadata:
    """What every rule the tool reports under has, whoever checks it: docs, SARIF, the CLI and the LSP
    read only this interface (slens-lint's own `Rule`s and the cfn-lint built-ins alike)."""

    id: ClassVar[str] = ""
    """Canonical id, `SL<pillar digit><two digits>`; never reused."""
    severity: ClassVar[Severity] = Severity.WARNING
    severity_reason: ClassVar[str] = ""
    """Why this default severity: would a reviewer block a merge for it (error, warning), or is it advice
    for the review (info)? Shown on the rule's page; `[tool.slens-lint.rules.<ID>] severity` overrides it."""
    title: ClassVar[str] = ""
    practice: ClassVar[str] = ""
    """The Serverless Lens practice, as named in the Lens (pillar and number)."""
    rationale: ClassVar[str] = ""
    """Why it matters: the risk, in a paragraph."""
    fix: ClassVar[str] = ""
    """What to change, in general terms (each finding may carry a more specific hint)."""
    example: ClassVar[Any] = None
    """A template fragment that passes, rendered in docs with cfn-flip."""
    example_bad: ClassVar[Any] = None
    """A template fragment that fails (optional)."""
    use_instead: ClassVar[str] = ""
    """When the finding does not apply, what to do instead of switching the rule off."""
    references: ClassVar[tuple[str, ...]] = ()
    service: ClassVar[str] = "lambda"
    """The AWS service the rule is about (a SARIF tag)."""
    precision: ClassVar[str] = "high"
    """SARIF precision: how often a finding is right (very-high, high, medium, low)."""
    resource_types: ClassVar[tuple[str, ...]] = ()
    """The resource types the rule reads (documentation)."""
    opt_in: ClassVar[bool] = False
    """Off unless selected or enabled in configuration."""
    fix_safety: ClassVar[Optional[str]] = None
    """The automatic fix the rule offers: `safe` (behaviour-preserving or clearly intended: `--fix`
    applies it), `unsafe` (changes behaviour or cost, a decision: `--unsafe-fixes`), or None (none)."""
    fix_settings: ClassVar[tuple[Setting, ...]] = ()
    """The configuration values its fix uses (`[tool.slens-lint.fix]`), with their defaults."""
    fix_title: ClassVar[str] = ""
    """What the automatic fix does, as an editor action names it ("Fix SL502: set RetentionInDays")."""
    fix_note: ClassVar[str] = ""
    """What the automatic fix changes that a user must know before applying it (why it is unsafe)."""

    @classmethod
    def docs_url(cls) -> str:
        return f"{DOCS_BASE_URL}/{cls.id}.md"


Message = Union[str, Callable[[], str]]
Changes = Union[Iterable[Change], Callable[[], Iterable[Change]]]
At = Union[Value, tuple[Any, ...], None]


class Judge:
    """The judge contract, for every rule slens-lint runs itself (its own `Rule`s, and the cfn-lint
    built-ins it re-implements): `subjects(template)` yields what the rule applies to, `judge(subject,
    template)` returns its verdict (or several), built with `expect`, `met`, `not_met`, `undecidable`.
    Subclasses also have the metadata interface (`RuleMetadata`): `id`, `fix`."""

    id: ClassVar[str] = ""
    fix: ClassVar[str] = ""
    fix_safety: ClassVar[Optional[str]] = None

    # ---- the judgement ----------------------------------------------------------------------

    def subjects(self, template: Template) -> Iterable[Any]:
        """What the rule applies to in this template (resources, events, stages, parameters...)."""
        raise NotImplementedError

    def judge(self, subject: Any, template: Template) -> Union[Verdict, Iterable[Verdict]]:
        """The verdict on one subject."""
        raise NotImplementedError

    def verdicts(self, template: Template) -> Iterator[Verdict]:
        for subject in self.subjects(template):
            result = self.judge(subject, template)
            if isinstance(result, Verdict):
                yield result
            else:
                yield from result

    # ---- building verdicts ------------------------------------------------------------------

    def expect(
        self,
        subject: Subject,
        truth: Truth,
        message: Message,
        *,
        at: At = None,
        fix: Optional[str] = None,
        snippet: Any = None,
        changes: Changes = (),
    ) -> Verdict:
        """The verdict that `truth` gives: met where it holds in every case, not met where it fails in
        some (naming the conditions when not in all), undecidable where it is unknown and never fails.
        `message` says what is wrong (called only when not met); `at` overrides the evidence; `changes`
        (or a callable giving them, called only when not met) apply the fix, for a rule that offers one
        (`fix_safety`)."""
        failing = truth.failing()
        if failing:
            text = message() if callable(message) else message
            # Conditions are named only when the practice is met (or unknown) under others: failing in
            # every branch is failing, whatever the conditions.
            settled = not truth.passing() and not truth.unknown()
            whens = simplify(case.when for case in failing)
            conditions = () if settled or whens == ((),) else whens
            if conditions:
                text = f"When {' or '.join(describe_conditions(c) for c in conditions)}: {text}"
            text += _decided_by(failing)
            made = changes() if callable(changes) else changes
            return self._verdict(subject, Status.NOT_MET, at, failing, text, fix, snippet, conditions=conditions, changes=made)
        unknown = truth.unknown()
        if unknown:
            hidden = tuple(dict.fromkeys(_hidden_by(case) for case in unknown))
            return self._verdict(subject, Status.UNDECIDABLE, at, unknown, "", None, None, hidden_by=hidden)
        return self._verdict(subject, Status.MET, at, truth.passing(), "", None, None)

    def met(self, subject: Subject, at: At = None) -> Verdict:
        return self._verdict(subject, Status.MET, at, [], "", None, None)

    def not_met(
        self,
        subject: Subject,
        message: str,
        *,
        at: At = None,
        fix: Optional[str] = None,
        snippet: Any = None,
        changes: Iterable[Change] = (),
    ) -> Verdict:
        return self._verdict(subject, Status.NOT_MET, at, [], message, fix, snippet, changes=tuple(changes))

    def undecidable(self, subject: Subject, hidden_by: Union[str, Value, Iterable[Any]], *, at: At = None) -> Verdict:
        """Not decidable from the template: `hidden_by` names what hides it (a reason, or values)."""
        items = [hidden_by] if isinstance(hidden_by, (str, Value)) else list(hidden_by)
        reasons = tuple(item.reason if hasattr(item, "reason") else str(item) for item in items)
        if at is None and items and isinstance(items[0], Value):
            at = items[0]
        return self._verdict(subject, Status.UNDECIDABLE, at, [], "", None, None, hidden_by=reasons)

    def _verdict(
        self,
        subject: Subject,
        status: Status,
        at: At,
        cases: Sequence[Case],
        message: str,
        fix: Optional[str],
        snippet: Any,
        conditions: tuple = (),
        hidden_by: tuple[str, ...] = (),
        changes: Iterable[Change] = (),
    ) -> Verdict:
        if isinstance(at, Value):
            path = at.path
        elif at is not None:
            path = tuple(at)
        else:
            evidence = next((case.evidence for case in cases if case.evidence is not None), None)
            path = evidence.path if evidence is not None else ()
        anchors = tuple(subject.anchors)
        return Verdict(
            rule_id=self.id,
            status=status,
            subject=subject.key,
            resource=subject.resource_id,
            owners=tuple(subject.owners),
            at=path or (anchors[0] if anchors else ()),
            anchors=anchors,
            message=message,
            fix=Fix(fix or self.fix, snippet, tuple(changes) if self.fix_safety else ()) if status is Status.NOT_MET else None,
            conditions=conditions,
            hidden_by=hidden_by,
        )


class Rule(RuleMetadata, Judge):
    """Subclass per rule, one per module, named after the flagged pattern.

    Class attributes are the rule's metadata. `subjects(template)` yields what the rule applies to,
    `judge(subject, template)` returns its verdict (or several): build them with `expect`, `met`,
    `not_met` and `undecidable`.
    """

    subject: ClassVar[str] = "resource"
    """What the rule judges, in words (`function`, `API stage`, `log group`): docs and the review."""

    # ---- derived metadata -------------------------------------------------------------------

    @classmethod
    def cfn_lint_id(cls) -> str:
        return cls.severity.letter + cls.id

    @classmethod
    def pillar(cls) -> Pillar:
        return Pillar.from_id(cls.id)

    @classmethod
    def slug(cls) -> str:
        """The rule's name, from its module: `function_without_log_retention` -> `function-without-log-retention`."""
        return cls.__module__.rsplit(".", 1)[-1].replace("_", "-")


def _decided_by(cases: Sequence[Case]) -> str:
    """` (Decided by parameter 'Mode', default 'PassThrough'.)` when a parameter's value decided."""
    for case in cases:
        evidence = case.evidence
        if evidence is not None and evidence.resolved:
            return f" (Decided by {evidence.describe_origin()}.)"
    return ""


def _hidden_by(case: Case) -> str:
    evidence = case.evidence
    reason = getattr(evidence, "reason", None)
    return reason or "a value the template does not show"
