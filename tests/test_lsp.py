"""The language server end to end: a real LSP client (pytest-lsp) drives `slens-lint lsp` over stdio.

Tests rely on SL501 (function without a log group) and SL502 (log group without RetentionInDays) only,
so rules added later do not change what they see; other rules' diagnostics are filtered out.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from slens_lint.rules import registry

OURS = {"SL501", "SL502"}
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS


def _server_command() -> list[str]:
    exe = shutil.which("slens-lint", path=str(Path(sys.executable).parent))
    return [exe, "lsp"] if exe else [sys.executable, "-m", "slens_lint", "lsp"]


def _record(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def _register(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def _make_client() -> LanguageClient:
    # pytest-lsp keeps only the last diagnostics per file; the tests also need the order and the
    # versions of every publication (to see what was published for which buffer state).
    client = LanguageClient(converter_factory=default_converter)
    client.published = []
    client.registrations = []
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, PUBLISH: _record, types.CLIENT_REGISTER_CAPABILITY: _register})
    return client


@pytest_lsp.fixture(config=ClientServerConfig(server_command=_server_command(), client_factory=_make_client))
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, root: Path, editor: str = "neovim", debounce_ms: int = 50) -> str:
    """Initialize like `editor` would; returns the negotiated position encoding."""
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(editor),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="project")],
            initialization_options={"debounceMs": debounce_ms},
        )
    )
    encoding = result.capabilities.position_encoding or "utf-16"
    return str(getattr(encoding, "value", encoding))


async def next_publish(client: LanguageClient, uri: str, after: int, timeout: float = 30) -> types.PublishDiagnosticsParams:
    """The first publication for `uri` among those received after the first `after` ones."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        for params in client.published[after:]:
            if params.uri == uri:
                return params
        if loop.time() > deadline:
            raise AssertionError(f"no diagnostics published for {uri} within {timeout}s")
        await asyncio.sleep(0.01)


def ours(params: types.PublishDiagnosticsParams) -> list[types.Diagnostic]:
    return sorted((d for d in params.diagnostics if d.code in OURS), key=lambda d: (d.range.start.line, d.code))


def open_doc(client: LanguageClient, uri: str, text: str, language: str = "yaml", version: int = 1) -> int:
    mark = len(client.published)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text))
    )
    return mark


def change_doc(client: LanguageClient, uri: str, version: int, changes: list) -> int:
    mark = len(client.published)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=changes,
        )
    )
    return mark


def whole(text: str) -> types.TextDocumentContentChangeWholeDocument:
    return types.TextDocumentContentChangeWholeDocument(text=text)


def insert_at(line: int, text: str) -> types.TextDocumentContentChangePartial:
    at = types.Position(line=line, character=0)
    return types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text=text)


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """What an editor does with a WorkspaceEdit: positions are in `encoding` code units."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        line = lines[position.line] if position.line < len(lines) else ""
        codec = {"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}[encoding]
        width = {"utf-8": 1, "utf-16": 2, "utf-32": 4}[encoding]
        prefix = line.encode(codec)[: position.character * width].decode(codec)
        return sum(len(x) + 1 for x in lines[: position.line]) + len(prefix)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


# A function without a log group (SL501, line 6) and a log group without retention (SL502, line 12).
TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
    # Orders are processed here.
    OrdersFunction:
        Type: AWS::Serverless::Function
        Properties:
            Handler: app.handler
            Runtime: python3.12
            CodeUri: src/   # built by sam build
    AuditLogs:
        Type: AWS::Logs::LogGroup
        Properties:
            LogGroupName: /app/audit
"""

RETENTION_LINE = "            RetentionInDays: 30\n"
FUNCTION_LOG_GROUP = """\
    OrdersFunctionLogs:
        Type: AWS::Logs::LogGroup
        Properties:
            LogGroupName: !Sub /aws/lambda/${OrdersFunction}
            RetentionInDays: 30
"""


