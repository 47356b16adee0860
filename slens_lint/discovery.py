"""Paths, folders and globs to the list of files to lint.

Folder scans keep only files that look like templates (sniffed from their first bytes), so a
repository's other YAML/JSON (workflows, package.json) is passed over silently. Files named
explicitly are always returned; the engine decides whether they are templates.

A CDK cloud assembly (a folder named on the command line that holds a `manifest.json`, or a `cdk.out`
met in a scan) gives its stacks' templates, with their construct traces (see `cdk`). Each target
knows the folder being linted (its `root`): nested stacks and assembly files are not followed outside it.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from slens_lint import cdk, local_files
from slens_lint.engine import LintTarget
from slens_lint.findings import FileError

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")

# Never walked unless named explicitly: build output, dependencies, CDK assets, VCS and tool caches.
DEFAULT_EXCLUDES = ("node_modules", ".aws-sam", "cdk.out", "__pycache__", ".venv", "venv", ".tox")

_SNIFF_BYTES = 64 * 1024
_SNIFF = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*(?:["']?Resources["']?\s*:|["']?AWSTemplateFormatVersion["']?\s*:|["']?Transform["']?\s*:.*AWS::Serverless)"""
    rb"""|["']AWSTemplateFormatVersion["']\s*:|["']Resources["']\s*:\s*\{|["']Transform["']\s*:\s*\[?\s*["']AWS::Serverless""",
    re.MULTILINE,
)


@dataclass
class Discovery:
    targets: list[LintTarget] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    """Glob patterns that matched no file."""
    """Named paths that do not exist (or globs that matched nothing)."""
    notes: list[str] = field(default_factory=list)
    """What was passed over and why (shown with --verbose)."""
    errors: list[FileError] = field(default_factory=list)
    """What could not be read (a broken cloud assembly manifest)."""


def looks_like_template_file(path: Path) -> bool:
    try:
        # Non-blocking open and a type check on the descriptor: a FIFO must not stall the scan.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, _SNIFF_BYTES)
    except OSError:
        return False
    finally:
        os.close(fd)
    return bool(_SNIFF.search(head))


def expand_glob(pattern: str) -> list[str]:
    """The paths a glob matches, sorted; `**` matches any number of folders.

    Not `glob.glob(recursive=True)`: it follows symlinked folders, so a symlink loop (`a/up -> ..`)
    makes it enumerate an exponential number of paths. Here folders are walked without following
    symlinks, and, as in `glob`, names starting with `.` match only a pattern part that does.
    """
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    normalized = pattern.replace(os.sep, "/")
    parts = normalized.split("/")
    prefix: list[str] = []
    for part in parts:
        if glob.has_magic(part):
            break
        prefix.append(part)
    base = "/".join(prefix) if prefix else "."
    if prefix == [""]:
        base = "/"
    matcher = re.compile(_translate(normalized))
    strip = "" if normalized.startswith("./") or base != "." else "./"
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in dirnames + sorted(f for f in filenames if not f.startswith(".")):
            candidate = f"{dirpath}/{name}".replace(os.sep, "/")
            if strip and candidate.startswith(strip):
                candidate = candidate[len(strip):]
            if matcher.fullmatch(candidate):
                found.append(candidate)
    return sorted(found)


def _translate(pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def looks_like_template_text(text: str) -> bool:
    """The same sniff on text already in memory (an editor buffer)."""
    return bool(_SNIFF.search(text[:_SNIFF_BYTES].encode("utf-8", "replace")))


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _excluded(rel: str, name: str, excludes: Iterable[str]) -> bool:
    for pattern in excludes:
        if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, f"*/{pattern}"):
            return True
    return False


def discover(
    paths: Iterable[str],
    excludes: Iterable[str] = (),
    cwd: Optional[Path] = None,
    allow_outside_root: bool = False,
) -> Discovery:
    cwd = cwd or Path.cwd()
    excludes = tuple(excludes)
    result = Discovery()
    seen: set[str] = set()
    names = list(paths) or ["."]
    root = cwd

    def add(path: Path, explicit: bool, stack: Optional[cdk.CdkStack] = None) -> None:
        # The real path: a file reached through several symlinked folders is linted once.
        key = os.path.realpath(path)
        if key in seen:
            return
        seen.add(key)
        absolute = os.path.normpath(os.path.abspath(path))
        shown = _display(Path(absolute), cwd) if not Path(str(path)).is_absolute() else path.as_posix()
        result.targets.append(LintTarget(path=path, display=shown, explicit=explicit, root=root, cdk=stack))

    def add_assembly(folder: Path) -> None:
        nonlocal root
        named = root
        # Traces point at the app's source beside the assembly: the app's folder is linted too.
        inside = os.path.realpath(folder) != os.path.realpath(named) and local_files.inside(os.path.realpath(folder), os.path.realpath(named))
        root = named if inside else Path(os.path.abspath(folder.parent))
        assembly = cdk.read_assembly(folder, allow_outside_root)
        result.notes.extend(assembly.notes)
        result.errors.extend(FileError(file=file, reason=reason) for file, reason in assembly.errors)
        for template, stack in assembly.stacks:
            add(template, True, stack)
        root = named

    for name in names:
        path = Path(name)
        root = local_files.root_for(path, cwd)
        if glob.has_magic(name):
            matched = expand_glob(name)
            if not matched:
                result.unmatched.append(name)
            for m in matched:
                mp = Path(m)
                root = local_files.root_for(mp, cwd)
                if mp.is_dir() and cdk.is_assembly(mp):
                    add_assembly(mp)
                elif mp.is_dir():
                    _walk(mp, cwd, excludes, result, add, add_assembly)
                else:
                    add(mp, True)
            continue
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            result.missing.append(name)
            continue
        except OSError:
            add(path, True)  # the engine reports the precise reason (permission, loop...)
            continue
        if stat.S_ISDIR(mode) and cdk.is_assembly(path):
            add_assembly(path)
        elif stat.S_ISDIR(mode):
            _walk(path, cwd, excludes, result, add, add_assembly)
        else:
            add(path, True)
    return result


def _walk(root: Path, cwd: Path, excludes: tuple[str, ...], result: Discovery, add, add_assembly) -> None:
    # followlinks=False: a symlink loop in a scanned folder cannot make the walk endless.
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=lambda e: result.notes.append(f"{e.filename}: {e.strerror}")):
        base = Path(dirpath)
        kept = []
        for d in sorted(dirnames):
            rel = _display(base / d, cwd)
            if d == "cdk.out" and not _excluded(rel, d, excludes) and cdk.is_assembly(base / d):
                add_assembly(base / d)
                continue
            if d.startswith(".") or d in DEFAULT_EXCLUDES or _excluded(rel, d, excludes):
                result.notes.append(f"{rel}/: folder not scanned (excluded)")
                continue
            kept.append(d)
        dirnames[:] = kept
        for filename in sorted(filenames):
            path = base / filename
            rel = _display(path, cwd)
            if not filename.lower().endswith(TEMPLATE_SUFFIXES):
                continue
            if filename.startswith(".") or _excluded(rel, filename, excludes):
                result.notes.append(f"{rel}: excluded")
                continue
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):
                    result.notes.append(f"{rel}: not a regular file, skipped")
                    continue
            except OSError as exc:
                result.notes.append(f"{rel}: {exc.strerror or exc}, skipped")
                continue
            if not looks_like_template_file(path):
                result.notes.append(f"{rel}: not a template, skipped")
                continue
            add(path, False)
