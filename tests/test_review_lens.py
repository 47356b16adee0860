"""The Lens map is complete and means what it says: every rule gives evidence for exactly one choice,
of the practice the rule names; every practice belongs to one choice; every choice says how it is
judged (or what would show it); the risk rules name their question's choices and are read as the Tool
reads them."""

from __future__ import annotations

import itertools
import re

import pytest

from slens_lint.review import risk
from slens_lint.review.lens import LENS, PRACTICES
from slens_lint.review.model import Status
from slens_lint.review.schema import Risk
from slens_lint.rules import registry

ALL_RULES = [*registry.rule_classes(), *registry.builtin_rules()]


def test_the_questions_are_the_lens_questions_in_order():
    assert [(q.label, q.title) for q in LENS.questions] == [
        ("OPS 1", "How do you evaluate your serverless application's health?"),
        ("OPS 2", "How do you approach application lifecycle management?"),
        ("SEC 1", "How do you control access to your serverless API?"),
        ("SEC 2", "How do you manage your serverless application's security boundaries?"),
        ("SEC 3", "How do you implement application security in your workload?"),
        ("REL 1", "How do you regulate inbound request rates?"),
        ("REL 2", "How do you build resiliency into your serverless application?"),
        ("PERF 1", "How do you optimize your serverless application's performance?"),
        ("COST 1", "How do you optimize your serverless application costs?"),
    ]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_every_rule_gives_evidence_for_exactly_one_choice_of_its_practice(rule):
    owners = [(q, c) for q, c in LENS.choices() if rule.id in c.rules]
    assert len(owners) == 1, f"{rule.id} is named by {[c.id for _, c in owners]}"
    question, choice = owners[0]
    assert rule.practice in LENS.practice_names(question, choice), (rule.id, rule.practice, choice.id)
    assert question.pillar is rule.pillar()


def test_the_map_names_no_rule_that_does_not_exist():
    known = {r.id for r in ALL_RULES}
    named = [r for _, c in LENS.choices() for r in c.rules]
    assert set(named) <= known
    assert len(named) == len(set(named))


def test_every_practice_belongs_to_exactly_one_choice():
    for pillar, names in PRACTICES.items():
        for number in range(1, len(names) + 1):
            owners = [c.id for q, c in LENS.choices() if q.pillar is pillar and number in c.practices]
            assert len(owners) == 1, (pillar.title, number, names[number - 1], owners)


@pytest.mark.parametrize("pair", list(LENS.choices()), ids=lambda p: p[1].id)
def test_every_choice_says_how_it_is_judged(pair):
    question, choice = pair
    assert re.fullmatch(r"[a-z0-9_]{3,64}", choice.id) and choice.id.startswith(question.id.split("_")[0] + "_")
    assert choice.title and choice.plan and choice.helpful.url.startswith("https://")
    if choice.visible:
        # How it is judged names each of its rules.
        for rule_id in choice.rules:
            assert rule_id in choice.judged, (choice.id, rule_id)
        assert not choice.judged.startswith("Not visible")
    else:
        assert choice.judged.startswith("Not visible from templates")
        assert "What would show it:" in choice.judged


def test_ids_are_unique():
    questions = [q.id for q in LENS.questions]
    choices = [c.id for _, c in LENS.choices()]
    assert len(set(questions)) == len(questions)
    assert len(set(choices)) == len(choices)


@pytest.mark.parametrize("question", LENS.questions, ids=lambda q: q.id)
def test_risk_rules_are_in_the_tools_shape(question):
    rules = question.risk_rules
    assert rules[-1].condition == "default"
    assert [r.risk for r in rules] == [Risk.NONE, Risk.MEDIUM, Risk.HIGH]
    ids = {c.id for c in question.choices}
    for rule in rules[:-1]:
        assert risk.choice_ids(rule.condition) <= ids, rule.condition
    # No risk only when every best practice is followed.
    assert risk.choice_ids(rules[0].condition) == ids
    assert question.why


@pytest.mark.parametrize("question", LENS.questions, ids=lambda q: q.id)
def test_each_risk_rule_decides_for_some_answers_and_follows_the_order(question):
    """Over every combination of followed / not followed: the first rule that holds gives the risk,
    each rule decides for at least one combination, and following more never raises the risk."""
    ids = [c.id for c in question.choices]
    decided = set()
    outcome = {}
    for values in itertools.product((True, False), repeat=len(ids)):
        followed = dict(zip(ids, values))
        found, rule = risk.rate(question, followed.__getitem__)
        first = next(r for r in question.risk_rules if risk.holds(r.condition, followed))
        assert (found, rule) == (first.risk, first)
        decided.add(rule.condition)
        outcome[values] = found
    assert decided == {r.condition for r in question.risk_rules}
    for values, found in outcome.items():
        for i, value in enumerate(values):
            if not value:
                better = values[:i] + (True,) + values[i + 1 :]
                assert outcome[better].rank <= found.rank


def test_the_documented_risk_rules():
    ops1 = LENS.questions[0]
    every = {c.id: True for c in ops1.choices}

    def rate(**not_followed):
        followed = {**every, **{k: not v for k, v in not_followed.items()}}
        return risk.rate(ops1, followed.__getitem__)[0]

    assert rate() is Risk.NONE
    assert rate(ops1_app_metrics=True) is Risk.MEDIUM
    assert rate(ops1_alarms=True) is Risk.MEDIUM  # traced and logged
    assert rate(ops1_alarms=True, ops1_tracing=True) is Risk.HIGH
    assert rate(ops1_alarms=True, ops1_logging=True) is Risk.HIGH
    assert rate(ops1_tracing=True, ops1_logging=True) is Risk.MEDIUM  # alarms alone keep it medium


@pytest.mark.parametrize(
    "condition, values, expected",
    [
        ("a || b && c", {"a": False, "b": True, "c": False}, False),
        ("a || b && c", {"a": True, "b": False, "c": False}, True),
        ("(a || b) && c", {"a": True, "b": False, "c": False}, False),
        ("a && (b || (c && a))", {"a": True, "b": False, "c": True}, True),
        ("default", {}, True),
    ],
)
def test_conditions_read_as_the_tool_reads_them(condition, values, expected):
    assert risk.holds(condition, values) is expected


@pytest.mark.parametrize("condition", ["a &&", "(a || b", "a b", "a & b", "unknown", "a ||| b", ")"])
def test_malformed_conditions_are_refused(condition):
    with pytest.raises(risk.ConditionError):
        risk.holds(condition, {"a": True, "b": True})


def test_undecidable_counts_as_followed_except_for_the_worst_case():
    assert Status.UNDECIDABLE.followed() and not Status.UNDECIDABLE.followed(pessimistic=True)
    assert not Status.PARTLY_MET.followed() and not Status.NOT_MET.followed()
    for status in (Status.MET, Status.ACCEPTED, Status.NOT_APPLICABLE, Status.NOT_VISIBLE):
        assert status.followed(pessimistic=True)
