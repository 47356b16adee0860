"""Writing template text (fix hints, rule examples, quick fixes) in a template's own format, with cfn-flip.

cfn-flip is never used to parse templates here: it loses line numbers. It is the writer.
"""

from __future__ import annotations

import json
from typing import Any

from cfn_flip import to_yaml
from cfn_tools import dump_json, load_json


def render(fragment: Any, fmt: str = "yaml") -> str:
    """A template fragment as YAML (short-form intrinsics, `!Ref X`) or as JSON, without a final newline."""
    as_json = json.dumps(fragment)
    if fmt == "json":
        return dump_json(load_json(as_json)).rstrip("\n")
    return to_yaml(as_json).rstrip("\n")
