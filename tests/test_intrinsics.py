from __future__ import annotations

import pytest

from slens_lint.legacy import intrinsics as I


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
    assert I.references(value) == expected


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
    assert I.same_string(a, b)


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
    assert not I.same_string(a, b)


def test_branches_expand_nested_if_and_novalue():
    value = {"Fn::If": ["A", {"Fn::If": ["B", 1, 2]}, {"Ref": "AWS::NoValue"}]}
    assert I.branches(value) == [1, 2, I.NO_VALUE]
    assert I.branches(5) == [5]
    broken = I.branches({"Fn::If": ["OnlyOne"]})
    assert len(broken) == 1 and isinstance(broken[0], I.Unknown)


def test_literal_string_and_truthy():
    assert I.literal_string({"Fn::Join": ["", ["a", "b"]]}) == "ab"
    assert I.literal_string({"Fn::Sub": "x-${Y}"}) is None
    assert I.truthy("TRUE") is True and I.truthy(False) is False and I.truthy({"Ref": "P"}) is None


def test_as_list_and_getatt():
    assert I.as_list({"Ref": "Subnets"}) is None
    assert I.as_list("one") == ["one"]
    assert I.getatt({"Fn::GetAtt": "A.B.C"}) == ("A", "B.C")
    assert I.getatt({"Fn::GetAtt": ["A"]}) is None


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, False),
        (True, True),
        ("false", False),
        ({"Fn::If": ["C", True, "true"]}, True),
        ({"Fn::If": ["C", False, {"Ref": "AWS::NoValue"}]}, False),
        ({"Fn::If": ["C", True, False]}, None),
        ({"Fn::If": ["C", True, {"Ref": "Flag"}]}, None),
        ({"Ref": "Flag"}, None),
    ],
)
def test_bool_branches(value, expected):
    assert I.bool_branches(value) is expected


def test_bool_value_reads_absent_as_false_and_unknown_as_none():
    assert I.bool_value(None) is False and I.bool_value(I.NO_VALUE) is False
    assert I.bool_value(I.Unknown(raw="true")) is None
    assert I.bool_value("True") is True


def test_is_set():
    assert not I.is_set(None)
    assert not I.is_set({"Fn::If": ["C", {"Ref": "AWS::NoValue"}, None]})
    assert I.is_set({"Fn::If": ["C", {"Ref": "AWS::NoValue"}, 512]})
    assert I.is_set({"Ref": "Memory"}) and I.is_set(0) and I.is_set("")
