"""Verification, the gate every fix passes before it is written: each way it refuses, with the real
engine, cfn-lint and SAM translator (no stand-ins), and the command line reporting a refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ORDERS_TEMPLATE, run_check
from slens_lint.engine import Engine, EngineOptions
from slens_lint.fixes.verify import Verifier, sam_transforms
from slens_lint.session.fixing import CfnErrors

# SL502 on AuditLogs (no RetentionInDays); the verifier below runs SL502 alone.
BEFORE = ORDERS_TEMPLATE
FIXED = BEFORE + "      RetentionInDays: 30\n"


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    engine = Engine(EngineOptions(select=("SL502",)))
    return Verifier(lambda text: engine.lint_text(text, "t.yaml"), CfnErrors())


@pytest.fixture(scope="module")
def before(verifier: Verifier):
    result = verifier.lint(BEFORE)
    assert [(f.rule_id, f.resource) for f in result.findings] == [("SL502", "AuditLogs")]
    return result


def test_a_good_fix_passes_with_the_linted_result(verifier: Verifier, before):
    check = verifier.check(BEFORE, before, FIXED, before.findings)
    assert check.ok and check.after is not None and check.after.findings == []


@pytest.mark.parametrize(
    "after, reason",
    [
        (BEFORE + "    Properties: [\n", "the edited template does not lint cleanly ("),
        (BEFORE, "SL502 is still reported after the edit"),
        (FIXED + "  More:\n    Type: AWS::Logs::LogGroup\n", "the edit would add SL502 on Resources/More"),
        (BEFORE + "      RetentionInDays: 31\n", "the edit would add cfn-lint E3030"),
    ],
    ids=["does-not-parse", "still-reported", "new-finding", "cfn-lint-error"],
)
def test_each_refusal(verifier: Verifier, before, after: str, reason: str):
    check = verifier.check(BEFORE, before, after, before.findings)
    assert not check.ok
    assert check.reason.startswith(reason), check.reason


def test_a_template_the_sam_translator_no_longer_transforms_is_refused(verifier: Verifier, before):
    assert sam_transforms(BEFORE)
    # cfn-lint (without the transform) and the rules see nothing wrong; the translator does: a
    # gradual deployment needs an alias to shift traffic between.
    broken = FIXED.replace("      CodeUri: src/\n", "      CodeUri: src/\n      DeploymentPreference:\n        Type: Linear10PercentEvery1Minute\n")
    check = verifier.check(BEFORE, before, broken, before.findings)
    assert (check.ok, check.reason) == (False, "the SAM translator no longer transforms the edited template")


def test_the_translator_leaves_no_noise_on_the_terminal(tmp_path: Path):
    (tmp_path / "template.yaml").write_text(BEFORE)
    done = run_check(tmp_path, "--fix", "--select", "SL502", "template.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    assert done.stdout == "0 findings in 1 file linted.\nFixed 1 finding.\n"
    assert (tmp_path / "template.yaml").read_text() == FIXED


def test_a_refused_fix_is_not_written_and_is_reported(tmp_path: Path):
    (tmp_path / "template.yaml").write_text(BEFORE)
    # A retention CloudWatch Logs does not offer: cfn-lint's schema refuses it, so the fix is refused.
    (tmp_path / ".slens-lint.toml").write_text('select = ["SL502"]\n[fix]\nlog-retention-days = 31\n')
    done = run_check(tmp_path, "--fix", "template.yaml")
    assert done.returncode == 1
    assert (tmp_path / "template.yaml").read_text() == BEFORE
    assert done.stderr == (
        "slens-lint: warning: template.yaml: the fix of SL502 on 'AuditLogs' was not applied: "
        "the edit would add cfn-lint E3030\n"
    )
    assert "Fixed 0 findings; 1 not applied (verification, see above)." in done.stdout
