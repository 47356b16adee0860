"""Suppression in templates: slens-lint's own Metadata and cfn-lint's ignore_checks, resource and
template level, canonical and cfn-lint ids, prefixes; and in the cfn-lint plugin route."""

from __future__ import annotations


import pytest

from conftest import lint_string

BASE = """\
AWSTemplateFormatVersion: "2010-09-09"
{template_metadata}
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
{resource_metadata}
    Properties:
      LogGroupName: /app/x
"""


def findings(template_metadata: str = "", resource_metadata: str = "") -> list[str]:
    text = BASE.format(template_metadata=template_metadata, resource_metadata=resource_metadata)
    return [f.rule_id for f in lint_string(text, select=("SL502",)).findings]


def test_unsuppressed():
    assert findings() == ["SL502"]


@pytest.mark.parametrize(
    "metadata",
    [
        "    Metadata:\n      slens-lint:\n        ignore:\n          - id: SL502\n            reason: kept for audit",
        "    Metadata:\n      slens-lint:\n        ignore: [WSL502]",
        "    Metadata:\n      slens-lint:\n        ignore: [SL5]",
        "    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks: [SL502]",
        "    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks: [WSL502]",
    ],
)
def test_resource_level(metadata):
    assert findings(resource_metadata=metadata) == []


@pytest.mark.parametrize(
    "metadata",
    [
        "Metadata:\n  slens-lint:\n    ignore:\n      - {id: SL502, reason: all groups are archived}",
        "Metadata:\n  cfn-lint:\n    config:\n      ignore_checks: [SL502]",
        "Metadata:\n  cfn-lint:\n    config:\n      ignore_checks: [WSL502]",
    ],
)
def test_template_level(metadata):
    assert findings(template_metadata=metadata) == []


def test_other_ids_do_not_suppress():
    metadata = "    Metadata:\n      slens-lint:\n        ignore: [SL501, SL1]"
    assert findings(resource_metadata=metadata) == ["SL502"]


def test_malformed_metadata_is_ignored_not_fatal():
    metadata = "    Metadata:\n      slens-lint: [1, 2]\n      other: {ignore: 7}"
    assert findings(resource_metadata=metadata) == ["SL502"]


def test_metadata_that_breaks_cfn_lint_is_linted_normally():
    # cfn-lint 1.58's own runner raises on a non-list ignore_checks; ours reads it as no directive and
    # lints the template, so a typo in Metadata never hides the file's other findings.
    text = BASE.format(template_metadata="", resource_metadata="    Metadata:\n      cfn-lint: {config: {ignore_checks: 7}}")
    result = lint_string(text, select=("SL502",))
    assert result.errors == []
    assert [f.rule_id for f in result.findings] == ["SL502"]
