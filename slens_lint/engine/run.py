"""A command's run over discovered targets: each template in each of its environments, nested
templates flattened after their parent, one report entry per file and nested chain.

    results, notes = lint_run(engine, targets, environment_options, jobs=...)

Used by `slens-lint check` and `slens-lint review` (both through `session.check`): environments come from `environments.options`
(a samconfig beside each template, or the one given), results of several environments are merged
with each finding labelled (`environments.labels`). A file a folder scan found and that is also a
nested template of another linted file is reported only as part of its parent.
"""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING, Callable, Optional, Sequence

from slens_lint.environments import EnvironmentOptions, environments_for
from slens_lint.environments.labels import merge
from slens_lint.findings import FileError, FileResult

if TYPE_CHECKING:
    from slens_lint.engine.pipeline import Engine, LintTarget


def lint_run(
    engine: "Engine",
    targets: Sequence["LintTarget"],
    options: EnvironmentOptions = EnvironmentOptions(),
    jobs: Optional[int] = None,
    review: Optional[Callable[["LintTarget", FileResult], FileResult]] = None,
) -> tuple[list[FileResult], list[str]]:
    """Results in target order (nested templates after their parent) and notes for `--verbose`.
    `review(target, result)` may replace a target's own result (`--skip-non-templates`)."""
    notes: list[str] = []
    runs: list[tuple[int, Optional[str], "LintTarget"]] = []
    failed: dict[int, str] = {}
    for index, target in enumerate(targets):
        plan = environments_for(target.path, options, target.display)
        notes.extend(plan.notes)
        if plan.error is not None:
            failed[index] = plan.error
        for spec in plan.environments:
            runs.append((index, spec.name if spec is not None else None, dataclasses.replace(target, environment=spec)))
    linted = engine.lint_targets([t for _, _, t in runs], jobs=jobs)
    per_target: dict[int, list[tuple[Optional[str], list[FileResult]]]] = {}
    for (index, name, target), result in zip(runs, linted):
        if review is not None:
            result = review(target, result)
        per_target.setdefault(index, []).append((name if options.all_envs else None, result.flattened()))
    covered = _linted_as_nested(targets, per_target)
    results: list[FileResult] = []
    for index, target in enumerate(targets):
        if index in failed:
            results.append(FileResult(file=target.display, errors=[FileError(file=target.display, reason=failed[index])]))
            continue
        if index in covered:
            notes.append(f"{target.display}: linted as a nested stack of another template, not on its own")
            continue
        merged = merge(per_target.get(index, []))
        for result in merged:
            notes.extend(result.notes)
        results.extend(merged)
    return results, list(dict.fromkeys(notes))


def _real(display: str) -> str:
    return os.path.realpath(display)


def _linted_as_nested(targets: Sequence["LintTarget"], per_target: dict[int, list[tuple[Optional[str], list[FileResult]]]]) -> set[int]:
    """The targets a folder scan found that another kept target already lints as a nested template.
    Targets no other one reaches are kept first; in a cycle (each reaches the other) the first is."""
    files = {i: _real(t.display) for i, t in enumerate(targets)}
    reaches = {i: {_real(r.file) for _, results in per_target.get(i, []) for r in results[1:]} for i in files}
    reached = {i for i in files if any(files[i] in reaches[j] for j in files if j != i)}
    covered_files: set[str] = set()
    for i in files:
        if i not in reached:
            covered_files |= reaches[i]
    dropped: set[int] = set()
    for i, target in enumerate(targets):
        if target.explicit or i not in reached:
            continue
        if files[i] in covered_files:
            dropped.add(i)
        else:
            covered_files |= reaches[i] | {files[i]}
    return dropped
