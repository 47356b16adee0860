"""The code actions the server offers, as LSP objects: a fix per finding, fix-all, and suppression.

Fix actions are built without their edit: verifying a fix is slow (see `lsp.fixes`), so a client
that can resolve an action's `edit` gets it on `codeAction/resolve`, when the user picks the action;
the server computes it at once for other clients. Their `data` names the document version they were
offered for: an action resolved for another version of the buffer gets no edit.
"""

from __future__ import annotations

import bisect
from typing import Any, Iterable, Optional, Sequence

from lsprotocol import types

from slens_lint.findings import Finding
from slens_lint.fixes.edits import Edit
from slens_lint.lsp import fixes, suppress
from slens_lint.lsp.diagnostics import ColumnConverter

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.slens-lint"
KINDS = [types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL_KIND]
MARK = "slens-lint-fix"
"""In an action's data: the action is one of ours, to resolve."""


def wants(only: Optional[Sequence[Any]], kind: str) -> bool:
    """Whether a request limited to the kinds `only` asks for `kind` (kinds are dot-separated
    hierarchies: `source` covers `source.fixAll.slens-lint`)."""
    if not only:
        return True
    for requested in only:
        value = str(getattr(requested, "value", requested))
        if not value or kind == value or kind.startswith(value + "."):
            return True
    return False


def fix_action(finding: Finding, uri: str, version: int, diagnostics: list[types.Diagnostic]) -> types.CodeAction:
    return types.CodeAction(
        title=fixes.title(finding),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=diagnostics,
        is_preferred=finding.fix_safety == "safe",
        data={MARK: "one", "uri": uri, "version": version, "rule": finding.rule_id, "fingerprint": finding.fingerprint},
    )


def fix_all_action(uri: str, version: int, kind: str, diagnostics: list[types.Diagnostic]) -> types.CodeAction:
    return types.CodeAction(
        title=fixes.FIX_ALL_TITLE,
        kind=kind,
        diagnostics=diagnostics or None,
        data={MARK: "all", "uri": uri, "version": version},
    )


def request_of(action: types.CodeAction) -> Optional[dict[str, Any]]:
    """The fix an action stands for (its data), if it is one of ours."""
    data = action.data
    if isinstance(data, dict) and data.get(MARK) in ("one", "all") and isinstance(data.get("uri"), str):
        return data
    return None


def text_edits(buffer: str, edits: Iterable[Edit], encoding: Any) -> list[types.TextEdit]:
    """Edits at offsets of the decoded buffer (see `fixes.decoded`) as LSP text edits of the buffer."""
    text = fixes.decoded(buffer)
    starts = [0]
    found = text.find("\n")
    while found >= 0:
        starts.append(found + 1)
        found = text.find("\n", found + 1)
    columns = ColumnConverter(buffer, encoding)

    def position(offset: int) -> types.Position:
        line = bisect.bisect_right(starts, offset) - 1
        return columns.position(line, offset - starts[line])

    return [types.TextEdit(range=types.Range(start=position(e.start), end=position(e.end)), new_text=e.text) for e in edits]


def workspace_edit(uri: str, version: int, edits: list[types.TextEdit], versioned: bool) -> types.WorkspaceEdit:
    """With a client that takes document changes, the edit names the version it was made for, so the
    client refuses it if the buffer has changed since."""
    if versioned:
        document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=edits)])
    return types.WorkspaceEdit(changes={uri: edits})


def suppress_actions(
    text: str,
    uri: str,
    diagnostics: Iterable[tuple[types.Diagnostic, str, Optional[str], tuple]],
    encoding: Any,
) -> list[types.CodeAction]:
    """"Suppress SL501 for OrdersFunction" per (rule, target), for (diagnostic, rule, resource, path)."""
    grouped: dict[tuple[str, Optional[str]], tuple[suppress.Suppression, list[types.Diagnostic]]] = {}
    for diagnostic, rule_id, resource, path in diagnostics:
        fix = suppress.suppression_for(text, rule_id, resource, path)
        if fix is None:
            continue
        key = (rule_id, fix.target)
        if key in grouped:
            grouped[key][1].append(diagnostic)
        else:
            grouped[key] = (fix, [diagnostic])
    columns = ColumnConverter(text, encoding)
    actions = []
    for fix, fixed in grouped.values():
        edits = [
            types.TextEdit(range=types.Range(start=_position(columns, e.start), end=_position(columns, e.end)), new_text=e.new_text)
            for e in fix.edits
        ]
        actions.append(
            types.CodeAction(
                title=fix.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=fixed,
                edit=types.WorkspaceEdit(changes={uri: edits}),
            )
        )
    return actions


def _position(columns: ColumnConverter, position: suppress.Position) -> types.Position:
    # Suppression edits count columns in the text as the editor holds it (BOM included).
    line, column = position
    if line == 0 and columns.bom:
        column -= columns.bom
    return columns.position(line, column)


def finding_for(findings: Sequence[Finding], diagnostic: types.Diagnostic) -> Optional[Finding]:
    """The finding a diagnostic shows: by its fingerprint, or (a client that drops `data`) by rule and line."""
    data = diagnostic.data
    fingerprint = data.get("fingerprint") if isinstance(data, dict) else None
    same_rule = [f for f in findings if f.rule_id == diagnostic.code]
    if fingerprint:
        found = next((f for f in same_rule if f.fingerprint == fingerprint), None)
        if found is not None:
            return found
    return next((f for f in same_rule if f.range.start_line - 1 == diagnostic.range.start.line), None)


def subject_of(finding: Optional[Finding], diagnostic: types.Diagnostic) -> tuple[Optional[str], tuple]:
    data = diagnostic.data
    if isinstance(data, dict) and ("resource" in data or "path" in data):
        return data.get("resource"), tuple(data.get("path") or ())
    if finding is not None:
        return finding.resource, finding.path
    return None, ()

