"""The "Suppress SLxxx for <resource>" quick fix as text edits on the editor's buffer.

The file is never re-dumped: a re-dump would lose comments, key order and quoting. The edit inserts
the suppression entry where it belongs, located with the decoder's marks, and only the inserted text
is rendered (by cfn-flip, in the file's format), then indented the way the surrounding file is:

    Metadata:                 <- added when the resource has none
      slens-lint:             <- added into an existing Metadata
        ignore:               <- added into an existing slens-lint
          - id: SL501         <- added to an existing ignore list
            reason: "TODO: ..."

Every edit is checked before it is offered: the edited text must parse and must suppress the rule on
its target; when the layout is one this module does not handle (flow-style YAML, an `ignore` that is
not a list), no quick fix is offered rather than a wrong one.

Positions are 0-based (line, column) with columns counted in code points, as the decoder counts them;
the server converts them to the client's position encoding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from slens_lint.engine import suppress as suppression
from slens_lint.template import loader
from slens_lint.template.render import render

REASON_PLACEHOLDER = "TODO: why {rule} does not apply here"

Position = tuple[int, int]


@dataclass(frozen=True)
class TextEdit:
    start: Position
    end: Position
    new_text: str


@dataclass(frozen=True)
class Suppression:
    rule_id: str
    target: Optional[str]
    """Logical id the entry goes on; None for the template's own Metadata."""
    edits: tuple[TextEdit, ...]

    @property
    def title(self) -> str:
        if self.target is None:
            return f"Suppress {self.rule_id} in this template"
        return f"Suppress {self.rule_id} for {self.target}"


class _Unsupported(Exception):
    """A layout the edit cannot be made in safely (no quick fix is offered)."""


def suppression_for(
    text: str,
    rule_id: str,
    resource: Optional[str],
    path: Sequence[Any] = (),
) -> Optional[Suppression]:
    """The edit that suppresses `rule_id` on `resource` (or on the resource `path` lies in), if it can be made."""
    decoded = loader.decode_text(text)
    if isinstance(decoded, loader.LoadError):
        return None
    tree = decoded.data
    target = _target(tree, resource, path)
    entry = {"id": rule_id, "reason": REASON_PLACEHOLDER.format(rule=rule_id)}
    # decode_text drops a leading BOM; its marks count from after it.
    bom = 1 if text.startswith("\ufeff") else 0
    lines = text[bom:].split("\n")
    writer: _Writer = _JsonWriter(lines, tree) if decoded.format == "json" else _YamlWriter(lines, tree)
    try:
        edit = writer.suppress(target, entry)
    except _Unsupported:
        return None
    if bom and edit.start[0] == 0:
        edit = TextEdit((0, edit.start[1] + bom), (edit.end[0], edit.end[1] + (bom if edit.end[0] == 0 else 0)), edit.new_text)
    result = Suppression(rule_id=rule_id, target=target, edits=(edit,))
    return result if _suppresses(apply_edits(text, result.edits), rule_id, target) else None


def apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """The text with non-overlapping edits applied (positions refer to the original text)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(position: Position) -> int:
        line, column = position
        if line >= len(lines):
            return len(text)
        return offsets[line] + min(column, len(lines[line]))

    out = text
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        out = out[: offset(edit.start)] + edit.new_text + out[offset(edit.end) :]
    return out


def _target(tree: dict, resource: Optional[str], path: Sequence[Any]) -> Optional[str]:
    resources = tree.get("Resources")
    if not isinstance(resources, dict):
        return None
    if resource is not None and resource in resources:
        return resource
    # An implicit API (ServerlessRestApi) is not in Resources: its finding points into the function
    # event that creates it, and that function's Metadata suppresses it.
    if len(path) > 1 and path[0] == "Resources" and path[1] in resources:
        return str(path[1])
    return None


def _suppresses(text: str, rule_id: str, target: Optional[str]) -> bool:
    decoded = loader.decode_text(text)
    if isinstance(decoded, loader.LoadError):
        return False
    tree = decoded.data
    if target is None:
        metadata = tree.get("Metadata")
    else:
        resource = (tree.get("Resources") or {}).get(target)
        metadata = resource.get("Metadata") if isinstance(resource, dict) else None
    return suppression.matches(suppression.ignored_ids(metadata), rule_id, rule_id)


def _mark(node: Any, which: str = "start_mark") -> Position:
    mark = getattr(node, which, None)
    if mark is None:
        raise _Unsupported(f"no position for {node!r}")
    return (mark.line, mark.column)


def _first_key(mapping: dict) -> Any:
    return next(iter(mapping))


class _Writer:
    def __init__(self, lines: list[str], tree: dict) -> None:
        self.lines = lines
        self.tree = tree
        self.newline = "\r\n" if any(line.endswith("\r") for line in lines) else "\n"

    def char_at(self, position: Position) -> str:
        line, column = position
        text = self.lines[line] if line < len(self.lines) else ""
        return text[column] if column < len(text) else ""

    def indent_before(self, position: Position) -> Optional[str]:
        """The whitespace before `position` on its line, or None when something else precedes it."""
        line, column = position
        head = self.lines[line][:column]
        return head if head.strip() == "" else None

    def suppress(self, target: Optional[str], entry: dict) -> TextEdit:
        owner = self.tree if target is None else self.tree["Resources"][target]
        if not isinstance(owner, dict):
            raise _Unsupported("resource is not a mapping")
        metadata = owner.get("Metadata")
        if "Metadata" not in owner:
            return self.add_metadata(owner, target, {"slens-lint": {"ignore": [entry]}})
        if not isinstance(metadata, dict):
            raise _Unsupported("Metadata is not a mapping")
        ours = metadata.get("slens-lint")
        if "slens-lint" not in metadata:
            return self.add_member(metadata, "slens-lint", {"ignore": [entry]})
        if not isinstance(ours, dict):
            raise _Unsupported("Metadata.slens-lint is not a mapping")
        ignore = ours.get("ignore")
        if "ignore" not in ours:
            return self.add_member(ours, "ignore", [entry])
        if not isinstance(ignore, list):
            raise _Unsupported("Metadata.slens-lint.ignore is not a list")
        return self.add_item(ignore, entry)

    def add_metadata(self, owner: dict, target: Optional[str], value: dict) -> TextEdit:
        raise NotImplementedError

    def add_member(self, mapping: dict, key: str, value: Any) -> TextEdit:
        raise NotImplementedError

    def add_item(self, sequence: list, value: Any) -> TextEdit:
        raise NotImplementedError


class _YamlWriter(_Writer):
    def __init__(self, lines: list[str], tree: dict) -> None:
        super().__init__(lines, tree)
        self.unit = self._indent_unit()

    def _indent_unit(self) -> int:
        """How far this file indents a level: measured between `Resources:` and its first logical id."""
        resources = self.tree.get("Resources")
        try:
            key = next(k for k in self.tree if k == "Resources")
            step = _mark(_first_key(resources))[1] - _mark(key)[1]
        except (StopIteration, TypeError, _Unsupported):
            return 2
        return step if 0 < step <= 8 else 2

    def block(self, fragment: Any, indent: int) -> str:
        """`fragment` rendered by cfn-flip, re-indented to this file's unit, each line at `indent` or deeper."""
        rendered = reindent_yaml(render(fragment, "yaml"), self.unit)
        return "".join(" " * indent + line + self.newline for line in rendered)

    def block_mapping(self, mapping: dict) -> Position:
        """Where a block mapping's first key starts; flow mappings (`{...}`) are not edited."""
        start = _mark(_first_key(mapping)) if mapping else _mark(mapping)
        if self.char_at(_mark(mapping)) == "{" or self.indent_before(start) is None:
            raise _Unsupported("flow-style or compact mapping")
        return start

    def add_metadata(self, owner: dict, target: Optional[str], value: dict) -> TextEdit:
        if not owner:
            raise _Unsupported("empty resource")
        first = self.block_mapping(owner)
        fragment = {"Metadata": value}
        type_value = owner.get("Type") if target is not None else None
        if type_value is not None and hasattr(type_value, "end_mark"):
            # Conventional order: Type, then Metadata. Only after a one-line `Type: X`.
            start, end = _mark(type_value), _mark(type_value, "end_mark")
            type_key = next(k for k in owner if k == "Type")
            if start[0] == end[0] == _mark(type_key)[0] and self.indent_before(_mark(type_key)) is not None:
                return self.insert_after_line(end[0], self.block(fragment, _mark(type_key)[1]))
        if target is None and "Resources" in owner:
            # Template level: right before Resources, where a reader of the template looks first.
            resources_key = next(k for k in owner if k == "Resources")
            first = _mark(resources_key)
            if self.indent_before(first) is None:
                raise _Unsupported("Resources key not at line start")
        return TextEdit((first[0], 0), (first[0], 0), self.block(fragment, first[1]))

    def add_member(self, mapping: dict, key: str, value: Any) -> TextEdit:
        if not mapping:
            raise _Unsupported("empty mapping")
        first = self.block_mapping(mapping)
        return TextEdit((first[0], 0), (first[0], 0), self.block({key: value}, first[1]))

    def add_item(self, sequence: list, value: Any) -> TextEdit:
        if not sequence:
            raise _Unsupported("empty list")
        start = _mark(sequence)
        if self.char_at(start) != "-" or self.indent_before(start) is None:
            raise _Unsupported("flow-style list")
        return TextEdit((start[0], 0), (start[0], 0), self.block([value], start[1]))

    def insert_after_line(self, line: int, block: str) -> TextEdit:
        if line + 1 < len(self.lines):
            return TextEdit((line + 1, 0), (line + 1, 0), block)
        # The last line has no newline after it: start the block with one.
        end = (line, len(self.lines[line]))
        return TextEdit(end, end, self.newline + block[: -len(self.newline)])


