"""Indented JSON text, as `json.dumps(data, indent=2)` writes it, in a fraction of the time.

json.dumps falls back to its pure-Python encoder when asked for an indent: a report of 16,000 findings
spent a second there. pydantic's encoder (Rust) writes the very same bytes for ASCII text. For the rest
the caller uses json.dumps, which keeps the output ASCII (escapes) and encodes the lone surrogates that
stand for the undecodable bytes of a file name (pydantic refuses them).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Optional


@lru_cache(maxsize=1)
def _adapter() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(Any)


def indented_json(data: Any) -> Optional[str]:
    """`json.dumps(data, indent=2)`'s text, or None when json.dumps must write it (see above)."""
    from pydantic_core import PydanticSerializationError

    try:
        text = _adapter().dump_json(data, indent=2).decode("utf-8")
    except (PydanticSerializationError, UnicodeDecodeError):
        return None
    return text if text.isascii() else None
