"""The results cache in isolation: keys that change with every input, atomic entries that concurrent
runs can share, unreadable entries treated as misses, least recently used entries pruned. (The CLI's
cache behaviour, each input and configuration key edited in turn, is tested in tests/test_cache_invalidation.py.)"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from slens_lint.cache import Cache
from slens_lint.findings import FileResult, Finding, Range, Severity

RESULT = FileResult(
    file="t.yaml",
    findings=[
        Finding(
            rule_id="SL502", cfn_lint_id="WSL502", severity=Severity.WARNING, file="t.yaml",
            range=Range(start_line=3, start_column=5, end_line=3, end_column=15), resource="Logs",
            path=("Resources", "Logs", "Properties"), message="no retention", fix="Set RetentionInDays:\nRetentionInDays: 30",
        )
    ],
)


def test_a_stored_result_comes_back_equal(tmp_path: Path):
    cache = Cache(tmp_path / ".slens-lint-cache", "select=SL5")
    key = cache.key(b"Resources: {}")
    assert cache.get(key) is None and cache.misses == 1
    cache.put(key, RESULT)
    assert cache.get(key) == RESULT and cache.hits == 1
    assert (tmp_path / ".slens-lint-cache" / ".gitignore").read_text().strip().endswith("*")


def test_every_input_changes_the_key(tmp_path: Path):
    cache = Cache(tmp_path, "select=SL5")
    base = cache.key(b"text", [b"child"])
    assert cache.key(b"text ", [b"child"]) != base
    assert cache.key(b"text", [b"child2"]) != base
    assert cache.key(b"text", []) != base
    assert Cache(tmp_path, "select=SL4").key(b"text", [b"child"]) != base
    assert cache.key(b"text", [b"child"]) == base


def test_a_changed_dependency_is_a_miss(tmp_path: Path):
    child = tmp_path / "child.yaml"
    child.write_text("Resources: {}\n", encoding="utf-8")
    cache = Cache(tmp_path / "cache", "")
    key = cache.key(b"parent")
    cache.put(key, RESULT, dependencies=[str(child)])
    assert cache.get(key) == RESULT
    child.write_text("Resources: {A: {Type: X}}\n", encoding="utf-8")
    assert cache.get(key) is None
    child.unlink()
    assert cache.get(key) is None


def test_an_unreadable_entry_is_a_miss(tmp_path: Path):
    cache = Cache(tmp_path, "")
    key = cache.key(b"x")
    cache.put(key, RESULT)
    entry = next((tmp_path / "1").glob("*/*.json"))
    entry.write_text("{not json", encoding="utf-8")
    assert cache.get(key) is None


def _writer(args: tuple[str, int]) -> int:
    directory, worker = args
    cache = Cache(Path(directory), "")
    key = cache.key(b"shared")
    seen = 0
    for _ in range(200):
        cache.put(key, RESULT)
        got = cache.get(key)
        # A reader never sees half an entry: either nothing yet, or the whole result.
        assert got is None or got == RESULT
        seen += got is not None
    return seen


def test_concurrent_runs_never_see_a_partial_entry(tmp_path: Path):
    with ProcessPoolExecutor(max_workers=4) as pool:
        seen = list(pool.map(_writer, [(str(tmp_path), n) for n in range(4)]))
    assert all(count > 0 for count in seen)
    assert not list(tmp_path.rglob(".tmp-*"))


def test_the_least_recently_used_entries_go_first(tmp_path: Path):
    cache = Cache(tmp_path, "", max_entries=3)
    keys = [cache.key(str(n).encode()) for n in range(5)]
    for n, key in enumerate(keys):
        cache.put(key, RESULT)
        path = next((tmp_path / "1").glob(f"*/{key}.json"))
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    cache.get(keys[0])  # used again: now the most recent
    assert cache.prune() == 2
    remaining = {p.stem for p in (tmp_path / "1").glob("*/*.json")}
    assert remaining == {keys[0], keys[3], keys[4]}


def test_a_run_that_adds_entries_keeps_the_cache_within_its_bound(tmp_path: Path):
    from slens_lint.engine import Engine, EngineOptions, LintTarget
    from slens_lint.engine.batch import lint_targets

    engine = Engine(EngineOptions())
    engine.cache = Cache(tmp_path / "cache", "", max_entries=3)
    targets = []
    for n in range(5):
        path = tmp_path / f"t{n}.yaml"
        path.write_text(f"Resources:\n  Logs{n}:\n    Type: AWS::Logs::LogGroup\n", encoding="utf-8")
        targets.append(LintTarget(path, path.name, explicit=True))
    results = lint_targets(engine, targets, jobs=1)
    assert [r.findings[0].resource for r in results] == [f"Logs{n}" for n in range(5)]
    assert len(list((tmp_path / "cache" / "1").glob("*/*.json"))) == 3
    assert engine.cache.prune() == 0  # already within the bound


def test_an_unwritable_cache_is_no_error(tmp_path: Path):
    # A file where the cache folder should be: no folder can be made there, even by root.
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder", encoding="utf-8")
    cache = Cache(blocked, "")
    key = cache.key(b"x")
    cache.put(key, RESULT)  # nothing written, nothing raised
    assert cache.get(key) is None and blocked.read_text(encoding="utf-8") == "not a folder"


def test_an_edited_module_is_a_new_tool(tmp_path: Path):
    from slens_lint.cache import _code_identity

    package = tmp_path / "pkg"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "a.py").write_text("x = 1\n")
    first = _code_identity(package)
    _code_identity.cache_clear()
    assert _code_identity(package) == first
    (package / "rules" / "a.py").write_text("x = 22\n")
    _code_identity.cache_clear()
    assert _code_identity(package) != first
