from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics, invocations
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template

REPORT = "ReportBatchItemFailures"
_SNIPPET = {"FunctionResponseTypes": [REPORT]}


class SqsSourceWithoutPartialBatchResponse(Rule):
    id = "SL311"
    severity = Severity.INFO
    title = "SQS event source without partial batch responses"
    practice = "Reliability 4: Handle transactional, partial and intermittent failures"
    rationale = (
        "Lambda deletes a batch of SQS messages only when the whole invocation succeeds. When one message "
        "fails and the function raises, every message of the batch becomes visible again and is processed "
        "again, including those that had succeeded: duplicate side effects, wasted invocations, and "
        "healthy messages counted towards the redrive policy's `maxReceiveCount` with the bad one. With "
        "`FunctionResponseTypes: [ReportBatchItemFailures]` the function returns the ids of the failed "
        "messages (`batchItemFailures`; Powertools' batch utility does it) and only those come back. "
        "Mappings with `BatchSize: 1` are not reported: their batch is the message."
    )
    fix = (
        "Set `FunctionResponseTypes: [ReportBatchItemFailures]` on the SAM `SQS` event or the "
        "`AWS::Lambda::EventSourceMapping`, and return `batchItemFailures` from the handler."
    )
    example = {
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "Events": {
                        "Orders": {
                            "Type": "SQS",
                            "Properties": {
                                "Queue": {"Fn::GetAtt": ["OrdersQueue", "Arn"]},
                                "BatchSize": 10,
                                "FunctionResponseTypes": [REPORT],
                            },
                        }
                    },
                },
            }
        }
    }
    use_instead = (
        "If the handler processes a batch as one unit (all or nothing, such as one transactional write), "
        "suppress the finding on the function or mapping with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting",
        "https://docs.powertools.aws.dev/lambda/python/latest/utilities/batch/",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "sqs"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::EventSourceMapping")

    def check(self, template: Template) -> Iterator[Violation]:
        facts = invocations.of(template)
        for source in facts.sqs_sources():
            # SNS `SqsSubscription` mappings are SAM's own: their response types cannot be set.
            if source.event is not None and source.event.type != "SQS":
                continue
            settings = source.settings
            if _reports_failures(settings.get("FunctionResponseTypes")) or _single_message(settings.get("BatchSize")):
                continue
            message = (
                f"{source.label} does not report batch item failures: when one message fails, the whole "
                f"batch is received and processed again."
            )
            fix = "Report failed messages only (and return batchItemFailures from the handler):"
            if source.event is not None:
                path = (
                    source.event.prop_path("FunctionResponseTypes")
                    if "FunctionResponseTypes" in settings
                    else source.event.path
                )
                yield self.report(template, source.resource, message, path=path, fix=fix, snippet=_SNIPPET)
            else:
                yield self.report(
                    template, source.resource, message, at=("FunctionResponseTypes",), fix=fix, snippet=_SNIPPET
                )


def _reports_failures(value: Any) -> bool:
    """True when some branch asks for it, or cannot be read."""
    for branch in intrinsics.branches(value):
        if branch is None or branch is NO_VALUE:
            continue
        items = intrinsics.as_list(branch)
        if items is None:
            return True
        if any(intrinsics.literal_string(item) in (REPORT, None) for item in items):
            return True
    return False


def _single_message(value: Any) -> bool:
    values = intrinsics.branches(value)
    return bool(values) and all(_is_one(v) for v in values)


def _is_one(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        return int(value) == 1
    except (TypeError, ValueError):
        return False
