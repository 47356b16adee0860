"""Write the bad-input suite: files slens-lint must survive (report cleanly, or lint normally).

    python scripts/make_bad_inputs.py fixtures/bad-input          # the small files, as committed
    python scripts/make_bad_inputs.py /tmp/bad --large            # plus the large ones (about 30 MB)
    python scripts/make_bad_inputs.py /tmp/big --only large-template.yaml

Small files are committed under fixtures/bad-input/ (tests check they still match this script). The
large ones (deep nesting, a 5 MB template with 2,000 resources, a 10 MB scalar, an oversized file) are
only ever generated into a temporary folder, by tests/test_bad_input.py and benchmarks/benchmark.py.
Special files (FIFO, symlink loop, unreadable file, folder) are made by the tests themselves: git
cannot hold them.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path
from typing import Callable

SAM_HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'

VALID_SAM = SAM_HEADER + (
    "Resources:\n"
    "  Function:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: python3.12\n"
    "      Handler: app.handler\n"
    "      CodeUri: src/\n"
)

# Nested aliases: 9 references per level, 9 levels: 9^9 (387 million) strings once expanded.
_LAUGHS = ['lol: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
for _level in range(1, 10):
    _LAUGHS.append(f"l{_level}: &l{_level} [" + ", ".join([f"*l{_level - 1}"] * 9) + "]")
BILLION_LAUGHS = SAM_HEADER + "Metadata:\n" + "".join(f"  {line}\n" for line in _LAUGHS) + (
    "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags: *l9\n"
)

INTRINSICS_WRONG_SHAPE = SAM_HEADER + """\
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Parameters:
  Stage:
    Type: String
Resources:
  Function:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: !Sub {not: a string}
      Handler: !GetAtt 42
      CodeUri: !If [IsProd]
      MemorySize: !If [IsProd, 512]
      Timeout: {"Fn::NoSuchFunction": [1, 2]}
      Role: !GetAtt [Only]
      FunctionName: !Join [only-one-argument]
      Tracing: !Select "not a list"
      Layers: !Ref
      Environment:
        Variables: !FindInMap [Map]
      VpcConfig: !Split 7
      Events:
        Api:
          Type: Api
          Properties:
            RestApiId: !Ref [a, list]
            Path: !Base64 {a: b}
            Method: {"Ref": null}
      Policies: {"Fn::If": "IsProd"}
      AutoPublishAlias: {"Fn::Sub": [1, 2, 3]}
      DeploymentPreference: {"Fn::GetAZs": {"a": 1}, "Fn::Other": 2}
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: !GetAtt Function
      QueueName: !Sub ["${x}", "not a map"]
  LogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Cidr [1]
      LogGroupName: !ImportValue {}
Outputs:
  Out:
    Value: !GetAtt [Function, Arn, Extra]
