"""The language server (`slens-lint lsp`, stdio): diagnostics while typing, automatic fixes and a
suppression quick fix as code actions.

- Diagnostics on open and on save (at once), on change (debounced, from the unsaved buffer); cleared
  on close. Documents that are not templates get none; a template that does not parse gets E0000.
- Code actions (`lsp.actions`): "Fix SL502: ..." per finding with an automatic fix, "Fix all safe SL
  findings in this file" (also as `source.fixAll.slens-lint`, for fix-on-save), "Suppress ...". A fix
  is verified as `check --fix` verifies it before its edit is handed out, lazily on
  `codeAction/resolve` where the client supports it.
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
from slens_lint.lsp import actions
from slens_lint.lsp.diagnostics import CONFIG_FILES, SOURCE, DocumentLinter, Outcome, to_diagnostics
from slens_lint.lsp.fixes import Fixer, Planned, fixable
from slens_lint.rules import registry

DEFAULT_DEBOUNCE_SECONDS = 0.3

log = logging.getLogger(__name__)


class SlensLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("slens-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.linter = DocumentLinter(on_config_error=self._config_error)
        self.fixer = Fixer()
        self.fixer_warm = False
        self.debounce = DEFAULT_DEBOUNCE_SECONDS
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slens-lint")
        self.pending: dict[str, asyncio.Task] = {}
        self.published: set[str] = set()
        self.findings: dict[str, tuple[Optional[int], list[Finding]]] = {}
        """The findings last published per document, with the version they are of: code actions act on them."""
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
        self.findings[uri] = (version, outcome.findings)
        self.published.add(uri)
        if not self.fixer_warm:
            # After the first diagnostics, not before them: the user reads them while cfn-lint loads.
            self.fixer_warm = True
            self.executor.submit(self.fixer.warm_up)
        diagnostics = to_diagnostics(outcome.findings, text, self.encoding, outcome.parse_errors)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics))

    def clear(self, uri: str) -> None:
        self.published.discard(uri)
        self.findings.pop(uri, None)
        self.problems.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def reload_configuration(self) -> None:
        """A configuration file changed: look configurations up again and re-lint every open document."""
        self.linter.forget_settings()
        self.fixer.forget()
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

    @property
    def encoding(self) -> Any:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    @property
    def resolves_edits(self) -> bool:
        """Whether the client asks for a code action's edit when the user picks the action."""
        text_document = self.client_capabilities.text_document
        code_action = text_document.code_action if text_document else None
        support = code_action.resolve_support if code_action else None
        return bool(support and "edit" in support.properties)

    @property
    def takes_versioned_edits(self) -> bool:
        workspace = self.client_capabilities.workspace
        return bool(workspace and workspace.workspace_edit and workspace.workspace_edit.document_changes)

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri, only = params.text_document.uri, params.context.only
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        published_version, findings = self.findings.get(uri, (None, []))
        # Fixes act on the findings of this very buffer state; stale ones are about to be replaced.
        current = published_version == version and version is not None
        ours = [d for d in params.context.diagnostics if d.source == SOURCE and registry.get(str(d.code)) is not None]
        offered: list[types.CodeAction] = []
        suppressions = []
        if actions.wants(only, types.CodeActionKind.QuickFix):
            seen: set[Optional[str]] = set()
            for diagnostic in ours:
                finding = actions.finding_for(findings, diagnostic)
                if current and finding is not None and fixable(finding) and finding.fingerprint not in seen:
                    seen.add(finding.fingerprint)
                    offered.append(actions.fix_action(finding, uri, version, [diagnostic]))
                resource, path = actions.subject_of(finding, diagnostic)
                suppressions.append((diagnostic, registry.get(str(diagnostic.code)).id, resource, path))
            if ours and current and any(fixable(f, frozenset({"safe"})) for f in findings):
                offered.append(actions.fix_all_action(uri, version, types.CodeActionKind.QuickFix, ours))
        if only and actions.wants(only, actions.FIX_ALL_KIND) and version is not None:
            if not current or any(fixable(f, frozenset({"safe"})) for f in findings):
                offered.append(actions.fix_all_action(uri, version, actions.FIX_ALL_KIND, ours))
        if offered and not self.resolves_edits:
            offered = [a for a in [await self.resolve(a, eager=True) for a in offered] if _changes_something(a.edit)]
        return offered + actions.suppress_actions(text, uri, suppressions, self.encoding)

    async def resolve(self, action: types.CodeAction, eager: bool = False) -> types.CodeAction:
        """The verified edit of a fix action; none (and the reason shown) when it does not verify."""
        request = actions.request_of(action)
        if request is None:
            return action
        uri, version = request["uri"], request.get("version")
        document = self.workspace.text_documents.get(uri)
        if document is None or document.version != version:
            self._tell(types.MessageType.Info, f"{action.title}: the document changed; ask for the fix again", popup=False)
            return action
        text = document.source
        try:
            planned = await asyncio.get_running_loop().run_in_executor(self.executor, self._plan, request, text)
        except Exception as exc:  # noqa: BLE001 - a failed fix must not stop the server
            log.exception("fix failed")
            planned = Planned(reason=f"{type(exc).__name__}: {exc}")
        latest = self.workspace.text_documents.get(uri)
        if latest is None or latest.version != version:
            return action
        if not planned.ok:
            # The source action usually runs on save: its refusals go to the log, not a popup each save.
            popup = not eager and action.kind != actions.FIX_ALL_KIND
            self._tell(types.MessageType.Warning, f"{action.title}: not applied: {planned.reason}", popup)
            return action
        for refused in planned.refused:
            self._tell(types.MessageType.Warning, f"the fix of {refused} was left out", popup=False)
        edits = actions.text_edits(text, planned.edits, self.encoding)
        action.edit = actions.workspace_edit(uri, version, edits, self.takes_versioned_edits)
        return action

    def _plan(self, request: dict[str, Any], text: str) -> Planned:
        path = _path(request["uri"])
        lint = self.linter.reported(path)
        if request[actions.MARK] == "all":
            return self.fixer.all_safe(text, path, lint)
        return self.fixer.one(text, path, lint, str(request.get("rule")), request.get("fingerprint"))

    def _tell(self, kind: types.MessageType, message: str, popup: bool) -> None:
        # Only what answers the user's own choice of an action pops up: a fix computed unasked (for a
        # client that cannot resolve) is simply not offered, and fix-on-save must not nag every save.
        if popup:
            self.window_show_message(types.ShowMessageParams(type=kind, message=f"slens-lint: {message}"))
        else:
            self.window_log_message(types.LogMessageParams(type=kind, message=f"slens-lint: {message}"))


def _changes_something(edit: Optional[types.WorkspaceEdit]) -> bool:
    if edit is None:
        return False
    changes = [e for edits in (edit.changes or {}).values() for e in edits]
    return bool(changes) or any(change.edits for change in edit.document_changes or () if isinstance(change, types.TextDocumentEdit))


def _declined_is_fine(future: Any) -> None:
    # A client that declines the registration only loses the live reload: nothing to tell the user.
    if not future.cancelled() and future.exception() is not None:
        log.info("client declined watching configuration files: %s", future.exception())


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
        root = ls.workspace.root_path
        if root:
            # An untitled buffer is linted with the workspace's configuration.
            ls.linter = DocumentLinter(on_config_error=ls._config_error, project=Path(root))

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
        types.CodeActionOptions(code_action_kinds=actions.KINDS, resolve_provider=True),
    )
    async def code_action(ls: SlensLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return await ls.code_actions(params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: SlensLanguageServer, params: types.CodeAction) -> types.CodeAction:
        return await ls.resolve(params)

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
