"""`--fix`, `--unsafe-fixes`, `--diff`: fixing the files of a run.

Only findings the run reports are fixed (not baselined, not ignored for the file, at or above the
reported severity). Each file is fixed and verified by `fixes.loop` with the engine that linted it,
then written atomically (`fixes.write`), or shown as a unified diff and left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from slens_lint.engine import Engine, EngineOptions, LintTarget
from slens_lint.findings import FileResult, Finding
from slens_lint.fixes.loop import FileFixes, fix_file
from slens_lint.fixes.verify import Verifier
from slens_lint.fixes.write import Original, WriteRefused, write


@dataclass
class FixRun:
    fixed: int = 0
    files: int = 0
    refused: list[tuple[str, Finding, str]] = field(default_factory=list)
    """(file, finding, why) of fixes verification turned down."""
    diffs: list[str] = field(default_factory=list)
    not_written: list[str] = field(default_factory=list)
    """Files whose fixes could not be written, with the reason (one line each)."""


class CfnErrors:
    """cfn-lint's errors of a text (its whole rule set, errors only), built on first use."""

    def __init__(self) -> None:
        self._engine: Optional[Engine] = None

    def __call__(self, text: str) -> Optional[set[tuple]]:
        if self._engine is None:
            self._engine = Engine(EngineOptions(cfn_lint=True, select=("E",)))
        result = self._engine.lint_text(text, "verify.yaml")
        if result.errors:
            return None
        return {(f.rule_id, tuple(f.path)) for f in result.findings if not f.rule_id.startswith("SL")}


def fix_targets(
    work: list[tuple[Engine, LintTarget, FileResult]],
    reported: Callable[[Finding], bool],
    allowed: frozenset[str],
    diff: bool,
    root: Path,
) -> tuple[FixRun, dict[str, FileResult]]:
    """Fix each target whose result has a fix of an `allowed` safety on a `reported` finding. Returns
    what was done and, per file, the result after its fixes."""
    run = FixRun()
    after: dict[str, FileResult] = {}
    cfn_errors = CfnErrors()
    for engine, target, result in work:
        if not any(f.fix_safety in allowed and f.edits and reported(f) for f in result.findings):
            continue

        def lint(text: str, engine: Engine = engine, target: LintTarget = target) -> FileResult:
            linted = engine.lint_text(text, target.display, target=target)
            return linted.model_copy(update={"findings": [f for f in linted.findings if reported(f)]})

        try:
            original = Original.read(target.path)
        except (OSError, UnicodeDecodeError) as exc:
            run.not_written.append(f"{target.display}: cannot read it again to fix it ({exc})")
            continue
        outcome = fix_file(target.path, target.display, lint, Verifier(lint, cfn_errors), allowed, original)
        run.refused += [(target.display, finding, why) for finding, why in outcome.refused]
        after[target.display] = outcome.result
        if not outcome.changed:
            continue
        if diff:
            run.diffs.append(outcome.diff())
        else:
            reason = _write(outcome, target, root)
            if reason:
                run.not_written.append(reason)
                after[target.display] = result
                continue
        run.fixed += len(outcome.fixed)
        run.files += 1
    return run, after


def _write(outcome: FileFixes, target: LintTarget, root: Path) -> Optional[str]:
    try:
        write(outcome.original, outcome.text, root=target.root or root)
    except WriteRefused as exc:
        return str(exc)
    return None


def allowed_safety(unsafe: bool) -> frozenset[str]:
    return frozenset({"safe", "unsafe"}) if unsafe else frozenset({"safe"})
