"""Each slens-lint rule as a cfn-lint rule: a `CloudFormationLintRule` subclass whose `match(cfn)` reads
the template model, built once per template and shared by every rule (whichever asks first builds it).

This is the only module under `rules/` that imports cfn-lint.
"""

from __future__ import annotations

import contextvars
import traceback
import weakref
from typing import Any, Optional

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from slens_lint.rules import suppression
from slens_lint.rules.base import Rule, Violation
from slens_lint.template.model import Template
from slens_lint.template.render import render

# The engine knows a file's format (YAML or JSON) and sets it so fix snippets come out the same way;
# under plain cfn-lint the file name decides.
template_format: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar(
    "slens_template_format", default=None
)

# Positions of SAM resources' own properties recorded by the engine before cfn-lint merges Globals
# (see template.positions.sam_property_spans); under plain cfn-lint they are not available and a
# local override of a Globals key points at the Globals line.
local_spans: contextvars.ContextVar[Optional[dict]] = contextvars.ContextVar("slens_local_spans", default=None)

_models: "weakref.WeakKeyDictionary[Any, Template]" = weakref.WeakKeyDictionary()


def model_of(cfn: Any) -> Template:
    """The model of cfn-lint's Template object, built on first use and cached for the other rules."""
    model = _models.get(cfn)
    if model is None:
        fmt = template_format.get()
        if fmt is None:
            filename = str(getattr(cfn, "filename", "") or "")
            fmt = "json" if filename.lower().endswith(".json") else "yaml"
        model = Template(
            cfn.template if isinstance(cfn.template, dict) else {},
            fmt,
            getattr(cfn, "filename", None),
            local_spans=local_spans.get(),
        )
        _models[cfn] = model
    return model


def fix_text(rule: type[Rule], violation: Violation, fmt: str) -> str:
    """The finding's fix hint: its own text (or the rule's), then the fragment to add, in the file's format."""
    text = violation.fix or rule.fix
    if violation.snippet is not None:
        text = f"{text}\n{render(violation.snippet, fmt)}"
    return text


class SlensCfnRule(CloudFormationLintRule):
    """Base of the generated cfn-lint rules; `rule` is the slens-lint rule it runs."""

    rule: type[Rule] = Rule

    def __init__(self) -> None:
        super().__init__()
        if self.rule.opt_in:
            # Opt-in rules stay silent under cfn-lint unless `--configure-rule ISL205:enabled=true`.
            self.config_definition = {"enabled": {"default": False, "type": "boolean"}}
            self.configure()

    def match(self, cfn: Any) -> list[RuleMatch]:
        rule = self.rule
        if rule.opt_in and not self.config.get("enabled"):
            return []
        model = model_of(cfn)
        matches: list[RuleMatch] = []
        try:
            violations = list(rule().check(model))
        except Exception as exc:  # noqa: BLE001 - one rule's bug must not end the run for other rules
            match = RuleMatch(["Resources"], f"internal error in rule {rule.id}: {type(exc).__name__}: {exc}")
            match.slens_internal_error = traceback.format_exc()
            match.slens_rule = rule.id
            return [match]
        resources = model.resources
        for violation in violations:
            owners_metadata = [resources[o].metadata for o in violation.owners if o in resources]
            if suppression.is_suppressed(model.metadata, owners_metadata, rule.id, rule.cfn_lint_id()):
                continue
            fix = fix_text(rule, violation, model.format)
            r = violation.range
            match = RuleMatch(
                list(violation.path),
                f"{violation.message} Fix: {fix.splitlines()[0]}" if fix else violation.message,
                location=(r.start_line - 1, r.start_column - 1, r.end_line - 1, r.end_column - 1),
            )
            match.slens_rule = rule.id
            match.slens_message = violation.message
            match.slens_fix = fix
            match.slens_resource = violation.resource
            matches.append(match)
        return matches


def cfn_rule_class(rule: type[Rule]) -> type[SlensCfnRule]:
    """A cfn-lint rule class for `rule`, with cfn-lint's metadata taken from the rule's."""
    return type(
        rule.__name__,
        (SlensCfnRule,),
        {
            "id": rule.cfn_lint_id(),
            "shortdesc": rule.title,
            "description": rule.rationale,
            "source_url": rule.docs_url(),
            "tags": ["slens-lint", rule.pillar().value, rule.service],
            "rule": rule,
            "__module__": "slens_lint.cfn_rules",
        },
    )
