"""The value type, reading template data into it, the answers (`Truth`) and the environment:
parameters resolved to defaults or given values, conditions decided when they can be."""

from __future__ import annotations

import pytest

from slens_lint.template.environment import Environment
from slens_lint.template.reading import Expect, read
from slens_lint.template.resources.base import V, expect_of
from slens_lint.template.resources.lambda_ import LoggingConfigSpec
from slens_lint.template.values import Absent, Conditional, Known, Resolved, Truth, Unknown, free_form


TREE = {
    "Parameters": {
        "Mode": {"Type": "String", "Default": "PassThrough"},
        "NoDefault": {"Type": "String"},
        "Subnets": {"Type": "CommaDelimitedList", "Default": "a, b"},
        "DbPassword": {"Type": "String", "Default": "hunter2", "NoEcho": True},
        "Env": {"Type": "String", "Default": "dev"},
    },
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
        "Never": {"Fn::Equals": ["a", "b"]},
        "Always": {"Fn::Not": [{"Condition": "Never"}]},
        "ProdAndAlways": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "Always"}]},
        "Loop": {"Condition": "Loop"},
    },
}
ENV = Environment.of(TREE)
STR, INT = Expect("str"), Expect("int")


def test_each_kind_with_its_path():
    assert isinstance(read("Active", STR, ("P",), ENV), Known)
    assert isinstance(read(None, STR, ("P",), ENV), Absent)
    assert isinstance(read({"Ref": "AWS::NoValue"}, STR, ("P",), ENV), Absent)
    unknown = read({"Fn::GetAtt": ["Q", "Arn"]}, STR, ("P",), ENV)
    assert isinstance(unknown, Unknown) and unknown.ref == "Q" and "GetAtt Q.Arn" in unknown.reason
    assert read("30", INT, ("T",), ENV).literal == 30
    wrong = read([1], INT, ("T",), ENV)
    assert isinstance(wrong, Unknown) and wrong.reason == "T is not a whole number"
    assert read("x", STR, ("Resources", "F", "Properties", "P"), ENV).path == ("Resources", "F", "Properties", "P")


def test_parameters_resolve_to_their_default_or_the_given_value():
    mode = read({"Ref": "Mode"}, STR, ("P",), ENV)
    assert isinstance(mode, Resolved) and mode.literal == "PassThrough" and mode.source == "default"
    assert mode.describe_origin() == "parameter 'Mode' (default 'PassThrough')"
    given = read({"Ref": "Mode"}, STR, ("P",), Environment.of(TREE, {"Mode": "Active"}))
    assert given.literal == "Active" and given.source == "given"
    assert isinstance(read({"Ref": "NoDefault"}, STR, ("P",), ENV), Unknown)
    subnets = read({"Ref": "Subnets"}, expect_of(list[V[str]]), ("S",), ENV)
    assert [item.text() for item in subnets.items()] == ["a", "b"]


def test_a_secret_parameter_value_is_never_described():
    password = read({"Ref": "DbPassword"}, STR, ("P",), ENV)
    assert password.secret and "hunter2" not in password.describe_origin()


def test_conditions_are_named_without_values_and_decided_with_them():
    value = {"Fn::If": ["IsProd", "Active", {"Ref": "AWS::NoValue"}]}
    named = read(value, STR, ("P",), ENV)
    assert isinstance(named, Conditional)
    assert [(when, leaf.kind) for when, leaf in named.leaves()] == [((("IsProd", True),), "known"), ((("IsProd", False),), "absent")]
    prod = Environment.of(TREE, {"Env": "prod"})
    assert read(value, STR, ("P",), prod).literal == "Active"
    assert isinstance(read(value, STR, ("P",), Environment.of(TREE, {})), Absent)  # Env keeps its default


@pytest.mark.parametrize(
    "name, without_values, with_prod",
    [("Never", False, False), ("Always", True, True), ("IsProd", None, True), ("ProdAndAlways", None, True), ("Loop", None, None), ("Missing", None, None)],
)
def test_condition_functions(name, without_values, with_prod):
    assert Environment.of(TREE).condition(name) is without_values
    assert Environment.of(TREE, {"Env": "prod"}).condition(name) is with_prod


