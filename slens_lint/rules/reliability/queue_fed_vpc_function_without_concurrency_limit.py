from __future__ import annotations

from typing import Any, Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics, invocations, vpc
from slens_lint.legacy.invocations import PollSource
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource


class QueueFedVpcFunctionWithoutConcurrencyLimit(Rule):
    id = "SL312"
    severity = Severity.INFO
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

    def check(self, template: Template) -> Iterator[Violation]:
        facts = invocations.of(template)
        unbounded: dict[str, list[PollSource]] = {}
        for source in facts.sqs_sources():
            if not _caps_concurrency(source):
                unbounded.setdefault(source.function, []).append(source)
        for function_id, sources in unbounded.items():
            function = facts.functions[function_id]
            reserved = function.raw_properties.get("ReservedConcurrentExecutions")
            if intrinsics.is_set(reserved) or not _attached_to_vpc(function):
                continue
            labels = ", ".join(_short_label(s) for s in sources)
            configurable = [s for s in sources if not s.generated_queue and (s.event is None or s.event.type == "SQS")]
            if configurable:
                fix = (
                    f"Cap the pollers of {_short_label(configurable[0])} (and of any other queue source), or set "
                    f"ReservedConcurrentExecutions on '{function_id}':"
                )
                snippet: Any = {"ScalingConfig": {"MaximumConcurrency": 5}}
            else:
                fix = f"Set ReservedConcurrentExecutions on '{function_id}':"
                snippet = {"ReservedConcurrentExecutions": 5}
            yield self.report(
                template,
                function,
                f"Function '{function_id}' is attached to a VPC and fed by a queue ({labels}) with no "
                f"concurrency limit: a backlog scales it to hundreds of concurrent invocations against "
                f"resources behind the VPC that may not scale.",
                at=("ReservedConcurrentExecutions",),
                fix=fix,
                snippet=snippet,
            )


def _short_label(source: PollSource) -> str:
    if source.event is not None:
        return f"{source.event.type} event '{source.event.name}'"
    return f"event source mapping '{source.resource.logical_id}'"


def _caps_concurrency(source: PollSource) -> bool:
    if source.generated_queue or (source.event is not None and source.event.type != "SQS"):
        return False
    values = intrinsics.values_at(source.settings, "ScalingConfig", "MaximumConcurrency")
    return any(v is not None for v in values)


def _attached_to_vpc(function: Resource) -> bool:
    """Attached in every shape `VpcConfig` can take: subnets given as a non-empty list or a list
    intrinsic (a `List<AWS::EC2::Subnet::Id>` parameter, `Fn::Split`, an import)."""
    shapes = vpc.vpc_shapes(function)
    return bool(shapes) and all(shape.present and shape.has_subnets is True for shape in shapes)
