"""Rule documentation, rendered from the rule classes: `rules/<ID>.md`, `rules/README.md`, `explain`,
and the SARIF `help` all come from here, so they cannot disagree."""

from __future__ import annotations

from typing import Any

from slens_lint.rules.base import Pillar, Rule
from slens_lint.rules.registry import builtin_rules, rule_classes
from slens_lint.findings import with_settings
from slens_lint.template.render import render


def _yaml_block(fragment: Any) -> str:
    return f"```yaml\n{render(with_settings(fragment), 'yaml')}\n```"


GENERATED_NOTE = "<!-- Generated from the rule class by scripts/generate_rule_docs.py; do not edit. -->"


def rule_markdown(rule: type[Rule], for_file: bool = True) -> str:
    parts = [
        f"# {rule.id}: {rule.title}",
        "",
        "| | |",
        "|---|---|",
        f"| Canonical id | `{rule.id}` |",
        f"| cfn-lint id | `{rule.cfn_lint_id()}` |",
        f"| Default severity | {rule.severity.value} |",
        f"| Pillar | {rule.pillar().title} |",
        f"| Serverless Lens practice | {rule.practice} |",
        f"| Resource types | {', '.join(f'`{t}`' for t in rule.resource_types) or '-'} |",
        f"| Enabled by default | {'no (opt-in)' if rule.opt_in else 'yes'} |",
        "",
    ]
    if getattr(rule, "builtin", False):
        parts += [
            "This is cfn-lint's own rule "
            f"[`{rule.id}`]({rule.source_url()}): slens-lint runs it in its default run and reports its "
            "findings under cfn-lint's id, with cfn-lint's message. The rest of this page is ours.",
            "",
        ]
    parts += [
        "## Why it matters",
        "",
        rule.rationale,
        "",
        "## How to fix",
        "",
        rule.fix,
        "",
    ]
    safety = getattr(rule, "fix_safety", None)
    if safety:
        how = (
            "`slens-lint check --fix` applies it" if safety == "safe" else
            "it changes behaviour or cost, so `slens-lint check --fix --unsafe-fixes` applies it, never `--fix` alone"
        )
        parts += [
            "## Automatic fix",
            "",
            (f"**{rule.fix_title[:1].upper()}{rule.fix_title[1:]}.** " if getattr(rule, "fix_title", "") else "")
            + f"{safety.capitalize()}: {how} (`--diff` shows it first). The edit keeps the file as written, "
            "and is verified before it is written: the template still parses, this finding is gone, no "
            "other finding or cfn-lint error appears, and a SAM template still transforms (with the `sam` "
            "extra installed).",
            "",
        ]
        if getattr(rule, "fix_note", ""):
            parts += [rule.fix_note, ""]
        settings = getattr(rule, "fix_settings", ())
        if settings:
            parts += [
                "Values it needs a decision for, under `[tool.slens-lint.fix]`: "
                + ", ".join(f"`{s.name}` (default `{s.default}`)" for s in settings)
                + ".",
                "",
            ]
    if rule.example_bad is not None:
        parts += ["## Example that is flagged", "", _yaml_block(rule.example_bad), ""]
    if rule.example is not None:
        parts += ["## Example that passes", "", _yaml_block(rule.example), ""]
    if rule.use_instead:
        parts += ["## When it does not apply", "", rule.use_instead, ""]
    if rule.severity_reason:
        reason = rule.severity_reason.split(":", 1)[-1].strip()
        parts += [
            "## Severity",
            "",
            f"{rule.severity.value.capitalize()} by default: {reason[0].lower() + reason[1:]} "
            f"To change it for a project: `severity = \"error\"` (or `warning`, `info`) under "
            f"`[tool.slens-lint.rules.{rule.id}]`.",
            "",
        ]
    parts += [
        "## Suppressing it",
        "",
        "On one resource (or in the template's top-level `Metadata` for the whole file):",
        "",
        _yaml_block({"Metadata": {"slens-lint": {"ignore": [{"id": rule.id, "reason": "why this risk is accepted"}]}}}),
        "",
        f"Or for a whole project: `ignore = [\"{rule.id}\"]` under `[tool.slens-lint]` in `pyproject.toml`, "
        f"or `--ignore {rule.id}` on the command line. cfn-lint's "
        f"`Metadata: cfn-lint: config: ignore_checks: [{rule.cfn_lint_id()}]` works too.",
        "",
    ]
    if rule.opt_in:
        parts += [
            "## Enabling it",
            "",
            f"This rule is off by default. Switch it on with `--select {rule.id}`, with "
            f"`enable = [\"{rule.id}\"]` under `[tool.slens-lint]`, or in cfn-lint with "
            f"`--configure-rule {rule.cfn_lint_id()}:enabled=true`.",
            "",
        ]
    if rule.references:
        parts += ["## References", ""] + [f"- <{url}>" for url in rule.references] + [""]
    if for_file:
        # For the page under rules/ only: read in a terminal or a pipe, it would be noise.
        parts += [GENERATED_NOTE, ""]
    return "\n".join(parts)


