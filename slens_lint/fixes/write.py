"""Writing a fixed template back: only what changed, in the file's own encoding, atomically.

- The text is encoded as the file was: UTF-8 with or without a BOM, UTF-16 or UTF-32 with the BOM it
  had; line endings are whatever the edits kept (they use the file's own).
- A temporary file in the same folder is renamed over the original, so a reader (an editor, another
  run) sees the old file or the new one, never half of one; the file's permission bits are kept.
- Nothing is written through a symbolic link that leads out of the folder being linted, and nothing is
  written when the file changed since it was read (an editor saved meanwhile): that file is reported
  as not fixed instead.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Original:
    """A file as it was read: its bytes, and how to turn text back into bytes like them."""

    path: Path
    raw: bytes
    bom: bytes
    encoding: str

    @classmethod
    def read(cls, path: Path) -> "Original":
        raw = path.read_bytes()
        for bom, encoding in _BOMS:
            if raw.startswith(bom):
                return cls(path, raw, bom, encoding)
        if b"\x00" in raw[:4096] and len(raw) % 2 == 0:
            # UTF-16 without a BOM (the loader accepts it): the NUL bytes say which half is ASCII.
            encoding = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
            return cls(path, raw, b"", encoding)
        return cls(path, raw, b"", "utf-8")

    @property
    def text(self) -> str:
        """The text the decoder saw (no BOM)."""
        return self.raw[len(self.bom) :].decode(self.encoding)

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


class WriteRefused(Exception):
    """Why a fixed file was not written (a one-line reason for the summary)."""


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, symbolic links resolved, is within `root`."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def write(original: Original, text: str, root: Optional[Path] = None) -> None:
    """Replace the file with `text` (see the module docstring); raises WriteRefused."""
    path = original.path
    if root is not None and not inside(path, root):
        raise WriteRefused(f"{path} leads outside {root} (a symbolic link); not written")
    target = path.resolve()
    try:
        current = target.read_bytes()
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError as exc:
        raise WriteRefused(f"{path}: {exc.strerror or exc}") from exc
    if current != original.raw:
        raise WriteRefused(f"{path} changed since it was read; not written (run again)")
    data = original.encode(text)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".slens-fix")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteRefused(f"{path}: {exc.strerror or exc}") from exc
        raise
