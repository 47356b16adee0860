"""Text edits that change a template the way its author would: in place, in the file's own format.

A fix never re-serialises the document (that loses comments, key order, quoting and layout): it is a
list of `Edit`s on the text, computed from where the decoder says each node is. `plan(text, tree,
fmt, path, value)` says what to insert or replace so that the mapping entry at `path` holds `value`:

- the key exists with a scalar: its value is replaced; with a mapping and a mapping `value`: each
  entry is planned inside it;
- the key is missing: the entry is inserted into the nearest existing mapping on the path (the
  missing mappings in between are created with it), after its last entry, at its indentation;
- block YAML gets block YAML at the mapping's indentation (the file's indentation unit for nested
  levels), flow YAML (`{a: 1}`) gets a flow entry, JSON gets a JSON member at the members'
  indentation; CRLF files get CRLF; comments and key order are untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional, Sequence

import yaml

from slens_lint.fixes.source import MISSING, Source
from slens_lint.template.expressions import is_intrinsic
from slens_lint.template.render import render

JsonPath = tuple[Any, ...]


@dataclass(frozen=True, order=True)
class Edit:
    """Replace text[start:end] (character offsets in the text as decoded) by `text`; start == end inserts."""

    start: int
    end: int
    text: str


class PlanError(Exception):
    """The edit cannot be placed with confidence (an intrinsic where a mapping is needed, a shape the
    planner does not know): no fix is offered rather than a wrong one."""


def plan(
    source: Source,
    tree: Any,
    path: JsonPath,
    value: Any,
    before: Optional[str] = None,
    append: bool = False,
    name: Optional[str] = None,
) -> list[Edit]:
    """Edits so that the entry at `path` holds `value` (see the module docstring). `before` names a
    key of the target mapping to insert in front of rather than after its last entry (a new `Globals`
    goes before `Resources`). With `append`, the entry is a list and `value` one more item of it (the
    list is created when missing). `name`, the resource the fix is for, lets fragments that differ
    only by it be rendered once (see `render`)."""
    node = tree
    for depth, step in enumerate(path[:-1]):
        child = source.entry(node, step)
        if child is MISSING:
            rest = _nest(path[depth + 1 :], [value] if append else value)
            return [_insert(source, node, path[depth], rest, before, name)]
        node = child[1]
        if not isinstance(node, dict) or is_intrinsic(node):
            raise PlanError(f"{'/'.join(map(str, path[: depth + 1]))} is not a literal mapping")
    key = path[-1]
    entry = source.entry(node, key)
    if entry is MISSING:
        return [_insert(source, node, key, [value] if append else value, before, name)]
    found_key, current = entry
    if append:
        if not isinstance(current, list) or getattr(current, "start_mark", None) is None:
            raise PlanError(f"{key} is not a literal list")
        return [_append(source, current, value, name)]
    if isinstance(value, dict) and isinstance(current, dict) and not is_intrinsic(value):
        edits: list[Edit] = []
        for entry_key, item in value.items():
            edits.extend(plan(source, current, (entry_key,), item, name=name))
        return edits
    if isinstance(value, list) and isinstance(current, list) and not _is_flow(source, current):
        return _replace_items(source, current, value)
    return [_replace(source, node, found_key, current, value)]


def _replace_items(source: Source, current: list[Any], value: list[Any]) -> list[Edit]:
    """A block list of strings given the same number of new strings, item by item (`- x86_64` ->
    `- arm64`); any other change of a block list is no fix (it would rewrite lines wholesale)."""
    if len(current) != len(value) or not all(isinstance(i, str) and hasattr(i, "start_mark") for i in current):
        raise PlanError("a block list is only changed item by item")
    edits = []
    for item, new in zip(current, value):
        if not isinstance(new, str):
            raise PlanError("a block list is only changed item by item")
        edits.append(Edit(source.offset(item.start_mark), source.offset(item.end_mark), _scalar(source, new)))
    return edits


def _scalar(source: Source, value: Any) -> str:
    if source.format == "json":
        return json.dumps(value)
    if isinstance(value, str):
        # One line however long (cfn-flip folds long strings over several lines).
        return _yaml_flow(value)
    rendered = render({"k": value}, "yaml")
    if "\n" in rendered:
        raise PlanError("a multi-line value is not written in place of a scalar")
    return rendered[len("k: ") :]


def _append(source: Source, items: list[Any], value: Any, name: Optional[str] = None) -> Edit:
    """One more item at the end of a list, in the list's own style."""
    text = source.text
    if source.format == "json" or _is_flow(source, items):
        close = source.offset(items.end_mark) - 1  # type: ignore[attr-defined]
        if close < 0 or text[close] != "]":
            raise PlanError("the list does not end with a bracket")
        if not items:
            return Edit(close, close, json.dumps(value))
        last_end = source.content_end_before(close, source.offset(items.start_mark) + 1)  # type: ignore[attr-defined]
        first = items[0]
        first_mark = getattr(first, "start_mark", None)
        if first_mark is not None and first_mark.line != items.start_mark.line:  # type: ignore[attr-defined]
            indent = text[source.line_start(source.offset(first_mark)) : source.offset(first_mark)]
            return Edit(last_end, last_end, f",{source.newline}{indent}{_json_body(source, value, indent)}")
        return Edit(last_end, last_end, f", {json.dumps(value)}")
    if not items:
        raise PlanError("an empty block list has no indentation to follow")
    dash = _dash_column(source, items[0])
    unit = source.indent_unit()
    lines = render([value], "yaml", name).split("\n")
    body = source.newline.join(" " * dash + line for line in _reindent(lines, unit))
    end = source.content_end_before(source.offset(items.end_mark), source.offset(items.start_mark))  # type: ignore[attr-defined]
    position = source.line_end(end)
    return Edit(position, position, source.newline + body)