def index_markdown() -> str:
    parts = [
        "# slens-lint rules",
        "",
        "Every rule, by Serverless Lens pillar. The cfn-lint id's first letter is the default severity "
        "(E error, W warning, I info). Rules marked *cfn-lint built-in* are cfn-lint's own, run by default "
        "and reported under their cfn-lint ids.",
        "",
    ]
    classes = (*rule_classes(), *builtin_rules())
    for pillar in Pillar:
        members = [r for r in classes if r.pillar() is pillar]
        if not members:
            continue
        parts += [f"## {pillar.title}", "", "| Id | cfn-lint id | Severity | Rule | Lens practice |", "|---|---|---|---|---|"]
        for r in members:
            opt = " (opt-in)" if r.opt_in else " (*cfn-lint built-in*)" if getattr(r, "builtin", False) else ""
            parts.append(
                f"| [{r.id}]({r.id}.md) | `{r.cfn_lint_id()}` | {r.severity.value} | {r.title}{opt} | {r.practice} |"
            )
        parts.append("")
    parts += ["<!-- Generated from the rule classes by scripts/generate_rule_docs.py; do not edit. -->", ""]
    return "\n".join(parts)


def help_markdown(rule: type[Rule]) -> str:
    """The rule's page less its H1 (code scanning titles the help itself) and the generator's comment."""
    lines = rule_markdown(rule).splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    kept = [line for line in lines if not line.startswith("<!-- Generated")]
    return "\n".join(kept).strip() + "\n"


CATALOGUE_HEAD = '''"""Every rule as outputs describe it (`findings.RuleInfo`), by canonical id: generated from the rule
classes by scripts/generate_rule_docs.py (tests/test_docs.py fails when it drifts); do not edit.

Plain data, so that outputs describe rules without importing them (and the model they read).
"""

from __future__ import annotations

from typing import Any

RULES: dict[str, dict[str, Any]] = '''


def catalogue_text() -> str:
    """The text of `slens_lint/rule_catalogue.py`."""
    import json

    rules = {
        r.id: {
            "severity": r.severity.value,
            "title": r.title,
            "rationale": r.rationale,
            "fix": r.fix,
            "use_instead": r.use_instead,
            "pillar": r.pillar().value,
            "service": r.service,
            "precision": r.precision,
            "slug": r.slug(),
            "docs_url": r.docs_url(),
            "help_markdown": help_markdown(r),
        }
        for r in (*rule_classes(), *builtin_rules())
    }
    # JSON of strings is a Python literal too: one line per field, no re-wrapping of the long texts.
    return CATALOGUE_HEAD + json.dumps(rules, indent=1, ensure_ascii=False) + "\n"


def expected_files() -> dict[str, str]:
    """File name (under rules/) -> content, for the generator and the drift test."""
    files = {f"{r.id}.md": rule_markdown(r) for r in (*rule_classes(), *builtin_rules())}
    files["README.md"] = index_markdown()
    return files