def test_contradictory_nested_branches_never_happen():
    value = read({"Fn::If": ["C", {"Fn::If": ["C", "a", "b"]}, "c"]}, STR, ("P",), ENV)
    assert [(when, leaf.text()) for when, leaf in value.leaves()] == [((("C", True),), "a"), ((("C", False),), "c")]


def test_projection_through_branches_and_models():
    raw = {"Fn::If": ["IsProd", {"LogGroup": "g", "LogFormat": "JSON"}, {"Ref": "AWS::NoValue"}]}
    config = read(raw, expect_of(LoggingConfigSpec), ("L",), ENV)
    group = config.LogGroup
    assert [leaf.kind for leaf in group.branches()] == ["known", "absent"]
    assert group.branches()[1].path == ("L", "LogGroup")
    with pytest.raises(AttributeError):
        config.lower_case_is_not_a_property  # noqa: B018


def test_truth_algebra_keeps_conditions_apart():
    a = read({"Fn::If": ["C", "Active", "PassThrough"]}, STR, ("A",), ENV).equals("Active")
    b = read({"Fn::If": ["C", True, False]}, Expect("bool"), ("B",), ENV).is_true()
    both = a & b
    assert [(c.when, c.holds) for c in both.cases] == [((("C", True),), True), ((("C", False),), False)]
    assert (a | ~a).always and not a.always and a.may_fail and a.may_hold
    unknown = read({"Ref": "NoDefault"}, STR, ("U",), ENV).equals("x")
    assert unknown.holds is None and (unknown & Truth.of(False)).never and (unknown | Truth.of(True)).always


def test_given_counts_an_unresolvable_intrinsic_as_given():
    assert read({"Fn::ImportValue": "x"}, STR, ("P",), ENV).given().always
    assert read(None, STR, ("P",), ENV).given().never


def test_truth_sometimes_and_blame():
    varying = read({"Fn::If": ["C", "Active", "PassThrough"]}, STR, ("A",), ENV).equals("Active")
    assert varying.sometimes and not varying.always and not Truth.of(None).sometimes
    mode = read({"Ref": "Mode"}, STR, ("M",), ENV)
    blamed = varying.blame(mode)
    assert [(c.when, c.holds) for c in blamed.cases] == [(c.when, c.holds) for c in varying.cases]
    assert [c.evidence is mode for c in blamed.cases] == [False, True]


ANY = Expect("any")


def test_a_free_form_document_is_kept_as_written_and_its_parts_are_values():
    raw = {"A": [{"Ref": "AWS::NoValue"}, {"Fn::If": ["IsProd", "x", "y"]}, "lit", {"Ref": "Mode"}, {"Ref": "Q"}]}
    document = read(raw, ANY, ("D",), ENV)
    assert document.literal is raw
    items = document.A.items()
    assert [item.kind for item in items] == ["absent", "conditional", "known", "resolved", "unknown"]
    assert [item.path for item in items] == [("D", "A", index) for index in range(5)]
    assert items[3].text() == "PassThrough" and items[4].ref == "Q"
    assert list(document.entries()) == ["A"] and document.entries()["A"].items()[2].text() == "lit"
    # Without an environment (`free_form`), parameters stay unresolved and conditions named.
    assert [item.kind for item in free_form(raw, ("D",)).A.items()] == ["absent", "conditional", "known", "unknown", "unknown"]


def test_the_parts_of_a_document_follow_the_environment_it_was_read_in():
    raw = {"Fn::If": ["Never", "no", {"Mode": {"Ref": "Mode"}, "Prod": {"Fn::If": ["IsProd", "p", "d"]}}]}
    document = read(raw, ANY, ("D",), Environment.of(TREE, {"Env": "prod", "Mode": "Active"}))
    assert document.Mode.literal == "Active" and document.Prod.literal == "p"
    listed = read({"Ref": "Subnets"}, ANY, ("S",), ENV)
    assert listed.literal == ["a", "b"] and [item.text() for item in listed.items()] == ["a", "b"]