@pytest.mark.asyncio
async def test_diagnostics_follow_the_unsaved_buffer(client: LanguageClient, tmp_path: Path):
    await start(client, tmp_path)
    path = tmp_path / "template.yaml"
    # On disk the template is already fixed: every diagnostic below must come from the buffer.
    path.write_text(TEMPLATE.replace("/app/audit\n", "/app/audit\n" + RETENTION_LINE) + FUNCTION_LOG_GROUP)
    uri = path.as_uri()

    opened = await next_publish(client, uri, open_doc(client, uri, TEMPLATE))
    found = ours(opened)
    assert [(d.code, d.range.start.line, d.range.start.character) for d in found] == [
        ("SL501", 6, 8),  # `Properties:` of OrdersFunction, 0-based
        ("SL502", 12, 8),
    ]
    for diagnostic in found:
        assert diagnostic.severity == types.DiagnosticSeverity.Warning
        assert diagnostic.source == "slens-lint"
        assert diagnostic.code_description.href == registry.get(diagnostic.code).docs_url()
        assert diagnostic.range.end.line == diagnostic.range.start.line
        assert diagnostic.range.end.character == diagnostic.range.start.character + len("Properties")
    assert "OrdersFunction" in found[0].message and "\nFix: " in found[0].message
    assert "RetentionInDays: 30" in found[1].message  # the fix snippet, rendered as YAML
    assert opened.version == 1

    # Typing the missing property under the log group (an incremental change).
    fixed_group = await next_publish(client, uri, change_doc(client, uri, 2, [insert_at(14, RETENTION_LINE)]))
    assert [d.code for d in ours(fixed_group)] == ["SL501"]
    assert fixed_group.version == 2

    added = await next_publish(client, uri, change_doc(client, uri, 3, [insert_at(15, FUNCTION_LOG_GROUP)]))
    assert ours(added) == []
    assert added.version == 3


@pytest.mark.asyncio
async def test_only_the_latest_buffer_state_is_published(client: LanguageClient, tmp_path: Path):
    await start(client, tmp_path, debounce_ms=200)
    uri = (tmp_path / "template.yaml").as_uri()
    await next_publish(client, uri, open_doc(client, uri, TEMPLATE))
    mark = len(client.published)
    # Keystrokes faster than the debounce: intermediate states are never linted nor published.
    for version, text in enumerate(["# a\n", "# ab\n", "# abc\n"], start=2):
        change_doc(client, uri, version, [insert_at(0, text)])
    final = change_doc(client, uri, 5, [insert_at(14 + 3, RETENTION_LINE)])
    published = await next_publish(client, uri, final)
    assert published.version == 5
    assert [d.code for d in ours(published)] == ["SL501"]
    await asyncio.sleep(0.5)
    assert [p.version for p in client.published[mark:] if p.uri == uri] == [5]


@pytest.mark.asyncio
async def test_save_lints_at_once_and_close_clears(client: LanguageClient, tmp_path: Path):
    # A debounce longer than the test: only the save can trigger the lint after the change.
    await start(client, tmp_path, debounce_ms=600_000)
    uri = (tmp_path / "template.yaml").as_uri()
    await next_publish(client, uri, open_doc(client, uri, TEMPLATE))
    mark = change_doc(client, uri, 2, [insert_at(14, RETENTION_LINE)])
    await asyncio.sleep(0.5)
    assert [p for p in client.published[mark:] if p.uri == uri] == []

    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    saved = await next_publish(client, uri, mark)
    assert [d.code for d in ours(saved)] == ["SL501"]

    mark = len(client.published)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    closed = await next_publish(client, uri, mark)
    assert list(closed.diagnostics) == []


