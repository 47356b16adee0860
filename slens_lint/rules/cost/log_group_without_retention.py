from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Change, Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_settings import LOG_RETENTION_DAYS as RETENTION
from slens_lint.template.model import Template
from slens_lint.template.resources.other import LogGroup


class LogGroupWithoutRetention(Rule):
    id = "SL502"
    severity = Severity.WARNING
    severity_reason = (
        "warning: log retention is a design-card check; logs kept forever are a cost that only grows."
    )
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

    subject = "log group"
    fix_safety = "safe"
    fix_title = "set RetentionInDays"
    fix_settings = (RETENTION,)

    def subjects(self, template: Template) -> Iterator[LogGroup]:
        return template.of(LogGroup)

    def judge(self, group: LogGroup, template: Template) -> Verdict:
        retention = group.props.RetentionInDays
        return self.expect(
            group,
            retention.given(),
            f"Log group '{group.logical_id}' has no RetentionInDays: its logs are kept forever.",
            fix="Set RetentionInDays:",
            snippet={"RetentionInDays": RETENTION},
            changes=(Change(group.props_path + ("RetentionInDays",), RETENTION),),
        )