def _dash_column(source: Source, first: Any) -> int:
    """The column of the `-` of a block list's first item."""
    mark = getattr(first, "start_mark", None)
    if mark is None:
        raise PlanError("the list's first item has no position")
    offset = source.offset(mark)
    dash = source.text.rfind("-", source.line_start(offset), offset)
    if dash < 0:
        raise PlanError("no dash before the list's first item")
    return dash - source.line_start(offset)


def _nest(path: Sequence[Any], value: Any) -> Any:
    for step in reversed(path):
        value = {step: value}
    return value


def _is_flow(source: Source, node: Any) -> bool:
    start = getattr(node, "start_mark", None)
    return start is not None and source.text[source.offset(start) : source.offset(start) + 1] in "{["


def _value_end(source: Source, key: Any, value: Any) -> int:
    """Where the text of an entry's value ends (scalars without marks are scanned from the key)."""
    end = getattr(value, "end_mark", None)
    if end is not None:
        return source.offset(end)
    # An int, bool or null carries no mark: its text follows the key's colon on the same line.
    position = source.offset(key.end_mark)
    colon = source.text.find(":", position)
    position = colon + 1 if colon >= 0 else position
    while position < len(source.text) and source.text[position] in " \t":
        position += 1
    while position < len(source.text) and source.text[position] not in ",}]\r\n#":
        position += 1
    return len(source.text[:position].rstrip(" \t"))


def _value_start(source: Source, key: Any, value: Any) -> int:
    start = getattr(value, "start_mark", None)
    if start is not None:
        return source.offset(start)
    position = source.text.find(":", source.offset(key.end_mark)) + 1
    while position < len(source.text) and source.text[position] in " \t":
        position += 1
    return position


def _replace(source: Source, mapping: Any, key: Any, current: Any, value: Any) -> Edit:
    if isinstance(current, (dict, list)) and not _is_flow(source, current):
        raise PlanError(f"{key} holds a block {type(current).__name__}; not replaced as a whole")
    start, end = _value_start(source, key, current), _value_end(source, key, current)
    if source.format == "json" or _is_flow(source, mapping) or isinstance(current, (dict, list)):
        # JSON, or a flow context (a flow collection's text is JSON-compatible YAML).
        return Edit(start, end, json.dumps(value))
    return Edit(start, end, _scalar(source, value))


def _insert(source: Source, mapping: Any, key: Any, value: Any, before: Optional[str], name: Optional[str] = None) -> Edit:
    if not isinstance(mapping, dict) or getattr(mapping, "start_mark", None) is None or is_intrinsic(mapping):
        raise PlanError(f"no literal mapping to add {key} to")
    if not source.keys_marked(mapping):
        raise PlanError(f"a key beside {key} has no position (a merged or generated mapping)")
    if source.format == "json" or _is_flow(source, mapping):
        return _insert_flow(source, mapping, key, value)
    return _insert_block(source, mapping, key, value, before, name)


def _insert_block(source: Source, mapping: Any, key: Any, value: Any, before: Optional[str], name: Optional[str] = None) -> Edit:
    keys = list(mapping)
    unit = source.indent_unit()
    if keys:
        column = keys[0].start_mark.column
    else:
        raise PlanError("an empty block mapping has no indentation to follow")
    indent = " " * column
    lines = render({key: value}, "yaml", name).split("\n")
    body = source.newline.join(indent + line for line in _reindent(lines, unit))
    # Entries the author spaced with blank lines (resources, top-level sections) get one too.
    gap = source.newline if source.remembered(mapping, "blank", lambda: _blank_separated(source, mapping, keys)) else ""
    if before is not None and before in keys:
        anchor = next(k for k in keys if k == before)
        start = source.line_start(source.offset(anchor.start_mark))
        return Edit(start, start, body + source.newline + gap)
    last_key = keys[-1]
    position = _entry_end(source, mapping, last_key)
    return Edit(position, position, source.newline + gap + body)


