from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.model import Template


class LogGroupWithoutRetention(Rule):
    id = "SL502"
    severity = Severity.WARNING
    title = "Log group without retention"
    practice = "Cost optimization 2: Optimize logging output and its retention"
    rationale = (
        "An `AWS::Logs::LogGroup` without `RetentionInDays` keeps every log event forever. Storage "
        "cost grows without bound, and logs outlive any data-retention policy."
    )
    fix = "Set `RetentionInDays` to the period the logs are needed for (for example 7, 30 or 365)."
    example = {
        "Resources": {
            "AppLogs": {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {"LogGroupName": "/app/orders", "RetentionInDays": 30},
            }
        }
    }
    use_instead = "If the logs must be kept indefinitely for compliance, suppress the finding on that log group with the reason."
    references = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html",)
    service = "logs"
    resource_types = ("AWS::Logs::LogGroup",)

    def check(self, template: Template) -> Iterator[Violation]:
        for group in template.of_type("AWS::Logs::LogGroup"):
            if not intrinsics.is_set(group.raw_properties.get("RetentionInDays")):
                yield self.report(
                    template,
                    group,
                    f"Log group '{group.logical_id}' has no RetentionInDays: its logs are kept forever.",
                    at=("RetentionInDays",),
                    fix="Set RetentionInDays:",
                    snippet={"RetentionInDays": 30},
                )
