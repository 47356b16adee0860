"""Intrinsic expressions as written: what they refer to, and when two name expressions are equal."""

from __future__ import annotations

import pytest

from slens_lint.template import expressions as E


@pytest.mark.parametrize(
    "value, expected",
    [
        ({"Ref": "Fn"}, {"Fn"}),
        ({"Ref": "AWS::Region"}, set()),
        ({"Fn::GetAtt": ["Role", "Arn"]}, {"Role"}),
        ({"Fn::GetAtt": "Role.Arn"}, {"Role"}),
        ({"Fn::Sub": "arn:${AWS::Partition}:x:${Bucket}/${Fn.Arn}/${!Literal}"}, {"Bucket", "Fn"}),
        ({"Fn::Sub": ["${A}-${B}", {"A": {"Ref": "Param"}}]}, {"B", "Param"}),
        ({"Fn::Join": ["", [{"Ref": "X"}, {"Fn::If": ["C", {"Ref": "Y"}, "z"]}]]}, {"X", "Y"}),
        ({"Fn::Sub": 42}, set()),
        ({"Fn::GetAtt": 7}, set()),
        ([1, None, {"Unknown": {"Ref": "Deep"}}], {"Deep"}),
    ],
)
def test_references(value, expected):
    assert E.references(value) == expected


@pytest.mark.parametrize(
    "a, b",
    [
        ({"Fn::Sub": "/aws/lambda/${Fn}"}, {"Fn::Join": ["", ["/aws/lambda/", {"Ref": "Fn"}]]}),
        ({"Fn::Sub": "/aws/lambda/${Fn}"}, {"Fn::Sub": ["/aws/lambda/${Name}", {"Name": {"Ref": "Fn"}}]}),
        ({"Fn::Sub": "${AWS::StackName}-x"}, {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "x"]]}),
        ("plain", {"Fn::Sub": "plain"}),
        ({"Fn::Sub": "a-${R.Arn}"}, {"Fn::Join": ["", ["a-", {"Fn::GetAtt": ["R", "Arn"]}]]}),
    ],
)
def test_same_string_equal_forms(a, b):
    assert E.same_string(a, b)


@pytest.mark.parametrize(
    "a, b",
    [
        ({"Fn::Sub": "/aws/lambda/${Fn}"}, {"Fn::Sub": "/aws/lambda/${Other}"}),
        ({"Fn::Sub": "/aws/lambda/${Fn}"}, {"Fn::FindInMap": ["M", "a", "b"]}),
        ({"Fn::ImportValue": "x"}, {"Fn::ImportValue": "x"}),
        (True, "true"),
    ],
)
def test_same_string_unknown_or_different_is_unequal(a, b):
    assert not E.same_string(a, b)


def test_literal_string_and_getatt():
    assert E.literal_string({"Fn::Join": ["", ["a", "b"]]}) == "ab"
    assert E.literal_string({"Fn::Sub": "x-${Y}"}) is None
    assert E.getatt({"Fn::GetAtt": "A.B.C"}) == ("A", "B.C")
    assert E.getatt({"Fn::GetAtt": ["A"]}) is None
    assert E.ref_target({"Ref": "AWS::NoValue"}) is None and E.ref_target({"Fn::GetAtt": "Q.Arn"}) == "Q"
