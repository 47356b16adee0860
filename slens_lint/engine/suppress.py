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

from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from slens_lint.findings import Finding
    from slens_lint.template.model import Template


def ignored_ids(metadata: Any) -> list[str]:
    """Every id a `Metadata` mapping asks to ignore."""
    if not isinstance(metadata, dict):
        return []
    found: list[str] = []
    ours = metadata.get("slens-lint")
    if isinstance(ours, dict):
        entries = ours.get("ignore")
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, str):
                found.append(entry)
            elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
                found.append(entry["id"])
    theirs = metadata.get("cfn-lint")
    if isinstance(theirs, dict) and isinstance(theirs.get("config"), dict):
        checks = theirs["config"].get("ignore_checks")
        for check in checks if isinstance(checks, list) else [checks]:
            if isinstance(check, str):
                found.append(check)
    return [f.strip() for f in found if f and f.strip()]


def matches(ids: Iterable[str], canonical: str, cfn_lint_id: str) -> bool:
    return any(canonical.startswith(i) or cfn_lint_id.startswith(i) for i in ids)


def is_suppressed(
    template_metadata: Any,
    resource_metadata: Iterable[Any],
    canonical: str,
    cfn_lint_id: str,
) -> bool:
    if matches(ignored_ids(template_metadata), canonical, cfn_lint_id):
        return True
    return any(matches(ignored_ids(m), canonical, cfn_lint_id) for m in resource_metadata)


def apply(template: "Template", findings: Sequence[tuple["Finding", tuple[str, ...]]]) -> list["Finding"]:
    """The findings no `Metadata` suppresses: the template's, or that of a resource among each finding's
    owners (the resource it names, the function whose event creates an implicit API...)."""
    template_ids = ignored_ids(template.metadata)
    kept = []
    for finding, owners in findings:
        if matches(template_ids, finding.rule_id, finding.cfn_lint_id):
            continue
        suppressed = False
        for owner in owners:
            resource = template.resource(owner)
            if resource is not None and matches(ignored_ids(resource.metadata), finding.rule_id, finding.cfn_lint_id):
                suppressed = True
                break
        if not suppressed:
            kept.append(finding)
    return kept
