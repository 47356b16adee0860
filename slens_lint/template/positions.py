"""Where things are in the file: a side table from JSON path to a source range.

The decoder marks mapping keys and string scalars, mappings and lists; ints and bools carry nothing.
The table is built once, lazily, from the tree as written (before any SAM Globals merge: an inherited
value's path is its `Globals` path, see `sam`), and every lookup can fall back to the nearest ancestor
that has a position.

A key's entry is the key itself: that is where an editor should underline `Timeout:`.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from slens_lint.findings import Range

JsonPath = tuple[Any, ...]

# 0-based (line, column, end line, end column), as the decoder reports them.
Span = tuple[int, int, int, int]


def span_of(node: Any) -> Optional[Span]:
    start = getattr(node, "start_mark", None)
    end = getattr(node, "end_mark", None)
    if start is None or end is None:
        return None
    # cfn-lint's nodes made without a source position (its SAM Globals merge makes some) carry its
    # `Mark()` default, (1, 1), at both ends: that is no position. tests/test_compat.py pins it.
    if (start.line, start.column) == (1, 1) == (end.line, end.column) and type(start).__module__.startswith("cfnlint"):
        return None
    return (start.line, start.column, end.line, end.column)


class PositionTable:
    def __init__(self, tree: Any) -> None:
        self._tree = tree
        self._table: Optional[dict[JsonPath, Span]] = None

    def _build(self) -> dict[JsonPath, Span]:
        table: dict[JsonPath, Span] = {}
        # Iterative walk: a hostile template can nest thousands of levels deep.
        stack: list[tuple[JsonPath, Any]] = [((), self._tree)]
        while stack:
            path, node = stack.pop()
            if isinstance(node, dict):
                for key, value in node.items():
                    child = path + (str(key),)
                    span = span_of(key) or span_of(value)
                    if span:
                        table[child] = span
                    stack.append((child, value))
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    child = path + (index,)
                    span = span_of(value)
                    if span:
                        table[child] = span
                    stack.append((child, value))
        return table

    @property
    def table(self) -> dict[JsonPath, Span]:
        if self._table is None:
            self._table = self._build()
        return self._table

    def exact(self, path: Iterable[Any]) -> Optional[Range]:
        span = self.table.get(tuple(path))
        return to_range(span) if span else None

    def lookup(self, path: Iterable[Any]) -> Range:
        """The range of `path`, else of its nearest ancestor with a position, else line 1."""
        path = tuple(path)
        table = self.table
        while path:
            span = table.get(path)
            if span:
                return to_range(span)
            path = path[:-1]
        return Range(start_line=1, start_column=1, end_line=1, end_column=1)

    def resolve(self, paths: Iterable[Iterable[Any]]) -> tuple[JsonPath, Range]:
        """The first candidate path that has an exact position, with its range (rules' anchors are
        candidates in order of preference: the property, its parents, the resource)."""
        candidates = [tuple(p) for p in paths]
        table = self.table
        for candidate in candidates:
            span = table.get(candidate)
            if span:
                return candidate, to_range(span)
        last = candidates[-1] if candidates else ()
        return last, self.lookup(last)


def anchor_candidates(at: JsonPath, anchors: Iterable[JsonPath]) -> list[JsonPath]:
    """Where a finding about `at` points, best first: `at` itself, its parents while they are inside a
    resource's properties or a Globals section, then the subject's own anchors (the resource's
    `Properties`, its logical id; the creating event of an implicit API)."""
    candidates = [at[:depth] for depth in range(len(at), _floor(at), -1)]
    candidates.extend(anchors)
    return candidates


def _floor(path: JsonPath) -> int:
    if len(path) >= 3 and path[0] == "Resources" and path[2] == "Properties":
        return 3
    if path[:1] == ("Globals",):
        return 2
    return 1


def to_range(span: Span) -> Range:
    line, column, end_line, end_column = span
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    return Range(start_line=line + 1, start_column=column + 1, end_line=end_line + 1, end_column=end_column + 1)
