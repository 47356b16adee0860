"""Verdicts become findings: placed in the file (range and path from the evidence), with the fix hint
and its template fragment rendered in the file's own format."""

from __future__ import annotations

import json
from typing import Any, Optional

from slens_lint.findings import Finding, Fix, Range, Verdict
from slens_lint.rules.base import RuleMetadata
from slens_lint.template.positions import PositionTable, anchor_candidates
from slens_lint.template.render import render


class Placer:
    """Places the verdicts of one template; renders each distinct fix fragment once."""

    def __init__(self, positions: PositionTable, fmt: str, display: str) -> None:
        self.positions = positions
        self.format = fmt
        self.display = display
        self._rendered: dict[str, str] = {}

    def place(self, verdict: Verdict) -> tuple[tuple[Any, ...], Range]:
        """The JSON path and range a verdict points at (its evidence, else the nearest anchor)."""
        return self.positions.resolve(anchor_candidates(verdict.at, verdict.anchors))

    def finding(self, verdict: Verdict, rule: type[RuleMetadata]) -> Finding:
        path, rng = self.place(verdict)
        return Finding(
            rule_id=rule.id,
            cfn_lint_id=rule.cfn_lint_id(),  # type: ignore[attr-defined]
            severity=rule.severity,
            file=self.display,
            range=rng,
            resource=verdict.resource,
            path=path,
            message=verdict.message,
            fix=self.fix_text(verdict.fix, rule, verdict.resource),
        )

    def fix_text(self, fix: Optional[Fix], rule: type[RuleMetadata], name: Optional[str] = None) -> Optional[str]:
        """The hint (the finding's own, else the rule's), then the fragment to add, in the file's format."""
        text = fix.text if fix is not None and fix.text else rule.fix
        if fix is not None and fix.snippet is not None:
            text = f"{text}\n{self._render(fix.snippet, name)}"
        return text or None

    def _render(self, snippet: Any, name: Optional[str] = None) -> str:
        as_json = json.dumps(snippet, sort_keys=False, default=str)
        rendered = self._rendered.get(as_json)
        if rendered is None:
            rendered = self._rendered[as_json] = _render_for(as_json, name, self.format)
        return rendered


# YAML reads these plain words as booleans or null (and quotes them): a name that is one of them is not
# replaced by a stand-in, which the writer would not quote.
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _render_for(as_json: str, name: Optional[str], fmt: str) -> str:
    """A snippet rendered by cfn-flip, which costs about a millisecond: most snippets differ between
    resources only by the resource's name (`<Function>LogGroup`, `${Function}`), so the name is replaced
    by a stand-in of the same length and kind (letters), the shape rendered once per template format
    (cached across templates by `render`), and the name put back into the text."""
    if name and len(name) >= 3 and name.isascii() and name.isalnum() and name[0].isalpha() and name.lower() not in _YAML_WORDS:
        stand_in = _stand_in(len(name), as_json)
        if stand_in is not None:
            shape = render(json.loads(as_json.replace(name, stand_in)), fmt)
            return shape.replace(stand_in, name)
    return render(json.loads(as_json), fmt)


def _stand_in(length: int, text: str) -> Optional[str]:
    for letter in "QXZJ":
        candidate = ("Zq" + letter * length)[:length]
        if candidate not in text:
            return candidate
    return None
