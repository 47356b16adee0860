"""Writing template text (fix hints, rule examples, quick fixes) in a template's own format, with cfn-flip.

cfn-flip is never used to parse templates here: it loses line numbers. It is the writer.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Optional

from cfn_flip import to_yaml
from cfn_tools import dump_json, load_json


def render(fragment: Any, fmt: str = "yaml", name: Optional[str] = None) -> str:
    """A template fragment as YAML (short-form intrinsics, `!Ref X`) or as JSON, without a final newline.

    `name`: the resource the fragment is written for. Most fragments differ between resources only by
    its name (`<Function>LogGroup`, `${Function}`): the name is swapped for a stand-in of the same
    length and kind (letters, so YAML quotes and folds it alike), the shape rendered once (cached), and
    the name put back into the text.
    """
    as_json = json.dumps(fragment, default=str)
    if name and len(name) >= 3 and name.isascii() and name.isalnum() and name[0].isalpha() and name.lower() not in _YAML_WORDS:
        stand_in = _stand_in(len(name), as_json)
        if stand_in is not None:
            return _render_json(as_json.replace(name, stand_in), fmt).replace(stand_in, name)
    return _render_json(as_json, fmt)


def _stand_in(length: int, text: str) -> Optional[str]:
    for letter in "QXZJ":
        candidate = ("Zq" + letter * length)[:length]
        if candidate not in text:
            return candidate
    return None


# cfn-flip takes about 2 ms a fragment, and every finding renders its fix snippet: the language server
# re-lints the same template on each keystroke, so the same snippets come back again and again.
@lru_cache(maxsize=4096)
def _render_json(as_json: str, fmt: str) -> str:
    if fmt == "json":
        return dump_json(load_json(as_json)).rstrip("\n")
    return _PLAIN_TAG_ARGUMENT.sub(_unquoted, to_yaml(as_json).rstrip("\n"))


# cfn-flip quotes every short-form argument (`!Ref 'Queue'`, `!GetAtt 'Queue.Arn'`); templates are
# written with plain ones, so a fix reads as if the user had written it. Only names and dotted
# attribute paths are unquoted: anything YAML could read as another type keeps its quotes.
_PLAIN_TAG_ARGUMENT = re.compile(r"(!(?:Ref|GetAtt|Sub|ImportValue|Condition) )'([A-Za-z][A-Za-z0-9_.]*)'")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def _unquoted(match: re.Match[str]) -> str:
    if match.group(2).lower() in _YAML_WORDS:
        return match.group(0)
    return match.group(1) + match.group(2)
