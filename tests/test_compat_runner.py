"""slens-lint's way through cfn-lint (`slens_lint/compat/runner.py`: lazily built Template members, linear
de-duplication) gives the matches cfn-lint's own `run_template_by_data` gives, with the built-ins the
default run uses and with cfn-lint's whole rule set: on the bad-input suite, the rule fixtures and the
committed real templates (and a sample of the corpus when it is present)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, real_templates
from slens_lint.compat import runner
from slens_lint.engine import EngineOptions
from slens_lint.engine.cfn_checks import CfnChecks
from slens_lint.engine.pipeline import _OPTIONAL_SECTIONS
from slens_lint.rules import registry
from slens_lint.template import loader

# Corpus sample: every 4th template with the built-ins, every 16th with cfn-lint's (ten times dearer).
CORPUS_STEP = {False: 4, True: 16}


def _files(cfn_lint: bool) -> list[Path]:
    files = sorted((FIXTURES / "bad-input").iterdir())
    if not cfn_lint:
        files += sorted((FIXTURES / "rules").rglob("*.yaml")) + sorted((FIXTURES / "rules").rglob("*.json"))
        files += sorted((FIXTURES / "builtin").rglob("*.yaml"))
    return files + real_templates(CORPUS_STEP[cfn_lint])


def _matches(text: str, run) -> list[tuple] | None:
    decoded = loader.decode_text(text)
    if isinstance(decoded, loader.LoadError) or not loader.looks_like_template(decoded.data):
        return None
    tree = decoded.data
    for section in _OPTIONAL_SECTIONS:
        if section in tree and tree[section] is None:
            del tree[section]
    try:
        found = run(tree)
    except Exception as exc:  # noqa: BLE001 - compared, not hidden: both routes must agree
        return [("raised", type(exc).__name__)]
    return [
        (m.rule.id, m.linenumber, m.columnnumber, m.linenumberend, m.columnnumberend, m.message, tuple(getattr(m, "path", ()) or ()))
        for m in found
    ]


@pytest.mark.parametrize("cfn_lint", [False, True], ids=["built-ins", "cfn-lint"])
def test_same_matches_as_cfn_lint_runner(cfn_lint: bool):
    from cfnlint.runner import run_template_by_data

    options = EngineOptions(cfn_lint=cfn_lint)
    checks = CfnChecks(options, [] if cfn_lint else registry.builtin_rules())
    compared = found = 0
    differ = []
    for path in _files(cfn_lint):
        text = loader.read_text(path)
        if isinstance(text, loader.LoadError):
            continue
        ours = _matches(text, lambda tree: runner.run(tree, checks.config, checks.rules, lean=not cfn_lint))
        theirs = _matches(text, lambda tree: list(run_template_by_data(tree, checks.config, checks.rules)))
        if ours is None:
            continue
        compared += 1
        found += len(ours)
        if theirs and theirs[0][0] == "raised" and not cfn_lint:
            # cfn-lint's eager Template raised on this malformed template; the lean one need not.
            assert ours and ours[0][0] != "raised", path
            continue
        if ours != theirs:
            differ.append((path, sorted(set(ours) ^ set(theirs))[:4]))
    assert compared > (40 if cfn_lint else 200)
    assert found > (100 if cfn_lint else 20), "the comparison must cover real matches"
    assert differ == []


def test_linear_dedup_keeps_first_occurrences_in_order():
    from cfnlint.match import Match
    from cfnlint.rules.errors import ParseError

    a = Match.create("a", "t.yaml", ParseError(), linenumber=1)
    b = Match.create("b", "t.yaml", ParseError(), linenumber=2)
    again = Match.create("a", "t.yaml", ParseError(), linenumber=1)
    assert list(runner.dedup([a, b, again, b])) == [a, b]
    assert a == again  # what cfn-lint's own de-duplication compares


# ---- cfn-lint internals the runner relies on (the names are pinned in tests/test_compat.py) ----------


def test_lean_template_sets_what_template_init_sets():
    """`LeanTemplate` skips `Template.__init__` (the eager work it defers): whatever that sets, cfn-lint's
    rules may read, so the lean one must have it too, built now or on first use."""
    from slens_lint.compat.cfnlint import VERSION, Template

    tree = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}
    eager = Template(None, tree)
    lean = runner.LeanTemplate(None, tree)
    missing = sorted(name for name in vars(eager) if not hasattr(lean, name))
    assert not missing, f"cfn-lint {VERSION}: Template.__init__ sets {missing}, which LeanTemplate (slens_lint/compat/runner.py) does not"

    def absent(key: str) -> bool:
        try:
            lean.transform_pre[key]
        except KeyError:
            return True
        return False

    keys = sorted(key for key in eager.transform_pre if absent(key))
    assert not keys, f"cfn-lint {VERSION}: Template.transform_pre has {keys}, which LeanTemplate's does not"


def test_config_does_not_look_for_cfnlintrc(monkeypatch, tmp_path: Path):
    """`Config` overrides `ConfigMixIn._find_config` and `load`: cfn-lint's lookup calls `Path.home()`,
    which raises where HOME is unset and the user has no passwd entry, and its files are not ours."""
    from slens_lint.compat.cfnlint import VERSION

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    (tmp_path / ".cfnlintrc").write_text("ignore_checks: [W]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    try:
        config = runner.Config([], regions=["us-east-1"])
    except RuntimeError as exc:
        pytest.fail(f"cfn-lint {VERSION}: ConfigMixIn looks for its configuration files again, past runner.Config's override: {exc}")
    assert config.file_args == {}, f"cfn-lint {VERSION}: ConfigMixIn read {config.file_args}, past runner.Config's override"


def test_a_match_keeps_what_its_rule_match_carries():
    """slens-lint's cfn-lint rules place their matches with `RuleMatch(location=...)` (0-based; compat/
    adapter.py) and set attributes on them (`slens_checked`, `slens_internal_error`; compat/builtins.py)
    that the engine reads on the `Match` cfn-lint makes of each, with the path."""
    from slens_lint.compat.cfnlint import VERSION, CloudFormationLintRule, RuleMatch, Rules

    class Placed(CloudFormationLintRule):
        id = "E9911"
        shortdesc = description = "placed"

        def match(self, cfn):
            found = RuleMatch(["Resources", "Topic"], "placed", location=(4, 2, 4, 9))
            found.slens_checked = "Topic"
            return [found]

    rules = Rules()
    rules.register(Placed())
    found = runner.run({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}, runner.Config([], regions=["us-east-1"]), rules)
    got = [(m.linenumber, m.columnnumber, m.linenumberend, m.columnnumberend) for m in found if m.rule.id == "E9911"]
    assert got == [(5, 3, 5, 10)], f"cfn-lint {VERSION} no longer places a RuleMatch at its location: {got}"
    carried = [(getattr(m, "path", None), getattr(m, "slens_checked", None)) for m in found if m.rule.id == "E9911"]
    assert carried == [(["Resources", "Topic"], "Topic")], (
        f"cfn-lint {VERSION}: a cfnlint.match.Match no longer carries its RuleMatch's attributes (path, ours): {carried}"
    )
