"""The language server (`slens-lint lsp`, stdio): diagnostics while typing and a suppression quick fix.

- Diagnostics on open and on save (at once), on change (debounced, from the unsaved buffer); cleared
  on close. Documents that are not templates get none.
- Linting runs on one worker thread, so the event loop keeps reading the client's messages and the
  engine is never used by two threads at once. A result is published only if the document has not
  changed since it was linted: a newer lint is then already on its way.
- The configuration (`.slens-lint.toml`, `[tool.slens-lint]`) is found from each file's folder upward,
  and read again when the client reports a change to one (watched files, or a save).
- Initialization options: `{"debounceMs": 300}`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from slens_lint import __version__
from slens_lint.findings import Finding
from slens_lint.lsp import suppress
from slens_lint.lsp.diagnostics import CONFIG_FILES, SOURCE, ColumnConverter, DocumentLinter, Outcome, to_diagnostics
from slens_lint.rules import registry

DEFAULT_DEBOUNCE_SECONDS = 0.3

log = logging.getLogger(__name__)


class SlensLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("slens-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.linter = DocumentLinter(on_config_error=self._config_error)
        self.debounce = DEFAULT_DEBOUNCE_SECONDS
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slens-lint")
        self.pending: dict[str, asyncio.Task] = {}
        self.published: set[str] = set()
        self.findings: dict[str, list[Finding]] = {}
        """The findings last published per document, for code actions whose diagnostics lost their data."""
        self.problems: dict[str, list[str]] = {}

    # ---- linting -------------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint_later(uri, delay))

    def cancel(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    async def _lint_later(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return
        version, text = document.version, document.source
        try:
            outcome = await asyncio.get_running_loop().run_in_executor(
                self.executor, self.linter.lint, text, _path(uri)
            )
        except Exception as exc:  # noqa: BLE001 - one bad buffer must not stop the server
            log.exception("lint failed")
            self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Error, message=f"slens-lint: {uri}: {type(exc).__name__}: {exc}")
            )
            return
        current = self.workspace.text_documents.get(uri)
        if current is None or current.version != version:
            return
        if self.pending.get(uri) is asyncio.current_task():
            del self.pending[uri]
        self.publish(uri, version, text, outcome)

    def publish(self, uri: str, version: Optional[int], text: str, outcome: Optional[Outcome]) -> None:
        if outcome is None:
            # Not a template: stay silent, but take back what an earlier version of the buffer got.
            if uri in self.published:
                self.clear(uri)
            return
        # Logged once, not on every keystroke that leaves the problem in place.
        if outcome.problems and outcome.problems != self.problems.get(uri):
            for problem in outcome.problems:
                self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=f"slens-lint: {problem}"))
        self.problems[uri] = outcome.problems
        self.findings[uri] = outcome.findings
        self.published.add(uri)
        diagnostics = to_diagnostics(outcome.findings, text, self.workspace.position_encoding or types.PositionEncodingKind.Utf16)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics))

    def clear(self, uri: str) -> None:
        self.published.discard(uri)
        self.findings.pop(uri, None)
        self.problems.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def reload_configuration(self) -> None:
        """A configuration file changed: look configurations up again and re-lint every open document."""
        self.linter.forget_settings()
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0)

    def watch_configuration(self) -> None:
        """Ask the client to report changes to configuration files (they are not open documents of ours)."""
        capability = self.client_capabilities.workspace
        watched = capability.did_change_watched_files if capability else None
        if not (watched and watched.dynamic_registration):
            return
        pattern = "**/{" + ",".join(CONFIG_FILES) + "}"
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=[types.FileSystemWatcher(glob_pattern=pattern)])
        registration = types.Registration(id="slens-lint-configuration", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)
        future = self.client_register_capability(types.RegistrationParams(registrations=[registration]))
        future.add_done_callback(_declined_is_fine)

    def _config_error(self, message: str) -> None:
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=f"slens-lint: {message} (using defaults)"))

    # ---- code actions ----------------------------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        only = params.context.only
        if only and not any(types.CodeActionKind.QuickFix.startswith(kind) for kind in only):
            return []
        document = self.workspace.get_text_document(params.text_document.uri)
        text = document.source
        grouped: dict[tuple[str, Optional[str]], tuple[suppress.Suppression, list[types.Diagnostic]]] = {}
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != SOURCE or registry.get(str(diagnostic.code)) is None:
                continue
            rule_id = registry.get(str(diagnostic.code)).id
            resource, path = self._subject(params.text_document.uri, diagnostic)
            fix = suppress.suppression_for(text, rule_id, resource, path)
            if fix is None:
                continue
            key = (rule_id, fix.target)
            if key in grouped:
                grouped[key][1].append(diagnostic)
            else:
                grouped[key] = (fix, [diagnostic])
        columns = ColumnConverter(text, self.workspace.position_encoding or types.PositionEncodingKind.Utf16)
        actions = []
        for fix, diagnostics in grouped.values():
            edits = [
                types.TextEdit(
                    range=types.Range(start=_position(columns, e.start), end=_position(columns, e.end)),
                    new_text=e.new_text,
                )
                for e in fix.edits
            ]
            actions.append(
                types.CodeAction(
                    title=fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=diagnostics,
                    edit=types.WorkspaceEdit(changes={params.text_document.uri: edits}),
                )
            )
        return actions

    def _subject(self, uri: str, diagnostic: types.Diagnostic) -> tuple[Optional[str], tuple]:
        data = diagnostic.data
        if isinstance(data, dict) and ("resource" in data or "path" in data):
            return data.get("resource"), tuple(data.get("path") or ())
        # Some clients drop `data`: find the finding by rule and start line instead.
        for finding in self.findings.get(uri, []):
            if finding.rule_id == diagnostic.code and finding.range.start_line - 1 == diagnostic.range.start.line:
                return finding.resource, finding.path
        return None, ()


def _declined_is_fine(future: Any) -> None:
    # A client that declines the registration only loses the live reload: nothing to tell the user.
    if not future.cancelled() and future.exception() is not None:
        log.info("client declined watching configuration files: %s", future.exception())


def _position(columns: ColumnConverter, position: suppress.Position) -> types.Position:
    # Suppression edits count columns in the text as the editor holds it (BOM included).
    line, column = position
    if line == 0 and columns.bom:
        column -= columns.bom
    return columns.position(line, column)


def _path(uri: str) -> Optional[str]:
    path = to_fs_path(uri)
    return path if path and uri.startswith("file:") else None


def _is_config(uri: str) -> bool:
    path = _path(uri)
    return bool(path) and Path(path).name in CONFIG_FILES


def create_server() -> SlensLanguageServer:
    server = SlensLanguageServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: SlensLanguageServer, params: types.InitializeParams) -> None:
        options: Any = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounceMs"), (int, float)):
            ls.debounce = max(0.0, options["debounceMs"] / 1000)

    @server.feature(types.INITIALIZED)
    def initialized(ls: SlensLanguageServer, params: types.InitializedParams) -> None:
        # cfn-lint's schemas take most of a second to load: do it now, not on the first keystroke.
        root = ls.workspace.root_path
        folder = Path(root) if root else Path.cwd()
        ls.executor.submit(ls.linter.warm_up, folder)
        ls.watch_configuration()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: SlensLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(_is_config(change.uri) for change in params.changes):
            ls.reload_configuration()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SlensLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SlensLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SlensLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if _is_config(uri):
            ls.reload_configuration()
            return
        ls.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SlensLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel(uri)
        if uri in ls.published:
            ls.clear(uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: SlensLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: SlensLanguageServer, params: Any) -> None:
        for uri in list(ls.pending):
            ls.cancel(uri)
        ls.executor.shutdown(wait=False, cancel_futures=True)

    return server


def serve() -> None:
    """Run over stdio until the client says exit."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    protocol_out = sys.stdout.buffer
    # Anything a library prints must not land in the JSON-RPC stream.
    sys.stdout = sys.stderr
    create_server().start_io(sys.stdin.buffer, protocol_out)
