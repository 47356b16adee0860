"""`slens-lint check`, as one run: discover, lint each file with its own settings (and the cache), fix,
filter what is reported (baseline, per-file ignores, severity), report, and the exit code.

The command line (`cli.check`) only gathers options into a `CheckRequest`; everything a run does is
here, in order, so the review can run the same way.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from slens_lint.baseline import Baseline, BaselineError
from slens_lint.engine import Engine, LintTarget
from slens_lint.findings import FileError, FileResult, Finding, Report, Severity
from slens_lint.session.settings import CommandLine, Effective, Resolver, cache_settings

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """A problem with what the user asked (exit 2, one line)."""


@dataclass
class CheckRequest:
    paths: list[str]
    cli: CommandLine
    exclude: list[str] = field(default_factory=list)
    jobs: Optional[int] = None
    environments: Any = None
    skip_non_templates: bool = False
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    write_baseline: Optional[Path] = None
    stdin: Optional[str] = None
    """A template read from standard input (the path `-`), with `stdin_filename` as its name."""
    stdin_filename: Optional[str] = None


@dataclass
class CheckRun:
    report: Report
    notes: list[str]
    warnings: list[str]
    diffs: list[str]
    fixed_text: Optional[str] = None
    """`-` with --fix: the fixed template, for standard output."""
    exit_code: int = EXIT_OK


def _group(targets: list[LintTarget], resolver: Resolver) -> dict[Optional[str], tuple[Effective, list[LintTarget]]]:
    groups: dict[Optional[str], tuple[Effective, list[LintTarget]]] = {}
    for target in targets:
        settings = resolver.for_file(target.path)
        groups.setdefault(settings.source, (settings, []))[1].append(target)
    return groups


def _engine(settings: Effective) -> Engine:
    engine = Engine(settings.engine)
    if settings.cache_dir is not None:
        from slens_lint.cache import Cache

        engine.cache = Cache(settings.cache_dir, cache_settings(settings.engine))
    return engine


def ignored_for_file(finding: Finding, settings: Effective) -> bool:
    if not settings.per_file_ignores:
        return False
    folder = settings.folder or Path.cwd()
    try:
        relative = Path(os.path.relpath(Path(finding.file).resolve(), folder.resolve())).as_posix()
    except ValueError:
        relative = Path(finding.file).as_posix()
    for pattern, ids in settings.per_file_ignores:
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(Path(finding.file).as_posix(), pattern):
            if any(finding.rule_id.startswith(i) or finding.cfn_lint_id.startswith(i) for i in ids):
                return True
    return False


def run_check(request: CheckRequest, discover: Callable[..., Any]) -> CheckRun:
    project = Path.cwd()
    resolver = Resolver(request.cli, project)
    top = resolver.for_folder(project)
    notes: list[str] = []
    warnings: list[str] = []
    if request.stdin is not None:
        name = request.stdin_filename or "stdin.yaml"
        path = Path(name)
        targets = [LintTarget(path=path, display=name, explicit=True)]
        missing: list[str] = []
        unmatched: list[str] = []
        found_errors: list[FileError] = []
    else:
        found = discover(request.paths or top.settings.paths, excludes=request.exclude + top.settings.exclude, allow_outside_root=top.engine.allow_outside_root)
        targets, missing, found_errors = list(found.targets), list(found.missing), list(found.errors)
        unmatched = list(getattr(found, "unmatched", []))
        notes += found.notes
        warnings += getattr(found, "warnings", [])
    groups = _group(targets, resolver)
    results: list[FileResult] = []
    work: list[tuple[Engine, LintTarget, FileResult, Effective]] = []
    rule_ids: list[str] = []
    external: dict[str, Any] = {}
    for settings, group in groups.values():
        engine = _engine(settings)
        if request.stdin is not None:
            group_results = [engine.lint_text(request.stdin, group[0].display, target=group[0])]
        else:
            from slens_lint.engine.run import lint_run

            review = _skip_if_not_template if request.skip_non_templates else None
            group_results, run_notes = lint_run(engine, group, request.environments, jobs=request.jobs, review=review)
            notes += run_notes
        for target in group:
            own = next((r for r in group_results if r.file == target.display), None)
            if own is not None:
                work.append((engine, target, own, settings))
        results += group_results
        rule_ids += [r for r in engine.rule_ids if r not in rule_ids]
        external.update(engine.external_rules())
    by_file = {r.file: settings for (_, _, r, settings) in work}

    def reported(finding: Finding) -> bool:
        settings = by_file.get(finding.file, top)
        return Severity(settings.min_severity).rank <= finding.severity.rank and not ignored_for_file(finding, settings)

    baselines = _baselines(work, top)
    report_extra: dict[str, int] = {}
    fixed_text: Optional[str] = None
    diffs: list[str] = []
    if request.fix or request.diff:
        results, fix_summary, fixed_text = _fix(request, work, results, reported, baselines, project)
        diffs = fix_summary.diffs
        report_extra["fixed"] = fix_summary.fixed
        report_extra["fix_refused"] = len(fix_summary.refused)
        for file, finding, why in fix_summary.refused:
            warnings.append(f"{file}: the fix of {finding.rule_id} on '{finding.resource}' was not applied: {why}")
        warnings += fix_summary.not_written

    hidden: dict[str, int] = {}
    baselined = stale = 0
    for result in results:
        kept = []
        for finding in result.findings:
            settings = by_file.get(result.file, top)
            if ignored_for_file(finding, settings):
                continue
            if Severity(settings.min_severity).rank > finding.severity.rank:
                hidden[finding.severity.value] = hidden.get(finding.severity.value, 0) + 1
                continue
            kept.append(finding)
        result.findings = kept
        warnings += result.warnings
    if baselines:
        held, baselined, stale = _held_by_baselines(results, baselines, lambda r: by_file.get(r.file, top))
        for result in results:
            result.findings = [f for f in result.findings if id(f) not in held]
    for name in missing:
        results.append(FileResult(file=name, errors=[FileError(file=name, reason="no such file or directory")]))
    for pattern in unmatched:
        results.append(FileResult(file=pattern, errors=[FileError(file=pattern, reason="no file matches this pattern")]))
    if not targets and not missing and not unmatched and not found_errors:
        # As ruff says so: a run that linted nothing must not look like a clean one.
        where = ", ".join(request.paths or top.settings.paths or ["."])
        warnings.append(f"no templates found in {where} (YAML or JSON files with Resources, AWSTemplateFormatVersion or a SAM Transform)")
    results.extend(FileResult(file=error.file, errors=[error]) for error in found_errors)
    report = Report(
        files=results,
        rule_ids=rule_ids or Engine(top.engine).rule_ids,
        external_rules=external,
        hidden=hidden,
        baselined=baselined,
        baseline_stale=stale,
        **report_extra,
    )
    if request.write_baseline is not None:
        from slens_lint import baseline as baseline_file

        count = baseline_file.write(request.write_baseline, report.findings)
        notes.append(f"wrote {count} finding{'s' if count != 1 else ''} to the baseline {request.write_baseline}")
    run = CheckRun(report, list(dict.fromkeys(notes)), list(dict.fromkeys(warnings)), diffs, fixed_text)
    fail_on = request.cli.fail_on or top.fail_on
    run.exit_code = exit_code(report, fail_on, fixable=bool(diffs) if request.diff else None)
    return run


def _held_by_baselines(
    results: list[FileResult], baselines: dict[Path, Baseline], settings_of: Callable[[FileResult], Optional[Effective]]
) -> tuple[set[int], int, int]:
    """The findings (by id) each file's own baseline holds (the one its settings name: a monorepo's
    services can keep their own), with how many were held and how many entries matched nothing."""
    by_baseline: dict[Path, list[Finding]] = {}
    for result in results:
        settings = settings_of(result)
        if settings is not None and settings.baseline in baselines:
            by_baseline.setdefault(settings.baseline, []).extend(result.findings)
    held: set[int] = set()
    stale = 0
    for path, baseline in baselines.items():
        findings = by_baseline.get(path, [])
        applied = baseline.apply(findings)
        kept = {id(f) for f in applied.kept}
        held |= {id(f) for f in findings if id(f) not in kept}
        stale += len(applied.stale)
    return held, len(held), stale


def _baselines(work: list[tuple[Engine, LintTarget, FileResult, Effective]], top: Effective) -> dict[Path, Baseline]:
    found: dict[Path, Baseline] = {}
    for settings in [top] + [w[3] for w in work]:
        path = settings.baseline
        if path is not None and path not in found:
            try:
                found[path] = Baseline.load(path)
            except BaselineError as exc:
                raise UsageError(str(exc)) from exc
    return found


def needs_edits(fix: bool, diff: bool, fmt: str) -> bool:
    """Whether the run computes fixes' text edits: to apply them, or for outputs that carry them (the
    fixing machinery itself is imported only by a run that fixes)."""
    return fix or diff or fmt in ("json", "sarif")


def _fix(
    request: CheckRequest,
    work: list[tuple[Engine, LintTarget, FileResult, Effective]],
    results: list[FileResult],
    reported: Callable[[Finding], bool],
    baselines: dict[Path, Baseline],
    project: Path,
) -> tuple[list[FileResult], Any, Optional[str]]:
    from slens_lint.session.fixing import allowed_safety, fix_targets

    # A baselined finding is accepted: it is not fixed either.
    settings_of = {r.file: settings for (_, _, r, settings) in work}
    held = _held_by_baselines(results, baselines, lambda r: settings_of.get(r.file))[0] if baselines else set()
    accepted = {(f.file, f.fingerprint) for r in results for f in r.findings if id(f) in held}

    def fixable(finding: Finding) -> bool:
        return reported(finding) and (finding.file, finding.fingerprint) not in accepted

    if request.stdin is not None:
        return _fix_stdin(request, work, fixable)
    summary, after = fix_targets([(e, t, r) for e, t, r, _ in work], fixable, allowed_safety(request.unsafe_fixes), request.diff, project)
    if not request.diff:
        results = [after.get(r.file, r) if r.file in after else r for r in results]
    return results, summary, None


def _fix_stdin(request: CheckRequest, work: list, fixable: Callable[[Finding], bool]) -> tuple[list[FileResult], Any, Optional[str]]:
    from slens_lint.fixes.loop import fix_file
    from slens_lint.fixes.verify import Verifier
    from slens_lint.fixes.write import Original
    from slens_lint.session.fixing import FixRun, CfnErrors, allowed_safety

    engine, target, result, _ = work[0]
    text = request.stdin or ""

    def lint(source: str) -> FileResult:
        linted = engine.lint_text(source, target.display, target=target)
        return linted.model_copy(update={"findings": [f for f in linted.findings if fixable(f)]})

    original = Original(target.path, text.encode("utf-8"), b"", "utf-8")
    outcome = fix_file(target.path, target.display, lint, Verifier(lint, CfnErrors()), allowed_safety(request.unsafe_fixes), original)
    summary = FixRun(fixed=len(outcome.fixed), files=int(outcome.changed))
    summary.refused = [(target.display, f, why) for f, why in outcome.refused]
    if request.diff:
        summary.diffs = [outcome.diff()] if outcome.changed else []
        return [result], summary, None
    return [outcome.result], summary, outcome.text


def _skip_if_not_template(target: LintTarget, result: FileResult) -> FileResult:
    """A file that failed to parse and does not look like a template is somebody else's YAML/JSON:
    pre-commit hands over every YAML/JSON file of a commit, and a tsconfig.json with comments or a Helm
    chart must not fail the hook. A broken file that does look like a template is still reported."""
    from slens_lint.discovery import looks_like_template_file

    if result.errors and all(e.kind == "parse" for e in result.errors) and not looks_like_template_file(target.path):
        return FileResult(file=result.file, skipped="not a template (not parseable as a YAML or JSON template)", format=result.format)
    return result


def exit_code(report: Report, fail_on: str, fixable: Optional[bool] = None) -> int:
    """0 nothing at or above `fail_on`; 1 findings; 2 a file that could not be read or parsed; 3 an
    internal error. With --diff (`fixable` given) 1 means something to fix, whatever the findings, as
    with ruff: a check that fixes are applied."""
    if any(e.kind == "internal" for e in report.errors):
        return EXIT_INTERNAL
    if report.errors:
        return EXIT_BAD_INPUT
    if fixable is not None:
        return EXIT_FINDINGS if fixable else EXIT_OK
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity(fail_on).rank
    if any(f.severity.rank >= threshold for f in report.findings):
        return EXIT_FINDINGS
    return EXIT_OK