@pytest.mark.asyncio
async def test_non_templates_get_no_diagnostics(client: LanguageClient, tmp_path: Path):
    await start(client, tmp_path)
    others = {
        "workflow.yaml": ("yaml", "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"),
        # Not parseable (comments in JSON, Go templating, several documents) and not templates either.
        "tsconfig.json": ("json", '{\n  // strict mode\n  "compilerOptions": {"strict": true}\n}\n'),
        "chart.yaml": ("yaml", "metadata:\n  name: {{ .Values.name }}\n  labels:\n    {{- include \"x\" . | nindent 4 }}\n"),
        "manifests.yaml": ("yaml", "kind: Service\n---\nkind: Deployment\n"),
    }
    for name, (language, text) in others.items():
        open_doc(client, (tmp_path / name).as_uri(), text, language)
    # Buffers are linted in the order they were opened: once the template's diagnostics arrive, the
    # others have been handled.
    template = (tmp_path / "template.yaml").as_uri()
    await next_publish(client, template, open_doc(client, template, TEMPLATE))
    assert {p.uri for p in client.published} == {template}

    # A template under edit that stops parsing gets the parse error; it is still a template.
    broken = await next_publish(client, template, change_doc(client, template, 2, [insert_at(3, "    Oops: [\n")]))
    assert [d.code for d in broken.diagnostics] == ["E0000"]
    assert broken.diagnostics[0].severity == types.DiagnosticSeverity.Error


@pytest.mark.asyncio
async def test_configuration_change_relints_open_templates(client: LanguageClient, tmp_path: Path):
    await start(client, tmp_path, editor="visual-studio-code")
    uri = (tmp_path / "template.yaml").as_uri()
    first = await next_publish(client, uri, open_doc(client, uri, TEMPLATE))
    assert {d.code for d in ours(first)} == OURS
    # The server asked to hear about configuration files: they are not documents it is sent.
    (watch,) = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert ".slens-lint.toml" in watch.register_options["watchers"][0]["globPattern"]

    config = tmp_path / ".slens-lint.toml"
    config.write_text('ignore = ["SL502"]\n')
    mark = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)])
    )
    relinted = await next_publish(client, uri, mark)
    assert {d.code for d in ours(relinted)} == {"SL501"}


@pytest.mark.asyncio
@pytest.mark.parametrize("editor", ["neovim", "visual-studio-code"])
async def test_columns_in_the_negotiated_position_encoding(client: LanguageClient, tmp_path: Path, editor: str):
    encoding = await start(client, tmp_path, editor=editor)
    # Characters outside ASCII before the finding on the same line: one code point, but 4 UTF-8 bytes
    # and 2 UTF-16 units for the emoji.
    line = '{"Description": "Bücher 📚", "Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {}}}}'
    uri = (tmp_path / "template.json").as_uri()
    published = await next_publish(client, uri, open_doc(client, uri, line + "\n", "json"))
    (diagnostic,) = [d for d in published.diagnostics if d.code == "SL502"]
    prefix = line[: line.index('"Properties"')]
    expected = {
        "utf-8": len(prefix.encode("utf-8")),
        "utf-16": len(prefix.encode("utf-16-le")) // 2,
        "utf-32": len(prefix),
    }[encoding]
    assert expected != len(prefix) or encoding == "utf-32"
    assert diagnostic.range.start == types.Position(line=0, character=expected)


# ---- quick fix ---------------------------------------------------------------------------------

WITH_METADATA = TEMPLATE.replace(
    "        Type: AWS::Serverless::Function\n",
    "        Type: AWS::Serverless::Function\n"
    "        Metadata:\n"
    "            BuildMethod: python3.12   # sam build\n",
)
WITH_IGNORE_LIST = TEMPLATE.replace(
    "        Type: AWS::Serverless::Function\n",
    "        Type: AWS::Serverless::Function\n"
    "        Metadata:\n"
    "            slens-lint:\n"
    "                ignore:\n"
    "                    - id: SL999\n"
    "                      reason: kept as an example\n",
)
JSON_TEMPLATE = """\
{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "OrdersFunction": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.12",
        "Handler": "app.handler",
        "Role": "arn:aws:iam::123456789012:role/orders",
        "Code": {"ZipFile": "def handler(e, c): pass"}
      }
    },
    "AuditLogs": {
      "Type": "AWS::Logs::LogGroup",
      "Metadata": {},
      "Properties": {"LogGroupName": "/app/audit"}
    }
  }
}
"""


