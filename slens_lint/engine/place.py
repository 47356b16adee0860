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
            fix=self.fix_text(verdict.fix, rule),
        )

    def fix_text(self, fix: Optional[Fix], rule: type[RuleMetadata]) -> Optional[str]:
        """The hint (the finding's own, else the rule's), then the fragment to add, in the file's format."""
        text = fix.text if fix is not None and fix.text else rule.fix
        if fix is not None and fix.snippet is not None:
            text = f"{text}\n{self._render(fix.snippet)}"
        return text or None

    def _render(self, snippet: Any) -> str:
        key = json.dumps(snippet, sort_keys=False, default=str)
        rendered = self._rendered.get(key)
        if rendered is None:
            rendered = self._rendered[key] = render(snippet, self.format)
        return rendered
