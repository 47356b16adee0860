from __future__ import annotations

from typing import Iterator, Optional

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import invocations
from slens_lint.template.invocations import PollSource
from slens_lint.template.invocations.sources import hidden_source
from slens_lint.template.model import Template
from slens_lint.template.values import Truth, Value

REPORT = "ReportBatchItemFailures"
_SNIPPET = {"FunctionResponseTypes": [REPORT]}


class SqsSourceWithoutPartialBatchResponse(Rule):
    id = "SL311"
    severity = Severity.INFO
    severity_reason = (
        "info: without partial batch responses one failed message makes the whole batch retry; "
        "correct, only wasteful."
    )
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
    subject = "SQS event source"

    def subjects(self, template: Template) -> Iterator[PollSource]:
        facts = invocations.of(template)
        for source in facts.poll_sources:
            # SNS `SqsSubscription` mappings are SAM's own: their response types cannot be set.
            if source.kind is None or (source.kind == "SQS" and source.configurable):
                yield source

    def judge(self, source: PollSource, template: Template) -> Verdict:
        truth = _reports_failures(source.setting("FunctionResponseTypes")) | source.setting("BatchSize").test(_is_one)
        if source.kind is None:
            # What the mapping polls is hidden: a queue would need what is missing here.
            return self.met(source) if truth.always else self.undecidable(source, hidden_source(source))
        return self.expect(
            source,
            truth,
            f"{source.label} does not report batch item failures: when one message fails, the whole "
            f"batch is received and processed again.",
            at=source.at("FunctionResponseTypes"),
            fix="Report failed messages only (and return batchItemFailures from the handler):",
            snippet=_SNIPPET,
        )


def _reports_failures(value: Value) -> Truth:
    def check(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(False, leaf)
        if leaf.unknown:
            return Truth.of(None, leaf)
        return Truth.any_of((item.equals(REPORT, case_sensitive=True) for item in leaf.items()), default=False)

    return value.each(check)


def _is_one(value: Value) -> Optional[bool]:
    number = value.number()
    return None if number is None else number == 1
