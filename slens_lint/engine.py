"""The engine: builds the cfn-lint rule collection once, lints texts and files, runs many files.

Every call into cfn-lint is guarded per file: cfn-lint can raise on some valid-looking templates
(empty `Resources:` or `Parameters:` in SAM templates), and one file must never end the run.
"""

from __future__ import annotations

import logging
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from slens_lint.findings import FileError, FileResult, Finding, Range, Severity
from slens_lint.rules import registry
from slens_lint.template import loader

# Parse errors are reported under cfn-lint's own id, so both routes (slens-lint and cfn-lint with our
# rules appended) name them the same way.
PARSE_ERROR_ID = "E0000"
RULE_ERROR_ID = "E0002"

# Below this many files a process pool costs more to start than it saves.
PARALLEL_THRESHOLD = 16

# Top-level sections that may be written empty (`Parameters:`); cfn-lint raises on a null one.
_OPTIONAL_SECTIONS = ("Parameters", "Globals", "Conditions", "Mappings", "Outputs", "Metadata", "Rules", "Resources")


@dataclass(frozen=True)
class EngineOptions:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    """Opt-in rules to switch on (by id prefix)."""
    cfn_lint: bool = False
    """Also run cfn-lint's built-in rules."""
    max_file_size: int = loader.DEFAULT_MAX_FILE_SIZE
    regions: tuple[str, ...] = ("us-east-1",)
    debug: bool = False


@dataclass
class LintTarget:
    path: Path
    display: str
    explicit: bool = False
    """Named on the command line (a non-template gets a note) rather than found in a folder scan."""


@dataclass
class _Collection:
    rules: Any
    config: Any
    rule_ids: list[str] = field(default_factory=list)


