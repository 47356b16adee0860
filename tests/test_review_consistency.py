"""The review agrees with `check`: on the same files, with the same configuration and suppressions,
each question's not-met evidence is exactly the findings of its rules (file, position, rule, message,
fix), and no finding is lost (those of rules outside the Lens map are counted as such)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import CORPUS, needs_corpus, run_cli

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """\
[tool.slens-lint]
ignore = ["SL102", "SL5"]
enable = ["SL205"]
"""


def _both(paths: list[str], cwd: Path, *options: str, timeout: float = 120) -> tuple[dict, dict]:
    # Every finding: check hides info findings by default (--min-severity), a reporting filter the review
    # does not apply.
    check = run_cli("check", "--format", "json", "--min-severity", "info", "--no-cache", *options, *paths, cwd=cwd, timeout=timeout)
    assert check.returncode in (0, 1, 2), check.stderr
    review = run_cli("review", "--format", "json", *options, *paths, cwd=cwd, timeout=timeout)
    assert review.returncode in (0, 2), review.stderr
    return json.loads(check.stdout), json.loads(review.stdout)


def _finding(f: dict) -> tuple:
    return (f["file"], f["range"]["start_line"], f["range"]["start_column"], f["rule_id"], f["message"], f["fix"])


def _evidence(e: dict) -> tuple:
    return (e["file"], e["line"], e["column"], e["rule_id"], e["message"], e["fix"])


def assert_consistent(check: dict, review: dict) -> Counter:
    [whole] = review["reviews"]
    findings = Counter(_finding(f) for f in check["findings"])
    seen: Counter = Counter()
    for question in whole["questions"]:
        rules = {r for c in question["choices"] for r in c["rules"]}
        expected = Counter({f: n for f, n in findings.items() if f[3] in rules})
        evidence = Counter(_evidence(e) for c in question["choices"] for e in c["evidence"] if e["status"] == "not-met")
        assert evidence == expected, question["label"]
        seen += evidence
    outside = Counter(f[3] for f, n in findings.items() for _ in range(n) if f not in seen)
    assert dict(outside) == whole["unmapped_findings"]
    assert sum(seen.values()) + sum(outside.values()) == len(check["findings"])
    return seen


def test_the_review_is_consistent_with_check_on_the_fixtures(tmp_path):
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    paths = [str(ROOT / p) for p in ("fixtures/samples", "fixtures/review", "fixtures/real", "fixtures/rules/SL206")]
    check, review = _both(paths, tmp_path, "--config", str(tmp_path / "pyproject.toml"))
    seen = assert_consistent(check, review)
    rules = {key[3] for key in seen}
    # The configuration reached both: ignored rules gave no finding, the opt-in rule some.
    assert not any(r == "SL102" or r.startswith("SL5") for r in rules)
    assert "SL205" in rules and "SL206" in rules
    # Ignored rules judged nothing: not even the suppressed SL501 and SL503 gaps are accepted evidence.
    evidence = [e for q in review["reviews"][0]["questions"] for c in q["choices"] for e in c["evidence"]]
    assert not any(e["rule_id"] == "SL102" or e["rule_id"].startswith("SL5") for e in evidence)


@pytest.mark.parametrize(
    "paths, options",
    [
        (["fixtures/environments"], ()),
        (["fixtures/environments"], ("--all-envs",)),
        (["fixtures/environments"], ("--config-env", "prod")),
        (["fixtures/environments/template.yaml"], ("--parameter-overrides", "Stage=prod AlarmEmail=ops@example.com")),
        (["fixtures/nested"], ()),
    ],
    ids=["defaults", "all-envs", "config-env", "overrides", "nested"],
)
def test_the_review_is_consistent_with_check_in_every_environment(paths, options):
    check, review = _both(paths, ROOT, *options)
    assert check["findings"], "the fixture has findings"
    assert_consistent(check, review)


def test_suppressed_findings_are_accepted_not_lost():
    paths = ["fixtures/review"]
    check, review = _both(paths, ROOT)
    assert_consistent(check, review)
    accepted = {
        (e["rule_id"], e["file"], e["reason"])
        for q in review["reviews"][0]["questions"]
        for c in q["choices"]
        for e in c["evidence"]
        if e["status"] == "accepted"
    }
    assert accepted == {
        ("SL503", "fixtures/review/status/accepted.yaml", "the image library has no arm64 build"),
        ("SL501", "fixtures/review/repo/orders/template.yaml", "an account-wide subscription sets retention on new log groups"),
    }
    assert not any(f["rule_id"] == "SL503" and f["file"].endswith("accepted.yaml") for f in check["findings"])


@needs_corpus()
def test_the_review_is_consistent_with_check_on_the_corpus():
    check, review = _both([str(CORPUS)], ROOT, timeout=600)
    seen = assert_consistent(check, review)
    assert sum(seen.values()) > 1000
    assert review["reviews"][0]["unmapped_findings"].get("E0000", 0) == sum(1 for f in check["findings"] if f["rule_id"] == "E0000")


def test_worker_processes_give_the_same_review_as_one():
    # Kept verdicts cross the process pool (pickled); a value that does not survive the trip breaks
    # the pool and the run falls back to one process, slower than `check`.
    paths = ["fixtures/real", "fixtures/rules"]
    serial = run_cli("review", "--format", "json", "--jobs", "1", *paths, cwd=ROOT)
    parallel = run_cli("review", "--format", "json", "--jobs", "2", *paths, cwd=ROOT)
    assert "process pool unavailable" not in parallel.stderr, parallel.stderr[-500:]
    assert parallel.stdout == serial.stdout
    assert len(json.loads(parallel.stdout)["reviews"][0]["files"]) > 16
