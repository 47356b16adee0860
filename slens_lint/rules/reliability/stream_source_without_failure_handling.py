from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics, invocations
from slens_lint.legacy.intrinsics import Unknown
from slens_lint.legacy.invocations import PollSource
from slens_lint.legacy.model import Template

# Kinesis and DynamoDB streams take retry limits and bisection on every mapping. Kafka mappings take
# them only in provisioned mode, and with an on-failure destination Lambda caps infinite retries at
# 10 by itself, so for Kafka the destination is what matters. DocumentDB mappings support neither.
RETRY_KINDS = frozenset({"Kinesis", "DynamoDB"})
DESTINATION_KINDS = frozenset({"Kinesis", "DynamoDB", "MSK", "SelfManagedKafka"})


class StreamSourceWithoutFailureHandling(Rule):
    id = "SL306"
    severity = Severity.WARNING
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

    def check(self, template: Template) -> Iterator[Violation]:
        facts = invocations.of(template)
        for source in facts.streams():
            if source.kind not in DESTINATION_KINDS:
                continue
            no_destination = not _has_destination(source.settings)
            unbounded = source.kind in RETRY_KINDS and _retries_unbounded(source.settings)
            if not (no_destination or unbounded):
                continue
            yield self._violation(template, source, no_destination, unbounded)

    def _violation(self, template: Template, source: PollSource, no_destination: bool, unbounded: bool) -> Violation:
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
        if no_destination:
            snippet["DestinationConfig"] = {
                "OnFailure": {"Destination": {"Fn::GetAtt": ["StreamFailures", "Arn"]}}
            }
            if source.event is not None:
                snippet["DestinationConfig"]["OnFailure"]["Type"] = "SQS"
        at = ("DestinationConfig", "OnFailure") if no_destination else ("MaximumRetryAttempts",)
        message = f"{source.label}: {'; '.join(risks)}."
        where = "the event's Properties" if source.event is not None else f"'{source.resource.logical_id}'"
        fix = f"Add to {where}:"
        if source.event is not None:
            return self.report(template, source.resource, message, path=_event_path(source, at), fix=fix, snippet=snippet)
        return self.report(template, source.resource, message, at=at, fix=fix, snippet=snippet)


def _event_path(source: PollSource, at: tuple[str, ...]) -> tuple[Any, ...]:
    """The event itself when the property is missing, else the property (under `Properties`)."""
    assert source.event is not None
    if at[0] in source.settings:
        return source.event.prop_path(at[0])
    return source.event.path


def _has_destination(settings: dict[str, Any]) -> bool:
    """Some branch names a destination (or cannot be read): only a destination surely absent counts."""
    values = intrinsics.values_at(settings, "DestinationConfig", "OnFailure", "Destination")
    return any(v is not None for v in values)


def _retries_unbounded(settings: dict[str, Any]) -> bool:
    """True when every branch leaves retries infinite and batches whole."""
    retries = intrinsics.values_at(settings, "MaximumRetryAttempts")
    age = intrinsics.values_at(settings, "MaximumRecordAgeInSeconds")
    bisect = intrinsics.values_at(settings, "BisectBatchOnFunctionError")
    return all(_infinite(v) for v in retries) and all(_infinite(v) for v in age) and all(
        intrinsics.truthy(v) is False or v is None for v in bisect
    )


def _infinite(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, Unknown) or intrinsics.is_intrinsic(value):
        return False
    try:
        return int(value) == -1
    except (TypeError, ValueError):
        return False
