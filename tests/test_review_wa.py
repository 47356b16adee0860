"""The two Well-Architected Tool files. The custom lens (`--format wa-lens`) is checked against the lens
format's constraints (schemaVersion 2021-11-01: ids unique, of the allowed characters and lengths,
every choice with a helpful resource and an improvement plan, risk rules over existing choices ending
with a default, the ImportLens size limit); the answers (`--format wa-answers`) against the Tool's own
API model of UpdateAnswer (botocore's service description: members, types, enums, lengths)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
WA_PILLARS = {"operationalExcellence", "security", "reliability", "performance", "costOptimization", "sustainability"}
ID = re.compile(r"^[A-Za-z0-9_]+$")
CONDITION_TOKEN = re.compile(r"\s*(&&|\|\||!|\(|\)|[A-Za-z0-9_]+)")


@pytest.fixture(scope="module")
def lens_text() -> str:
    done = run_cli("review", "--format", "wa-lens", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _condition_ids(condition: str) -> list[str]:
    """The choice ids of a condition, read independently of slens-lint's own parser."""
    tokens, pos = [], 0
    while pos < len(condition.rstrip()):
        m = CONDITION_TOKEN.match(condition, pos)
        assert m, f"unreadable condition {condition!r}"
        tokens.append(m.group(1))
        pos = m.end()
    depth = 0
    for token in tokens:
        depth += {"(": 1, ")": -1}.get(token, 0)
        assert depth >= 0, condition
    assert depth == 0, condition
    return [t for t in tokens if ID.match(t)]


def test_the_custom_lens_meets_the_lens_format(lens_text):
    assert len(lens_text.encode("utf-8")) < 500_000
    lens = json.loads(lens_text)
    assert set(lens) == {"schemaVersion", "name", "description", "pillars"}
    assert lens["schemaVersion"] == "2021-11-01"
    assert 0 < len(lens["name"]) <= 128 and 0 < len(lens["description"]) <= 2048
    pillar_ids = [p["id"] for p in lens["pillars"]]
    assert len(set(pillar_ids)) == len(pillar_ids) and set(pillar_ids) <= WA_PILLARS
    question_ids, choice_ids = [], []
    for pillar in lens["pillars"]:
        assert set(pillar) == {"id", "name", "questions"} and 0 < len(pillar["name"]) <= 128
        for question in pillar["questions"]:
            assert set(question) == {"id", "title", "description", "choices", "riskRules"}
            assert ID.match(question["id"]) and 3 <= len(question["id"]) <= 128
            assert 0 < len(question["title"]) <= 128 and len(question["description"]) <= 2048
            question_ids.append(question["id"])
            ids = []
            assert 1 <= len(question["choices"]) <= 15
            for choice in question["choices"]:
                assert set(choice) == {"id", "title", "helpfulResource", "improvementPlan"}
                assert ID.match(choice["id"]) and 3 <= len(choice["id"]) <= 64
                assert 0 < len(choice["title"]) <= 128
                for key in ("helpfulResource", "improvementPlan"):
                    content = choice[key]
                    assert set(content) == {"displayText", "url"}
                    assert 0 < len(content["displayText"]) <= 1024
                    assert content["url"].startswith("https://") and len(content["url"]) <= 2048
                ids.append(choice["id"])
            choice_ids += ids
            rules = question["riskRules"]
            assert rules[-1]["condition"] == "default"
            risks = [r["risk"] for r in rules]
            assert len(set(risks)) == len(risks) and set(risks) <= {"NO_RISK", "MEDIUM_RISK", "HIGH_RISK"}
            for rule in rules[:-1]:
                named = _condition_ids(rule["condition"])
                assert named and set(named) <= set(ids), rule
    assert len(set(question_ids)) == len(question_ids) == 9
    assert len(set(choice_ids)) == len(choice_ids)


def test_every_choice_plan_names_its_rules_or_what_would_show_it(lens_text):
    from slens_lint.review.lens import LENS

    choices = {c["id"]: c for p in json.loads(lens_text)["pillars"] for q in p["questions"] for c in q["choices"]}
    for _, choice in LENS.choices():
        plan = choices[choice.id]["improvementPlan"]["displayText"]
        if choice.visible:
            assert all(rule in plan for rule in choice.rules), choice.id
            assert choices[choice.id]["improvementPlan"]["url"].startswith("https://github.com/slens-lint/slens-lint/blob/main/rules/")
        else:
            assert "Not visible from templates" in plan, choice.id


def _check_against(shape, value, where: str) -> None:
    """`value` fits the botocore shape: members, types, enums and lengths."""
    meta = shape.metadata
    if shape.type_name == "structure":
        assert isinstance(value, dict), where
        assert set(value) <= set(shape.members), (where, set(value) - set(shape.members))
        for key, item in value.items():
            _check_against(shape.members[key], item, f"{where}.{key}")
    elif shape.type_name == "list":
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            _check_against(shape.member, item, f"{where}[{i}]")
    elif shape.type_name == "map":
        assert isinstance(value, dict), where
        for key, item in value.items():
            _check_against(shape.key, key, f"{where} key")
            _check_against(shape.value, item, f"{where}[{key}]")
    elif shape.type_name == "string":
        assert isinstance(value, str), where
        assert meta.get("min", 0) <= len(value) <= meta.get("max", 10**9), (where, len(value))
        if shape.enum:
            assert value in shape.enum, (where, value)
        if "pattern" in meta:
            assert re.fullmatch(meta["pattern"], value), (where, value)
    elif shape.type_name == "boolean":
        assert isinstance(value, bool), where


@pytest.mark.parametrize("paths", [["fixtures/review/repo"], ["fixtures/review/status/not-applicable.yaml"], ["fixtures/samples"]])
def test_the_answers_are_update_answer_requests_of_the_lens(lens_text, paths):
    botocore_session = pytest.importorskip("botocore.session", reason="botocore (test extra) describes the Tool's API")
    update_answer = botocore_session.get_session().get_service_model("wellarchitected").operation_model("UpdateAnswer").input_shape
    lens = json.loads(lens_text)
    questions = {q["id"]: [c["id"] for c in q["choices"]] for p in lens["pillars"] for q in p["questions"]}
    done = run_cli("review", "--format", "wa-answers", *paths, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    review = run_cli("review", "--format", "json", *paths, cwd=ROOT)
    statuses = {c["id"]: c["status"] for q in json.loads(review.stdout)["reviews"][0]["questions"] for c in q["choices"]}
    [only] = answers["reviews"]
    assert [a["QuestionId"] for a in only["answers"]] == list(questions)
    for answer in only["answers"]:
        request = {"WorkloadId": "0" * 32, "LensAlias": "arn:aws:wellarchitected:us-east-1:123456789012:lens/x", **answer}
        assert set(update_answer.required_members) <= set(request)
        _check_against(update_answer, request, answer["QuestionId"])
        own = questions[answer["QuestionId"]]
        if not answer["IsApplicable"]:
            assert answer["Reason"] == "OUT_OF_SCOPE" and "SelectedChoices" not in answer
            continue
        assert set(answer["ChoiceUpdates"]) <= set(own)
        assert answer["SelectedChoices"] == [c for c in own if statuses[c] == "met"]
        for choice_id, update in answer["ChoiceUpdates"].items():
            expected = {"met": "SELECTED", "accepted": "NOT_APPLICABLE", "not-applicable": "NOT_APPLICABLE"}.get(statuses[choice_id], "UNSELECTED")
            assert update["Status"] == expected
        team = set(only["for_the_team"].get(answer["QuestionId"], []))
        assert team == {c for c in own if statuses[c] in ("not-visible", "undecidable")}
        assert not team & set(answer["ChoiceUpdates"])


def test_answer_notes_carry_the_evidence():
    done = run_cli("review", "--format", "wa-answers", "fixtures/review/repo", cwd=ROOT)
    answers = {a["QuestionId"]: a for a in json.loads(done.stdout)["reviews"][0]["answers"]}
    rel1 = answers["rel1_request_rates"]
    assert rel1["Notes"].startswith("slens-lint ")
    assert "fixtures/review/repo/orders/template.yaml:28:9 SL301" in rel1["Notes"]
    cost = answers["cost1_costs"]["ChoiceUpdates"]["cost1_logging"]
    assert cost == {
        "Status": "NOT_APPLICABLE",
        "Reason": "BUSINESS_PRIORITIES",
        "Notes": "Accepted: an account-wide subscription sets retention on new log groups",
    }