def _subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(line in it for line in small)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("name", "text", "rule", "resource"),
    [
        ("template.yaml", TEMPLATE, "SL501", "OrdersFunction"),
        ("template.yaml", WITH_METADATA, "SL501", "OrdersFunction"),
        ("template.yaml", WITH_IGNORE_LIST, "SL501", "OrdersFunction"),
        ("template.json", JSON_TEMPLATE, "SL501", "OrdersFunction"),
        ("template.json", JSON_TEMPLATE, "SL502", "AuditLogs"),
    ],
    ids=["yaml-new-metadata", "yaml-existing-metadata", "yaml-existing-ignore", "json-new-metadata", "json-empty-metadata"],
)
async def test_suppress_quick_fix(client: LanguageClient, tmp_path: Path, name: str, text: str, rule: str, resource: str):
    from slens_lint.engine import Engine, EngineOptions

    encoding = await start(client, tmp_path)
    uri = (tmp_path / name).as_uri()
    language = "json" if name.endswith(".json") else "yaml"
    published = await next_publish(client, uri, open_doc(client, uri, text, language))
    (diagnostic,) = [d for d in published.diagnostics if d.code == rule]
    other_rules = sorted(d.code for d in ours(published) if d.code != rule)

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
        )
    )
    (action,) = [a for a in actions if a.title == f"Suppress {rule} for {resource}"]
    assert action.kind == types.CodeActionKind.QuickFix
    assert list(action.diagnostics) == [diagnostic]
    edits = action.edit.changes[uri]
    fixed = apply_text_edits(text, edits, encoding)

    # A text edit, not a re-dump: it inserts (or fills an empty `{}`), and every other original line,
    # comments, quoting and order included, is still there.
    (edit,) = edits
    assert edit.range.start == edit.range.end or "{}" in text.splitlines()[edit.range.start.line]
    assert _subsequence([line for line in text.splitlines() if "{}" not in line], fixed.splitlines())
    assert f"{rule}" in fixed and "reason" in fixed
    if language == "yaml":
        # The file's four-space indentation is kept for the inserted keys.
        entry = next(line for line in fixed.splitlines() if f"id: {rule}" in line)
        ignore = next(line for line in fixed.splitlines() if line.strip() == "ignore:")
        assert len(entry) - len(entry.lstrip(" -")) == len(ignore) - len(ignore.lstrip()) + 4 + 2

    after = await next_publish(client, uri, change_doc(client, uri, 2, [whole(fixed)]))
    assert sorted(d.code for d in ours(after)) == other_rules

    result = Engine(EngineOptions(select=(rule,))).lint_text(fixed, name)
    assert result.linted and result.findings == []


@pytest.mark.asyncio
async def test_no_quick_fix_for_other_sources(client: LanguageClient, tmp_path: Path):
    await start(client, tmp_path)
    uri = (tmp_path / "template.yaml").as_uri()
    published = await next_publish(client, uri, open_doc(client, uri, TEMPLATE))
    (diagnostic,) = [d for d in published.diagnostics if d.code == "SL501"]
    foreign = types.Diagnostic(range=diagnostic.range, message="from another linter", source="yamllint", code="SL501")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[foreign]),
        )
    )
    assert not actions


# ---- in process: what the server is built from ----------------------------------------------


def test_engine_is_built_once_per_configuration(tmp_path: Path):
    from slens_lint.lsp.diagnostics import DocumentLinter

    linter = DocumentLinter()
    first = linter.lint(TEMPLATE, str(tmp_path / "a.yaml"))
    engine = linter.engine_for(linter.effective_for(tmp_path))
    checks = engine._cfn_checks()
    second = linter.lint(TEMPLATE.replace("audit", "audit2"), str(tmp_path / "b.yaml"))
    assert linter.engine_for(linter.effective_for(tmp_path)) is engine
    assert engine._cfn_checks() is checks
    assert {f.rule_id for f in first.findings} >= OURS and {f.rule_id for f in second.findings} >= OURS


