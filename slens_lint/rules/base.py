"""The rule base class: all of a rule's metadata, once, and the check it runs on a template model.

A rule here does not import cfn-lint: `slens-lint rules`, `explain` and the docs generator read the
metadata without paying for cfn-lint's import. `slens_lint.rules.cfn_adapter` turns each rule into the
`CloudFormationLintRule` subclass that cfn-lint runs (see `slens_lint.cfn_rules`).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable, Iterator, Optional, Sequence

from slens_lint import DOCS_BASE_URL
from slens_lint.findings import Range, Severity
from slens_lint.template.model import Template
from slens_lint.template.resources.base import Resource

CANONICAL_ID = re.compile(r"^SL[1-5][0-9]{2}$")


class Pillar(str, enum.Enum):
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
    def digit(self) -> str:
        return str(list(Pillar).index(self) + 1)

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


@dataclass
class Violation:
    """What a rule's check yields: a resource, the risk, where to point, and how to fix it."""

    message: str
    path: tuple[Any, ...]
    range: Range
    resource: Optional[str] = None
    fix: Optional[str] = None
    snippet: Any = None
    """A template fragment that fixes it; rendered in the template's format (YAML/JSON) by cfn-flip."""
    owners: tuple[str, ...] = ()
    """Logical ids whose `Metadata` may suppress this finding (an implicit API's creating function)."""
    extra: dict[str, Any] = field(default_factory=dict)


class RuleMetadata:
    """What every rule the tool reports under has, whoever checks it: docs, SARIF, the CLI and the LSP
    read only this interface (slens-lint's own `Rule`s and the cfn-lint built-ins alike)."""

    id: ClassVar[str] = ""
    """Canonical id, `SL<pillar digit><two digits>`; never reused."""
    severity: ClassVar[Severity] = Severity.WARNING
    title: ClassVar[str] = ""
    practice: ClassVar[str] = ""
    """The Serverless Lens practice, as named in the Lens (pillar and number)."""
    rationale: ClassVar[str] = ""
    """Why it matters: the risk, in a paragraph."""
    fix: ClassVar[str] = ""
    """What to change, in general terms (each finding may carry a more specific hint)."""
    example: ClassVar[Any] = None
    """A template fragment that passes, rendered in docs with cfn-flip."""
    example_bad: ClassVar[Any] = None
    """A template fragment that fails (optional)."""
    use_instead: ClassVar[str] = ""
    """When the finding does not apply, what to do instead of switching the rule off."""
    references: ClassVar[tuple[str, ...]] = ()
    service: ClassVar[str] = "lambda"
    """The AWS service the rule is about (a SARIF tag)."""
    precision: ClassVar[str] = "high"
    """SARIF precision: how often a finding is right (very-high, high, medium, low)."""
    resource_types: ClassVar[tuple[str, ...]] = ()
    """The resource types the rule reads (documentation)."""
    opt_in: ClassVar[bool] = False
    """Off unless selected or enabled in configuration."""

    @classmethod
    def docs_url(cls) -> str:
        return f"{DOCS_BASE_URL}/{cls.id}.md"


class Rule(RuleMetadata):
    """Subclass per rule, one per module, named after the flagged pattern.

    Class attributes are the rule's metadata; `check` yields `Violation`s (use `self.report`).
    """

    # ---- derived metadata -------------------------------------------------------------------

    @classmethod
    def cfn_lint_id(cls) -> str:
        return cls.severity.letter + cls.id

    @classmethod
    def pillar(cls) -> Pillar:
        return Pillar.from_id(cls.id)

    @classmethod
    def slug(cls) -> str:
        """The rule's name, from its module: `function_without_log_retention` -> `function-without-log-retention`."""
        return cls.__module__.rsplit(".", 1)[-1].replace("_", "-")

    # ---- checking ---------------------------------------------------------------------------

    def check(self, template: Template) -> Iterator[Violation]:
        raise NotImplementedError

    def report(
        self,
        template: Template,
        resource: Resource,
        message: str,
        at: Sequence[Any] = (),
        *,
        path: Optional[Iterable[Any]] = None,
        fix: Optional[str] = None,
        snippet: Any = None,
    ) -> Violation:
        """A violation on `resource`, pointing at property path `at` (or its nearest present parent).

        `path` overrides the anchor with an absolute JSON path (an event, a Globals entry).
        """
        if path is not None:
            anchor = tuple(path)
            rng = template.positions.lookup(anchor)
        else:
            anchor, rng = template.anchor(resource, *at)
        owners = [resource.logical_id]
        origin = getattr(resource, "origin", ())
        if origin and len(origin) > 1:
            owners.append(str(origin[1]))
        return Violation(
            message=message,
            path=anchor,
            range=rng,
            resource=resource.logical_id,
            fix=fix,
            snippet=snippet,
            owners=tuple(owners),
        )

    def report_at(
        self,
        template: Template,
        name: str,
        path: Iterable[Any],
        message: str,
        *,
        fix: Optional[str] = None,
        snippet: Any = None,
    ) -> Violation:
        """A violation about something that is not a resource (a parameter): `name` becomes the
        finding's resource, `path` (absolute; nearest present ancestor when absent) its anchor.

        Only the template's top-level `Metadata` can suppress it: a parameter has no `Metadata` of its
        own that CloudFormation keeps.
        """
        anchor = tuple(path)
        return Violation(
            message=message,
            path=anchor,
            range=template.positions.lookup(anchor),
            resource=name,
            fix=fix,
            snippet=snippet,
        )