def _entry_end(source: Source, mapping: Any, key: Any) -> int:
    """The end of the line where an entry's own text ends (trailing comments and blank lines are not
    the entry's)."""
    floor = source.offset(key.end_mark)
    return source.line_end(source.content_end_before(_value_end(source, key, mapping[key]), floor))


def _blank_separated(source: Source, mapping: Any, keys: list[Any]) -> bool:
    """Whether every two neighbouring entries of a block mapping have a blank line between them."""
    if len(keys) < 2:
        return False
    for previous, following in zip(keys, keys[1:]):
        between = source.text[_entry_end(source, mapping, previous) : source.line_start(source.offset(following.start_mark))]
        if not any(not line.strip() for line in between.splitlines()[1:]):
            return False
    return True


def _reindent(lines: list[str], unit: str) -> list[str]:
    """Rendered YAML (cfn-flip's two-space steps) in the file's indentation unit: a child is one unit
    deeper than its parent, and the content of a list item stays two columns after its dash (`- `),
    whatever the unit, as YAML requires."""
    out = []
    anchors: list[tuple[int, int]] = []  # (rendered column, written column) of enclosing lines
    for line in lines:
        stripped = line.lstrip(" ")
        rendered = len(line) - len(stripped)
        while anchors and anchors[-1][0] > rendered:
            anchors.pop()
        if anchors and anchors[-1][0] == rendered:
            written = anchors.pop()[1]
        elif anchors:
            written = anchors[-1][1] + len(unit)
        else:
            written = 0
        anchors.append((rendered, written))
        if stripped.startswith("- "):
            anchors.append((rendered + 2, written + 2))
        out.append(" " * written + stripped)
    return out


def _insert_flow(source: Source, mapping: Any, key: Any, value: Any) -> Edit:
    text = source.text
    close = source.offset(mapping.end_mark) - 1
    if close < 0 or text[close] != "}":
        raise PlanError(f"the mapping that would hold {key} does not end with a brace")
    keys = list(mapping)
    as_json = source.format == "json"
    name = json.dumps(key) if as_json else str(key)
    opening = source.offset(mapping.start_mark)
    multi_line = keys and keys[0].start_mark.line != mapping.start_mark.line
    if not multi_line:
        entry = f"{name}: {json.dumps(value) if as_json else _yaml_flow(value)}"
        if not keys:
            return Edit(opening + 1, close, entry)
        last = keys[-1]
        end = _value_end(source, last, mapping[last])
        return Edit(end, end, f", {entry}")
    indent = text[source.line_start(source.offset(keys[0].start_mark)) : source.offset(keys[0].start_mark)]
    body = _json_body(source, value, indent)
    last = keys[-1]
    end = _value_end(source, last, mapping[last])
    return Edit(end, end, f",{source.newline}{indent}{name}: {body}")


def _yaml_flow(value: Any) -> str:
    """`value` in YAML flow style, scalars plain where YAML allows (`{Rate: 100}`, not JSON's quotes)."""
    dumped = yaml.safe_dump({"k": value}, default_flow_style=True, sort_keys=False, width=1_000_000)
    return dumped.strip()[len("{k: ") : -1]


def _json_body(source: Source, value: Any, indent: str) -> str:
    """`value` as JSON continuing a line at `indent`, nested levels in the file's indentation unit."""
    unit = source.indent_unit()
    # json.dumps indents by one space per level: re-indent with the file's unit, under the member.
    lines = json.dumps(value, indent=1).split("\n")
    return lines[0] + "".join(
        source.newline + indent + unit * (len(line) - len(line.lstrip(" "))) + line.lstrip(" ") for line in lines[1:]
    )


def apply(text: str, edits: Sequence[Edit]) -> str:
    """The text with the edits made (they must not overlap; see `overlapping`)."""
    out = []
    position = 0
    for edit in sorted(edits, key=_order):
        out.append(text[position : edit.start])
        out.append(edit.text)
        position = edit.end
    out.append(text[position:])
    return "".join(out)


def _order(edit: Edit) -> tuple[int, int, int, str]:
    """Edits in text order; insertions at one place deepest first: after the last line of a resource
    both a property of it (indented deeper) and a new resource may be added, in that order."""
    first = edit.text.lstrip("\r\n").split("\n", 1)[0]
    return (edit.start, edit.end, -(len(first) - len(first.lstrip(" "))), edit.text)


def overlapping(first: Sequence[Edit], second: Sequence[Edit]) -> bool:
    """Whether two fixes touch the same text: apply one, re-lint, retry. Two different insertions at
    one place do not (see `_order`); the result is verified like any other."""
    for a in first:
        for b in second:
            if a.start < b.end and b.start < a.end:
                return True
            if a.start == b.start and (a == b or a.start != a.end or b.start != b.end):
                return True
    return False
