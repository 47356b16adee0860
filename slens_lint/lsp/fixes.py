"""Automatic fixes for the editor, verified exactly as `slens-lint check --fix` verifies them.

A fix offered to the editor is the same text the command line would write: one finding's edits
checked by `fixes.verify.Verifier`, or, for "fix all", `fixes.loop.fix_file` on the buffer (safe
fixes only, in bounded passes). A fix that does not verify gives a reason instead of edits: the
editor is never handed an edit the command line would refuse.

Verification lints the text again and may run cfn-lint and the SAM translator, so results are kept
for the last few buffer states asked about (a client asks for code actions on every cursor move).

Edits come back as character offsets into the buffer as the engine decodes it (a leading byte order
mark dropped), the minimal replacements between the buffer and the fixed text; the server turns them
into positions in the client's encoding.
"""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from slens_lint.findings import FileResult, Finding
from slens_lint.fixes.edits import Edit, apply
from slens_lint.fixes.loop import fix_file
from slens_lint.fixes.verify import Verifier
from slens_lint.fixes.write import Original
from slens_lint.rules import registry
from slens_lint.session.fixing import CfnErrors

Lint = Callable[[str], FileResult]

FIX_ALL_TITLE = "Fix all safe SL findings in this file"
SAFE = frozenset({"safe"})
_REMEMBERED = 16


@dataclass(frozen=True)
class Planned:
    """A verified fix as edits of the decoded buffer, or the reason it is not offered."""

    edits: tuple[Edit, ...] = ()
    reason: str = ""
    fixed: int = 0
    refused: tuple[str, ...] = ()
    """Fix-all: the fixes left out (one line each), while the others are applied."""

    @property
    def ok(self) -> bool:
        return not self.reason


def title(finding: Finding) -> str:
    """"Fix SL502: set RetentionInDays"; an unsafe fix says so, since it changes what is deployed."""
    rule = registry.get(finding.rule_id)
    what = (rule.fix_title if rule else "") or "apply the automatic fix"
    text = f"Fix {finding.rule_id}: {what}"
    return f"{text} (unsafe: changes behaviour)" if finding.fix_safety == "unsafe" else text


def fixable(finding: Finding, allowed: frozenset[str] = frozenset({"safe", "unsafe"})) -> bool:
    return bool(finding.edits) and finding.fix_safety in allowed


def decoded(text: str) -> str:
    """The buffer as the engine reads it: the decoder drops leading byte order marks."""
    return text.lstrip("\ufeff")


class Fixer:
    """Plans verified fixes of buffers; cfn-lint's error checks are built once and reused."""

    def __init__(self) -> None:
        self._cfn_errors = CfnErrors()
        self._planned: OrderedDict[tuple, Planned] = OrderedDict()
        self._lock = threading.Lock()

    def forget(self) -> None:
        """The configuration changed: what was verified under the old one no longer holds."""
        with self._lock:
            self._planned.clear()

    def warm_up(self) -> None:
        """Load cfn-lint's whole rule set now, not when the first fix is asked for (on save, in a hurry)."""
        self._cfn_errors("Resources:\n  Warm:\n    Type: AWS::SNS::Topic\n")

    def one(self, text: str, path: Optional[str], lint: Lint, rule_id: str, fingerprint: Optional[str]) -> Planned:
        """The fix of one finding (its rule and fingerprint, as the diagnostic carries them)."""
        return self._remembered(("one", path, text, rule_id, fingerprint), lambda: self._one(decoded(text), lint, rule_id, fingerprint))

    def all_safe(self, text: str, path: Optional[str], lint: Lint) -> Planned:
        """Every safe fix of the buffer, as `check --fix` applies them."""
        return self._remembered(("all", path, text), lambda: self._all_safe(decoded(text), path, lint))

    def _remembered(self, key: tuple, plan: Callable[[], Planned]) -> Planned:
        with self._lock:
            if key in self._planned:
                self._planned.move_to_end(key)
                return self._planned[key]
        planned = plan()
        with self._lock:
            self._planned[key] = planned
            while len(self._planned) > _REMEMBERED:
                self._planned.popitem(last=False)
        return planned

    def _one(self, text: str, lint: Lint, rule_id: str, fingerprint: Optional[str]) -> Planned:
        before = lint(text)
        if before.errors:
            return Planned(reason=f"the template does not lint cleanly ({before.errors[0].reason})")
        finding = next((f for f in before.findings if f.rule_id == rule_id and f.fingerprint == fingerprint and fixable(f)), None)
        if finding is None:
            return Planned(reason=f"{rule_id} is no longer reported there")
        edits = [Edit(e.start, e.end, e.text) for e in finding.edits]
        after = apply(text, edits)
        check = Verifier(lint, self._cfn_errors).check(text, before, after, [finding])
        if not check.ok:
            return Planned(reason=check.reason)
        return Planned(edits=tuple(diff_edits(text, after)), fixed=1)

    def _all_safe(self, text: str, path: Optional[str], lint: Lint) -> Planned:
        try:
            original = Original(Path(path or "untitled"), text.encode("utf-8"), b"", "utf-8")
        except UnicodeEncodeError as exc:
            return Planned(reason=f"the buffer holds text that is not valid Unicode ({exc.reason})")
        outcome = fix_file(original.path, original.path.name, lint, Verifier(lint, self._cfn_errors), SAFE, original)
        refused = tuple(f"{f.rule_id} on '{f.resource}': {why}" for f, why in outcome.refused)
        if not outcome.changed:
            # Nothing left to fix is no refusal: fix-on-save then simply changes nothing.
            return Planned(reason=f"the fix of {refused[0]}" if refused else "", refused=refused)
        return Planned(edits=tuple(diff_edits(text, outcome.text)), fixed=len(outcome.fixed), refused=refused)


def diff_edits(before: str, after: str) -> list[Edit]:
    """The replacements that turn `before` into `after`, one per changed run of lines, each trimmed to
    the characters that differ (so an editor keeps its marks and folds on the lines around them)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            edits.append(_trimmed(before, starts[i1], starts[i2], "".join(new[j1:j2])))
    return edits


def _trimmed(text: str, start: int, end: int, replacement: str) -> Edit:
    current = text[start:end]
    prefix = 0
    limit = min(len(current), len(replacement))
    while prefix < limit and current[prefix] == replacement[prefix]:
        prefix += 1
    # Never split a CRLF: some editors refuse a position between its two characters.
    if prefix and current[prefix - 1] == "\r":
        prefix -= 1
    suffix = 0
    limit -= prefix
    while suffix < limit and current[len(current) - 1 - suffix] == replacement[len(replacement) - 1 - suffix]:
        suffix += 1
    while suffix and current[len(current) - suffix] == "\n" and len(current) - suffix > prefix and current[len(current) - suffix - 1] == "\r":
        suffix -= 1
    return Edit(start + prefix, end - suffix, replacement[prefix : len(replacement) - suffix])
