from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import fix_names, queue_fixes
from slens_lint.rules.base import Rule
from slens_lint.template import invocations
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function, SamFunction


INVOKE_CONFIG = "AWS::Lambda::EventInvokeConfig"


class AsyncFunctionWithoutFailureDestination(Rule):
    id = "SL305"
    severity = Severity.WARNING
    severity_reason = (
        "warning: failure handling is a design-card check; an asynchronous event that fails three "
        "times is dropped silently."
    )
    title = "Asynchronously invoked function without an on-failure destination or dead-letter queue"
    practice = "Reliability 4: Handle transactional, partial and intermittent failures"
    rationale = (
        "S3 notifications, SNS, EventBridge rules and schedules, EventBridge Scheduler, CloudWatch Logs "
        "subscriptions, IoT rules and SES receipt rules invoke a function asynchronously: Lambda queues "
        "the event, retries twice when the function fails (and keeps retrying throttled events for up "
        "to six hours), then discards it. Without an on-failure destination or a dead-letter queue the "
        "event is gone with no trace but a log line, and nothing can replay it. Functions only called "
        "synchronously (API Gateway, function URLs, Cognito triggers, Step Functions) or through event "
        "source mappings are not concerned: the caller or the mapping handles their failures."
    )
    fix = (
        "Give the function an on-failure destination (SAM `EventInvokeConfig.DestinationConfig.OnFailure`, "
        "or an `AWS::Lambda::EventInvokeConfig` with `DestinationConfig.OnFailure`) or a dead-letter queue "
        "(SAM `DeadLetterQueue`, CloudFormation `DeadLetterConfig.TargetArn`), and alarm on it."
    )
    example = {
        "Resources": {
            "ThumbnailFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "EventInvokeConfig": {
                        "MaximumRetryAttempts": 2,
                        "DestinationConfig": {
                            "OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": ["ThumbnailFailures", "Arn"]}}
                        },
                    },
                    "Events": {
                        "Upload": {
                            "Type": "S3",
                            "Properties": {"Bucket": {"Ref": "Uploads"}, "Events": "s3:ObjectCreated:*"},
                        }
                    },
                },
            },
            "ThumbnailFailures": {"Type": "AWS::SQS::Queue"},
            "Uploads": {"Type": "AWS::S3::Bucket"},
        }
    }
    example_bad = {
        "Resources": {
            "ThumbnailFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "Events": {
                        "Upload": {
                            "Type": "S3",
                            "Properties": {"Bucket": {"Ref": "Uploads"}, "Events": "s3:ObjectCreated:*"},
                        }
                    },
                },
            },
            "Uploads": {"Type": "AWS::S3::Bucket"},
        }
    }
    use_instead = (
        "If losing an event is acceptable (a schedule that runs again in a minute, an idempotent "
        "re-sync), or the handler catches every error and stores the event itself, suppress the finding "
        "on the function with that reason. A dead-letter queue on the EventBridge target or SNS "
        "subscription does not replace this one: it only receives what could not be delivered, not what "
        "the function failed on."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventinvokeconfiguration.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "lambda"
    resource_types = (
        "AWS::Serverless::Function",
        "AWS::Lambda::Function",
        "AWS::Lambda::EventInvokeConfig",
        "AWS::Lambda::Permission",
        "AWS::S3::Bucket",
        "AWS::SNS::Subscription",
        "AWS::Events::Rule",
        "AWS::Scheduler::Schedule",
        "AWS::Logs::SubscriptionFilter",
        "AWS::IoT::TopicRule",
        "AWS::SES::ReceiptRule",
    )
    subject = "asynchronously invoked function"

    def subjects(self, template: Template) -> Iterator[Function]:
        return invocations.of(template).async_functions()

    def judge(self, function: Function, template: Template) -> Verdict:
        facts = invocations.of(template)
        function_id = function.logical_id
        callers = ", ".join(sorted({s.service for s in facts.async_sources_of(function_id)}))
        created: dict[str, Any] = {}
        failures = queue_fixes.failure_queue(template, f"{function_id}Failures", created)
        if isinstance(function, SamFunction):
            fix = f"Add an on-failure destination (or a DeadLetterQueue) to '{function_id}', and alarm on it:"
            local = {"EventInvokeConfig": {"DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": queue_fixes.arn(failures)}}}}
            snippet: dict[str, Any] = fix_names.fragment(function_id, local, created)
            at = function.props.EventInvokeConfig.DestinationConfig.OnFailure
        else:
            fix = (
                f"Add an AWS::Lambda::EventInvokeConfig with an on-failure destination for "
                f"'{function_id}' (or a DeadLetterConfig on the function; its role must be allowed to "
                f"send there), and alarm on it:"
            )
            destination = {"DestinationConfig": {"OnFailure": {"Destination": queue_fixes.arn(failures)}}}
            existing = next(iter(template.referrers(function_id, INVOKE_CONFIG)), None)
            if existing is not None:
                # The function's own invoke config gets the destination: a second one would conflict.
                fix = f"Add an on-failure destination to '{existing.logical_id}' (the function's role must be allowed to send there), and alarm on it:"
                snippet = fix_names.fragment(existing.logical_id, destination, created)
            else:
                config, _ = fix_names.resource_name(template, f"{function_id}InvokeConfig")
                properties = {"FunctionName": {"Ref": function_id}, "Qualifier": "$LATEST", **destination}
                snippet = {config: {"Type": INVOKE_CONFIG, "Properties": properties}, **created}
            at = function.props.DeadLetterConfig
        return self.expect(
            function,
            facts.async_failure_handled(function),
            f"Function '{function_id}' is invoked asynchronously ({callers}) without an on-failure "
            f"destination or dead-letter queue: after two failed retries Lambda discards the event.",
            at=at,
            fix=fix,
            snippet=snippet,
        )
