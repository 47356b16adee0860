"""slens-lint rules as cfn-lint rules: the edge where verdicts become cfn-lint's `RuleMatch`es.

cfn-lint runs `match(cfn)` on each generated rule (see `slens_lint.cfn_rules`); the first one builds
the template model from cfn-lint's tree and the others reuse it. Suppression asks the engine's
`suppress` module, the fix hint is rendered as in every other output, and the message carries its
first line (cfn-lint shows the message only).
"""

from __future__ import annotations

import weakref
from typing import Any, Optional

from slens_lint.compat.cfnlint import TRANSFORM_SAM, CloudFormationLintRule, RuleMatch
from slens_lint.engine import suppress
from slens_lint.engine.place import Placer
from slens_lint.rules.base import Rule
from slens_lint.template.model import Template
from slens_lint.template.positions import anchor_candidates

# One model per cfn-lint Template, shared by the generated rules of one run (weak: cfn-lint owns it).
_models: "weakref.WeakKeyDictionary[Any, Template]" = weakref.WeakKeyDictionary()


def _format(cfn: Any) -> str:
    filename = str(getattr(cfn, "filename", "") or "")
    return "json" if filename.lower().endswith(".json") else "yaml"


def model_of(cfn: Any) -> Template:
    """The model of cfn-lint's template, built on first use and cached for the other rules.

    cfn-lint has already merged SAM `Globals` into the resources when the transform is declared, so
    the model does not merge them again (a local override then points at the Globals line: cfn-lint's
    merge keeps the Globals key)."""
    model = _models.get(cfn)
    if model is None:
        tree = cfn.template if isinstance(cfn.template, dict) else {}
        declared = tree.get("Transform")
        merged = TRANSFORM_SAM in (declared if isinstance(declared, list) else [declared])
        model = Template(tree, _format(cfn), getattr(cfn, "filename", None), globals_merged=merged)
        _models[cfn] = model
    return model


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
        placer = Placer(model.positions, model.format, str(getattr(cfn, "filename", "") or ""))
        matches: list[RuleMatch] = []
        try:
            reported = []
            for verdict in rule().verdicts(model):
                if verdict.not_met:
                    path, rng = model.positions.resolve(anchor_candidates(verdict.at, verdict.anchors))
                    reported.append((verdict.message, path, rng, verdict.owners, placer.fix_text(verdict.fix, rule, verdict.resource)))
        except Exception as exc:  # noqa: BLE001 - one rule's bug must not end the run for other rules
            return [RuleMatch(["Resources"], f"internal error in rule {rule.id}: {type(exc).__name__}: {exc}")]
        for message, path, rng, owners, fix in reported:
            metadata = [model.resource(o).metadata for o in owners if model.resource(o) is not None]
            if suppress.is_suppressed(model.metadata, metadata, rule.id, rule.cfn_lint_id()):
                continue
            hint = _hint(fix)
            matches.append(
                RuleMatch(
                    list(path),
                    f"{message} Fix: {hint}" if hint else message,
                    location=(rng.start_line - 1, rng.start_column - 1, rng.end_line - 1, rng.end_column - 1),
                )
            )
        return matches


def _hint(fix: Optional[str]) -> str:
    """The fix hint's first line, ending cleanly: the fragment it introduces is not in a cfn-lint
    message, so a trailing colon becomes a full stop."""
    if not fix:
        return ""
    first = fix.splitlines()[0].rstrip()
    if first.endswith(":"):
        first = first[:-1].rstrip() + "."
    return first


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

