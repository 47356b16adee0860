"""The review builder: a run's verdicts and findings -> per choice a status and its evidence, per
question a risk (lens.py's risk rules), per pillar and overall questions counted by risk.

Not-met evidence is exactly the run's findings (the same files, suppressions and configuration as
`check`): each not-met verdict is matched to the finding the engine placed for it, and a finding no
verdict accounts for (a rule that reports findings only: cfn-lint's built-ins, rules not yet on the
verdict contract) is evidence of its own. Met, undecidable and suppressed subjects come from verdicts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Optional, Sequence

from slens_lint.findings import FileResult, Finding, Status as VerdictStatus, Verdict
from slens_lint.review import risk as risk_rules
from slens_lint.review.lens import LENS
from slens_lint.review.model import (
    ACCEPTED,
    MET,
    NOT_MET,
    REPOSITORY,
    UNDECIDABLE,
    ChoiceResult,
    Evidence,
    QuestionResult,
    Review,
    ReviewSet,
    RuleRef,
    Status,
)
from slens_lint.review.schema import Choice, Lens, Question, Risk

NOT_REPORTED = "not reported by the run: baselined, or ignored for this file in the configuration"
"""The reason of a gap the engine found but the run left out of the report."""

# A subject's status is its worst verdict's.
_WORST = {NOT_MET: 3, ACCEPTED: 2, UNDECIDABLE: 1, MET: 0}


def rule_refs(rule_ids: Iterable[str], lens: Lens = LENS) -> dict[str, RuleRef]:
    """What the review says of each rule of the map: title, page, whether it ran, whether it reports
    the subjects it checked."""
    from slens_lint.rules import registry
    from slens_lint.rules.base import Judge

    ran = set(rule_ids)
    refs = {}
    for _, choice in lens.choices():
        for rule_id in choice.rules:
            cls: Any = registry.get(rule_id)
            if cls is None:
                raise KeyError(f"the Lens map names {rule_id}, which is no rule")
            verdicts = issubclass(cls, Judge)
            refs[rule_id] = RuleRef(rule_id, cls.title, cls.severity.value, cls.docs_url(), rule_id in ran, verdicts)
    return refs


def build(
    results: Sequence[FileResult],
    rule_ids: Iterable[str],
    tool_version: str,
    per_template: bool = False,
    lens: Lens = LENS,
) -> ReviewSet:
    """One review of all `results` (the repository), or one per template with `per_template`."""
    refs = rule_refs(rule_ids, lens)
    results = [r for r in results if not r.skipped]
    if per_template:
        reviews = [review(r.file, [r], refs, lens) for r in results]
    else:
        reviews = [review(REPOSITORY, results, refs, lens)]
    return ReviewSet(reviews=reviews, lens=lens, rules=refs, tool_version=tool_version, per_template=per_template)


def review(name: str, results: Sequence[FileResult], refs: dict[str, RuleRef], lens: Lens = LENS) -> Review:
    choice_of = {rule_id: choice.id for _, choice in lens.choices() for rule_id in choice.rules}
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    # choice id -> (rule, file, subject) -> worst evidence status
    subjects: dict[str, dict[tuple[str, str, str], str]] = defaultdict(dict)
    unmapped: dict[str, int] = defaultdict(int)
    errors: list[str] = []
    for result in results:
        errors.extend(e.one_line() for e in result.errors)
        for item in _file_evidence(result):
            choice_id = choice_of.get(item.rule_id)
            if choice_id is None:
                unmapped[item.rule_id] += 1
                continue
            key = (item.rule_id, item.file, item.subject)
            seen = subjects[choice_id].get(key)
            if seen is None or _WORST[item.status] > _WORST[seen]:
                subjects[choice_id][key] = item.status
            if item.status != MET:
                evidence[choice_id].append(item)
    questions = [
        _question(q, [_choice(c, subjects.get(c.id, {}), evidence.get(c.id, []), refs) for c in q.choices])
        for q in lens.questions
    ]
    return Review(
        name=name,
        files=[r.file for r in results],
        questions=questions,
        errors=errors,
        unmapped=dict(sorted(unmapped.items())),
    )


def _file_evidence(result: FileResult) -> Iterable[Evidence]:
    """Every verdict of a file as evidence, each not-met one with the finding placed for it; then the
    findings no verdict accounts for. A verdict repeated by another environment (`--all-envs`, where
    one finding stands for all of them) is taken once."""
    pending: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in result.findings:
        pending[(finding.rule_id, finding.message)].append(finding)
    seen: set[tuple] = set()
    for verdict in result.verdicts:
        key = (verdict.rule_id, verdict.subject, verdict.status, verdict.message, _where(verdict.range), verdict.suppressed)
        if key in seen:
            continue
        seen.add(key)
        if verdict.status is VerdictStatus.MET:
            yield _evidence(verdict, result.file, MET)
        elif verdict.status is VerdictStatus.UNDECIDABLE:
            yield _evidence(verdict, result.file, UNDECIDABLE)
        elif verdict.suppressed is not None:
            yield _evidence(verdict, result.file, ACCEPTED)
        else:
            finding = _take(pending.get((verdict.rule_id, verdict.message)), verdict)
            if finding is None:
                # The engine places a finding for every gap not suppressed; the run left this one out of
                # the report (a baseline, a per-file ignore): a gap the project chose to accept.
                yield _evidence(verdict, result.file, ACCEPTED, reason=NOT_REPORTED)
            else:
                yield _evidence(verdict, result.file, NOT_MET, finding)
    for findings in pending.values():
        for finding in findings:
            yield _from_finding(finding)


def _where(rng: Any) -> Optional[tuple[int, int, int, int]]:
    return (rng.start_line, rng.start_column, rng.end_line, rng.end_column) if rng is not None else None


def _take(findings: Optional[list[Finding]], verdict: Verdict) -> Optional[Finding]:
    """The finding the engine placed for a not-met verdict: same rule and message, at its range when
    one is (a finding placed elsewhere, in a construct's source, is matched by its message)."""
    if not findings:
        return None
    where = _where(verdict.range)
    index = next((i for i, f in enumerate(findings) if _where(f.range) == where), 0)
    return findings.pop(index)


def _evidence(verdict: Verdict, file: str, status: str, finding: Optional[Finding] = None, reason: Optional[str] = None) -> Evidence:
    rng = finding.range if finding is not None else verdict.range
    fix = finding.fix if finding is not None else (verdict.fix.text if verdict.fix else None)
    return Evidence(
        rule_id=verdict.rule_id,
        status=status,
        file=finding.file if finding is not None else file,
        line=rng.start_line if rng else None,
        column=rng.start_column if rng else None,
        resource=verdict.resource,
        subject=verdict.subject,
        message=verdict.message,
        fix=fix if status == NOT_MET else None,
        hidden_by=tuple(verdict.hidden_by),
        reason=(verdict.suppressed if reason is None else reason) if status == ACCEPTED else None,
    )


def _from_finding(finding: Finding) -> Evidence:
    """A finding of a rule that reports no verdicts: its subject is where it points."""
    subject = "/".join(str(p) for p in finding.path) or f"{finding.resource or ''}@{finding.range.start_line}"
    return Evidence(
        rule_id=finding.rule_id,
        status=NOT_MET,
        file=finding.file,
        line=finding.range.start_line,
        column=finding.range.start_column,
        resource=finding.resource,
        subject=subject,
        message=finding.message,
        fix=finding.fix,
    )


def _choice(choice: Choice, subjects: dict[tuple[str, str, str], str], evidence: list[Evidence], refs: dict[str, RuleRef]) -> ChoiceResult:
    counts = {MET: 0, NOT_MET: 0, ACCEPTED: 0, UNDECIDABLE: 0}
    for status in subjects.values():
        counts[status] += 1
    evidence.sort(key=lambda e: (-_WORST[e.status], e.file, e.line or 0, e.column or 0, e.rule_id))
    notes = _notes(choice, refs, {e.rule_id for e in evidence})
    ran = [r for r in choice.rules if refs[r].ran]
    if not choice.visible or not ran:
        status = Status.NOT_VISIBLE
    elif not subjects:
        status = Status.NOT_APPLICABLE
    elif counts[NOT_MET]:
        status = Status.PARTLY_MET if counts[MET] else Status.NOT_MET
    elif counts[ACCEPTED]:
        status = Status.ACCEPTED
    elif counts[UNDECIDABLE]:
        status = Status.UNDECIDABLE
    else:
        status = Status.MET
    return ChoiceResult(
        id=choice.id,
        title=choice.title,
        status=status,
        judged=choice.judged,
        rules=list(choice.rules),
        counts=counts,
        evidence=evidence,
        notes=notes,
    )


def _notes(choice: Choice, refs: dict[str, RuleRef], reporting: set[str]) -> list[str]:
    """Rules of the choice that did not run, and rules that report findings only (their silence says
    nothing of the subjects they checked)."""
    from slens_lint.rules import registry

    notes = []
    idle = [r for r in choice.rules if not refs[r].ran]
    opt_in = [r for r in idle if getattr(registry.get(r), "opt_in", False)]
    deselected = [r for r in idle if r not in opt_in]
    if deselected:
        notes.append(f"Not judged by {', '.join(deselected)}: not selected in this run.")
    if opt_in:
        notes.append(f"Not judged by {', '.join(opt_in)}: opt-in (--enable {','.join(opt_in)}).")
    for rule_id in choice.rules:
        if refs[rule_id].ran and not refs[rule_id].verdicts and rule_id not in reporting:
            notes.append(f"{rule_id} reports problems only, not the subjects it checked: it found none.")
    return notes


def _question(question: Question, choices: list[ChoiceResult]) -> QuestionResult:
    statuses = {c.id: c.status for c in choices}
    applicable = any(s not in (Status.NOT_APPLICABLE, Status.NOT_VISIBLE) for s in statuses.values())
    if not applicable:
        risk, worst, condition = Risk.NOT_APPLICABLE, Risk.NOT_APPLICABLE, ""
    else:
        risk, rule = risk_rules.rate(question, lambda cid: statuses[cid].followed())
        worst, _ = risk_rules.rate(question, lambda cid: statuses[cid].followed(pessimistic=True))
        condition = rule.condition
    return QuestionResult(
        id=question.id,
        label=question.label,
        pillar=question.pillar,
        title=question.title,
        risk=risk,
        worst_risk=worst,
        condition=condition,
        why=question.why,
        choices=choices,
        rules=question.risk_rules,
    )
