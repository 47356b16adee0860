"""Writing template text (fix hints, rule examples, quick fixes) in a template's own format, with cfn-flip.

cfn-flip is never used to parse templates here: it loses line numbers. It is the writer.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from cfn_flip import to_yaml
from cfn_tools import dump_json, load_json


def render(fragment: Any, fmt: str = "yaml") -> str:
    """A template fragment as YAML (short-form intrinsics, `!Ref X`) or as JSON, without a final newline."""
    return _render_json(json.dumps(fragment), fmt)


# cfn-flip takes about 2 ms a fragment, and every finding renders its fix snippet: the language server
# re-lints the same template on each keystroke, so the same snippets come back again and again.
@lru_cache(maxsize=4096)
def _render_json(as_json: str, fmt: str) -> str:
    if fmt == "json":
        return dump_json(load_json(as_json)).rstrip("\n")
    return to_yaml(as_json).rstrip("\n")
