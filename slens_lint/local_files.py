"""Following a path that a linted file names (a nested stack's `TemplateURL`, a cloud assembly's
`templateFile`), safely, because the file may come from an untrusted pull request.

A named path is followed only when it stays inside the folder being linted (the root): an absolute
path, a `..` that climbs out or a symbolic link that leads out is refused unless the user allows it
(`--allow-outside-root`); hidden files and folders (`.git/config`, `.env`) are never followed, nor is
anything that is not a regular file (a FIFO, a device, a socket). Nothing here reads a file: callers
read with `loader.read_text`, which opens without blocking and checks the type on the descriptor.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union


@dataclass(frozen=True)
class Refused:
    """Why a named path is not followed (a reason for the user, naming no file content)."""

    reason: str


def root_for(path: Path, cwd: Path) -> Path:
    """The folder being linted for a path named on the command line: the folder itself, else the
    current folder when the file is inside it, else the file's own folder."""
    absolute = Path(os.path.abspath(cwd / path))
    if absolute.is_dir():
        return absolute
    folder = Path(os.path.abspath(cwd))
    if inside(os.path.realpath(absolute), os.path.realpath(folder)):
        return folder
    return absolute.parent


def inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # another drive on Windows
        return False


def resolve(
    named: str,
    base: Path,
    root: Path,
    allow_outside: bool = False,
    suffixes: tuple[str, ...] = (),
) -> Union[Path, Refused]:
    """The file `named` (relative to the folder `base`) stands for, or why it is not followed."""
    if not named or "\x00" in named or len(named) > 1024:
        return Refused("not a usable file path")
    candidate = Path(named)
    if candidate.is_absolute() and not allow_outside:
        return Refused("an absolute path, outside the folder being linted (pass --allow-outside-root to follow it)")
    joined = Path(os.path.normpath(base / candidate))
    if suffixes and not joined.name.lower().endswith(suffixes):
        return Refused(f"not a template file name ({', '.join(suffixes)})")
    root_real = os.path.realpath(root)
    shown = os.path.normpath(os.path.abspath(joined))
    try:
        relative_parts = Path(os.path.relpath(shown, os.path.abspath(root))).parts
    except ValueError:
        relative_parts = joined.parts
    if any(part.startswith(".") and part not in (".", "..") for part in relative_parts):
        return Refused("a hidden file or folder, never followed")
    if not allow_outside:
        if not inside(shown, os.path.abspath(root)) or not inside(os.path.realpath(joined), root_real):
            return Refused("outside the folder being linted (pass --allow-outside-root to follow it)")
    try:
        mode = os.stat(joined).st_mode
    except FileNotFoundError:
        return Refused("no such file")
    except OSError as exc:
        return Refused((exc.strerror or "cannot be read").lower())
    if stat.S_ISDIR(mode):
        return Refused("a folder, not a template file")
    if not stat.S_ISREG(mode):
        return Refused("not a regular file (a FIFO, socket or device), never opened")
    return joined


def display(path: Path, cwd: Optional[Path] = None) -> str:
    """A path as the outputs show it: relative to the current folder when inside it."""
    cwd = cwd or Path.cwd()
    absolute = os.path.normpath(os.path.abspath(path))
    try:
        return Path(absolute).relative_to(os.path.abspath(cwd)).as_posix()
    except ValueError:
        return Path(absolute).as_posix()
