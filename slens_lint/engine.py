"""The engine: builds the cfn-lint rule collection once, lints texts and files, runs many files.

Every call into cfn-lint is guarded per file: cfn-lint can raise on some valid-looking templates
(empty `Resources:` or `Parameters:` in SAM templates), and one file must never end the run.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

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
        self._warm = False

    @property
    def rule_ids(self) -> list[str]:
        return self._build().rule_ids

    def _build(self) -> _Collection:
        if self._collection is not None:
            return self._collection
        from cfnlint.rules import Rules

        from slens_lint.cfn_runner import Config
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
        else:
            # cfn-lint built-ins the Lens lists (rules/builtin.py), run without cfn-lint's full schema
            # validation; with --cfn-lint the rules above run them already (never twice).
            from slens_lint.cfn_builtins import lens_builtins

            builtins = registry.select_builtins(self.options.select, self.options.ignore)
            for rule in lens_builtins(builtins):
                rules.register(rule)
            rule_ids += [b.id for b in builtins]
        config = Config(
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
        from slens_lint import cfn_runner
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
            # With --cfn-lint, cfn-lint's own Template: some of its rules read what the lean one defers.
            matches = cfn_runner.run(tree, collection.config, collection.rules, lean=not self.options.cfn_lint)
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
            # A built-in the Lens lists (rules/builtin.py) carries our fix hint, with or without --cfn-lint.
            fix=getattr(registry.get_builtin(match.rule.id), "fix", None),
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
        with _batch_gc(self, len(targets)):
            if jobs > 1 and len(targets) > 1:
                try:
                    return self._lint_in_pool(targets, min(jobs, len(targets)))
                except (OSError, RuntimeError, BrokenProcessPool) as exc:
                    logging.getLogger(__name__).warning("process pool unavailable (%s); linting serially", exc)
            return [_collected(self.lint_file(target)) for target in targets]

    def _lint_in_pool(self, targets: Sequence[LintTarget], jobs: int) -> list[FileResult]:
        context = None
        if sys.platform.startswith("linux"):
            # Forked workers inherit cfn-lint imported, the rule collection built and warm, and the
            # frozen collector state (all set up once, by lint_targets), sharing those pages.
            context = multiprocessing.get_context("fork")
        global _worker_engine
        _worker_engine = self
        # Largest files first: a big template started last would leave the other workers idle.
        order = sorted(range(len(targets)), key=lambda i: _size(targets[i].path), reverse=True)
        chunk = max(1, min(8, len(targets) // (jobs * 16)))
        results: list[Optional[FileResult]] = [None] * len(targets)
        try:
            with ProcessPoolExecutor(
                max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(self.options,)
            ) as pool:
                for index, result in zip(order, pool.map(_lint_in_worker, [targets[i] for i in order], chunksize=chunk)):
                    results[index] = result
        finally:
            _worker_engine = None
        return [r for r in results if r is not None]

    def warm_up(self) -> None:
        """Import cfn-lint, build the rule collection and load the schemas the rules use, once."""
        if not self._warm:
            self._build()
            self.lint_text(_WARM_UP, "warm-up.yaml")
            self._warm = True


# One resource of each type the built-in rules read: their schemas load here, before workers fork.
_WARM_UP = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Warm:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: .
  WarmCfn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/warm
      Code:
        ZipFile: pass
  WarmMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Warm
      EventSourceArn: arn:aws:sqs:us-east-1:123456789012:warm
  WarmPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Warm
      Principal: s3.amazonaws.com
"""


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def default_jobs(file_count: int) -> int:
    if file_count <= PARALLEL_THRESHOLD:
        return 1
    return max(1, os.cpu_count() or 1)


_worker_engine: Optional[Engine] = None


def _init_worker(options: EngineOptions) -> None:
    global _worker_engine
    # A forked worker already holds the parent's engine (and its built collection).
    if _worker_engine is None or _worker_engine.options != options:
        _worker_engine = Engine(options)
        # A spawned worker starts from nothing: the same set-up as _batch_gc, kept for its lifetime.
        _worker_engine.warm_up()
        _start_batch_gc()


def _lint_in_worker(target: LintTarget) -> FileResult:
    assert _worker_engine is not None
    return _collected(_worker_engine.lint_file(target))


@contextlib.contextmanager
def _batch_gc(engine: Engine, files: int) -> Iterator[None]:
    """Garbage collection tuned for linting, restored afterwards.

    Decoding a template allocates hundreds of thousands of objects, and with the default thresholds
    the collector runs over and over, each time through everything cfn-lint loaded (schemas, rules):
    a fifth of a corpus run, a third of the 5 MB template's. Here automatic collections become rare;
    for several files, what exists once the engine is warm is also frozen (never scanned again, and
    forked workers keep sharing those pages) and each file's garbage is collected after it (see
    `_collected`), which keeps the peak below that of the default thresholds.
    """
    global _batch_active
    if _batch_active:
        yield
        return
    thresholds = gc.get_threshold()
    try:
        gc.set_threshold(*_BATCH_THRESHOLDS)
        if files > 1:
            engine.warm_up()
            _start_batch_gc()
        yield
    finally:
        if _batch_active:
            _batch_active = False
            gc.unfreeze()
        gc.set_threshold(*thresholds)


_BATCH_THRESHOLDS = (100_000, 50, 1_000)
_batch_active = False
_batch_files = 0


def _start_batch_gc() -> None:
    global _batch_active, _batch_files
    _batch_files = 0
    # Frozen as it is: a full collection first would cost 70 ms, serial, before any worker starts, to
    # free about 2,000 objects of import and warm-up garbage (the warm-up template's model among them),
    # which stay until the batch ends instead.
    gc.freeze()
    gc.set_threshold(*_BATCH_THRESHOLDS)
    _batch_active = True


def _collected(result: FileResult) -> FileResult:
    global _batch_files
    if _batch_active:
        # The young generations hold this file's garbage; a full collection now and then takes the
        # cycles that cfn-lint or a cache let go of later. What survives it (the results kept, caches
        # and schemas loaded on the way) is frozen too, or every later full collection would rescan
        # it: a fifth of a one-process corpus run. A frozen object that later becomes cyclic garbage
        # waits for the end of the batch (`_batch_gc` unfreezes); one freed by reference count goes
        # at once, as always.
        _batch_files += 1
        if _batch_files % 25:
            gc.collect(1)
        else:
            gc.collect(2)
            # Again before freezing: the first pass frees the last template's cfn-lint Template, whose
            # weakref callback only then lets go of its model (rules/cfn_adapter.py); frozen now, that
            # model would stay until the end of the batch.
            gc.collect(2)
            gc.freeze()
    return result


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no detail"
