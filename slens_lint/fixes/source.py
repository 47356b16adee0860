"""The text of a template with the lookups its fix edits need: offsets of lines and marks, the newline
style, the indentation unit, and facts about the decoded tree's mappings, each computed once per text
(a template of thousands of resources gets thousands of insertions)."""

from __future__ import annotations

import bisect
from collections import Counter
from typing import Any, Callable, Optional

MISSING = object()
"""What `Source.entry` returns for a key the mapping does not have."""


class Source:
    """The text of a template with the lookups edits need: offsets of lines, the newline style."""

    def __init__(self, text: str, fmt: str) -> None:
        self.text = text
        self.format = fmt
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self._indent_unit: Optional[str] = None
        self._mappings: dict[int, dict[str, Any]] = {}
        self._starts = [0]
        found = text.find("\n")
        while found >= 0:
            self._starts.append(found + 1)
            found = text.find("\n", found + 1)

    def offset(self, mark: Any) -> int:
        if mark.line >= len(self._starts):
            # A node that ends the file without a final newline ends "on the next line".
            return len(self.text)
        line = max(mark.line, 0)
        return min(self._starts[line] + mark.column, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of an offset."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_end(self, offset: int) -> int:
        """The offset of the end of the line holding `offset` (before its newline)."""
        end = self.text.find("\n", offset)
        end = len(self.text) if end < 0 else end
        return end - 1 if end > 0 and self.text[end - 1] == "\r" else end

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def content_end_before(self, offset: int, floor: int) -> int:
        """The end of the last non-blank, non-comment text before `offset` (not before `floor`)."""
        position = offset
        while position > floor:
            start = self.line_start(position - 1) if position > 0 else 0
            line = self.text[start:position]
            stripped = _without_comment(line).rstrip(" \t\r\n")
            if stripped.strip():
                return start + len(stripped)
            position = start - 1 if start > 0 else 0
            if start == 0:
                break
        return floor

    # Facts about a mapping of the decoded tree, asked once per edit: kept per mapping, as a template of
    # thousands of resources gets an insertion into `Resources` for many of them.

    def entry(self, mapping: Any, key: Any) -> Any:
        """`(key as written, value)` of `mapping`'s entry `key`, else `MISSING`."""
        if not isinstance(mapping, dict):
            return MISSING
        written = self.remembered(mapping, "keys", lambda: {existing: existing for existing in mapping})
        existing = written.get(key, MISSING)
        return MISSING if existing is MISSING else (existing, mapping[existing])

    def keys_marked(self, mapping: Any) -> bool:
        """Whether every key of `mapping` has a position (not a merged or generated mapping)."""
        return self.remembered(mapping, "marked", lambda: all(getattr(k, "start_mark", None) is not None for k in mapping))

    def remembered(self, mapping: Any, fact: str, compute: Callable[[], Any]) -> Any:
        """`compute()`, kept as `fact` of `mapping` for the next edit that asks."""
        facts = self._mappings.get(id(mapping))
        if facts is None or facts["mapping"] is not mapping:
            facts = self._mappings[id(mapping)] = {"mapping": mapping}
        if fact not in facts:
            facts[fact] = compute()
        return facts[fact]

    def indent_unit(self) -> str:
        """The file's indentation step: the most frequent indentation increase from one line to the
        next (folded descriptions and aligned continuations make odd steps too, but fewer). Computed
        once per text: every insertion asks, and a large template has thousands of them."""
        if self._indent_unit is None:
            self._indent_unit = self._measure_indent_unit()
        return self._indent_unit

    def _measure_indent_unit(self) -> str:
        steps: Counter[int] = Counter()
        uses_tabs = False
        previous = 0
        for raw in self.text.splitlines():
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            stripped = raw.lstrip(" \t")
            leading = raw[: len(raw) - len(stripped)]
            uses_tabs = uses_tabs or "\t" in leading
            width = len(leading)
            if width > previous:
                steps[width - previous] += 1
            previous = width
        if uses_tabs:
            return "\t"
        if not steps:
            return "  "
        # The most frequent step; on a tie the smaller one.
        best = min(steps, key=lambda step: (-steps[step], step))
        return " " * best


def _without_comment(line: str) -> str:
    """A YAML line without its trailing comment (a `#` after a space, outside quotes)."""
    quote: Optional[str] = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return line[:index]
    return line
