"""Suppression, in one place: `Metadata` on a resource or on the template.

Every finding of a run, slens-lint's and cfn-lint's alike, goes through `apply` once; the cfn-lint
route (`slens_lint.cfn_rules`) asks `is_suppressed` the same question.

Two spellings are honoured, each at resource and template level:

    Metadata:
      slens-lint:
        ignore:
          - id: SL501
            reason: logs are shipped elsewhere
      cfn-lint:
        config:
          ignore_checks: [SL501]     # or WSL501; cfn-lint itself honours the WSL501 form too

An id matches by prefix, canonical or cfn-lint form (`SL5` silences every cost rule).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Sequence

if TYPE_CHECKING:
    from slens_lint.findings import Finding
    from slens_lint.template.model import Template


def directives(metadata: Any) -> list[tuple[str, str]]:
    """Every (id, reason) a `Metadata` mapping asks to ignore; the reason is "" when none is given
    (cfn-lint's spelling has no place for one)."""
    if not isinstance(metadata, dict):
        return []
    found: list[tuple[str, str]] = []
    ours = metadata.get("slens-lint")
    if isinstance(ours, dict):
        entries = ours.get("ignore")
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, str):
                found.append((entry, ""))
            elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
                reason = entry.get("reason")
                found.append((entry["id"], reason.strip() if isinstance(reason, str) else ""))
    theirs = metadata.get("cfn-lint")
    if isinstance(theirs, dict) and isinstance(theirs.get("config"), dict):
        checks = theirs["config"].get("ignore_checks")
        for check in checks if isinstance(checks, list) else [checks]:
            if isinstance(check, str):
                found.append((check, ""))
    return [(i.strip(), reason) for i, reason in found if i and i.strip()]


def ignored_ids(metadata: Any) -> list[str]:
    """Every id a `Metadata` mapping asks to ignore."""
    return [rule_id for rule_id, _ in directives(metadata)]


def matches(ids: Iterable[str], canonical: str, cfn_lint_id: str) -> bool:
    return any(canonical.startswith(i) or cfn_lint_id.startswith(i) for i in ids)


def is_suppressed(
    template_metadata: Any,
    resource_metadata: Iterable[Any],
    canonical: str,
    cfn_lint_id: str,
) -> bool:
    return reason_for(template_metadata, resource_metadata, canonical, cfn_lint_id) is not None


def reason_for(template_metadata: Any, resource_metadata: Iterable[Any], canonical: str, cfn_lint_id: str) -> Optional[str]:
    """Why a finding is suppressed ("" when no reason is written), or None when it is not."""
    for metadata in (*resource_metadata, template_metadata):
        for rule_id, reason in directives(metadata):
            if canonical.startswith(rule_id) or cfn_lint_id.startswith(rule_id):
                return reason
    return None


def apply(
    template: "Template", findings: Sequence[tuple["Finding", tuple[str, ...]]]
) -> tuple[list["Finding"], list[tuple["Finding", str]]]:
    """The findings no `Metadata` suppresses, and the suppressed ones with the recorded reason: a
    resource's among each finding's owners (the resource it names, the function whose event creates
    an implicit API...) first, then the template's."""
    kept: list["Finding"] = []
    suppressed: list[tuple["Finding", str]] = []
    for finding, owners in findings:
        metadata = [r.metadata for r in (template.resource(o) for o in owners) if r is not None]
        reason = reason_for(template.metadata, metadata, finding.rule_id, finding.cfn_lint_id)
        if reason is None:
            kept.append(finding)
        else:
            suppressed.append((finding, reason))
    return kept, suppressed


def problems(template: "Template", known: "Callable[[str], bool]", display: str) -> list[str]:
    """Suppressions that will not do what their author meant: slens-lint's spelling naming an id no rule
    has (a typo silences nothing), or giving no reason (a reviewer cannot tell why the risk is accepted).
    cfn-lint's spelling has no reason field and may name cfn-lint's own rules: it is left alone."""
    found: list[str] = []
    owners: list[tuple[str, Any]] = [("the template", template.metadata)]
    owners += [(f"resource '{r.logical_id}'", r.metadata) for r in template.resources.values()]
    for owner, metadata in owners:
        ours = metadata.get("slens-lint") if isinstance(metadata, dict) else None
        entries = ours.get("ignore") if isinstance(ours, dict) else None
        for entry in entries if isinstance(entries, list) else ([entries] if entries is not None else []):
            rule_id = entry.get("id") if isinstance(entry, dict) else entry
            if not isinstance(rule_id, str) or not rule_id.strip():
                found.append(f"{display}: a suppression on {owner} names no rule id")
                continue
            if not known(rule_id.strip()):
                found.append(f"{display}: the suppression of '{rule_id.strip()}' on {owner} names no rule (see `slens-lint rules`)")
            reason = entry.get("reason") if isinstance(entry, dict) else None
            if not isinstance(reason, str) or not reason.strip():
                found.append(f"{display}: the suppression of '{rule_id.strip()}' on {owner} gives no reason")
    return found