def test_configuration_applies_to_buffers(tmp_path: Path):
    from slens_lint.lsp.diagnostics import DocumentLinter

    (tmp_path / ".slens-lint.toml").write_text('ignore = ["SL501"]\n')
    outcome = DocumentLinter().lint(TEMPLATE, str(tmp_path / "template.yaml"))
    assert "SL502" in {f.rule_id for f in outcome.findings}
    assert "SL501" not in {f.rule_id for f in outcome.findings}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Resources:\r\n  Logs:\r\n    Type: AWS::Logs::LogGroup\r\n", "\r\n"),
        ("Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup", "\n"),  # no newline at the end
    ],
    ids=["crlf", "no-final-newline"],
)
def test_suppression_edit_keeps_line_endings(text: str, expected: str):
    from slens_lint.lsp.suppress import apply_edits, suppression_for

    fix = suppression_for(text, "SL502", "Logs")
    fixed = apply_edits(text, fix.edits)
    assert fixed.startswith(text.rstrip("\r\n"))
    body = fixed[len(text.rstrip("\r\n")) :]
    assert body.count(expected) >= 4 and (expected == "\r\n" or "\r" not in body)


def test_no_suppression_edit_for_flow_style_yaml():
    from slens_lint.lsp.suppress import suppression_for

    # Rewriting a flow mapping would mean re-dumping it; no fix is better than a reformatted one.
    assert suppression_for("Resources:\n  Logs: {Type: AWS::Logs::LogGroup}\n", "SL502", "Logs") is None


def test_implicit_resource_is_suppressed_on_its_owner():
    from slens_lint.lsp.suppress import apply_edits, suppression_for

    text = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Get:\n          Type: Api\n"
    fix = suppression_for(text, "SL502", "ServerlessRestApi", ("Resources", "Fn", "Properties", "Events", "Get"))
    assert fix.target == "Fn" and fix.title == "Suppress SL502 for Fn"
    assert "ignore:" in apply_edits(text, fix.edits)


def test_template_level_suppression_when_no_resource_owns_the_finding():
    from slens_lint.lsp.suppress import apply_edits, suppression_for

    text = "Globals:\n  Api:\n    Cors: '*'\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
    fix = suppression_for(text, "SL502", "ServerlessRestApi", ("Globals", "Api"))
    assert fix.target is None and fix.title == "Suppress SL502 in this template"
    fixed = apply_edits(text, fix.edits)
    assert fixed.index("Metadata:") < fixed.index("Resources:") and fixed.startswith("Globals:")



# ---- automatic fixes ----------------------------------------------------------------------------

FIX_ALL_KIND = "source.fixAll.slens-lint"
ONE_LINE = '{"Description": "Bücher 📚", "Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {}}}}\n'
ONE_LINE_FIXED = ONE_LINE.replace('"Properties": {}', '"Properties": {"RetentionInDays": 30}')
RETAINED = TEMPLATE.replace("/app/audit\n", "/app/audit\n" + RETENTION_LINE)
LOG_GROUP_ADDED = """\
    OrdersFunctionLogGroup:
        Type: AWS::Logs::LogGroup
        Properties:
            LogGroupName: !Sub '/aws/lambda/${OrdersFunction}'
            RetentionInDays: 30
"""


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


async def code_actions(
    client: LanguageClient, uri: str, diagnostics: list[types.Diagnostic], only: list[str] | None = None
) -> list[types.CodeAction]:
    at = diagnostics[0].range if diagnostics else types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=at,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )
    return list(found or [])


def edits_of(action: types.CodeAction, uri: str, version: int) -> list[types.TextEdit]:
    """The text edits of an action's WorkspaceEdit, whichever of its two shapes the server chose."""
    edit = action.edit
    if edit.document_changes:
        (change,) = edit.document_changes
        # A versioned edit: the client refuses it if the buffer changed meanwhile.
        assert change.text_document.uri == uri and change.text_document.version == version
        return list(change.edits)
    return list(edit.changes[uri])


