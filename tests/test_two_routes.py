"""The two ways slens-lint's rules run give the same findings: the engine (natively, on the typed model)
and cfn-lint (`--append-rules slens_lint.cfn_rules`, the route of editor integrations), where the
adapter converts verdicts to cfn-lint matches at the edge. Same rule, resource, line and message, on
the rule fixtures and the committed real templates (a sample of the corpus too when present).

One known difference is allowed: under cfn-lint the SAM Globals are merged before any rule sees the
template and the merged key keeps the Globals position, so a finding about a property a resource sets
itself *over* a Globals value points at the Globals line there (the engine points at the resource's).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, real_templates
from slens_lint.engine import Engine, EngineOptions
from slens_lint.rules import registry
from slens_lint.template import loader


def _files() -> list[Path]:
    files = sorted((FIXTURES / "rules").rglob("*.yaml")) + sorted((FIXTURES / "rules").rglob("*.json"))
    return files + real_templates(step=8)


@pytest.fixture(scope="module")
def cfn_lint_route():
    from cfnlint.rules import Rules

    import slens_lint.cfn_rules as module
    from slens_lint.compat.runner import Config

    rules = Rules()
    for name in module.__all__:
        rules.register(getattr(module, name)())
    configure = {cls.cfn_lint_id(): {"enabled": True} for cls in registry.rule_classes() if cls.opt_in}
    config = Config([], regions=["us-east-1"], include_checks=["I"], configure_rules=configure)
    return rules, config


def test_engine_and_cfn_lint_route_agree(cfn_lint_route):
    from cfnlint.runner import run_template_by_data

    rules, config = cfn_lint_route
    engine = Engine(EngineOptions(enable=("SL",)))
    compared = total = 0
    differ = []
    for path in _files():
        text = loader.read_text(path)
        if isinstance(text, loader.LoadError):
            continue
        decoded = loader.decode_text(text)
        if isinstance(decoded, loader.LoadError) or not loader.looks_like_template(decoded.data):
            continue
        result = engine.lint_text(text, str(path))
        ours = {(f.rule_id, f.resource, f.range.start_line, f.message) for f in result.findings if f.rule_id.startswith("SL")}
        try:
            matches = list(run_template_by_data(loader.decode_text(text).data, config, rules))
        except Exception:  # noqa: BLE001 - cfn-lint itself fails on a few templates (empty Resources)
            continue
        theirs = set()
        for m in matches:
            if "SL" not in m.rule.id:
                continue
            message = m.message.split(" Fix: ")[0]
            resource = next((f.resource for f in result.findings if f.message == message), None)
            theirs.add((m.rule.id[1:], resource, m.linenumber, message))
        compared += 1
        total += len(ours)
        if ours != theirs:
            only_ours = {(r, res, msg) for r, res, _, msg in ours - theirs}
            only_theirs = {(r, res, msg) for r, res, _, msg in theirs - ours}
            if only_ours != only_theirs or "Globals" not in text:
                differ.append((path.name, sorted(ours - theirs)[:3], sorted(theirs - ours)[:3]))
    assert compared > 150
    assert total > 300
    assert differ == []
