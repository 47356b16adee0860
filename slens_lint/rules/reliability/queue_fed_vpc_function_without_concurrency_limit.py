from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Change, Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_settings import RESERVED_CONCURRENCY
from slens_lint.template import invocations, vpc
from slens_lint.template.invocations import PollSource
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.values import Truth


class QueueFedVpcFunctionWithoutConcurrencyLimit(Rule):
    id = "SL312"
    severity = Severity.INFO
    severity_reason = (
        "info: a limit protects the VPC's addresses and downstream resources; whether it is needed "
        "depends on the traffic."
    )
    title = "Queue-fed VPC function without a concurrency limit"
    practice = "Reliability 3: Protect resources that do not scale"
    rationale = (
        "A queue in front of a database or an on-premises system only protects it if the consumer drains "
        "the queue at a pace the system can take. Lambda scales SQS consumers up to 1,250 concurrent "
        "invocations per mapping (and takes from the account's shared concurrency while doing so): a "
        "backlog then opens that many connections to the relational database, cache or private endpoint "
        "the function reaches through its VPC. A function attached to a VPC is the sign of such a "
        "resource. `ScalingConfig.MaximumConcurrency` on the event source caps the pollers without "
        "throttling (messages wait in the queue); `ReservedConcurrentExecutions` caps the function itself. "
        "Functions that are not queue-fed, or not in a VPC, are not reported: the Lens asks for limits "
        "only where something behind the function does not scale."
    )
    fix = (
        "Set `ScalingConfig.MaximumConcurrency` (2 to 1,000) on each SQS event source, sized to what the "
        "downstream resource takes, or `ReservedConcurrentExecutions` on the function."
    )
    example = {
        "Resources": {
            "OrdersWriter": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "VpcConfig": {"SubnetIds": [{"Ref": "PrivateSubnet"}], "SecurityGroupIds": [{"Ref": "DbClients"}]},
                    "Events": {
                        "Orders": {
                            "Type": "SQS",
                            "Properties": {
                                "Queue": {"Fn::GetAtt": ["OrdersQueue", "Arn"]},
                                "ScalingConfig": {"MaximumConcurrency": 5},
                            },
                        }
                    },
                },
            }
        }
    }
    use_instead = (
        "If what the function reaches through the VPC scales with it (a VPC endpoint of a regional service, "
        "RDS Proxy sized for the peak), suppress the finding on the function with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/reliability.html",
    )
    service = "lambda"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::Lambda::EventSourceMapping")
    subject = "queue-fed function"
    fix_safety = "unsafe"
    fix_title = "set ReservedConcurrentExecutions"
    fix_settings = (RESERVED_CONCURRENCY,)
    fix_note = (
        "The fix reserves concurrency for the function, which also caps it: messages beyond what that "
        "many instances process wait in the queue. Size it to the subnets' free IP addresses and the load."
    )

    def subjects(self, template: Template) -> Iterator[Function]:
        facts = invocations.of(template)
        fed = {source.function for source in facts.sqs_sources()}
        return (function for function in facts.functions.values() if function.logical_id in fed)

    def judge(self, function: Function, template: Template) -> Verdict:
        facts = invocations.of(template)
        function_id = function.logical_id
        sources = [s for s in facts.sqs_sources() if s.function == function_id]
        caps = {id(s): _caps_concurrency(s) for s in sources}
        unbounded = [s for s in sources if caps[id(s)].may_fail]
        reserved = function.props.ReservedConcurrentExecutions
        truth = reserved.given() | ~vpc.attached(function) | Truth.all_of(caps.values())
        labels = ", ".join(s.short_label for s in unbounded)
        configurable = [s for s in unbounded if s.configurable]
        if configurable:
            fix = (
                f"Cap the pollers of {configurable[0].short_label} (and of any other queue source), or set "
                f"ReservedConcurrentExecutions on '{function_id}':"
            )
            snippet: Any = {"ScalingConfig": {"MaximumConcurrency": 5}}
        else:
            fix = f"Set ReservedConcurrentExecutions on '{function_id}':"
            snippet = {"ReservedConcurrentExecutions": RESERVED_CONCURRENCY}
        # The automatic fix (a decision on throughput: unsafe) caps the function itself, whatever feeds it.
        changes = (Change(function.props_path + ("ReservedConcurrentExecutions",), RESERVED_CONCURRENCY),)
        return self.expect(
            function,
            truth,
            f"Function '{function_id}' is attached to a VPC and fed by a queue ({labels}) with no "
            f"concurrency limit: a backlog scales it to hundreds of concurrent invocations against "
            f"resources behind the VPC that may not scale.",
            at=reserved,
            fix=fix,
            snippet=snippet,
            changes=changes,
        )


def _caps_concurrency(source: PollSource) -> Truth:
    """`ScalingConfig.MaximumConcurrency` on a mapping the template configures (SAM's own mapping for
    an SNS `SqsSubscription` takes none)."""
    if not source.configurable:
        return Truth.of(False)
    return source.setting("ScalingConfig").MaximumConcurrency.given()