async def resolve(client: LanguageClient, action: types.CodeAction) -> types.CodeAction:
    assert action.edit is None, "a client that resolves edits gets them on resolve, not up front"
    return await client.code_action_resolve_async(action)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("editor", "rule", "text", "expected"),
    [
        ("neovim", "SL502", ONE_LINE, ONE_LINE_FIXED),
        ("visual-studio-code", "SL502", ONE_LINE, ONE_LINE_FIXED),
        ("visual-studio-code", "SL502", "\ufeff" + ONE_LINE, "\ufeff" + ONE_LINE_FIXED),
        ("neovim", "SL502", crlf(TEMPLATE), crlf(RETAINED)),
        ("neovim", "SL501", TEMPLATE, TEMPLATE + LOG_GROUP_ADDED),
        ("visual-studio-code", "SL501", crlf(TEMPLATE), crlf(TEMPLATE + LOG_GROUP_ADDED)),
    ],
    ids=["json-utf8", "json-utf16", "json-bom-utf16", "yaml-crlf-SL502", "yaml-SL501", "yaml-crlf-SL501-utf16"],
)
async def test_fix_action_for_one_finding(client: LanguageClient, tmp_path: Path, editor: str, rule: str, text: str, expected: str):
    encoding = await start(client, tmp_path, editor=editor)
    assert encoding == {"neovim": "utf-8", "visual-studio-code": "utf-16"}[editor]
    name = "template.json" if text.lstrip("\ufeff").startswith("{") else "template.yaml"
    uri = (tmp_path / name).as_uri()
    published = await next_publish(client, uri, open_doc(client, uri, text, "json" if name.endswith("json") else "yaml"))
    (diagnostic,) = [d for d in published.diagnostics if d.code == rule]

    offered = await code_actions(client, uri, [diagnostic], only=[types.CodeActionKind.QuickFix])
    title = {"SL502": "Fix SL502: set RetentionInDays", "SL501": "Fix SL501: add a log group with RetentionInDays"}[rule]
    (action,) = [a for a in offered if a.title == title]
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.is_preferred is True
    assert list(action.diagnostics) == [diagnostic]

    edits = edits_of(await resolve(client, action), uri, 1)
    assert apply_text_edits(text, edits, encoding) == expected
    if name.endswith("json"):
        # The insertion follows non-ASCII text on its line: its column is in the negotiated encoding.
        (edit,) = edits
        prefix = text[: text.index('"Properties": {') + len('"Properties": {')]
        codec = {"utf-8": "utf-8", "utf-16": "utf-16-le"}[encoding]
        assert edit.range.start.character == len(prefix.encode(codec)) // (1 if encoding == "utf-8" else 2) != len(prefix)

    after = await next_publish(client, uri, change_doc(client, uri, 2, [whole(expected)]))
    assert rule not in {d.code for d in after.diagnostics}


@pytest.mark.asyncio
async def test_unsafe_fix_is_labelled_and_not_preferred(client: LanguageClient, tmp_path: Path):
    # SL503 is informational (hidden by default); the configuration shows it as a warning.
    (tmp_path / ".slens-lint.toml").write_text('[rules.SL503]\nseverity = "warning"\n')
    encoding = await start(client, tmp_path)
    uri = (tmp_path / "template.yaml").as_uri()
    published = await next_publish(client, uri, open_doc(client, uri, TEMPLATE))
    (arm, retention) = [d for d in published.diagnostics if d.code in ("SL503", "SL502")]
    assert arm.code == "SL503" and arm.severity == types.DiagnosticSeverity.Warning

    offered = await code_actions(client, uri, [arm, retention], only=[types.CodeActionKind.QuickFix])
    titles = {a.title: a for a in offered}
    unsafe = titles["Fix SL503: run it on arm64 (unsafe: changes behaviour)"]
    assert not unsafe.is_preferred
    assert titles["Fix SL502: set RetentionInDays"].is_preferred is True
    edits = edits_of(await resolve(client, unsafe), uri, 1)
    anchor = "CodeUri: src/   # built by sam build\n"
    assert apply_text_edits(TEMPLATE, edits, encoding) == TEMPLATE.replace(anchor, anchor + "            Architectures:\n                - arm64\n")