"""


def _dup_top() -> str:
    return VALID_SAM + "Resources:\n  Other:\n    Type: AWS::SNS::Topic\n"


def _dup_props() -> str:
    return VALID_SAM + "      Runtime: nodejs20.x\n"


def _utf16() -> bytes:
    return codecs.BOM_UTF16_LE + VALID_SAM.encode("utf-16-le")


def _bom() -> bytes:
    return codecs.BOM_UTF8 + VALID_SAM.encode("utf-8")


def _invalid_utf8() -> bytes:
    return (VALID_SAM + "      Description: caf").encode("utf-8") + b"\xe9 \xff\xfe\n"


def _binary() -> bytes:
    # A PNG header and some bytes: what a mis-named image looks like.
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4


def _properties_list() -> str:
    return SAM_HEADER + (
        "Resources:\n"
        "  Function:\n    Type: AWS::Serverless::Function\n    Properties:\n      - Runtime: python3.12\n"
        "  Table:\n    Type: AWS::DynamoDB::Table\n    Properties: [1, 2]\n"
    )


def _properties_string() -> str:
    return SAM_HEADER + (
        "Resources:\n"
        "  Function:\n    Type: AWS::Serverless::Function\n    Properties: just a string\n"
        "  Queue:\n    Type: AWS::SQS::Queue\n    Properties: 42\n"
        "  Broken: a resource that is a string\n"
        "  NoType:\n    Properties: {}\n"
    )


SMALL: dict[str, Callable[[], str | bytes]] = {
    "empty.yaml": lambda: "",
    "only-comment.yaml": lambda: "# nothing here but a comment\n",
    "json-array.json": lambda: '[{"Resources": {}}]\n',
    "scalar.yaml": lambda: "just a string\n",
    "broken.yaml": lambda: SAM_HEADER + "Resources:\n  Function:\n    Type: [AWS::Serverless::Function\n",
    "tabs.yaml": lambda: SAM_HEADER + "Resources:\n\tFunction:\n\t\tType: AWS::Serverless::Function\n",
    "duplicate-top-level.yaml": _dup_top,
    "duplicate-property.yaml": _dup_props,
    "invalid-utf8.yaml": _invalid_utf8,
    "utf8-bom.yaml": _bom,
    "utf16.yaml": _utf16,
    "binary.yaml": _binary,
    "billion-laughs.yaml": lambda: BILLION_LAUGHS,
    "resources-null.yaml": lambda: SAM_HEADER + "Parameters:\nResources: null\n",
    "resources-empty.yaml": lambda: SAM_HEADER + "Parameters:\nResources:\n",
    "properties-list.yaml": _properties_list,
    "properties-string.yaml": _properties_string,
    "intrinsics-wrong-shape.yaml": lambda: INTRINSICS_WRONG_SHAPE,
    "valid.yaml": lambda: VALID_SAM,
}


# ---- large files -----------------------------------------------------------------------------

DEPTH = 5_000


def deep_yaml() -> str:
    # Flow style: 5,000 levels in 20 KB (block style would need 25 MB of indentation).
    return SAM_HEADER + "Resources:\n  Deep: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n"


def deep_json() -> str:
    return '{"Resources": {"Deep": ' + '{"a": ' * DEPTH + "1" + "}" * DEPTH + "}}\n"


def deep_json_list() -> str:
    return '{"Resources": {"Deep": ' + "[" * DEPTH + "]" * DEPTH + "}}\n"


def large_template(resources: int = 2_000, target_bytes: int = 5 * 1024 * 1024) -> str:
    """A SAM template of `resources` resources (functions, queues, tables, roles, log groups) padded
    with realistic inline policies and environment variables to about `target_bytes`."""
    groups = resources // 5
    # Each group is five resources; pad the function's environment so the file reaches the target.
    line = len(_group(0, padding=1)) - len(_group(0, padding=0))
    pad = max(0, (target_bytes // groups - len(_group(0, padding=0))) // line)
    parts = [
        SAM_HEADER,
        "Description: A generated 2,000-resource template (slens-lint bad-input and benchmark suite)\n",
        "Parameters:\n  Stage:\n    Type: String\n    Default: dev\n",
        "Conditions:\n  IsProd: !Equals [!Ref Stage, prod]\n",
        "Globals:\n  Function:\n    Runtime: python3.12\n    Timeout: 10\n    MemorySize: 256\n"
        "    Tracing: Active\n    Architectures: [arm64]\n",
        "Resources:\n",
    ]
    parts.extend(_group(i, pad) for i in range(groups))
    return "".join(parts)


def _group(i: int, padding: int) -> str:
    env = "".join(
        f"          SETTING_{k:03d}: !Sub 'arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:p/{i}/{k}'\n"
        for k in range(padding)
    )
    return f"""\
  Function{i}:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler_{i}
      CodeUri: src/
      Role: !GetAtt Role{i}.Arn
      Environment:
        Variables:
          TABLE: !Ref Table{i}
          QUEUE_URL: !Ref Queue{i}
{env}      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue{i}.Arn
            BatchSize: 10
        Api:
          Type: Api
          Properties:
            Path: /items/{i}
            Method: get
  Queue{i}:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
      RedrivePolicy:
        deadLetterTargetArn: !If [IsProd, !GetAtt Queue{i}.Arn, !Ref AWS::NoValue]
        maxReceiveCount: 3
  Table{i}:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
  Role{i}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: access
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:PutItem]
                Resource: !GetAtt Table{i}.Arn
              - Effect: Allow
                Action: [sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes]
                Resource: !GetAtt Queue{i}.Arn
  Logs{i}:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/${{Function{i}}}
      RetentionInDays: 30
