"""What a lint run produces: verdicts (per rule and subject), findings (the verdicts that are not met,
placed in the file) and per-file tool errors; independent of any output format and of cfn-lint."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, model_serializer


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


class Pillar(str, enum.Enum):
    """A Well-Architected pillar, as rule ids number them (`SL<digit>..`) and the review groups them."""

    OPERATIONAL_EXCELLENCE = "operational-excellence"
    SECURITY = "security"
    RELIABILITY = "reliability"
    PERFORMANCE = "performance-efficiency"
    COST = "cost-optimization"

    @property
    def title(self) -> str:
        return {
            "operational-excellence": "Operational excellence",
            "security": "Security",
            "reliability": "Reliability",
            "performance-efficiency": "Performance efficiency",
            "cost-optimization": "Cost optimization",
        }[self.value]

    @property
    def package(self) -> str:
        return {
            "operational-excellence": "operational_excellence",
            "security": "security",
            "reliability": "reliability",
            "performance-efficiency": "performance",
            "cost-optimization": "cost",
        }[self.value]

    @classmethod
    def from_id(cls, rule_id: str) -> "Pillar":
        return list(cls)[int(rule_id[2]) - 1]


class Status(str, enum.Enum):
    """A rule's judgement of one subject."""

    MET = "met"
    NOT_MET = "not-met"
    UNDECIDABLE = "undecidable"
    """The template hides the answer (an intrinsic, a parameter without a default): not a finding,
    kept for the review, naming what hides it."""


@dataclass(frozen=True)
class Setting:
    """A value a fix cannot choose alone (how many days of log retention): taken from the configuration
    (`[tool.slens-lint.fix]`, `name = value`), else `default`. Rules put it in snippets and changes."""

    name: str
    default: Any


