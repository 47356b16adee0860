"""One template linted in several environments (`--all-envs`), reported once.

Results are matched by file and nested stack chain; a finding that holds in several environments is
one finding labelled with all of them (`environments: ("dev", "prod")`), in the samconfig's order. A
finding whose message differs between environments (a value a parameter decided) stays one per
message. Errors and notes are kept once.
"""

from __future__ import annotations

from typing import Optional, Sequence

from slens_lint.findings import FileError, FileResult, Finding


def _key(result: FileResult) -> tuple:
    return (result.file, result.stack, result.root)


def merge(runs: Sequence[tuple[Optional[str], list[FileResult]]]) -> list[FileResult]:
    """`runs`: per environment (its name), the flattened results of one target, in the same order."""
    if len(runs) == 1 and runs[0][0] is None:
        return runs[0][1]
    order: list[tuple] = []
    merged: dict[tuple, FileResult] = {}
    labels: dict[tuple, dict[str, tuple[Finding, list[str]]]] = {}
    for name, results in runs:
        for result in results:
            key = _key(result)
            if key not in merged:
                order.append(key)
                merged[key] = result.model_copy(update={"findings": [], "errors": [], "notes": [], "verdicts": []})
                labels[key] = {}
            target = merged[key]
            target.errors = _union_errors(target.errors, result.errors)
            target.notes = list(dict.fromkeys(target.notes + result.notes))
            target.verdicts = target.verdicts + result.verdicts
            if result.skipped is None:
                target.skipped = None
            for finding in result.findings:
                identity = finding.model_dump_json()
                found = labels[key].setdefault(identity, (finding, []))
                if name is not None and name not in found[1]:
                    found[1].append(name)
    out = []
    for key in order:
        result = merged[key]
        findings = [f.model_copy(update={"environments": tuple(names)}) if names else f for f, names in labels[key].values()]
        findings.sort(key=Finding.sort_key)
        result.findings = findings
        out.append(result)
    return out


def _union_errors(known: list[FileError], more: list[FileError]) -> list[FileError]:
    seen = {(e.file, e.reason, e.line) for e in known}
    out = list(known)
    for error in more:
        if (error.file, error.reason, error.line) not in seen:
            seen.add((error.file, error.reason, error.line))
            out.append(error)
    return out
