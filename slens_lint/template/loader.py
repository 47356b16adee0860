"""Reading a template: bytes or text in, a decoded tree (with line marks) or a clean error out.

Everything here is defensive: a file that is not a template, not text, too large, too deep or malformed
gives a `LoadError` with a one-line reason, never an exception. Templates are only ever parsed by
`decode`, built on PyYAML's *safe* loader (no Python tags, no code), which caps YAML alias expansion,
so an alias bomb is refused instead of expanded.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Optional

from slens_lint.template.decode import decode

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024

# Real templates nest about 25 levels at most (the deepest of the 566 corpus templates: 23). Past this
# the tree is refused, because cfn-lint and the model walk it recursively and would hit Python's
# recursion limit (or, for cfn-lint's schema checks on nested lists, take exponential time).
MAX_NESTING = 100

TemplateFormat = Literal["yaml", "json"]

_DEEP = "nesting deeper than {} levels; templates do not nest that deep".format(MAX_NESTING)


@dataclass
class LoadError:
    reason: str
    kind: Literal["read", "parse"] = "read"
    line: Optional[int] = None
    column: Optional[int] = None


@dataclass
class DecodedTemplate:
    """The decoded tree as cfnlint.decode returns it (dict_node / str_node keep their marks)."""

    data: dict[str, Any]
    text: str
    format: TemplateFormat


def detect_format(text: str) -> TemplateFormat:
    """JSON templates start with `{`; everything else is read as YAML (JSON is valid YAML anyway)."""
    return "json" if text.lstrip("\ufeff \t\r\n").startswith("{") else "yaml"


def read_text(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str | LoadError:
    """Read a file as text, refusing what cannot be a template before reading it whole."""
    raw = read_bytes(path, max_size)
    return raw if isinstance(raw, LoadError) else decode_bytes(raw)


def read_bytes(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes | LoadError:
    """A regular file's bytes, up to `max_size`; anything else (a FIFO, a device, a folder, a larger
    file) is refused before a read that could block or never end."""
    try:
        # O_NONBLOCK: if the path is (or was swapped for) a FIFO, opening it must not wait for a writer;
        # the type is then checked on the open descriptor, so no race between check and read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return LoadError(_os_reason(exc))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return LoadError("is a directory, not a template file")
        if not stat.S_ISREG(st.st_mode):
            # FIFOs, sockets and devices would block or never end on read().
            return LoadError("not a regular file (a FIFO, socket or device), not a template")
        if st.st_size > max_size:
            return LoadError(f"file is {st.st_size:,} bytes, above the --max-file-size limit of {max_size:,} bytes")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(max_size + 1)
    except OSError as exc:
        return LoadError(_os_reason(exc))
    finally:
        os.close(fd)
    if len(raw) > max_size:
        return LoadError(f"file is larger than the --max-file-size limit of {max_size:,} bytes")
    return raw


def decode_bytes(raw: bytes) -> str | LoadError:
    """Bytes to text: UTF-8 (with or without BOM) and UTF-16/32 (with a BOM, or UTF-16 recognisable
    without one); anything else is refused with the offending line."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as exc:
                name = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
                return LoadError(f"not valid {name} text (invalid bytes at offset {exc.start})")
    head = raw[:8192]
    if b"\x00" in head:
        utf16 = _bomless_utf16(raw)
        if utf16 is not None:
            return utf16
        return LoadError("binary file (contains NUL bytes), not a YAML or JSON template")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return LoadError(f"not valid UTF-8 text (invalid byte at offset {exc.start}, line {line})", line=line)


def _bomless_utf16(raw: bytes) -> Optional[str]:
    """UTF-16 written without a BOM: text whose every other byte is NUL (mostly ASCII)."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    sample = raw[:4096]
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul >= 0.9 * half and even_nul == 0:
        encoding = "utf-16-le"
    elif even_nul >= 0.9 * half and odd_nul == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


_NON_SPACE = re.compile(r"\S")
_PREFIX = re.compile(r"^Template could not be parsed:\s*", re.IGNORECASE)


def decode_text(text: str) -> DecodedTemplate | LoadError:
    """Parse YAML or JSON (safe loader, duplicate keys caught, aliases capped; see `decode`)."""
    text = text.lstrip("\ufeff")
    if _only_comments(text):
        what = "empty file" if not text.strip() else "only comments, no YAML or JSON content"
        return LoadError(f"{what}, not a template", kind="parse", line=1, column=1)
    try:
        data, matches = decode(text)
    except RecursionError:
        return LoadError(_DEEP, kind="parse")
    except Exception as exc:  # noqa: BLE001 - PyYAML's constructors raise many types; any is a parse error
        return LoadError(_clean(str(exc)) or type(exc).__name__, kind="parse")
    if matches:
        first = matches[0]
        message = _clean(getattr(first, "message", "") or "") or "parse error"
        line = getattr(first, "linenumber", None)
        column = getattr(first, "columnnumber", None)
        if "cannot start any token" in message and _char_at(text, line, column) == "\t":
            message = "a tab character where YAML expects indentation or a value (YAML indents with spaces)"
        more = f" (and {len(matches) - 1} more)" if len(matches) > 1 else ""
        return LoadError(f"{message}{more}", kind="parse", line=line or None, column=column or None)
    if data is None or (isinstance(data, dict) and not data and _is_null_document(text)):
        return LoadError("the document is empty (null), not a template", kind="parse", line=1, column=1)
    if not isinstance(data, dict):
        return LoadError(f"top level is a {_kind(data)}, not a mapping: not a template", kind="parse", line=1, column=1)
    if _deeper_than(data, MAX_NESTING):
        return LoadError(_DEEP, kind="parse")
    return DecodedTemplate(data=data, text=text, format=detect_format(text))


def looks_like_template(data: Any) -> bool:
    """A CloudFormation/SAM template has Resources, a format version, or a SAM Transform at the top."""
    if not isinstance(data, dict):
        return False
    if isinstance(data.get("Resources"), dict) or "AWSTemplateFormatVersion" in data:
        return True
    transform = data.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    return any(isinstance(t, str) and t.startswith("AWS::Serverless") for t in transforms)


def _char_at(text: str, line: Optional[int], column: Optional[int]) -> str:
    """The character at a 1-based line and column, or "" when there is none."""
    if not line or not column:
        return ""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    index = start + column - 1
    return text[index] if index < len(text) and text[index] != "\n" else ""


def _only_comments(text: str) -> bool:
    position = 0
    while True:
        found = _NON_SPACE.search(text, position)
        if found is None:
            return True
        if found.group() != "#":
            return False
        end = text.find("\n", found.end())
        if end < 0:
            return True
        position = end + 1


def _is_null_document(text: str) -> bool:
    """cfn-lint turns a null document (`~`, `null`, `---`) into `{}`; an explicit `{}` stays a mapping."""
    stripped = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")).strip()
    return "{" not in stripped


def _deeper_than(tree: Any, limit: int) -> bool:
    # Iterative, so that measuring a hostile tree cannot itself overflow the stack.
    stack: list[tuple[Any, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values() if isinstance(value, (dict, list)))
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node if isinstance(value, (dict, list)))
    return False


def _clean(message: str) -> str:
    """One line, without cfn-lint's own prefix and without its unfilled file-name placeholders."""
    message = _first_line(message)
    message = _PREFIX.sub("", message)
    message = message.replace("{filename}", "the file").replace("Tried to parse None as JSON", "Tried to parse it as JSON")
    lowered = message.lower()
    if "maximum recursion depth" in lowered or "exceeded maximum nesting depth" in lowered:
        return _DEEP
    if "expected a single document" in lowered:
        return "more than one YAML document in the file (`---`); a template is a single document"
    if "could not determine a constructor for the tag" in lowered:
        return f"{message} (only the CloudFormation short forms such as !Ref and !Sub are allowed)"
    return message


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links (a symlink loop)"
    if exc.errno == errno.EISDIR:
        return "is a directory, not a template file"
    return (exc.strerror or str(exc)).lower()
