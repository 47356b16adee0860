"""Text edits computed from the decoder's positions keep the file as written: comments, key order,
quoting, flow or block style, JSON indentation, CRLF, and the file's own indentation unit."""

from __future__ import annotations

import pytest

from slens_lint.fixes.edits import Edit, PlanError, Source, apply, overlapping, plan
from slens_lint.template.decode import decode

RETENTION = ("Resources", "Logs", "Properties", "RetentionInDays")

CASES = {
    "block, after the last entry, comments kept": (
        "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup   # audit\n    Properties:\n      LogGroupName: /app/x  # name\n  Next:\n    Type: X\n",
        "yaml", RETENTION, 30,
        "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup   # audit\n    Properties:\n      LogGroupName: /app/x  # name\n      RetentionInDays: 30\n  Next:\n    Type: X\n",
    ),
    "block, missing parent mapping created": (
        "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n  Next:\n    Type: X\n",
        "yaml", RETENTION, 30,
        "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 30\n  Next:\n    Type: X\n",
    ),
    "four-space indentation, after a nested block and before a comment": (
        "Resources:\n    Fn:\n        Type: AWS::Serverless::Function\n        Properties:\n            Events:\n                A:\n                    Type: SQS\n# trailing comment\nOutputs: {}\n",
        "yaml", ("Resources", "Fn", "Properties", "Tracing"), "Active",
        "Resources:\n    Fn:\n        Type: AWS::Serverless::Function\n        Properties:\n            Events:\n                A:\n                    Type: SQS\n            Tracing: Active\n# trailing comment\nOutputs: {}\n",
    ),
    "flow mapping": (
        "Resources:\n  Logs: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: x}}\n",
        "yaml", RETENTION, 30,
        "Resources:\n  Logs: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: x, RetentionInDays: 30}}\n",
    ),
    "empty flow mapping": (
        "Resources:\n  Logs: {Type: AWS::Logs::LogGroup, Properties: {}}\n",
        "yaml", RETENTION, 30,
        "Resources:\n  Logs: {Type: AWS::Logs::LogGroup, Properties: {RetentionInDays: 30}}\n",
    ),
    "JSON, four spaces": (
        '{\n    "Resources": {\n        "Logs": {\n            "Type": "AWS::Logs::LogGroup",\n            "Properties": {\n                "LogGroupName": "x"\n            }\n        }\n    }\n}\n',
        "json", RETENTION, 30,
        '{\n    "Resources": {\n        "Logs": {\n            "Type": "AWS::Logs::LogGroup",\n            "Properties": {\n                "LogGroupName": "x",\n                "RetentionInDays": 30\n            }\n        }\n    }\n}\n',
    ),
    "JSON, two spaces, missing mapping": (
        '{\n  "Resources": {\n    "Logs": {\n      "Type": "AWS::Logs::LogGroup"\n    }\n  }\n}\n',
        "json", RETENTION, 30,
        '{\n  "Resources": {\n    "Logs": {\n      "Type": "AWS::Logs::LogGroup",\n      "Properties": {\n        "RetentionInDays": 30\n      }\n    }\n  }\n}\n',
    ),
    "CRLF kept": (
        "Resources:\r\n  Logs:\r\n    Type: AWS::Logs::LogGroup\r\n    Properties:\r\n      LogGroupName: x\r\n",
        "yaml", RETENTION, 30,
        "Resources:\r\n  Logs:\r\n    Type: AWS::Logs::LogGroup\r\n    Properties:\r\n      LogGroupName: x\r\n      RetentionInDays: 30\r\n",
    ),
    "replace a number (no mark) keeping the comment": (
        "Resources:\n  Fn:\n    Properties:\n      Timeout: 3 # seconds\n",
        "yaml", ("Resources", "Fn", "Properties", "Timeout"), 30,
        "Resources:\n  Fn:\n    Properties:\n      Timeout: 30 # seconds\n",
    ),
    "replace a string": (
        "Resources:\n  Fn:\n    Properties:\n      Tracing: PassThrough # x\n",
        "yaml", ("Resources", "Fn", "Properties", "Tracing"), "Active",
        "Resources:\n  Fn:\n    Properties:\n      Tracing: Active # x\n",
    ),
    "a new Globals section before Resources": (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n",
        "yaml", ("Globals", "Function", "Tracing"), "Active",
        "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Tracing: Active\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n",
    ),
    "a new resource with intrinsics in short form": (
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n",
        "yaml", ("Resources", "FnLogGroup"), {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "/aws/lambda/${Fn}"}, "RetentionInDays": 30}},
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n  FnLogGroup:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub '/aws/lambda/${Fn}'\n      RetentionInDays: 30\n",
    ),
}


