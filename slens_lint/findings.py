"""What a lint run produces: findings and per-file tool errors, independent of any output format."""

from __future__ import annotations

import enum
from typing import Optional

from pydantic import BaseModel, ConfigDict


class Severity(str, enum.Enum):
    """Severity of a finding. The first letter is the cfn-lint rule id prefix (E, W, I)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def letter(self) -> str:
        return self.value[0].upper()

    @property
    def rank(self) -> int:
        """Higher is more severe; used for --fail-on, --min-severity and truncation."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def from_letter(cls, letter: str) -> "Severity":
        return {"E": cls.ERROR, "W": cls.WARNING, "I": cls.INFO}[letter.upper()]


class Range(BaseModel):
    """1-based lines and columns; the end column is exclusive (SARIF and LSP both expect that)."""

    model_config = ConfigDict(frozen=True)

    start_line: int
    start_column: int
    end_line: int
    end_column: int


class Finding(BaseModel):
    """One reported problem. This is also the documented JSON output format (see README)."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    """Canonical id (`SL501`) for slens-lint rules, the cfn-lint id (`E3505`) for cfn-lint's own."""
    cfn_lint_id: str
    """The id cfn-lint reports (`WSL501`): severity letter plus canonical id."""
    severity: Severity
    file: str
    range: Range
    resource: Optional[str] = None
    """Logical id of the resource the finding is about (an implicit API has its SAM name)."""
    path: tuple[str | int, ...] = ()
    """JSON path in the template of the node the finding points at."""
    message: str
    fix: Optional[str] = None

    def sort_key(self) -> tuple:
        r = self.range
        return (self.file, r.start_line, r.start_column, self.rule_id, self.message)


class FileError(BaseModel):
    """A file the tool could not lint (unreadable, too large, not parseable as YAML/JSON)."""

    model_config = ConfigDict(frozen=True)

    file: str
    reason: str
    kind: str = "read"
    """`read` (I/O, size, encoding) or `parse` (syntax; the file also gets an E0000 finding)."""
    line: Optional[int] = None

    def one_line(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


class FileResult(BaseModel):
    """Everything a run learned about one file."""

    file: str
    findings: list[Finding] = []
    errors: list[FileError] = []
    skipped: Optional[str] = None
    """Why the file was not linted (not a template); None when it was linted or failed."""
    format: str = "yaml"

    @property
    def linted(self) -> bool:
        return self.skipped is None and not self.errors


class Report(BaseModel):
    """A whole run: per-file results in input order, and the ids of the rules that ran."""

    files: list[FileResult] = []
    rule_ids: list[str] = []

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.files for f in result.findings]

    @property
    def errors(self) -> list[FileError]:
        return [e for result in self.files for e in result.errors]

    def counts(self) -> dict[Severity, int]:
        counts = {s: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts
