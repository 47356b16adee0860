"""The review builder on small templates, through the real engine: each status of a best practice,
each risk a question can take, what accepted, undecidable and not visible say, rules that did not run,
rules that report findings only, unreadable files, and one review per template."""

from __future__ import annotations

from pathlib import Path

import pytest

from slens_lint.engine import Engine, EngineOptions, LintTarget
from slens_lint.review.build import build
from slens_lint.review.model import Status
from slens_lint.review.schema import Risk

ROOT = Path(__file__).resolve().parent.parent
REVIEW = ROOT / "fixtures" / "review"


def review_of(*paths: Path, per_template: bool = False, **options):
    engine = Engine(EngineOptions(keep_verdicts=True, **options))
    results = [engine.lint_file(LintTarget(p, str(p.relative_to(ROOT)), explicit=True)) for p in paths]
    return build(results, engine.rule_ids, "test", per_template=per_template)


def question(review_set, qid: str):
    return next(q for q in review_set.reviews[0].questions if q.id == qid)


def choice(review_set, cid: str):
    return next(c for q in review_set.reviews[0].questions for c in q.choices if c.id == cid)


@pytest.mark.parametrize(
    "fixture, status, counts",
    [
        ("met", Status.MET, {"met": 1, "not-met": 0, "accepted": 0, "undecidable": 0}),
        ("not-met", Status.NOT_MET, {"met": 0, "not-met": 1, "accepted": 0, "undecidable": 0}),
        ("partly-met", Status.PARTLY_MET, {"met": 1, "not-met": 1, "accepted": 0, "undecidable": 0}),
        ("accepted", Status.ACCEPTED, {"met": 0, "not-met": 0, "accepted": 1, "undecidable": 0}),
        ("undecidable", Status.UNDECIDABLE, {"met": 0, "not-met": 0, "accepted": 0, "undecidable": 1}),
        ("not-applicable", Status.NOT_APPLICABLE, {"met": 0, "not-met": 0, "accepted": 0, "undecidable": 0}),
    ],
)
def test_each_status_of_a_best_practice(fixture, status, counts):
    found = choice(review_of(REVIEW / "status" / f"{fixture}.yaml"), "cost1_function_config")
    assert found.status is status
    assert found.counts == counts
    assert found.rules == ["SL503"]


def test_not_met_evidence_is_the_finding_with_its_place_and_fix():
    found = choice(review_of(REVIEW / "status" / "partly-met.yaml"), "cost1_function_config")
    [evidence] = found.evidence
    assert (evidence.rule_id, evidence.status, evidence.file, evidence.line, evidence.resource) == (
        "SL503", "not-met", "fixtures/review/status/partly-met.yaml", 13, "X86Function",
    )
    assert evidence.message.startswith("Function 'X86Function' runs on x86_64")
    assert "arm64" in evidence.fix


def test_accepted_lists_the_recorded_reason():
    found = choice(review_of(REVIEW / "status" / "accepted.yaml"), "cost1_function_config")
    assert found.reasons() == ["the image library has no arm64 build"]
    [evidence] = found.evidence
    assert (evidence.status, evidence.resource, evidence.line) == ("accepted", "X86Function", 11)


def test_undecidable_names_what_hides_it():
    found = choice(review_of(REVIEW / "status" / "undecidable.yaml"), "cost1_function_config")
    assert found.hidden_by() == ["parameter 'Architecture' has no default"]
    assert [e.resource for e in found.evidence] == ["ParamFunction"]


def test_practices_no_template_shows_are_not_visible_and_say_what_would_show_them():
    review_set = review_of(REVIEW / "status" / "met.yaml")
    invisible = [c for q in review_set.reviews[0].questions for c in q.choices if c.status is Status.NOT_VISIBLE]
    assert {c.id for c in invisible} == {c.id for _, c in review_set.lens.choices() if not c.visible}
    assert all("What would show it" in c.judged and not c.evidence for c in invisible)


def test_a_question_nothing_applies_to_is_not_applicable():
    review_set = review_of(REVIEW / "status" / "not-applicable.yaml")
    risks = {q.label: q.risk for q in review_set.reviews[0].questions}
    assert risks == {label: Risk.NOT_APPLICABLE for label in risks if label != "COST 1"} | {"COST 1": Risk.NONE}
    assert review_set.reviews[0].counts() == {"high": 0, "medium": 0, "none": 1, "not-applicable": 8}


@pytest.mark.parametrize(
    "fixture, qid, expected, condition",
    [
        ("rel1-high", "rel1_request_rates", Risk.HIGH, "default"),
        ("rel1-medium", "rel1_request_rates", Risk.MEDIUM, "rel1_throttling"),
        ("rel1-none", "rel1_request_rates", Risk.NONE, "rel1_throttling && rel1_quotas && rel1_protect_nonscalable"),
        ("ops1-high", "ops1_health", Risk.HIGH, "default"),
        ("ops1-medium", "ops1_health", Risk.MEDIUM, "ops1_alarms || (ops1_tracing && ops1_logging)"),
        ("ops1-none", "ops1_health", Risk.NONE, "ops1_alarms && ops1_app_metrics && ops1_tracing && ops1_logging"),
    ],
)
def test_each_risk_rule_on_a_template(fixture, qid, expected, condition):
    found = question(review_of(REVIEW / "risk" / f"{fixture}.yaml"), qid)
    assert (found.risk, found.condition) == (expected, condition)


def test_accepted_gaps_do_not_raise_the_risk_but_open_ones_do():
    accepted = question(review_of(REVIEW / "status" / "accepted.yaml"), "cost1_costs")
    not_met = question(review_of(REVIEW / "status" / "not-met.yaml"), "cost1_costs")
    assert {c.id: c.status for c in accepted.choices}["cost1_function_config"] is Status.ACCEPTED
    # Both are medium through SL501 (no log group); only the open SL503 gap is listed as a finding.
    assert [e.rule_id for e in accepted.findings()] == ["SL501"]
    assert sorted(e.rule_id for e in not_met.findings()) == ["SL501", "SL503"]


def test_the_worst_case_risk_when_an_undecidable_practice_is_not_followed():
    found = question(review_of(REVIEW / "risk" / "rel1-undecidable.yaml"), "rel1_request_rates")
    throttling = next(c for c in found.choices if c.id == "rel1_throttling")
    assert throttling.status is Status.UNDECIDABLE
    assert throttling.hidden_by() == ["parameter 'Rate' has no default"]
    assert (found.risk, found.worst_risk) == (Risk.NONE, Risk.HIGH)


def test_rules_that_did_not_run_leave_their_practice_unjudged_and_say_why():
    review_set = review_of(REVIEW / "status" / "not-met.yaml", ignore=("SL5",))
    found = choice(review_set, "cost1_function_config")
    assert found.status is Status.NOT_VISIBLE
    assert found.notes == ["Not judged by SL503: not selected in this run."]
    network = choice(review_set, "sec2_network")
    assert "Not judged by SL205: opt-in (--enable SL205)." in network.notes
    enabled = choice(review_of(REVIEW / "status" / "not-met.yaml", enable=("SL205",)), "sec2_network")
    assert enabled.status is Status.PARTLY_MET and not any("SL205" in n for n in enabled.notes)


def test_findings_of_rules_without_verdicts_are_evidence_too():
    # SL206 still reports findings only (and cfn-lint's built-ins always do): their findings are
    # the not-met evidence, and a silent one says that it reports problems only.
    sample = ROOT / "fixtures" / "samples" / "sam-app" / "template.yaml"
    review_set = review_of(sample)
    rules = review_set.rules
    authn = choice(review_set, "sec1_authn_authz")
    assert [(e.rule_id, e.line) for e in authn.evidence if e.rule_id == "SL206"] == [("SL206", 17), ("SL206", 28)]
    assert authn.status is (Status.PARTLY_MET if authn.counts["met"] else Status.NOT_MET)
    startup = choice(review_set, "perf1_startup")
    assert not rules["W2530"].verdicts and startup.status is Status.NOT_APPLICABLE
    assert startup.notes == ["W2530 reports problems only, not the subjects it checked: it found none."]


def test_unreadable_files_are_named_and_nothing_in_them_is_judged(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("Resources:\n  Fn: [unclosed\n", encoding="utf-8")
    engine = Engine(EngineOptions(keep_verdicts=True))
    result = engine.lint_file(LintTarget(broken, "broken.yaml", explicit=True))
    review = build([result], engine.rule_ids, "test").reviews[0]
    assert len(review.errors) == 1 and review.errors[0].startswith("broken.yaml:")
    assert review.counts()["not-applicable"] == 9


def test_findings_of_rules_outside_the_map_are_counted_not_lost(tmp_path):
    # cfn-lint's own rules (--cfn-lint) judge what the Lens does not ask.
    template = tmp_path / "extra.yaml"
    template.write_text(
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: app.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code: {ZipFile: x}\n"
        "      NoSuchProperty: 1\n",
        encoding="utf-8",
    )
    engine = Engine(EngineOptions(keep_verdicts=True, cfn_lint=True))
    result = engine.lint_file(LintTarget(template, "extra.yaml", explicit=True))
    review = build([result], engine.rule_ids, "test").reviews[0]
    assert review.unmapped == {"E3002": 1}
    assert all(e.rule_id != "E3002" for q in review.questions for e in q.findings())


def test_a_gap_the_run_left_out_of_the_report_is_accepted():
    # A baseline or a per-file ignore removes a finding after the engine placed it.
    engine = Engine(EngineOptions(keep_verdicts=True))
    result = engine.lint_file(LintTarget(REVIEW / "status" / "not-met.yaml", "not-met.yaml", explicit=True))
    result.findings = [f for f in result.findings if f.rule_id != "SL503"]
    found = next(c for q in build([result], engine.rule_ids, "test").reviews[0].questions for c in q.choices if c.id == "cost1_function_config")
    assert found.status is Status.ACCEPTED
    assert found.reasons() == ["not reported by the run: baselined, or ignored for this file in the configuration"]


def test_one_review_per_template():
    paths = sorted((REVIEW / "status").glob("*.yaml"))
    review_set = review_of(*paths, per_template=True)
    assert [r.name for r in review_set.reviews] == [str(p.relative_to(ROOT)) for p in paths]
    by_name = {r.name.rsplit("/", 1)[-1]: r for r in review_set.reviews}
    status = {
        name: next(c for q in r.questions for c in q.choices if c.id == "cost1_function_config").status.value
        for name, r in by_name.items()
    }
    assert status == {f"{s}.yaml": s for s in ("accepted", "met", "not-applicable", "not-met", "partly-met", "undecidable")}
    whole = review_of(*paths)
    assert len(whole.reviews) == 1 and whole.reviews[0].name == "repository"
    assert choice(whole, "cost1_function_config").status is Status.PARTLY_MET