APPENDS = {
    "block list: one more item at the dash's column": (
        "Resources:\n  Api:\n    Properties:\n      MethodSettings:\n        - HttpMethod: GET\n          ResourcePath: /a\n      StageName: x\n",
        "yaml", ("Resources", "Api", "Properties", "MethodSettings"), {"HttpMethod": "*", "ResourcePath": "/*"},
        "Resources:\n  Api:\n    Properties:\n      MethodSettings:\n        - HttpMethod: GET\n          ResourcePath: /a\n"
        "        - HttpMethod: '*'\n          ResourcePath: /*\n      StageName: x\n",
    ),
    "missing list created": (
        "Resources:\n  Api:\n    Properties:\n      StageName: x\n",
        "yaml", ("Resources", "Api", "Properties", "MethodSettings"), {"HttpMethod": "*"},
        "Resources:\n  Api:\n    Properties:\n      StageName: x\n      MethodSettings:\n        - HttpMethod: '*'\n",
    ),
    "flow list": (
        "Resources:\n  Api:\n    Properties: {MethodSettings: [{HttpMethod: GET}]}\n",
        "yaml", ("Resources", "Api", "Properties", "MethodSettings"), {"HttpMethod": "*"},
        'Resources:\n  Api:\n    Properties: {MethodSettings: [{HttpMethod: GET}, {"HttpMethod": "*"}]}\n',
    ),
    "JSON array, members in the file's unit": (
        '{\n  "A": {\n    "L": [\n      {"H": "GET"}\n    ]\n  }\n}\n',
        "json", ("A", "L"), {"H": "*", "X": 1},
        '{\n  "A": {\n    "L": [\n      {"H": "GET"},\n      {\n        "H": "*",\n        "X": 1\n      }\n    ]\n  }\n}\n',
    ),
}


@pytest.mark.parametrize("text, fmt, path, value, expected", list(APPENDS.values()), ids=list(APPENDS))
def test_append_keeps_the_list_style(text, fmt, path, value, expected):
    tree, _ = decode(text)
    out = apply(text, plan(Source(text, fmt), tree, path, value, append=True))
    assert out == expected and decode(out)[1] == []


def test_lists_of_strings_change_item_by_item():
    block = "Resources:\n  Fn:\n    Properties:\n      Architectures:\n      - x86_64 # cpu\n"
    flow = "Resources:\n  Fn:\n    Properties:\n      Architectures: [x86_64]  # cpu\n"
    for text, expected in (
        (block, "Resources:\n  Fn:\n    Properties:\n      Architectures:\n      - arm64 # cpu\n"),
        (flow, 'Resources:\n  Fn:\n    Properties:\n      Architectures: ["arm64"]  # cpu\n'),
    ):
        tree, _ = decode(text)
        assert apply(text, plan(Source(text, "yaml"), tree, ("Resources", "Fn", "Properties", "Architectures"), ["arm64"])) == expected


@pytest.mark.parametrize("text, fmt, path, value, expected", list(CASES.values()), ids=list(CASES))
def test_edit_keeps_the_file_as_written(text, fmt, path, value, expected):
    tree, problems = decode(text)
    assert problems == []
    before = "Resources" if path[0] == "Globals" else None
    out = apply(text, plan(Source(text, fmt), tree, path, value, before=before))
    assert out == expected
    again, problems = decode(out)
    assert problems == [] and again is not None


def test_an_intrinsic_where_a_mapping_is_needed_is_no_fix():
    text = "Resources:\n  Fn:\n    Properties: !If [C, {A: 1}, {A: 2}]\n"
    tree, _ = decode(text)
    with pytest.raises(PlanError):
        plan(Source(text, "yaml"), tree, ("Resources", "Fn", "Properties", "Tracing"), "Active")


def test_overlap_is_detected_and_edits_apply_in_order():
    assert overlapping([Edit(5, 8, "x")], [Edit(7, 9, "y")]) and overlapping([Edit(5, 5, "a")], [Edit(5, 5, "a")])
    assert overlapping([Edit(5, 5, "a")], [Edit(5, 7, "b")])  # an insertion where a replacement starts
    assert not overlapping([Edit(1, 2, "x")], [Edit(2, 3, "y")])
    assert not overlapping([Edit(5, 5, "a")], [Edit(5, 5, "b")])  # two insertions at one place
    assert apply("abcdef", [Edit(4, 5, "E"), Edit(0, 1, "A")]) == "AbcdEf"


def test_insertions_at_one_place_go_deepest_first():
    text = "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: x\n"
    end = len(text) - 1
    new_resource = Edit(end, end, "\n  More:\n    Type: AWS::SNS::Topic")
    retention = Edit(end, end, "\n      RetentionInDays: 30")
    for order in ([new_resource, retention], [retention, new_resource]):
        assert apply(text, order) == text[:-1] + "\n      RetentionInDays: 30\n  More:\n    Type: AWS::SNS::Topic\n"
