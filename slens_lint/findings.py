"""What a lint run produces: verdicts (per rule and subject), findings (the verdicts that are not met,
placed in the file) and per-file tool errors; independent of any output format and of cfn-lint."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict


PARSE_ERROR_ID = "E0000"
"""Parse errors are reported under cfn-lint's own id, so both routes (slens-lint, and cfn-lint with the
rules appended) name them the same way."""


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


class Status(str, enum.Enum):
    """A rule's judgement of one subject."""

    MET = "met"
    NOT_MET = "not-met"
    UNDECIDABLE = "undecidable"
    """The template hides the answer (an intrinsic, a parameter without a default): not a finding,
    kept for the review, naming what hides it."""


@dataclass(frozen=True)
class Fix:
    """How to fix a finding: a hint, and the template fragment to add (rendered in the file's format)."""

    text: str
    snippet: Any = None


@dataclass(eq=False)
class Verdict:
    """One rule's judgement of one subject, with the evidence: where in the template it was decided.

    Findings are the verdicts that are not met. `conditions` lists, for a practice not met only under
    some conditions, each combination of condition outcomes where it is not (`(("IsProd", False),)`).
    """

    rule_id: str
    status: Status
    subject: str
    """The subject's key (see `template.model.Subject`)."""
    resource: Optional[str]
    owners: tuple[str, ...]
    at: tuple[Any, ...]
    """JSON path of the evidence (a property, or where it would be)."""
    anchors: tuple[tuple[Any, ...], ...] = ()
    """Where to point when `at` and its parents have no position (the resource, the creating event)."""
    message: str = ""
    fix: Optional[Fix] = None
    conditions: tuple[tuple[tuple[str, bool], ...], ...] = ()
    hidden_by: tuple[str, ...] = ()
    """Undecidable: what hides the answer (`!GetAtt Queue.Arn is resolved at deploy time`)."""
    range: Optional["Range"] = None
    """Where the evidence is in the file, once the engine has placed the verdict."""
    suppressed: Optional[str] = None
    """Not met, but suppressed in the template's `Metadata`: the recorded reason ("" when none)."""

    @property
    def not_met(self) -> bool:
        return self.status is Status.NOT_MET


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

    model_config = ConfigDict(arbitrary_types_allowed=True)

    file: str
    findings: list[Finding] = []
    errors: list[FileError] = []
    skipped: Optional[str] = None
    """Why the file was not linted (not a template); None when it was linted or failed."""
    format: str = "yaml"
    verdicts: list[Verdict] = []
    """Every verdict (met, not met, undecidable), when the run keeps them (the review)."""

    @property
    def linted(self) -> bool:
        return self.skipped is None and not self.errors


class ExternalRule(BaseModel):
    """What outputs need to describe a rule slens-lint does not define (cfn-lint's, with `--cfn-lint`)."""

    id: str
    name: str = ""
    short_description: str = ""
    description: str = ""
    source_url: str = ""
    tags: list[str] = []


class Report(BaseModel):
    """A whole run: per-file results in input order, and the ids of the rules that ran."""

    files: list[FileResult] = []
    rule_ids: list[str] = []
    external_rules: dict[str, ExternalRule] = {}
    """cfn-lint's own rules that ran, by id (outputs describe them from this, never from cfn-lint)."""

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
