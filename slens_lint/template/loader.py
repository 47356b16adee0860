"""Reading a template: bytes or text in, a decoded tree (with cfn-lint's line marks) or a clean error out.

Everything here is defensive: a file that is not a template, not text, too large or malformed gives
a `LoadError` with a one-line reason, never an exception.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024

TemplateFormat = Literal["yaml", "json"]


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
    parse_warnings: list[str] = field(default_factory=list)


def detect_format(text: str) -> TemplateFormat:
    """JSON templates start with `{`; everything else is read as YAML (JSON is valid YAML anyway)."""
    return "json" if text.lstrip("\ufeff \t\r\n").startswith("{") else "yaml"


def read_text(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str | LoadError:
    """Read a file as text, refusing what cannot be a template before reading it whole."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return LoadError("no such file or directory")
    except PermissionError:
        return LoadError("permission denied")
    except OSError as exc:
        return LoadError(_os_reason(exc))
    if stat.S_ISDIR(st.st_mode):
        return LoadError("is a directory, not a template file")
    if not stat.S_ISREG(st.st_mode):
        # FIFOs, sockets and devices would block or never end on read().
        return LoadError("not a regular file")
    if st.st_size > max_size:
        return LoadError(
            f"file is {st.st_size:,} bytes, above the --max-file-size limit of {max_size:,} bytes"
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_size + 1)
    except PermissionError:
        return LoadError("permission denied")
    except OSError as exc:
        return LoadError(_os_reason(exc))
    if len(raw) > max_size:
        return LoadError(f"file is larger than the --max-file-size limit of {max_size:,} bytes")
    return decode_bytes(raw)


def decode_bytes(raw: bytes) -> str | LoadError:
    """Bytes to text: UTF-8 (with or without BOM) and UTF-16/32 with a BOM; anything else is refused."""
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
                return LoadError(f"not valid {encoding.upper()} text (byte {exc.start})")
    if b"\x00" in raw[:8192]:
        return LoadError("binary file (contains NUL bytes), not a YAML or JSON template")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return LoadError(f"not valid UTF-8 text (invalid byte at offset {exc.start})")


def decode_text(text: str) -> DecodedTemplate | LoadError:
    """Parse YAML or JSON with cfn-lint's decoder (safe loader, duplicate keys caught, aliases capped)."""
    from cfnlint.decode.decode import decode_str

    text = text.lstrip("\ufeff")
    try:
        data, matches = decode_str(text)
    except RecursionError:
        return LoadError("nesting too deep to parse", kind="parse")
    except Exception as exc:  # noqa: BLE001 - the decoder is third-party; any failure is a parse error
        return LoadError(f"could not be parsed: {_first_line(str(exc)) or type(exc).__name__}", kind="parse")
    if matches:
        first = matches[0]
        message = _first_line(getattr(first, "message", "") or "parse error")
        message = message.replace("{filename}", "the file").replace("None", "the file")
        line = getattr(first, "linenumber", None)
        column = getattr(first, "columnnumber", None)
        more = f" (and {len(matches) - 1} more)" if len(matches) > 1 else ""
        return LoadError(f"{message}{more}", kind="parse", line=line or None, column=column or None)
    if data is None:
        return LoadError("empty document, not a template", kind="parse")
    if not isinstance(data, dict):
        return LoadError(f"top level is a {_kind(data)}, not a mapping", kind="parse")
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


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
