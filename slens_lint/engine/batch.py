"""Many files: input order kept, a process pool when there are enough files to pay for it, and garbage
collection tuned for batches."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional, Sequence

from slens_lint.findings import FileResult
from slens_lint.template.loader import read_bytes

if TYPE_CHECKING:
    from slens_lint.cache import Cache
    from slens_lint.engine.pipeline import Engine, EngineOptions, LintTarget

# Below this many files a process pool costs more to start than it saves.
PARALLEL_THRESHOLD = 16


def lint_targets(engine: "Engine", targets: Sequence["LintTarget"], jobs: Optional[int] = None) -> list[FileResult]:
    """Lint in input order: results of unchanged files from the engine's cache (when it has one),
    the others linted, in a process pool when there are enough of them to pay for it."""
    cache = engine.cache
    if cache is None:
        return _lint(engine, targets, jobs)
    results: list[Optional[FileResult]] = [None] * len(targets)
    keys: dict[int, str] = {}
    for index, target in enumerate(targets):
        key = _cache_key(cache, target, engine.options.max_file_size)
        if key is None:
            continue
        hit = cache.get(key)
        if hit is not None:
            results[index] = hit
        else:
            keys[index] = key
    missing = [i for i, r in enumerate(results) if r is None]
    for index, result in zip(missing, _lint(engine, [targets[i] for i in missing], jobs)):
        results[index] = result
        if index in keys:
            # The nested templates it linted are files it depends on (checked again on every hit).
            # So are the ones it named but could not lint (creating or repairing them changes the result).
            flattened = result.flattened()
            read = [r.file for r in flattened[1:]] + [d for r in flattened for d in r.depends_on]
            cache.put(keys[index], result, dependencies=read)
    if keys:
        cache.prune()  # this run added entries: keep the cache within its bound
    return [r for r in results if r is not None]


def _cache_key(cache: "Cache", target: "LintTarget", engine_max_size: int) -> Optional[str]:
    """A target's cache key: its content, environment and root; None for what is not cached (a CDK
    stack, whose result also depends on the assembly's metadata; an unreadable file)."""
    if target.cdk is not None:
        return None
    # The engine's own reader: a FIFO named on the command line must not block the cache lookup.
    content = read_bytes(target.path, engine_max_size)
    if not isinstance(content, bytes):
        return None
    return cache.key(content, [repr(target.environment).encode(), str(target.root).encode(), target.display.encode("utf-8", "surrogateescape")])


def _lint(engine: "Engine", targets: Sequence["LintTarget"], jobs: Optional[int]) -> list[FileResult]:
    if not targets:
        return []
    jobs = default_jobs(len(targets)) if jobs is None else max(1, jobs)
    with _batch_gc(engine, len(targets)):
        if jobs > 1 and len(targets) > 1:
            # Imported here: a one-file run (pre-commit on one changed file) starts no pool.
            from concurrent.futures.process import BrokenProcessPool

            try:
                return _lint_in_pool(engine, targets, min(jobs, len(targets)))
            except (OSError, RuntimeError, BrokenProcessPool) as exc:
                import logging

                logging.getLogger(__name__).warning("process pool unavailable (%s); linting serially", exc)
        return [_collected(engine.lint_file(target)) for target in targets]


def _lint_in_pool(engine: "Engine", targets: Sequence["LintTarget"], jobs: int) -> list[FileResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = None
    if sys.platform.startswith("linux"):
        # Forked workers inherit what the engine built and warmed, and the frozen collector state
        # (all set up once, by lint_targets), sharing those pages.
        context = multiprocessing.get_context("fork")
    global _worker_engine
    _worker_engine = engine
    # Largest files first: a big template started last would leave the other workers idle.
    order = sorted(range(len(targets)), key=lambda i: _size(targets[i].path), reverse=True)
    chunk = max(1, min(8, len(targets) // (jobs * 16)))
    results: list[Optional[FileResult]] = [None] * len(targets)
    try:
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(engine.options,)
        ) as pool:
            for index, result in zip(order, pool.map(_lint_in_worker, [targets[i] for i in order], chunksize=chunk)):
                results[index] = result
    finally:
        _worker_engine = None
    return [r for r in results if r is not None]


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def default_jobs(file_count: int) -> int:
    if file_count <= PARALLEL_THRESHOLD:
        return 1
    return max(1, os.cpu_count() or 1)


_worker_engine: Optional["Engine"] = None


def _init_worker(options: "EngineOptions") -> None:
    from slens_lint.engine.pipeline import Engine

    global _worker_engine
    # A forked worker already holds the parent's engine (and its built collection).
    if _worker_engine is None or _worker_engine.options != options:
        _worker_engine = Engine(options)
        # A spawned worker starts from nothing: the same set-up as _batch_gc, kept for its lifetime.
        _worker_engine.warm_up()
        _start_batch_gc()


def _lint_in_worker(target: "LintTarget") -> FileResult:
    assert _worker_engine is not None
    return _collected(_worker_engine.lint_file(target))


@contextlib.contextmanager
def _batch_gc(engine: "Engine", files: int) -> Iterator[None]:
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
            # Again before freezing: the first pass can free objects whose weakref callbacks only then let
            # go of others (cfn-lint's caches); frozen now, those would stay until the end of the batch.
            gc.collect(2)
            gc.freeze()
    return result
