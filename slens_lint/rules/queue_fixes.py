"""The queues failure-handling fixes name (SL305, SL306, SL308, SL309): the template's queue of the
derived name when it has one, else one the snippet creates, named after the flagged resource.

A queue that a service sends failed messages to (SNS, EventBridge) needs a queue policy that lets that
service send, or nothing ever arrives: the snippet creates it with the queue. Lambda sends with the
function's role instead (SAM adds the permission for a destination of `Type: SQS`).
"""

from __future__ import annotations

from typing import Any, Optional

from slens_lint.rules import fix_names
from slens_lint.template.model import Template

QUEUE = "AWS::SQS::Queue"
QUEUE_POLICY = "AWS::SQS::QueuePolicy"
# The longest SQS keeps a message: time to look at what failed.
RETENTION = 1209600


def failure_queue(template: Template, wanted: str, created: dict[str, Any], service: Optional[str] = None, source: Any = None) -> str:
    """The queue `wanted` names: the template's, else one added to `created` (with a policy letting
    `service`, e.g. `sns.amazonaws.com`, send from `source`, when given)."""
    name, exists = fix_names.resource_name(template, wanted, QUEUE)
    if exists:
        return name
    created[name] = {"Type": QUEUE, "Properties": {"MessageRetentionPeriod": RETENTION}}
    if service is not None:
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sqs:SendMessage",
            "Resource": {"Fn::GetAtt": [name, "Arn"]},
        }
        if source is not None:
            statement["Condition"] = {"ArnEquals": {"aws:SourceArn": source}}
        policy, _ = fix_names.resource_name(template, f"{name}Policy")
        created[policy] = {
            "Type": QUEUE_POLICY,
            "Properties": {"Queues": [{"Ref": name}], "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}},
        }
    return name


def arn(name: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [name, "Arn"]}