def reindent_yaml(block: str, unit: int) -> list[str]:
    """cfn-flip's two-space YAML re-indented by `unit` per level.

    A sequence item's content stays two columns right of its dash (`- id:` / `  reason:`), whatever
    the unit: that alignment is what makes it one item.
    """
    out: list[str] = []
    stack: list[tuple[int, int]] = [(-1, -unit)]
    for line in block.splitlines():
        content = line.lstrip(" ")
        column = len(line) - len(content)
        while stack[-1][0] > column:
            stack.pop()
        if stack[-1][0] == column:
            new = stack[-1][1]
        else:
            new = stack[-1][1] + unit
            stack.append((column, new))
        rest, inner, inner_new = content, column, new
        while rest.startswith("- "):
            rest, inner, inner_new = rest[2:], inner + 2, inner_new + 2
            stack.append((inner, inner_new))
        out.append(" " * new + content)
    return out


class _JsonWriter(_Writer):
    def __init__(self, lines: list[str], tree: dict) -> None:
        super().__init__(lines, tree)
        self.unit = self._indent_unit()

    def _indent_unit(self) -> str:
        resources = self.tree.get("Resources")
        try:
            key = next(k for k in self.tree if k == "Resources")
            outer = self.indent_before(_mark(key))
            inner = self.indent_before(_mark(_first_key(resources)))
        except (StopIteration, TypeError, _Unsupported):
            return "  "
        if outer is not None and inner is not None and inner.startswith(outer) and len(inner) > len(outer):
            return inner[len(outer) :]
        return "  "

    def value(self, fragment: Any, indent: str) -> str:
        """`fragment` as JSON by cfn-flip (four spaces a level), re-indented; continuation lines at `indent`."""
        lines = render(fragment, "json").split("\n")
        out = [lines[0]]
        for line in lines[1:]:
            content = line.lstrip(" ")
            level = (len(line) - len(content)) // 4
            out.append(indent + self.unit * level + content)
        return self.newline.join(out)

    def line_indent(self, position: Position) -> str:
        line = self.lines[position[0]]
        return line[: len(line) - len(line.lstrip(" \t"))]

    def add_metadata(self, owner: dict, target: Optional[str], value: dict) -> TextEdit:
        type_value = owner.get("Type") if target is not None else None
        if type_value is not None and hasattr(type_value, "end_mark"):
            # After `"Type": "..."`: the comma that followed Type now follows the new member.
            type_key = next(k for k in owner if k == "Type")
            indent = self.indent_before(_mark(type_key))
            if indent is not None:
                end = _mark(type_value, "end_mark")
                text = f",{self.newline}{indent}{json.dumps('Metadata')}: {self.value(value, indent)}"
                return TextEdit(end, end, text)
        if target is None and "Resources" in owner:
            resources_key = next(k for k in owner if k == "Resources")
            return self.insert_before_key(resources_key, "Metadata", value)
        return self.add_member(owner, "Metadata", value)

    def add_member(self, mapping: dict, key: str, value: Any) -> TextEdit:
        if not mapping:
            return self.replace_empty(mapping, {key: value})
        return self.insert_before_key(_first_key(mapping), key, value)

    def insert_before_key(self, existing_key: Any, key: str, value: Any) -> TextEdit:
        position = _mark(existing_key)
        indent = self.indent_before(position)
        if indent is None:
            # Compact JSON (`{"A": 1, "B": 2}` on one line): stay on the line.
            text = f"{json.dumps(key)}: {self.value(value, self.line_indent(position))}, "
        else:
            text = f"{json.dumps(key)}: {self.value(value, indent)},{self.newline}{indent}"
        return TextEdit(position, position, text)

    def add_item(self, sequence: list, value: Any) -> TextEdit:
        if not sequence:
            return self.replace_empty(sequence, [value])
        first = sequence[0]
        position = _mark(first)
        indent = self.indent_before(position)
        if indent is None:
            text = f"{self.value(value, self.line_indent(position))}, "
        else:
            text = f"{self.value(value, indent)},{self.newline}{indent}"
        return TextEdit(position, position, text)

    def replace_empty(self, node: Any, fragment: Any) -> TextEdit:
        start, end = _mark(node), _mark(node, "end_mark")
        return TextEdit(start, end, self.value(fragment, self.line_indent(start)))
