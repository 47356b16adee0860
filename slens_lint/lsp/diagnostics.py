"""Linting an editor buffer and turning its findings into LSP diagnostics.

A buffer is linted with the settings `slens-lint check` would use for the file (`session.settings`):
its folder's configuration, with rule overrides, per-file-ignores, fix values and min-severity. An
`Engine` (and so the cfn-lint rule collection) is built once per distinct set of engine options and
reused for every keystroke; the settings are looked up once per folder and again only when a
configuration file changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from lsprotocol import types

from slens_lint import config
from slens_lint.config import ConfigError, Settings
from slens_lint.discovery import looks_like_template_text
from slens_lint.engine import Engine
from slens_lint.findings import PARSE_ERROR_ID, FileError, FileResult, Finding, Severity
from slens_lint.rules import registry
from slens_lint.session.check import ignored_for_file
from slens_lint.session.settings import CommandLine, Effective, Resolver, cache_settings, effective

SOURCE = "slens-lint"
CONFIG_FILES = ("pyproject.toml", ".slens-lint.toml")

# The editor offers fixes, so the engine plans their edits; the results cache is for whole runs over
# files on disk, not for buffers that change with every keystroke.
EDITOR = CommandLine(fix_edits=True, cache=False)

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


@dataclass
class Outcome:
    """What linting one buffer gave: findings to show, parse errors to underline, and problems to log."""

    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    parse_errors: list[FileError] = field(default_factory=list)


class DocumentLinter:
    """Lints buffers with engines built once per configuration; thread-safe for one worker thread."""

    def __init__(self, on_config_error: Optional[Callable[[str], None]] = None, project: Optional[Path] = None) -> None:
        self.project = project or Path.cwd()
        self._resolver = Resolver(EDITOR, self.project)
        self._effective: dict[Path, Effective] = {}
        self._engines: dict[str, Engine] = {}
        self._lock = threading.Lock()
        self._on_config_error = on_config_error

    def effective_for(self, folder: Path) -> Effective:
        with self._lock:
            found = self._effective.get(folder)
            if found is None:
                try:
                    found = self._resolver.for_folder(folder)
                except ConfigError as exc:
                    # Remembered for the folder: the message comes once, not on every keystroke.
                    if self._on_config_error:
                        self._on_config_error(str(exc))
                    found = effective(Settings(), EDITOR, self.project)
                self._effective[folder] = found
            return found

    def engine_for(self, settings: Effective) -> Engine:
        key = cache_settings(settings.engine)
        with self._lock:
            engine = self._engines.get(key)
            if engine is None:
                engine = self._engines[key] = Engine(settings.engine)
            return engine

    def forget_settings(self) -> None:
        """A configuration file changed: look it up again (engines for unchanged options are kept)."""
        with self._lock:
            config.clear_cache()
            self._resolver = Resolver(EDITOR, self.project)
            self._effective.clear()

    def reported(self, path: Optional[str]) -> Callable[[str], FileResult]:
        """`lint(text)` for the file at `path`, keeping the findings the command line would report:
        what fixes are verified against, and what the diagnostics show."""
        settings = self.effective_for(Path(path).parent if path else self.project)
        engine = self.engine_for(settings)
        minimum = Severity(settings.min_severity).rank

        def lint(text: str) -> FileResult:
            result = engine.lint_text(text, path or "untitled")
            kept = [f for f in result.findings if f.severity.rank >= minimum and not ignored_for_file(f, settings)]
            return result.model_copy(update={"findings": kept})

        return lint

    def lint(self, text: str, path: Optional[str]) -> Optional[Outcome]:
        """The findings for a buffer, or None when it is not a template (it gets no diagnostics at all)."""
        settings = self.effective_for(Path(path).parent if path else self.project)
        if len(text) > settings.engine.max_file_size:
            return None
        result = self.reported(path)(text)
        if result.skipped:
            return None
        parse = [e for e in result.errors if e.kind == "parse"]
        if parse and len(parse) == len(result.errors) and not looks_like_template_text(text):
            # Somebody else's YAML or JSON (Helm chart, tsconfig.json with comments, Kubernetes
            # manifests): not ours to underline.
            return None
        problems = [e.reason for e in result.errors if e.kind != "parse"]
        return Outcome(findings=list(result.findings), problems=problems, parse_errors=parse)

    def warm_up(self, folder: Path) -> None:
        """Build the rule collection and load cfn-lint's schemas before the first buffer arrives."""
        self.engine_for(self.effective_for(folder)).warm_up()