"""


# The small templates start-up is measured on (benchmarks/benchmark.py) and whose imports are guarded
# (tests/test_startup.py): what pre-commit lints on one changed file.
THREE_LINES = "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n"

ONE_FUNCTION = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: One function behind an HTTP API
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Events:
        Hello:
          Type: HttpApi
          Properties:
            Path: /hello
            Method: get
"""


def many_findings_template(groups: int = 1_000) -> str:
    """A plain CloudFormation template of 2 x `groups` resources written to break many rules at once
    (eight findings per resource, 16,000 in all, with info findings shown): the cost of each finding, in every
    output format, is what it measures."""
    parts = ['AWSTemplateFormatVersion: "2010-09-09"\n', "Description: A generated template with many findings\n", "Resources:\n"]
    parts.extend(_finding_group(i) for i in range(groups))
    return "".join(parts)


def _finding_group(i: int) -> str:
    # x86, no tracing, no log group, no alias, no alarms, no MemorySize/Timeout, plain-text debug logs,
    # hard-coded secrets, and an S3 permission without a source condition (so: invoked asynchronously
    # with nowhere for failures to go).
    return f"""\
  Worker{i}:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code:
        ZipFile: "def handler(event, context): pass"
      Environment:
        Variables:
          LOG_LEVEL: DEBUG
          DB_PASSWORD: "hunter2-{i:05d}-secret"
          API_TOKEN: "tok-{i:05d}-abcdefabcdef"
          CLIENT_SECRET: "cs-{i:05d}-0123456789"
          SIGNING_KEY: "sk-{i:05d}-fedcba987654"
          ADMIN_PASSWORD: "admin-{i:05d}-pass"
  Worker{i}Permission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Worker{i}
      Principal: s3.amazonaws.com
"""


def big_scalar(size: int = 10_000_000) -> str:
    """One 10 MB string (a Description), the file still under the default 10 MiB limit."""
    return VALID_SAM.replace("Resources:", "Description: " + "x" * size + "\nResources:", 1)


def oversized(limit: int = 10 * 1024 * 1024) -> str:
    """A valid template one byte over the default --max-file-size: refused before it is read."""
    body = VALID_SAM + "Metadata:\n  Padding: "
    return body + "y" * (limit + 1 - len(body) - 1) + "\n"


LARGE: dict[str, Callable[[], str | bytes]] = {
    "deep-5000.yaml": deep_yaml,
    "deep-5000.json": deep_json,
    "deep-5000-list.json": deep_json_list,
    "large-template.yaml": large_template,
    "big-scalar.yaml": big_scalar,
    "oversized.yaml": oversized,
}


def write(folder: Path, names: dict[str, Callable[[], str | bytes]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in names.items():
        content = make()
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--large", action="store_true", help="also write the large files")
    parser.add_argument("--only", action="append", default=[], help="write only this file (repeatable)")
    args = parser.parse_args(argv)
    everything = {**SMALL, **LARGE}
    if args.only:
        unknown = [n for n in args.only if n not in everything]
        if unknown:
            parser.error(f"unknown file(s): {', '.join(unknown)}; known: {', '.join(everything)}")
        chosen = {n: everything[n] for n in args.only}
    else:
        chosen = everything if args.large else dict(SMALL)
    for path in write(args.folder, chosen):
        print(f"{path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
