"""What a SARIF result carries beyond its place: its identity (`partialFingerprints`), its fixes, and
the files that do not parse as results.

`fixes`: a finding's automatic fix as replacements in its file. GitHub code scanning ignores them but
rejects malformed ones, so a result gets `fixes` only when it has edits (never an empty
`artifactChanges`), each edit a replacement of a region (empty for an insertion) by text."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Optional

import sarif_om

from slens_lint.findings import PARSE_ERROR_ID, Finding, Range, Report, Severity


def fingerprint(rule_id: str, uri: str, path: Iterable[Any]) -> str:
    """Identity of an alert that does not move with line numbers: rule, file and logical path."""
    key = json.dumps([rule_id, uri, [p if isinstance(p, int) else str(p) for p in path]], separators=(",", ":"))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def identity(finding: Finding, uri: str) -> str:
    """The result's partial fingerprint: the finding's own (the baseline matches on it too), scoped by
    the nested stack chain or the CDK construct it was found under; else rule, file and logical path."""
    context = list(finding.stack) + ([finding.construct_path] if finding.generated is not None else [])
    if finding.fingerprint:
        return fingerprint(finding.rule_id, finding.fingerprint, context) if context else finding.fingerprint
    key = (*finding.stack, *finding.path) if finding.generated is None else (finding.construct_path, *finding.path)
    return fingerprint(finding.rule_id, uri, key)


def parse_error_findings(report: Report) -> list[Finding]:
    """Files that do not parse, as results of cfn-lint's parse-error id (an alert code scanning shows on
    the file); they are errors of the run, never findings of the report."""
    out = []
    for error in report.errors:
        if error.kind == "parse":
            line, column = error.line or 1, error.column or 1
            out.append(
                Finding(
                    rule_id=PARSE_ERROR_ID,
                    cfn_lint_id=PARSE_ERROR_ID,
                    severity=Severity.ERROR,
                    file=error.file,
                    range=Range(start_line=line, start_column=column, end_line=line, end_column=column + 1),
                    message=f"Template could not be parsed: {error.reason}",
                )
            )
    return out


def fixes(finding: Finding, uri: str, uri_base_id: str) -> Optional[list[Any]]:
    if not finding.edits:
        return None
    replacements = [
        sarif_om.Replacement(
            deleted_region=sarif_om.Region(
                start_line=edit.range.start_line,
                start_column=edit.range.start_column,
                end_line=edit.range.end_line,
                end_column=edit.range.end_column,
            ),
            inserted_content=sarif_om.ArtifactContent(text=edit.text),
        )
        for edit in finding.edits
    ]
    hint = (finding.fix or "").splitlines()[0].rstrip(":") if finding.fix else f"Fix {finding.rule_id}"
    safety = " (unsafe: changes behaviour or cost)" if finding.fix_safety == "unsafe" else ""
    return [
        sarif_om.Fix(
            description=sarif_om.Message(text=f"{hint}{safety}."),
            artifact_changes=[
                sarif_om.ArtifactChange(
                    artifact_location=sarif_om.ArtifactLocation(uri=uri, uri_base_id=uri_base_id),
                    replacements=replacements,
                )
            ],
        )
    ]
