"""Results of unchanged files, kept between runs (as ruff and ESLint keep theirs).

An entry is one file's result, found again only under the same key: the file's content, the tool's
version and code (every module's size and modification time: an edited checkout is a new tool), the
effective configuration (rules, severities, options, environment), cfn-lint's version
(its built-ins and lifecycle data), today's date (runtime deprecation moves with it), and the content
of every other file the result depends on (nested stack templates, a samconfig). Anything else that
changes is a new key, so the cache cannot hide a change; an unreadable entry is a miss.

The cache lives in `.slens-lint-cache/` at the project root (it writes its own `.gitignore`), one JSON
file per entry in a folder per key prefix. Writes are atomic (a temporary file renamed over the
entry), so concurrent runs never read half an entry; reads refresh an entry's time, and the oldest
entries go when the cache holds more than `max_entries`.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

from slens_lint import __version__
from slens_lint.findings import FileResult
from slens_lint.template.runtimes import installed_cfn_lint

DIRECTORY = ".slens-lint-cache"
FORMAT = "1"
"""Bumped when an entry's layout changes: older entries are then never read."""
MAX_ENTRIES = 20_000


@lru_cache(maxsize=4)
def _code_identity(package: Path = Path(__file__).resolve().parent) -> str:
    """The tool's own modules as installed (names, sizes, modification times): a changed module, in an
    upgrade or a working checkout, must not be served results the old code computed. About 1 ms."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        try:
            info = path.stat()
        except OSError:
            continue
        digest.update(f"{path.relative_to(package)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


class Cache:
    def __init__(self, directory: Path, settings: str, max_entries: int = MAX_ENTRIES) -> None:
        """`settings`: everything about the run that changes results (rules, severities, options,
        environment), as text; it goes into every key."""
        self.directory = directory
        self.max_entries = max_entries
        self._salt = "\0".join(
            (FORMAT, __version__, _code_identity(), installed_cfn_lint() or "none", date.today().isoformat(), settings)
        ).encode()
        self.hits = 0
        self.misses = 0

    def key(self, content: bytes, dependencies: Iterable[bytes] = ()) -> str:
        digest = hashlib.blake2b(self._salt, digest_size=20)
        digest.update(b"\0" + content)
        for dependency in dependencies:
            digest.update(b"\0" + hashlib.blake2b(dependency, digest_size=20).digest())
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / FORMAT / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[FileResult]:
        path = self._path(key)
        try:
            entry = _Entry.model_validate_json(path.read_bytes())
        except (OSError, ValueError):
            self.misses += 1
            return None
        # Files the result read besides its own (nested stack templates): still the same?
        if any(_digest_of(Path(dependency)) != digest for dependency, digest in entry.dependencies.items()):
            self.misses += 1
            return None
        result = entry.result
        try:
            os.utime(path)  # recently used: pruned last
        except OSError:
            pass
        self.hits += 1
        return result

    def put(self, key: str, result: FileResult, dependencies: Iterable[str] = ()) -> None:
        """Store `result`; `dependencies`: other files it read, checked again on every `get`."""
        path = self._path(key)
        entry = _Entry(result=result, dependencies={d: _digest_of(Path(d)) for d in dependencies})
        try:
            data = entry.model_dump_json(exclude={"result": {"verdicts"}}).encode("utf-8")
        except (PydanticSerializationError, UnicodeEncodeError):
            # A file name that is not valid UTF-8 (kept as surrogates) has no JSON form: not cached.
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._ignore_file()
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(temporary, path)
            except BaseException:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
                raise
        except OSError:
            return  # a read-only checkout or a full disk makes the run slower, never wrong

    def _ignore_file(self) -> None:
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            try:
                ignore.write_text("# Written by slens-lint: the cache is never committed.\n*\n", encoding="utf-8")
            except OSError:
                pass

    def prune(self) -> int:
        """Remove the least recently used entries beyond `max_entries`; returns how many went.

        Called after a run that wrote entries. Counting is a directory listing; only a cache over
        its bound pays for reading every entry's time."""
        root = self.directory / FORMAT
        try:
            folders = [entry.path for entry in os.scandir(root) if entry.is_dir()]
        except OSError:
            return 0
        names = []
        for folder in folders:
            try:
                names.extend(entry.path for entry in os.scandir(folder) if entry.name.endswith(".json") and not entry.name.startswith("."))
            except OSError:
                continue  # removed by a concurrent run
        if len(names) <= self.max_entries:
            return 0
        entries = []
        for name in names:
            try:
                entries.append((os.stat(name).st_mtime, Path(name)))
            except OSError:
                continue  # removed by a concurrent run
        excess = len(entries) - self.max_entries
        if excess <= 0:
            return 0
        entries.sort()
        removed = 0
        for _, path in entries[:excess]:
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass
        return removed


class _Entry(BaseModel):
    result: FileResult
    dependencies: dict[str, str] = {}


def _digest_of(path: Path) -> str:
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            # A FIFO, socket or device is never opened (a read could block): its kind is what counts.
            return f"not a regular file ({stat.S_IFMT(mode):o})"
        return hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()
    except OSError:
        return "missing"
