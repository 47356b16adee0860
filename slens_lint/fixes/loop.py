"""Fixing one file: apply the fixes that do not touch the same text, verify, re-lint, again (a bounded
number of passes, as ruff does), then write once, or show the diff.

Findings whose fixes make the same edits (several functions inheriting one `Globals` value) are fixed
together. When a set of fixes fails verification, they are tried one at a time, so one bad fix never
blocks the others; a fix that fails alone is refused, with the reason, and never written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from slens_lint.findings import FileResult, Finding
from slens_lint.fixes.edits import Edit, apply, overlapping
from slens_lint.fixes.verify import Verifier, finding_key
from slens_lint.fixes.write import Original

MAX_PASSES = 8


@dataclass
class FileFixes:
    display: str
    original: Original
    text: str
    result: FileResult
    """The file's findings after the fixes (what remains)."""
    fixed: list[Finding] = field(default_factory=list)
    refused: list[tuple[Finding, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original.text

    def diff(self) -> str:
        """A unified diff of the fixes (line endings as in the file)."""
        lines = difflib.unified_diff(
            self.original.text.splitlines(keepends=True),
            self.text.splitlines(keepends=True),
            fromfile=f"a/{self.display}",
            tofile=f"b/{self.display}",
        )
        out = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
        return out


def _edits(finding: Finding) -> tuple[Edit, ...]:
    return tuple(Edit(e.start, e.end, e.text) for e in finding.edits)


def _batch(candidates: list[Finding]) -> tuple[list[Finding], list[Edit]]:
    """Findings whose fixes can be applied together: identical edit sets share one application;
    overlapping ones wait for the next pass (offsets move once the text changes)."""
    chosen: list[Finding] = []
    taken: list[Edit] = []
    applied: set[tuple[Edit, ...]] = set()
    for finding in candidates:
        edits = _edits(finding)
        if edits in applied:
            chosen.append(finding)
            continue
        if overlapping(list(edits), taken):
            continue
        chosen.append(finding)
        taken.extend(edits)
        applied.add(edits)
    return chosen, taken


def fix_file(
    path: Path,
    display: str,
    lint: Callable[[str], FileResult],
    verifier: Verifier,
    allowed: frozenset[str],
    original: Optional[Original] = None,
) -> FileFixes:
    """Apply and verify the fixes of `allowed` safety (`safe`, and `unsafe` with --unsafe-fixes)."""
    original = original or Original.read(path)
    text = original.text
    current = lint(text)
    outcome = FileFixes(display, original, text, current)
    refused: set[tuple] = set()
    for _ in range(MAX_PASSES):
        candidates = [
            f for f in current.findings if f.fix_safety in allowed and f.edits and finding_key(f) not in refused
        ]
        if not candidates:
            break
        batch, edits = _batch(candidates)
        check = verifier.check(text, current, apply(text, edits), batch)
        if check.ok and check.after is not None:
            outcome.fixed.extend(batch)
            text, current = apply(text, edits), check.after
            continue
        # One at a time: the first candidate is fixed or refused, so every pass makes progress.
        first = [f for f in batch if _edits(f) == _edits(batch[0])]
        single = verifier.check(text, current, apply(text, list(_edits(batch[0]))), first)
        if single.ok and single.after is not None:
            outcome.fixed.extend(first)
            text, current = apply(text, list(_edits(batch[0]))), single.after
        else:
            for finding in first:
                outcome.refused.append((finding, single.reason))
                refused.add(finding_key(finding))
    outcome.text = text
    outcome.result = current
    return outcome