class Engine:
    """Holds the rule collection; `lint_text` and `lint_file` reuse it for every template."""

    def __init__(self, options: EngineOptions = EngineOptions()) -> None:
        self.options = options
        self.rule_classes = registry.select(options.select, options.ignore, options.enable)
        self._collection: Optional[_Collection] = None

    @property
    def rule_ids(self) -> list[str]:
        return self._build().rule_ids

    def _build(self) -> _Collection:
        if self._collection is not None:
            return self._collection
        from cfnlint.config import ConfigMixIn
        from cfnlint.rules import Rules

        from slens_lint.rules.cfn_adapter import cfn_rule_class

        rules = Rules()
        rule_ids = []
        configure: dict[str, dict[str, Any]] = {}
        for cls in self.rule_classes:
            rule = cfn_rule_class(cls)()
            rules.register(rule)
            rule_ids.append(cls.id)
            if cls.opt_in:
                configure[rule.id] = {"enabled": True}
        if self.options.cfn_lint:
            from cfnlint.config import _DEFAULT_RULESDIR

            for rule in Rules.create_from_directory(_DEFAULT_RULESDIR).values():
                if self.options.select and not rule.id.startswith(tuple(self.options.select)):
                    continue
                if self.options.ignore and rule.id.startswith(tuple(self.options.ignore)):
                    continue
                rules.register(rule)
                rule_ids.append(rule.id)
        config = ConfigMixIn(
            [],
            regions=list(self.options.regions),
            include_checks=["I"],
            configure_rules=configure,
        )
        self._collection = _Collection(rules=rules, config=config, rule_ids=rule_ids)
        return self._collection

    # ---- one template -----------------------------------------------------------------------

    def lint_text(self, text: str, display: str, explicit: bool = True) -> FileResult:
        decoded = loader.decode_text(text)
        if isinstance(decoded, loader.LoadError):
            return self._load_failure(display, decoded)
        if not loader.looks_like_template(decoded.data):
            return FileResult(file=display, skipped="not a CloudFormation or SAM template", format=decoded.format)
        return self.lint_decoded(decoded, display)

    def lint_file(self, target: LintTarget) -> FileResult:
        text = loader.read_text(target.path, self.options.max_file_size)
        if isinstance(text, loader.LoadError):
            return self._load_failure(target.display, text)
        return self.lint_text(text, target.display, target.explicit)

    def lint_decoded(self, decoded: loader.DecodedTemplate, display: str) -> FileResult:
        from cfnlint.runner import run_template_by_data

        from slens_lint.rules.cfn_adapter import local_spans, template_format
        from slens_lint.template.positions import sam_property_spans

        collection = self._build()
        tree = decoded.data
        for section in _OPTIONAL_SECTIONS:
            if section in tree and tree[section] is None:
                del tree[section]
        token = template_format.set(decoded.format)
        spans_token = local_spans.set(sam_property_spans(tree))
        try:
            matches = list(run_template_by_data(tree, collection.config, collection.rules))
        except RecursionError:
            return FileResult(
                file=display,
                format=decoded.format,
                errors=[FileError(file=display, reason="template nesting too deep to lint", kind="internal")],
            )
        except Exception as exc:  # noqa: BLE001 - cfn-lint is third-party; guard every call per file
            reason = f"cfn-lint failed on this template ({type(exc).__name__}: {_one_line(exc)})"
            if self.options.debug:
                reason += "\n" + traceback.format_exc()
            return FileResult(
                file=display,
                format=decoded.format,
                errors=[FileError(file=display, reason=reason, kind="internal")],
            )
        finally:
            template_format.reset(token)
            local_spans.reset(spans_token)
        findings: list[Finding] = []
        errors: list[FileError] = []
        for match in matches:
            converted = self._convert(match, display)
            if isinstance(converted, FileError):
                errors.append(converted)
            elif converted is not None:
                findings.append(converted)
        findings.sort(key=Finding.sort_key)
        return FileResult(file=display, findings=findings, errors=errors, format=decoded.format)

    def _convert(self, match: Any, display: str) -> Finding | FileError | None:
        # cfn-lint copies the RuleMatch's attributes (our slens_* ones included) onto the Match.
        rule_match = match
        rng = Range(
            start_line=max(int(getattr(match, "linenumber", 1) or 1), 1),
            start_column=max(int(getattr(match, "columnnumber", 1) or 1), 1),
            end_line=max(int(getattr(match, "linenumberend", 1) or 1), 1),
            end_column=max(int(getattr(match, "columnnumberend", 1) or 1), 1),
        )
        internal = getattr(rule_match, "slens_internal_error", None)
        if internal is not None or match.rule.id == RULE_ERROR_ID:
            rule = getattr(rule_match, "slens_rule", None) or match.rule.id
            reason = match.message
            if self.options.debug and internal:
                reason = f"{reason}\n{internal}"
            return FileError(file=display, reason=f"[{rule}] {reason}", kind="internal")
        canonical = getattr(rule_match, "slens_rule", None)
        path = tuple(getattr(rule_match, "path", ()) or ())
        resource = getattr(rule_match, "slens_resource", None)
        if resource is None and len(path) >= 2 and path[0] == "Resources":
            resource = str(path[1])
        if canonical:
            cls = registry.get(canonical)
            return Finding(
                rule_id=canonical,
                cfn_lint_id=match.rule.id,
                severity=cls.severity if cls else Severity.from_letter(match.rule.id[0]),
                file=display,
                range=rng,
                resource=resource,
                path=path,
                message=rule_match.slens_message,
                fix=rule_match.slens_fix,
            )
        letter = (match.rule.id or "E")[0]
        return Finding(
            rule_id=match.rule.id,
            cfn_lint_id=match.rule.id,
            severity=Severity.from_letter(letter if letter in "EWI" else "E"),
            file=display,
            range=rng,
            resource=resource,
            path=path,
            message=match.message,
        )

    def _load_failure(self, display: str, error: loader.LoadError) -> FileResult:
        file_error = FileError(file=display, reason=error.reason, kind=error.kind, line=error.line)
        findings = []
        if error.kind == "parse":
            line = error.line or 1
            column = error.column or 1
            findings.append(
                Finding(
                    rule_id=PARSE_ERROR_ID,
                    cfn_lint_id=PARSE_ERROR_ID,
                    severity=Severity.ERROR,
                    file=display,
                    range=Range(start_line=line, start_column=column, end_line=line, end_column=column + 1),
                    message=f"Template could not be parsed: {error.reason}",
                )
            )
        return FileResult(file=display, errors=[file_error], findings=findings)

    # ---- many files -------------------------------------------------------------------------

    def lint_targets(self, targets: Sequence[LintTarget], jobs: Optional[int] = None) -> list[FileResult]:
        """Lint in input order; a process pool when there are enough files to pay for it."""
        jobs = default_jobs(len(targets)) if jobs is None else max(1, jobs)
        if jobs > 1 and len(targets) > 1:
            try:
                with ProcessPoolExecutor(
                    max_workers=jobs, initializer=_init_worker, initargs=(self.options,)
                ) as pool:
                    chunk = max(1, len(targets) // (jobs * 8))
                    return list(pool.map(_lint_in_worker, targets, chunksize=chunk))
            except (OSError, RuntimeError) as exc:
                logging.getLogger(__name__).info("process pool unavailable (%s); linting serially", exc)
        return [self.lint_file(target) for target in targets]


def default_jobs(file_count: int) -> int:
    if file_count <= PARALLEL_THRESHOLD:
        return 1
    return max(1, os.cpu_count() or 1)


_worker_engine: Optional[Engine] = None


def _init_worker(options: EngineOptions) -> None:
    global _worker_engine
    _worker_engine = Engine(options)


def _lint_in_worker(target: LintTarget) -> FileResult:
    assert _worker_engine is not None
    return _worker_engine.lint_file(target)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no detail"


def lint_paths(paths: Iterable[str | Path], options: EngineOptions = EngineOptions()) -> list[FileResult]:
    """Convenience for library users: lint explicit files with default discovery-free targets."""
    engine = Engine(options)
    return engine.lint_targets([LintTarget(Path(p), str(p), explicit=True) for p in paths])