@pytest.mark.asyncio
@pytest.mark.parametrize(("editor", "newline"), [("neovim", "\n"), ("visual-studio-code", "\r\n")], ids=["lf", "crlf"])
async def test_fix_all_safe_findings(client: LanguageClient, tmp_path: Path, editor: str, newline: str):
    from slens_lint.engine import Engine, EngineOptions

    # Only the rules these tests rely on: fix-all would also apply other rules' safe fixes.
    (tmp_path / ".slens-lint.toml").write_text('select = ["SL501", "SL502"]\n')
    encoding = await start(client, tmp_path, editor=editor)
    uri = (tmp_path / "template.yaml").as_uri()
    text = TEMPLATE.replace("\n", newline)
    published = await next_publish(client, uri, open_doc(client, uri, text))
    diagnostics = ours(published)
    assert [d.code for d in diagnostics] == ["SL501", "SL502"]

    # Among the quick fixes at a finding...
    quick = await code_actions(client, uri, diagnostics[:1], only=[types.CodeActionKind.QuickFix])
    (listed,) = [a for a in quick if a.title == "Fix all safe SL findings in this file"]
    assert listed.kind == types.CodeActionKind.QuickFix and not listed.is_preferred
    # ...and as the source action an editor runs on save.
    (action,) = await code_actions(client, uri, [], only=[types.CodeActionKind.SourceFixAll])
    assert action.kind == FIX_ALL_KIND and action.title == listed.title

    fixed = apply_text_edits(text, edits_of(await resolve(client, action), uri, 1), encoding)
    assert fixed == (RETAINED + LOG_GROUP_ADDED).replace("\n", newline)
    assert fixed == apply_text_edits(text, edits_of(await resolve(client, listed), uri, 1), encoding)

    after = await next_publish(client, uri, change_doc(client, uri, 2, [whole(fixed)]))
    assert ours(after) == []
    relinted = Engine(EngineOptions(select=("SL501", "SL502"), fix_edits=True)).lint_text(fixed, "template.yaml")
    assert relinted.linted and [f for f in relinted.findings if f.fix_safety == "safe"] == []
    assert await code_actions(client, uri, [], only=[FIX_ALL_KIND]) == []


@pytest.mark.asyncio
async def test_fixes_computed_up_front_for_a_client_that_cannot_resolve(client: LanguageClient, tmp_path: Path):
    # Emacs' eglot advertises no codeAction resolveSupport (and counts columns in UTF-32).
    encoding = await start(client, tmp_path, editor="emacs")
    assert encoding == "utf-32"
    uri = (tmp_path / "template.json").as_uri()
    published = await next_publish(client, uri, open_doc(client, uri, ONE_LINE, "json"))
    (diagnostic,) = [d for d in published.diagnostics if d.code == "SL502"]

    offered = await code_actions(client, uri, [diagnostic])
    (action,) = [a for a in offered if a.title == "Fix SL502: set RetentionInDays"]
    assert apply_text_edits(ONE_LINE, edits_of(action, uri, 1), encoding) == ONE_LINE_FIXED
    (fix_all,) = [a for a in offered if a.title == "Fix all safe SL findings in this file"]
    assert apply_text_edits(ONE_LINE, edits_of(fix_all, uri, 1), encoding) == ONE_LINE_FIXED


@pytest.mark.asyncio
@pytest.mark.parametrize("editor", ["neovim", "emacs"], ids=["resolve", "eager"])
async def test_a_fix_that_does_not_verify_is_never_applied(client: LanguageClient, tmp_path: Path, editor: str):
    # 31 days is no retention CloudWatch offers: the fixed template would fail cfn-lint (E3030).
    (tmp_path / ".slens-lint.toml").write_text("[fix]\nlog-retention-days = 31\n")
    await start(client, tmp_path, editor=editor)
    uri = (tmp_path / "template.json").as_uri()
    published = await next_publish(client, uri, open_doc(client, uri, ONE_LINE, "json"))
    (diagnostic,) = [d for d in published.diagnostics if d.code == "SL502"]
    offered = await code_actions(client, uri, [diagnostic])
    titles = [a.title for a in offered]
    assert "Suppress SL502 for Logs" in titles
    if editor == "emacs":
        # Verified before it is offered: a fix that fails is not in the list.
        assert "Fix SL502: set RetentionInDays" not in titles and "Fix all safe SL findings in this file" not in titles
        return
    (action,) = [a for a in offered if a.title == "Fix SL502: set RetentionInDays"]
    resolved = await resolve(client, action)
    assert resolved.edit is None
    for _ in range(100):
        if client.messages:
            break
        await asyncio.sleep(0.01)
    (message,) = client.messages
    assert message.type == types.MessageType.Warning and "not applied" in message.message and "E3030" in message.message


@pytest.mark.asyncio
async def test_no_edit_for_a_document_that_changed(client: LanguageClient, tmp_path: Path):
    await start(client, tmp_path)
    uri = (tmp_path / "template.yaml").as_uri()
    published = await next_publish(client, uri, open_doc(client, uri, TEMPLATE))
    (diagnostic,) = [d for d in published.diagnostics if d.code == "SL502"]
    (action,) = [a for a in await code_actions(client, uri, [diagnostic]) if a.title.startswith("Fix SL502")]
    # A line inserted above: the version-1 edit would land one line too high.
    change_doc(client, uri, 2, [insert_at(0, "# moved\n")])
    assert (await resolve(client, action)).edit is None
    assert client.messages == []


@pytest.mark.asyncio
async def test_configuration_applies_in_the_editor(client: LanguageClient, tmp_path: Path):
    (tmp_path / ".slens-lint.toml").write_text('[rules.SL502]\nseverity = "error"\n\n[per-file-ignores]\n"legacy/*.yaml" = ["SL501"]\n')
    (tmp_path / "legacy").mkdir()
    await start(client, tmp_path)
    severities = {}
    for name in ("template.yaml", "legacy/old.yaml"):
        uri = (tmp_path / name).as_uri()
        published = await next_publish(client, uri, open_doc(client, uri, TEMPLATE))
        severities[name] = {d.code: d.severity for d in published.diagnostics}
    assert severities["template.yaml"]["SL502"] == types.DiagnosticSeverity.Error
    assert severities["template.yaml"]["SL501"] == types.DiagnosticSeverity.Warning
    assert severities["legacy/old.yaml"]["SL502"] == types.DiagnosticSeverity.Error
    assert "SL501" not in severities["legacy/old.yaml"]
    # Informational findings are hidden by default, as on the command line (SL503 is one).
    assert "SL503" not in severities["template.yaml"]


@pytest.mark.asyncio
async def test_parse_error_of_a_template(client: LanguageClient, tmp_path: Path):
    from slens_lint.template.loader import decode_text

    encoding = await start(client, tmp_path)
    text = "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties: {RetentionInDays: 30\n"
    error = decode_text(text)
    uri = (tmp_path / "template.yaml").as_uri()
    published = await next_publish(client, uri, open_doc(client, uri, text))
    (diagnostic,) = published.diagnostics
    assert diagnostic.code == "E0000" and diagnostic.source == "slens-lint"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.message == error.reason
    assert error.line and diagnostic.range.start.line == error.line - 1
    assert await code_actions(client, uri, [diagnostic]) == []
    assert encoding  # the range is on the error's own line, whatever the encoding


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a\r\nb\r\n", "a\r\nx\r\nb\r\n"),
        ("a\r\nb\r\n", "a\r\nb\r\nc\r\n"),
        ("a: 1\r\nb: 2", "a: 1\r\nb: 3"),
        ("key: [x86_64]\n", "key: [arm64]\n"),
        ("a\nb", "a\nb\n  c"),
        ("", "Resources: {}\n"),
    ],
)
def test_fix_edits_are_minimal_and_exact(before: str, after: str):
    from slens_lint.fixes.edits import apply
    from slens_lint.lsp.fixes import diff_edits

    edits = diff_edits(before, after)
    assert apply(before, edits) == after
    for edit in edits:
        for offset in (edit.start, edit.end):
            assert not (0 < offset < len(before) and before[offset - 1] == "\r" and before[offset] == "\n")
    # Only what differs is replaced: no edit carries text the buffer already has around it.
    assert sum(len(e.text) for e in edits) <= abs(len(after) - len(before)) + 2
