"""Verdicts become findings: placed in the file (range and path from the evidence), with the fix hint
and its template fragment rendered in the file's own format, the automatic fix as text edits when the
run asks for them, and a fingerprint that survives edits elsewhere in the file."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Mapping, Optional

from slens_lint.findings import Change, Edit, Finding, Fix, Range, Verdict, with_settings
from slens_lint.fixes.edits import PlanError, Source, plan
from slens_lint.rules.base import RuleMetadata
from slens_lint.template.positions import PositionTable, anchor_candidates
from slens_lint.template.render import render


class Placer:
    """Places the verdicts of one template; renders each distinct fix fragment once."""

    def __init__(
        self,
        positions: PositionTable,
        fmt: str,
        display: str,
        tree: Any = None,
        text: Optional[str] = None,
        settings: Optional[Mapping[str, Any]] = None,
        edits: bool = False,
    ) -> None:
        """`tree`/`text`: the template as decoded (fingerprints read the tree; edits need the text);
        `settings`: the fix values configured (`[tool.slens-lint.fix]`); `edits`: plan text edits."""
        self.positions = positions
        self.format = fmt
        self.display = display
        self.tree = tree
        self.text = text
        self.settings = dict(settings or {})
        self.plan_edits = edits and text is not None and tree is not None
        self._source: Optional[Source] = None

    def place(self, verdict: Verdict) -> tuple[tuple[Any, ...], Range]:
        """The JSON path and range a verdict points at (its evidence, else the nearest anchor)."""
        return self.positions.resolve(anchor_candidates(verdict.at, verdict.anchors))

    def finding(self, verdict: Verdict, rule: type[RuleMetadata]) -> Finding:
        path, rng = self.place(verdict)
        fix = verdict.fix
        edits = self.edits(fix.changes, verdict.resource) if fix is not None and fix.changes and self.plan_edits else ()
        safety = rule.fix_safety if fix is not None and fix.changes else None  # type: ignore[attr-defined]
        return Finding(
            rule_id=rule.id,
            cfn_lint_id=rule.cfn_lint_id(),  # type: ignore[attr-defined]
            severity=rule.severity,
            file=self.display,
            range=rng,
            resource=verdict.resource,
            path=path,
            message=verdict.message,
            fix=self.fix_text(fix, rule, verdict.resource),
            fix_safety=safety if (edits or not self.plan_edits) else None,
            edits=edits,
            subject=verdict.subject,
            fingerprint=fingerprint(rule.id, verdict.subject, verdict.at, self.tree),
        )

    def fix_text(self, fix: Optional[Fix], rule: type[RuleMetadata], name: Optional[str] = None) -> Optional[str]:
        """The hint (the finding's own, else the rule's), then the fragment to add, in the file's format."""
        text = fix.text if fix is not None and fix.text else rule.fix
        if fix is not None and fix.snippet is not None:
            text = f"{text}\n{self._render(self.resolve(fix.snippet), name)}"
        return text or None

    def resolve(self, value: Any) -> Any:
        """`value` with each fix `Setting` replaced by the configured value (else its default)."""
        return with_settings(value, self.settings)

    def edits(self, changes: tuple[Change, ...], name: Optional[str] = None) -> tuple[Edit, ...]:
        """The text edits that make `changes`; none when one of them cannot be placed with confidence
        (the finding then has no automatic fix, only its hint)."""
        if self._source is None:
            self._source = Source(self.text or "", self.format)
        source = self._source
        planned = []
        try:
            for change in changes:
                planned.extend(
                    plan(source, self.tree, change.path, self.resolve(change.value), change.before, change.append, name)
                )
        except PlanError:
            return ()
        out = []
        for edit in sorted(set(planned)):
            start, end = source.position(edit.start), source.position(edit.end)
            rng = Range(start_line=start[0], start_column=start[1], end_line=end[0], end_column=end[1])
            out.append(Edit(start=edit.start, end=edit.end, text=edit.text, range=rng))
        return tuple(out)

    def _render(self, snippet: Any, name: Optional[str] = None) -> str:
        return render(snippet, self.format, name)


def fingerprint(rule_id: str, subject: str, at: tuple[Any, ...], tree: Any) -> str:
    """Rule, subject, the property judged (relative to the subject) and a digest of what the template
    holds there ("absent" when nothing): inserting lines, reformatting, renaming or editing other
    resources leave it unchanged; changing the judged property, or a new subject, changes it."""
    relative = _relative(at)
    node = _node_at(tree, at) if tree is not None else _ABSENT
    if not relative:
        # The finding is about the subject as a whole (a function without a log group): what any of
        # its properties holds is not what was judged, so editing one must not make it new.
        digest = "subject"
    else:
        digest = "absent" if node is _ABSENT else json.dumps(node, sort_keys=True, default=str, ensure_ascii=True)
    material = "\0".join((rule_id, subject, "/".join(map(str, relative)), digest))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


_ABSENT = object()


def _relative(at: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(at) >= 3 and at[0] == "Resources" and at[2] == "Properties":
        return at[3:]
    if len(at) >= 2 and at[0] in ("Globals", "Parameters", "Resources"):
        return at[2:]
    return at


def _node_at(tree: Any, path: tuple[Any, ...]) -> Any:
    node = tree
    for step in path:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return _ABSENT
    return node