class ColumnConverter:
    """Code-point columns (what the decoder reports) to the client's position encoding."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.lines = text.split("\n")
        # An enum member or the plain string, depending on how the client's value was decoded.
        self.encoding = str(getattr(encoding, "value", encoding))
        # The engine drops a leading byte order mark before parsing: line 1 columns count from after it.
        self.bom = len(text) - len(text.lstrip("\ufeff"))

    def position(self, line: int, column: int) -> types.Position:
        if line == 0:
            column += self.bom
        if line >= len(self.lines):
            return types.Position(line=line, character=0)
        text = self.lines[line]
        column = max(0, min(column, len(text)))
        head = text[:column]
        if head.isascii() or self.encoding == types.PositionEncodingKind.Utf32:
            return types.Position(line=line, character=column)
        if self.encoding == types.PositionEncodingKind.Utf8:
            return types.Position(line=line, character=len(head.encode("utf-8")))
        return types.Position(line=line, character=len(head.encode("utf-16-le")) // 2)

    def line_end(self, line: int) -> int:
        """The code-point column of the end of a line's content (before a CR), as the decoder counts."""
        if line >= len(self.lines):
            return 0
        return len(self.lines[line].rstrip("\r")) - (self.bom if line == 0 else 0)


def to_diagnostic(finding: Finding, columns: ColumnConverter) -> types.Diagnostic:
    """A finding as an LSP diagnostic. LSP positions are 0-based and the end is exclusive; ours are
    1-based with an exclusive end column, so both shift by one."""
    r = finding.range
    start = columns.position(r.start_line - 1, r.start_column - 1)
    end = columns.position(r.end_line - 1, r.end_column - 1)
    if (end.line, end.character) < (start.line, start.character):
        end = start
    rule = registry.get(finding.rule_id)
    message = finding.message
    if finding.fix:
        message = f"{message}\nFix: {finding.fix}"
    return types.Diagnostic(
        range=types.Range(start=start, end=end),
        severity=_SEVERITY[finding.severity],
        code=finding.rule_id,
        code_description=types.CodeDescription(href=rule.docs_url()) if rule else None,
        source=SOURCE,
        message=message,
        # Echoed back in codeAction requests: the quick fixes need to know which finding they act on.
        data={"resource": finding.resource, "path": list(finding.path), "fingerprint": finding.fingerprint},
    )


def parse_diagnostic(error: FileError, columns: ColumnConverter) -> types.Diagnostic:
    """A template that does not parse: underlined from where the parser stopped to the end of that line."""
    line = max((error.line or 1) - 1, 0)
    column = max((error.column or 1) - 1, 0)
    start = columns.position(line, column)
    end = columns.position(line, max(column, columns.line_end(line)))
    return types.Diagnostic(
        range=types.Range(start=start, end=end),
        severity=types.DiagnosticSeverity.Error,
        code=PARSE_ERROR_ID,
        source=SOURCE,
        message=error.reason,
    )


def to_diagnostics(
    findings: Sequence[Finding],
    text: str,
    encoding: Any = types.PositionEncodingKind.Utf16,
    parse_errors: Sequence[FileError] = (),
) -> list[types.Diagnostic]:
    columns = ColumnConverter(text, encoding)
    return [parse_diagnostic(e, columns) for e in parse_errors] + [to_diagnostic(f, columns) for f in findings]