def with_settings(value: Any, configured: Optional[dict[str, Any]] = None) -> Any:
    """`value` with each `Setting` replaced by its configured value, else its default."""
    if isinstance(value, Setting):
        return (configured or {}).get(value.name, value.default)
    if isinstance(value, dict):
        return {k: with_settings(v, configured) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [with_settings(v, configured) for v in value]
    return value


@dataclass(frozen=True)
class Change:
    """What a fix does to the template, structurally: the entry at `path` (a JSON path) holds `value`;
    with `append`, the list at `path` gets `value` as one more item. `before` places a new key in front
    of a sibling (a new `Globals` goes before `Resources`). The engine turns changes into text edits."""

    path: tuple[Any, ...]
    value: Any
    before: Optional[str] = None
    append: bool = False


@dataclass(frozen=True)
class Fix:
    """How to fix a finding: a hint, the template fragment to add (rendered in the file's format), and
    the changes that apply it (when the rule offers an automatic fix)."""

    text: str
    snippet: Any = None
    changes: tuple[Change, ...] = ()


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


class Edit(BaseModel):
    """A text edit of a fix: replace the text between `start` and `end` (character offsets in the text
    as decoded, also given as `range`) by `text`; an insertion when they are equal."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    range: Range


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
    fix_safety: Optional[str] = None
    """`safe` (`--fix` applies it) or `unsafe` (`--unsafe-fixes`) when the finding has an automatic fix."""
    edits: tuple[Edit, ...] = ()
    """The automatic fix as text edits (JSON, SARIF `fixes`, editor code actions), when asked for."""
    subject: Optional[str] = None
    """What the rule judged (a stable key: `Resources/Orders`, a stage, an event)."""
    fingerprint: Optional[str] = None
    """Identifies the finding across edits elsewhere in the file (baselines, SARIF `partialFingerprints`):
    rule, subject, the property judged and what it holds there, never line numbers."""
    # Context, left out of the JSON output when not set (so that a finding without it is written as
    # it always was): where the finding stands in a deployment, a tree of nested stacks, a CDK app.
    environments: tuple[str, ...] = ()
    """`--all-envs`: the samconfig environments the finding holds in (one finding for all of them)."""
    stack: tuple[str, ...] = ()
    """In a nested template: the logical ids of the nested stack resources from the root template down
    (`("ApiStack", "WorkersStack")`); `root` names the root template's file."""
    root: Optional[str] = None
    construct_path: Optional[str] = None
    """CDK: the resource's construct path (`OrdersStack/Api/Handler/Resource`, from `aws:cdk:path`)."""
    generated: Optional["Location"] = None
    """CDK: where the finding is in the synthesized template, when `file` and `range` point at the
    construct's source (the assembly carries a creation trace for it)."""

    @model_serializer(mode="wrap")
    def _without_unset_context(self, handler: Any) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for key in _CONTEXT_FIELDS:
                if key in data and not data[key]:
                    del data[key]
        return data

    def sort_key(self) -> tuple:
        r = self.range
        return (self.file, r.start_line, r.start_column, self.rule_id, self.message)

    @property
    def chain(self) -> Optional[str]:
        """`ApiStack/WorkersStack/Worker`: the nested stacks and the resource, from the root template."""
        if not self.stack:
            return None
        return "/".join(self.stack + ((self.resource,) if self.resource else ()))

    def labelled(self, message: Optional[str] = None) -> str:
        """The message with its environments first (`[dev, prod] ...`), when the run names them."""
        text = self.message if message is None else message
        return f"[{', '.join(self.environments)}] {text}" if self.environments else text

    def context(self) -> list[tuple[str, str]]:
        """What places the finding beyond file and line, as (label, text) pairs for the outputs."""
        out = []
        if self.stack:
            out.append(("stack", f"{self.root or '?'}: {self.chain}"))
        if self.construct_path:
            out.append(("construct", self.construct_path))
        if self.generated is not None:
            g = self.generated.range
            out.append(("template", f"{self.generated.file}:{g.start_line}:{g.start_column}"))
        return out


class Location(BaseModel):
    """A place in a file."""

    model_config = ConfigDict(frozen=True)

    file: str
    range: Range


_CONTEXT_FIELDS = ("environments", "stack", "root", "construct_path", "generated", "fix_safety", "edits", "subject", "fingerprint")
Finding.model_rebuild()


class FileError(BaseModel):
    """A file the tool could not lint (unreadable, too large, not parseable as YAML/JSON)."""

    model_config = ConfigDict(frozen=True)

    file: str
    reason: str
    kind: str = "read"
    """`read` (I/O, size, encoding), `parse` (syntax; SARIF shows it as an E0000 result), `internal`
    (a rule or cfn-lint failed on the file), `nested` (a nested stack that cannot be followed)."""
    line: Optional[int] = None
    column: Optional[int] = None

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
    notes: list[str] = []
    """What the user may want to know (shown with --verbose): remote nested stacks not fetched..."""
    nested: list["FileResult"] = []
    """The nested templates linted as part of this one (local `TemplateURL` / `Location`)."""
    depends_on: list[str] = []
    """Local files the result depends on without reporting them: nested templates it names that are
    missing, refused or unreadable (the cache checks them again on every hit)."""
    stack: tuple[str, ...] = ()
    """For a nested template: the nested stack logical ids from the root template (see `Finding.stack`)."""
    root: Optional[str] = None
    suppressed: int = 0
    """Findings its `Metadata` suppresses (counted in the summary, never reported)."""
    warnings: list[str] = []
    """Problems of the file the user should fix, though they are no findings (a suppression naming no
    rule, or giving no reason)."""

    @property
    def linted(self) -> bool:
        return self.skipped is None and not self.errors

    def flattened(self) -> list["FileResult"]:
        """This result, then its nested templates' (depth first), each without its children."""
        out = [self.model_copy(update={"nested": []})]
        for child in self.nested:
            out.extend(child.flattened())
        return out


class ExternalRule(BaseModel):
    """What outputs need to describe a rule slens-lint does not define (cfn-lint's, with `--cfn-lint`)."""

    id: str
    name: str = ""
    short_description: str = ""
    description: str = ""
    source_url: str = ""
    tags: list[str] = []


class RuleInfo(BaseModel):
    """A slens-lint rule (or cfn-lint built-in it judges) as outputs describe it: SARIF rule
    descriptors, GitHub annotations, text statistics. Read from the generated `rule_catalogue`
    (`rule_info`), so that no output imports a rule, and a run served from the cache none either."""

    model_config = ConfigDict(frozen=True)

    id: str
    severity: Severity
    title: str
    rationale: str
    fix: str
    use_instead: str = ""
    pillar: Pillar
    service: str
    precision: str
    slug: str
    docs_url: str
    help_markdown: str
    """The rule's page (`rules/<ID>.md`) without its title line and the generator's comment."""


@lru_cache(maxsize=None)
def rule_info(rule_id: str) -> Optional[RuleInfo]:
    """The description of a rule by canonical id (`SL501`, `E2531`), None for any other id. Kept:
    outputs ask once per finding."""
    from slens_lint.rule_catalogue import RULES

    fields = RULES.get(rule_id)
    return RuleInfo(id=rule_id, **fields) if fields is not None else None


class Report(BaseModel):
    """A whole run: per-file results in input order, and the ids of the rules that ran."""

    files: list[FileResult] = []
    rule_ids: list[str] = []
    external_rules: dict[str, ExternalRule] = {}
    """cfn-lint's own rules that ran, by id (outputs describe them from this, never from cfn-lint)."""
    hidden: dict[str, int] = {}
    """Findings below the reported severity, by severity (`--min-severity` shows them)."""
    baselined: int = 0
    """Findings the baseline holds (not reported)."""
    baseline_stale: int = 0
    """Baseline entries no finding matches any more (the baseline can shrink)."""
    fixed: int = 0
    """Findings `--fix` fixed (they are no longer in `files`)."""
    fix_refused: int = 0
    """Fixes verification turned down (their findings remain)."""

    @property
    def suppressed(self) -> int:
        return sum(r.suppressed for r in self.files)

    def fixable(self) -> dict[str, int]:
        """Findings with an automatic fix, by safety (`safe`, `unsafe`)."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            if finding.fix_safety:
                counts[finding.fix_safety] = counts.get(finding.fix_safety, 0) + 1
        return counts

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
