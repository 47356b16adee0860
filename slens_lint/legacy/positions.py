"""Where things are in the file: a side table from JSON path to a source range.

cfn-lint's decoder marks mapping keys and string scalars (`str_node`), mappings (`dict_node`) and
lists (`list_node`); ints and bools carry nothing, and pydantic models drop the marks. So the table is
built once, lazily, from the decoded (Globals-merged) tree, and every lookup falls back to the nearest
ancestor that has a position.

A key's entry is the key itself (that is where an editor should underline `Timeout:`), which is also
why a property merged in from `Globals` points at the `Globals` line: the merged key keeps its mark.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from slens_lint.findings import Range

JsonPath = tuple[Any, ...]

# 0-based (line, column, end line, end column), as the decoder reports them.
_Span = tuple[int, int, int, int]


def _span(node: Any) -> Optional[_Span]:
    start = getattr(node, "start_mark", None)
    end = getattr(node, "end_mark", None)
    if start is None or end is None:
        return None
    # Nodes the decoder or the Globals merge created without a source position get cfn-lint's
    # default Mark(1, 1) at both ends; they have no position of their own.
    if type(start).__module__.startswith("cfnlint") and (start.line, start.column) == (1, 1) == (
        end.line,
        end.column,
    ):
        return None
    return (start.line, start.column, end.line, end.column)


def sam_property_spans(tree: Any) -> dict[JsonPath, _Span]:
    """Positions of SAM resources' own properties, taken before cfn-lint merges `Globals` in.

    The merge copies the Globals mapping and assigns local values into it, so a key set both in
    `Globals` and locally keeps the *Globals* key object (and mark) in the merged tree. Recording the
    local keys first lets a finding about a local override point at the local line.
    """
    spans: dict[JsonPath, _Span] = {}
    resources = tree.get("Resources") if isinstance(tree, dict) else None
    if not isinstance(tree.get("Globals") if isinstance(tree, dict) else None, dict) or not isinstance(resources, dict):
        return spans
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        kind = resource.get("Type")
        properties = resource.get("Properties")
        if isinstance(kind, str) and kind.startswith("AWS::Serverless::") and isinstance(properties, dict):
            base = ("Resources", str(logical_id), "Properties")
            # Only mapping keys: lists are concatenated (Globals items first), so a local list index
            # is not the merged one, and list items keep their own marks through the merge anyway.
            spans.update(
                {
                    base + path: span
                    for path, span in PositionTable(properties).table.items()
                    if not any(isinstance(step, int) for step in path)
                }
            )
    return spans


class PositionTable:
    def __init__(self, tree: Any, overlay: Optional[dict[JsonPath, _Span]] = None) -> None:
        self._tree = tree
        self._table: Optional[dict[JsonPath, _Span]] = None
        self._overlay = overlay or {}

    def _build(self) -> dict[JsonPath, _Span]:
        table: dict[JsonPath, _Span] = {}
        globals_span = _span(self._tree.get("Globals")) if isinstance(self._tree, dict) else None
        # Iterative walk: a hostile template can nest thousands of levels deep.
        stack: list[tuple[JsonPath, Any]] = [((), self._tree)]
        while stack:
            path, node = stack.pop()
            if isinstance(node, dict):
                for key, value in node.items():
                    child = path + (str(key),)
                    span = _span(key) or _span(value)
                    if globals_span and _inside(span, globals_span):
                        # The Globals merge keeps the Globals key object even when the resource sets
                        # the property itself (local wins): a value marked outside Globals is local.
                        value_span = _span(value)
                        if value_span and not _inside(value_span, globals_span):
                            span = value_span
                    if span:
                        table[child] = span
                    stack.append((child, value))
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    child = path + (index,)
                    span = _span(value)
                    if span:
                        table[child] = span
                    stack.append((child, value))
        return table

    @property
    def table(self) -> dict[JsonPath, _Span]:
        if self._table is None:
            self._table = self._build()
            self._table.update(self._overlay)
        return self._table

    def exact(self, path: Iterable[Any]) -> Optional[Range]:
        span = self.table.get(tuple(path))
        return _to_range(span) if span else None

    def lookup(self, path: Iterable[Any]) -> Range:
        """The range of `path`, else of its nearest ancestor with a position, else line 1."""
        path = tuple(path)
        table = self.table
        while path:
            span = table.get(path)
            if span:
                return _to_range(span)
            path = path[:-1]
        return Range(start_line=1, start_column=1, end_line=1, end_column=1)

    def resolve(self, paths: Iterable[Iterable[Any]]) -> tuple[tuple[Any, ...], Range]:
        """The first of several candidate paths that has an exact position (with its range).

        Rules pass candidates in order of preference, e.g. the missing property's parent, then the
        resource's `Properties` key, then the logical id.
        """
        candidates = [tuple(p) for p in paths]
        for candidate in candidates:
            found = self.exact(candidate)
            if found:
                return candidate, found
        last = candidates[-1] if candidates else ()
        return last, self.lookup(last)


def _inside(span: Optional[_Span], outer: _Span) -> bool:
    return span is not None and outer[:2] <= span[:2] <= outer[2:]


def _to_range(span: _Span) -> Range:
    line, column, end_line, end_column = span
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    return Range(
        start_line=line + 1,
        start_column=column + 1,
        end_line=end_line + 1,
        end_column=end_column + 1,
    )
