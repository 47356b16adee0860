"""Output formats. Each module has `render(report, options) -> str`; it sees findings and rule
metadata (through the registry) only."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Optional

from slens_lint.findings import Report

FORMATS: dict[str, str] = {
    "text": "slens_lint.output.text",
    "json": "slens_lint.output.json_format",
    "parseable": "slens_lint.output.parseable",
    "sarif": "slens_lint.output.sarif",
    "github": "slens_lint.output.github",
    "junit": "slens_lint.output.junit",
}


@dataclass
class OutputOptions:
    color: bool = False
    verbose: bool = False
    quiet: bool = False
    notes: list[str] = field(default_factory=list)
    """Passed-over files and folders (shown by text output with --verbose)."""
    sarif_root: Optional[str] = None
    sarif_category: Optional[str] = None
    invocation_ok: bool = True
    warnings: list[str] = field(default_factory=list)
    """Messages a renderer wants on stderr (e.g. SARIF truncated to GitHub's limits)."""
    show_fixes: bool = False
    """Text: each finding's whole fix, with the template fragment (else its first line)."""
    statistics: bool = False
    """Text: counts per rule instead of the findings."""
    unsafe_fixes: bool = False
    """Text: `--unsafe-fixes` was given, so unsafe fixes are offered as plainly as safe ones."""


def render(fmt: str, report: Report, options: OutputOptions) -> str:
    module = importlib.import_module(FORMATS[fmt])
    return module.render(report, options)
