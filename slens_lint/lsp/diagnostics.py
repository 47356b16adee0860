"""Linting an editor buffer and turning its findings into LSP diagnostics.

An `Engine` (and so the cfn-lint rule collection) is built once per configuration and reused for every
keystroke; the configuration (`[tool.slens-lint]` / `.slens-lint.toml`) is looked up from the file's
folder once and cached until a configuration file is saved.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from lsprotocol import types

from slens_lint.config import ConfigError, Settings, load_settings
from slens_lint.discovery import looks_like_template_text
from slens_lint.engine import Engine, EngineOptions
from slens_lint.findings import Finding, Severity
from slens_lint.rules import registry
from slens_lint.template.loader import DEFAULT_MAX_FILE_SIZE

SOURCE = "slens-lint"
CONFIG_FILES = ("pyproject.toml", ".slens-lint.toml")

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


@dataclass
class Outcome:
    """What linting one buffer gave: findings to show, and problems to log rather than underline."""

    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class DocumentLinter:
    """Lints buffers with engines built once per configuration; thread-safe for one worker thread."""

    def __init__(self, on_config_error: Optional[Callable[[str], None]] = None) -> None:
        self._settings: dict[Path, Settings] = {}
        self._engines: dict[tuple, Engine] = {}
        self._lock = threading.Lock()
        self._on_config_error = on_config_error

    def settings_for(self, folder: Path) -> Settings:
        with self._lock:
            settings = self._settings.get(folder)
            if settings is None:
                try:
                    settings = load_settings(start=folder)
                except ConfigError as exc:
                    if self._on_config_error:
                        self._on_config_error(str(exc))
                    settings = Settings()
                self._settings[folder] = settings
            return settings

    def engine_for(self, settings: Settings) -> Engine:
        options = EngineOptions(
            select=tuple(settings.select),
            ignore=tuple(settings.ignore),
            enable=tuple(settings.enabled_rules()),
            cfn_lint=settings.cfn_lint,
            max_file_size=settings.max_file_size or DEFAULT_MAX_FILE_SIZE,
        )
        with self._lock:
            engine = self._engines.get(_key(options))
            if engine is None:
                engine = self._engines[_key(options)] = Engine(options)
            return engine

    def forget_settings(self) -> None:
        """A configuration file changed: look it up again (engines for unchanged options are kept)."""
        with self._lock:
            self._settings.clear()

    def lint(self, text: str, path: Optional[str]) -> Optional[Outcome]:
        """The findings for a buffer, or None when it is not a template (it gets no diagnostics at all)."""
        folder = Path(path).parent if path else Path.cwd()
        settings = self.settings_for(folder)
        engine = self.engine_for(settings)
        if len(text) > engine.options.max_file_size:
            return None
        result = engine.lint_text(text, path or "untitled")
        if result.skipped:
            return None
        if result.errors and all(e.kind == "parse" for e in result.errors) and not looks_like_template_text(text):
            # Somebody else's YAML or JSON (Helm chart, tsconfig.json with comments, Kubernetes
            # manifests): not ours to underline.
            return None
        minimum = Severity(settings.min_severity or "info")
        findings = [f for f in result.findings if f.severity.rank >= minimum.rank]
        problems = [e.reason for e in result.errors if e.kind != "parse"]
        return Outcome(findings=findings, problems=problems)

    def warm_up(self, folder: Path) -> None:
        """Build the rule collection and load cfn-lint's schemas before the first buffer arrives."""
        engine = self.engine_for(self.settings_for(folder))
        engine.lint_text("Resources:\n  Warm:\n    Type: AWS::Logs::LogGroup\n", "warm-up.yaml")


def _key(options: EngineOptions) -> tuple:
    return (options.select, options.ignore, options.enable, options.cfn_lint, options.max_file_size)


class ColumnConverter:
    """Code-point columns (what the decoder reports) to the client's position encoding."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.lines = text.split("\n")
        # An enum member or the plain string, depending on how the client's value was decoded.
        self.encoding = str(getattr(encoding, "value", encoding))
        # The engine drops a leading byte order mark before parsing: line 1 columns count from after it.
        self.bom = 1 if text.startswith("\ufeff") else 0

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
        # Echoed back in codeAction requests: the quick fix needs to know which resource to suppress on.
        data={"resource": finding.resource, "path": list(finding.path)},
    )


def to_diagnostics(findings: Sequence[Finding], text: str, encoding: Any = types.PositionEncodingKind.Utf16) -> list[types.Diagnostic]:
    columns = ColumnConverter(text, encoding)
    return [to_diagnostic(f, columns) for f in findings]
