from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import fix_names, queue_fixes
from slens_lint.rules.base import Rule
from slens_lint.template import invocations
from slens_lint.template.invocations import PollSource
from slens_lint.template.invocations.sources import hidden_source
from slens_lint.template.model import Template
from slens_lint.template.values import Truth, Value

# Kinesis and DynamoDB streams take retry limits and bisection on every mapping. Kafka mappings take
# them only in provisioned mode, and with an on-failure destination Lambda caps infinite retries at
# 10 by itself, so for Kafka the destination is what matters. DocumentDB mappings support neither.
RETRY_KINDS = frozenset({"Kinesis", "DynamoDB"})
DESTINATION_KINDS = frozenset({"Kinesis", "DynamoDB", "MSK", "SelfManagedKafka"})


class StreamSourceWithoutFailureHandling(Rule):
    id = "SL306"
    severity = Severity.WARNING
    severity_reason = (
        "warning: failure handling is a design-card check; a failing record blocks its shard for up "
        "to the retention period."
    )
    title = "Stream event source without an on-failure destination or bounded retries"
    practice = "Reliability 4: Handle transactional, partial and intermittent failures"
    rationale = (
        "A stream (Kinesis, DynamoDB Streams, Amazon MSK, self-managed Kafka) is read in order per "
        "shard or partition. When a batch fails, Lambda retries it - by default until the records expire "
        "(24 hours to a year for Kinesis, 24 hours for DynamoDB) - and the shard makes no progress "
        "meanwhile: one bad record stops everything behind it and the iterator age climbs. When the "
        "records finally expire or retries run out, they are skipped with no trace unless the mapping "
        "has an on-failure destination. Bounded `MaximumRetryAttempts` (or `MaximumRecordAgeInSeconds`), "
        "or `BisectBatchOnFunctionError` to isolate the bad record, keep the shard moving; the "
        "destination keeps what was skipped. SQS sources are not concerned: they do not support "
        "`DestinationConfig`, their queue's `RedrivePolicy` does this job."
    )
    fix = (
        "Set `DestinationConfig.OnFailure.Destination` (an SQS queue, SNS topic or S3 bucket) on the "
        "SAM event or `AWS::Lambda::EventSourceMapping`; for Kinesis and DynamoDB also bound the "
        "retries (`MaximumRetryAttempts`, `MaximumRecordAgeInSeconds`) or set "
        "`BisectBatchOnFunctionError: true`."
    )
    example = {
        "Resources": {
            "OrdersStreamFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "Events": {
                        "Orders": {
                            "Type": "Kinesis",
                            "Properties": {
                                "Stream": {"Fn::GetAtt": ["OrdersStream", "Arn"]},
                                "StartingPosition": "LATEST",
                                "MaximumRetryAttempts": 3,
                                "BisectBatchOnFunctionError": True,
                                "DestinationConfig": {
                                    "OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": ["OrdersFailures", "Arn"]}}
                                },
                            },
                        }
                    },
                },
            },
            "OrdersStream": {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": 1}},
            "OrdersFailures": {"Type": "AWS::SQS::Queue"},
        }
    }
    example_bad = {
        "Resources": {
            "OrdersStreamMapping": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {
                    "FunctionName": {"Ref": "OrdersStreamFunction"},
                    "EventSourceArn": {"Fn::GetAtt": ["OrdersTable", "StreamArn"]},
                    "StartingPosition": "LATEST",
                },
            }
        }
    }
    use_instead = (
        "If every record must be processed in order and blocking the shard until an operator steps in "
        "is the intended behaviour (with an alarm on iterator age), suppress the finding on the mapping "
        "or function with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "lambda"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::EventSourceMapping")
    subject = "stream event source"

    def subjects(self, template: Template) -> Iterator[PollSource]:
        facts = invocations.of(template)
        for source in facts.poll_sources:
            if source.kind is None or source.kind in DESTINATION_KINDS:
                yield source

    def judge(self, source: PollSource, template: Template) -> Verdict:
        has_destination = source.setting("DestinationConfig").OnFailure.Destination.given()
        if source.kind is None:
            # What the mapping polls is hidden: a stream would need what is missing here.
            if has_destination.always and _bounded(source).always:
                return self.met(source)
            return self.undecidable(source, hidden_source(source))
        checks_retries = source.kind in RETRY_KINDS
        bounded = _bounded(source) if checks_retries else Truth.of(True)
        no_destination = has_destination.may_fail
        unbounded = bounded.may_fail
        risks = []
        if unbounded:
            risks.append(
                "retries are unbounded and batches are not bisected, so one bad record blocks its shard "
                "until the records expire"
            )
        if no_destination:
            risks.append("it has no on-failure destination, so records skipped after failing are lost")
        snippet: dict[str, Any] = {}
        if unbounded:
            snippet.update({"MaximumRetryAttempts": 3, "BisectBatchOnFunctionError": True})
        created: dict[str, Any] = {}
        if no_destination:
            failures = queue_fixes.failure_queue(template, f"{_owner_name(source)}Failures", created)
            snippet["DestinationConfig"] = {"OnFailure": {"Destination": queue_fixes.arn(failures)}}
            if source.event is not None:
                snippet["DestinationConfig"]["OnFailure"]["Type"] = "SQS"
        if no_destination or not unbounded:
            at = source.at("DestinationConfig", "OnFailure")
        else:
            at = source.at("MaximumRetryAttempts")
        where = "the event's Properties" if source.event is not None else f"'{source.resource.logical_id}'"
        what = " and ".join(
            part for part, needed in (
                ("bounded retries with batch bisection", unbounded),
                ("an on-failure destination (DestinationConfig.OnFailure)", no_destination),
            ) if needed
        )
        return self.expect(
            source,
            has_destination & bounded,
            f"{source.label}: {'; '.join(risks)}.",
            at=at,
            fix=f"Add {what} to {where}:",
            snippet=_placed(source, snippet, created),
        )


def _owner_name(source: PollSource) -> str:
    """What a queue for the source's failures is named after: the function and event, or the mapping."""
    if source.event is not None:
        return f"{source.event.owner.logical_id}{source.event.name}"
    return source.resource.logical_id


def _placed(source: PollSource, settings: dict[str, Any], created: dict[str, Any]) -> dict[str, Any]:
    """The settings alone, or, beside the queue the snippet creates, where they go."""
    if not created:
        return settings
    if source.event is not None:
        properties = {"Events": {source.event.name: {"Properties": settings}}}
        return fix_names.fragment(source.event.owner.logical_id, properties, created)
    return fix_names.fragment(source.resource.logical_id, settings, created)


def _bounded(source: PollSource) -> Truth:
    """Retries bounded (by count or record age) or batches bisected, per branch."""
    return (
        source.setting("MaximumRetryAttempts").test(_finite)
        | source.setting("MaximumRecordAgeInSeconds").test(_finite)
        | source.setting("BisectBatchOnFunctionError").is_true()
    )


def _finite(value: Value) -> Optional[bool]:
    number = value.number()
    return None if number is None else number != -1
