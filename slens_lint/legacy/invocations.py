"""How each function is invoked, and which queues are dead-letter queues.

Lambda handles failures by invocation type, so reliability rules first need to know who calls a
function and how:

- Asynchronous: S3 notifications, SNS, EventBridge rules and schedules, EventBridge Scheduler,
  CloudWatch Logs subscriptions, IoT rules (SAM events, or in plain CloudFormation the service's own
  resource and the `AWS::Lambda::Permission` for its principal). Lambda retries twice, then drops the
  event unless the function has an on-failure destination or a dead-letter queue. Cognito user-pool
  triggers are *not* here although SAM lists `Cognito` among push events: Cognito invokes them
  synchronously and waits for the answer, so a DLQ would never receive anything.
- Polled: streams (Kinesis, DynamoDB, MSK, self-managed Kafka, DocumentDB) and queues (SQS, MQ),
  through SAM events, `AWS::Lambda::EventSourceMapping`, or a SAM `SNS` event with `SqsSubscription`
  (SAM puts a queue between the topic and the function, so that function is queue-fed, not async).

SAM generates the mappings, subscriptions, rules and permissions from `Events`; cfn-lint (>= 1.54)
no longer translates SAM, so they are read from the events here, never looked up as resources.

A queue is a dead-letter queue when something sends failures to it: another queue's `RedrivePolicy`
(mapping or JSON string), a function's `DeadLetterQueue` / `DeadLetterConfig`, an on-failure
destination, an SNS subscription's `RedrivePolicy`, an EventBridge or Scheduler target's (or a pipe's)
`DeadLetterConfig`, an IoT rule's `ErrorAction`, or its own `RedriveAllowPolicy`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Optional

from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE, Unknown
from slens_lint.legacy.resources.base import Resource
from slens_lint.legacy.sam import Event

if TYPE_CHECKING:
    from slens_lint.legacy.model import Template

QUEUE_TYPE = "AWS::SQS::Queue"

# SAM event type -> the service named in messages. Cognito is left out on purpose (see above).
ASYNC_EVENTS = {
    "S3": "S3",
    "SNS": "SNS",
    "EventBridgeRule": "EventBridge",
    "CloudWatchEvent": "EventBridge",
    "Schedule": "EventBridge schedule",
    "ScheduleV2": "EventBridge Scheduler",
    "CloudWatchLogs": "CloudWatch Logs",
    "IoTRule": "IoT",
}

# Service principals that only ever invoke Lambda asynchronously (first label of
# `<name>[.<region>].amazonaws.com`). `iot` and `ses` are not here: IoT custom authorizers and SES
# `RequestResponse` actions call synchronously, so their permissions alone say nothing; their rule
# resources (`AWS::IoT::TopicRule`, `AWS::SES::ReceiptRule`) do.
ASYNC_PRINCIPALS = {
    "s3": "S3",
    "sns": "SNS",
    "events": "EventBridge",
    "logs": "CloudWatch Logs",
    "codecommit": "CodeCommit",
    "config": "Config",
}

STREAM_KINDS = frozenset({"Kinesis", "DynamoDB", "MSK", "SelfManagedKafka", "DocumentDB"})
QUEUE_KINDS = frozenset({"SQS", "MQ"})
POLL_KINDS = STREAM_KINDS | QUEUE_KINDS

# What an event source mapping polls, by the type of the resource its EventSourceArn points at...
_KIND_BY_TYPE = {
    "AWS::Kinesis::Stream": "Kinesis",
    "AWS::Kinesis::StreamConsumer": "Kinesis",
    "AWS::DynamoDB::Table": "DynamoDB",
    "AWS::DynamoDB::GlobalTable": "DynamoDB",
    "AWS::SQS::Queue": "SQS",
    "AWS::MSK::Cluster": "MSK",
    "AWS::MSK::ServerlessCluster": "MSK",
    "AWS::AmazonMQ::Broker": "MQ",
    "AWS::DocDB::DBCluster": "DocumentDB",
}
# ...or by the service field of a literal (or Sub) ARN.
_KIND_BY_ARN_SERVICE = {
    "kinesis": "Kinesis",
    "dynamodb": "DynamoDB",
    "sqs": "SQS",
    "kafka": "MSK",
    "mq": "MQ",
    "rds": "DocumentDB",
}
_ARN_SERVICE = re.compile(r"^arn:[^:]*:([a-z0-9-]+):")
_FUNCTION_ARN = re.compile(r"^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$")

# Keys under which a template sends failed messages or events somewhere.
_FAILURE_KEYS = frozenset(
    {"RedrivePolicy", "DeadLetterConfig", "DeadLetterQueue", "OnFailure", "ErrorAction", "deadLetterTargetArn"}
)


@dataclass(frozen=True)
class FunctionRef:
    function: str
    """Logical id of the function."""
    qualifier: Optional[str] = None
    """Alias or version when the value names one (None: unqualified or not known)."""


@dataclass(frozen=True)
class AsyncSource:
    """Something that invokes a function asynchronously."""

    function: str
    service: str
    declared_by: str
    """Logical id of the resource that declares it (the SAM function for an event)."""
    path: tuple[Any, ...]
    event: Optional[Event] = None


@dataclass(frozen=True)
class PollSource:
    """An event source mapping (a SAM event or an `AWS::Lambda::EventSourceMapping`)."""

    function: str
    kind: str
    resource: Resource
    """The mapping resource, or the SAM function that owns the event."""
    settings: dict[str, Any]
    """The mapping's properties as written (the event's `Properties` for SAM)."""
    event: Optional[Event] = None
    queue: Optional[str] = None
    """Logical id of the polled SQS queue, when it is in the template."""
    generated_queue: bool = False
    """A SAM `SNS` event with `SqsSubscription: true`: SAM creates the queue and the mapping, and
    only `BatchSize` / `Enabled` of the mapping can be set."""

    @property
    def path(self) -> tuple[Any, ...]:
        return self.event.path if self.event else self.resource.prop_path()

    def prop_path(self, *names: Any) -> tuple[Any, ...]:
        if self.event is None:
            return self.resource.prop_path(*names)
        if self.generated_queue:
            return self.event.path
        return self.event.prop_path(*names)

    @property
    def label(self) -> str:
        if self.event is not None:
            return f"{self.event.type} event '{self.event.name}' of function '{self.function}'"
        return f"{self.kind} event source mapping '{self.resource.logical_id}' of function '{self.function}'"


class Invocations:
    """Computed once per template (see `of`)."""

    def __init__(self, template: "Template") -> None:
        self.template = template
        self.functions = {r.logical_id: r for r in template.functions()}
        self.queues = {r.logical_id: r for r in template.of_type(QUEUE_TYPE)}
        self.async_sources: list[AsyncSource] = []
        self.poll_sources: list[PollSource] = []
        self.failure_configs: dict[str, list[Resource]] = {}
        """Function -> `AWS::Lambda::EventInvokeConfig`s with an on-failure destination."""
        self.unattributed_failure_config = False
        """An EventInvokeConfig with an on-failure destination names a function we cannot resolve."""
        self._collect_sam_events()
        self._collect_resources()
        self.dead_letter_queues = self._dead_letter_queues()

    # ---- what a value names ---------------------------------------------------------------------

    def function_refs(self, value: Any, _depth: int = 0) -> Optional[list[FunctionRef]]:
        """The functions of the template a `FunctionName` / target ARN value names, through `Fn::If`,
        aliases (`AWS::Lambda::Alias`, SAM `Fn.Alias`), versions, names and ARNs. None when a branch
        cannot be attributed (a parameter, an import, another account)."""
        if _depth > 5:
            return None
        found: list[FunctionRef] = []
        for branch in intrinsics.branches(value):
            if branch is NO_VALUE or branch is None:
                continue
            ref = self._function_ref(branch, _depth)
            if ref is None:
                return None
            found.extend(ref)
        return found

    def _function_ref(self, value: Any, depth: int) -> Optional[list[FunctionRef]]:
        target = intrinsics.ref_target(value)
        if target is not None:
            return self._named_resource(target, depth)
        tokens = intrinsics.string_tokens(value)
        if tokens is None:
            return None
        for index, token in enumerate(tokens):
            if token[0] in ("ref", "att") and token[1] in self.functions:
                qualifier = None
                rest = tokens[index + 1 :]
                if rest and rest[0][0] == "lit" and rest[0][1].startswith(":"):
                    qualifier = rest[0][1][1:] or None
                return [FunctionRef(token[1], qualifier)]
            if token[0] in ("ref", "att"):
                named = self._named_resource(token[1], depth)
                if named:
                    return named
        for logical_id, function in self.functions.items():
            name = function.raw_properties.get("FunctionName")
            if name is not None and intrinsics.same_string(name, value):
                return [FunctionRef(logical_id)]
        literal = intrinsics.literal_string(value)
        if literal is not None:
            match = _FUNCTION_ARN.match(literal)
            name, qualifier = (match.group(1), match.group(2)) if match else (literal, None)
            for logical_id, function in self.functions.items():
                if intrinsics.literal_string(function.raw_properties.get("FunctionName")) == name:
                    return [FunctionRef(logical_id, qualifier)]
        return None

    def _named_resource(self, target: str, depth: int) -> Optional[list[FunctionRef]]:
        if target in self.functions:
            return [FunctionRef(target)]
        if "." in target:
            # SAM's `!Ref Fn.Alias` / `!Ref Fn.Version` on an AutoPublishAlias function.
            base, member = target.split(".", 1)
            function = self.functions.get(base)
            if function is not None:
                alias = function.raw_properties.get("AutoPublishAlias") if member == "Alias" else None
                return [FunctionRef(base, alias if isinstance(alias, str) else None)]
            return None
        resource = self.template.resources.get(target)
        if resource is None:
            return None
        if resource.type in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            refs = self.function_refs(resource.raw_properties.get("FunctionName"), depth + 1)
            if refs is None:
                return None
            name = resource.raw_properties.get("Name") if resource.type == "AWS::Lambda::Alias" else None
            return [FunctionRef(r.function, name if isinstance(name, str) else None) for r in refs]
        return None

    def queue_of(self, value: Any) -> Optional[str]:
        """The SQS queue of the template an ARN (or URL) value names, else None."""
        target = intrinsics.ref_target(value)
        if target is None:
            tokens = intrinsics.string_tokens(value) or ()
            targets = [t[1] for t in tokens if t[0] in ("ref", "att")]
            target = targets[0] if len(targets) == 1 else None
        return target if target in self.queues else None

    def poll_kind(self, arn: Any) -> Optional[str]:
        """What an `EventSourceArn` (or SAM `Stream`/`Queue`) value points at, when that can be known."""
        kinds = set()
        for branch in intrinsics.branches(arn):
            kind = self._poll_kind(branch)
            if kind is None:
                return None
            kinds.add(kind)
        return kinds.pop() if len(kinds) == 1 else None

    def _poll_kind(self, value: Any) -> Optional[str]:
        target = intrinsics.ref_target(value)
        if target is not None:
            resource = self.template.resources.get(target)
            return _KIND_BY_TYPE.get(resource.type) if resource is not None else None
        tokens = intrinsics.string_tokens(value)
        if tokens is None:
            return None
        flat = "".join(t[1] if t[0] == "lit" else "X" for t in tokens)
        match = _ARN_SERVICE.match(flat)
        if match:
            return _KIND_BY_ARN_SERVICE.get(match.group(1))
        for token in tokens:
            if token[0] == "att":
                resource = self.template.resources.get(token[1])
                if resource is not None and resource.type in _KIND_BY_TYPE:
                    return _KIND_BY_TYPE[resource.type]
        return None

    # ---- collecting sources -------------------------------------------------------------------

    def _collect_sam_events(self) -> None:
        for function_id, function in self.functions.items():
            if not function.is_sam:
                continue
            for event in self.template.events(function):
                if event.type == "SNS" and subscribes_a_queue(event):
                    subscription = event.get("SqsSubscription")
                    generated = not isinstance(subscription, dict)
                    queue = None if generated else self.queue_of(subscription.get("QueueArn"))
                    settings = {} if generated else {"BatchSize": subscription.get("BatchSize")}
                    self.poll_sources.append(
                        PollSource(function_id, "SQS", function, settings, event, queue, generated_queue=generated)
                    )
                elif event.type in ASYNC_EVENTS:
                    self.async_sources.append(
                        AsyncSource(function_id, ASYNC_EVENTS[event.type], function_id, event.path, event)
                    )
                elif event.type in POLL_KINDS:
                    arn = event.get("Queue") if event.type == "SQS" else event.get("Stream")
                    queue = self.queue_of(arn) if event.type == "SQS" else None
                    self.poll_sources.append(PollSource(function_id, event.type, function, event.properties, event, queue))

    def _collect_resources(self) -> None:
        for resource in self.template.resources.values():
            collect = _COLLECTORS.get(resource.type)
            if collect is not None:
                collect(self, resource)

    def _add_async(self, value: Any, service: str, resource: Resource, path: tuple[Any, ...]) -> None:
        for ref in self.function_refs(value) or ():
            self.async_sources.append(AsyncSource(ref.function, service, resource.logical_id, path))

    def _permission(self, resource: Resource) -> None:
        props = resource.raw_properties
        action = intrinsics.literal_string(props.get("Action"))
        if action is not None and action.lower() not in ("lambda:invokefunction", "lambda:*"):
            return
        service = _principal_service(props.get("Principal"))
        if service is None:
            return
        self._add_async(props.get("FunctionName"), service, resource, resource.prop_path("Principal"))

    def _bucket(self, resource: Resource) -> None:
        for config in intrinsics.iter_dicts(resource.raw_properties.get("NotificationConfiguration")):
            for index, entry in enumerate(intrinsics.as_list(config.get("LambdaConfigurations")) or ()):
                for branch in intrinsics.iter_dicts(entry):
                    path = resource.prop_path("NotificationConfiguration", "LambdaConfigurations", index)
                    self._add_async(branch.get("Function"), "S3", resource, path)

    def _topic(self, resource: Resource) -> None:
        for index, entry in enumerate(intrinsics.as_list(resource.raw_properties.get("Subscription")) or ()):
            for branch in intrinsics.iter_dicts(entry):
                if _literal_lower(branch.get("Protocol")) == "lambda":
                    self._add_async(branch.get("Endpoint"), "SNS", resource, resource.prop_path("Subscription", index))

    def _subscription(self, resource: Resource) -> None:
        props = resource.raw_properties
        if _literal_lower(props.get("Protocol")) == "lambda":
            self._add_async(props.get("Endpoint"), "SNS", resource, resource.prop_path())

    def _rule(self, resource: Resource) -> None:
        for index, target in enumerate(intrinsics.as_list(resource.raw_properties.get("Targets")) or ()):
            for branch in intrinsics.iter_dicts(target):
                self._add_async(branch.get("Arn"), "EventBridge", resource, resource.prop_path("Targets", index))

    def _schedule(self, resource: Resource) -> None:
        for target in intrinsics.iter_dicts(resource.raw_properties.get("Target")):
            self._add_async(target.get("Arn"), "EventBridge Scheduler", resource, resource.prop_path("Target"))

    def _log_subscription(self, resource: Resource) -> None:
        props = resource.raw_properties
        self._add_async(props.get("DestinationArn"), "CloudWatch Logs", resource, resource.prop_path("DestinationArn"))

    def _topic_rule(self, resource: Resource) -> None:
        for payload in intrinsics.iter_dicts(resource.raw_properties.get("TopicRulePayload")):
            for index, action in enumerate(intrinsics.as_list(payload.get("Actions")) or ()):
                for branch in intrinsics.iter_dicts(action):
                    for lambda_action in intrinsics.iter_dicts(branch.get("Lambda")):
                        path = resource.prop_path("TopicRulePayload", "Actions", index)
                        self._add_async(lambda_action.get("FunctionArn"), "IoT", resource, path)

    def _receipt_rule(self, resource: Resource) -> None:
        for rule in intrinsics.iter_dicts(resource.raw_properties.get("Rule")):
            for index, action in enumerate(intrinsics.as_list(rule.get("Actions")) or ()):
                for branch in intrinsics.iter_dicts(action):
                    for lambda_action in intrinsics.iter_dicts(branch.get("LambdaAction")):
                        # `Event` is the default; `RequestResponse` makes SES wait for the function.
                        invocation = _literal_lower(lambda_action.get("InvocationType"))
                        if lambda_action.get("InvocationType") is None or invocation == "event":
                            path = resource.prop_path("Rule", "Actions", index)
                            self._add_async(lambda_action.get("FunctionArn"), "SES", resource, path)

    def _event_source_mapping(self, resource: Resource) -> None:
        props = resource.raw_properties
        if props.get("SelfManagedEventSource") is not None:
            kind: Optional[str] = "SelfManagedKafka"
        elif props.get("EventSourceArn") is not None:
            kind = self.poll_kind(props.get("EventSourceArn"))
        elif props.get("Topics") is not None:
            kind = "SelfManagedKafka"
        else:
            kind = None
        if kind is None:
            return
        queue = self.queue_of(props.get("EventSourceArn")) if kind == "SQS" else None
        for ref in self.function_refs(props.get("FunctionName")) or ():
            self.poll_sources.append(PollSource(ref.function, kind, resource, props, None, queue))

    def _event_invoke_config(self, resource: Resource) -> None:
        destinations = intrinsics.values_at(resource.raw_properties, "DestinationConfig", "OnFailure", "Destination")
        if not any(d is not None for d in destinations):
            return
        name = resource.raw_properties.get("FunctionName")
        refs = self.function_refs(name)
        if refs is None:
            # A literal name is some function outside the template; an unresolvable intrinsic may be ours.
            if intrinsics.literal_string(name) is None:
                self.unattributed_failure_config = True
            return
        for ref in refs:
            self.failure_configs.setdefault(ref.function, []).append(resource)

    # ---- answers ----------------------------------------------------------------------------

    def async_sources_of(self, function_id: str) -> list[AsyncSource]:
        return [s for s in self.async_sources if s.function == function_id]

    def streams(self) -> Iterator[PollSource]:
        return (s for s in self.poll_sources if s.kind in STREAM_KINDS)

    def sqs_sources(self) -> Iterator[PollSource]:
        return (s for s in self.poll_sources if s.kind == "SQS")

    def async_failure_handled(self, function_id: str) -> bool:
        """An on-failure destination or DLQ for async invokes: the function's own `DeadLetterQueue` /
        `DeadLetterConfig` / SAM `EventInvokeConfig`, or an `AWS::Lambda::EventInvokeConfig` on it (any
        qualifier: with `AutoPublishAlias` SAM invokes the alias, and the config then carries the alias
        name). A conditional or unreadable value counts as handled (report only what is certain)."""
        if self.unattributed_failure_config or self.failure_configs.get(function_id):
            return True
        props = self.functions[function_id].raw_properties
        for path in (
            ("DeadLetterQueue", "TargetArn"),
            ("DeadLetterConfig", "TargetArn"),
            ("EventInvokeConfig", "DestinationConfig", "OnFailure"),
        ):
            # An intrinsic standing for the whole mapping comes back as Unknown: not None, so handled.
            if any(v is not None for v in intrinsics.values_at(props, *path)):
                return True
        return False

    def _dead_letter_queues(self) -> set[str]:
        found: set[str] = set()
        for resource in self.template.resources.values():
            if resource.type == QUEUE_TYPE and resource.raw_properties.get("RedriveAllowPolicy") is not None:
                found.add(resource.logical_id)
            for value in _failure_values(resource.raw_properties):
                found |= intrinsics.references(value) & self.queues.keys()
        return found

    def is_dead_letter_queue(self, queue_id: str) -> bool:
        return queue_id in self.dead_letter_queues


_COLLECTORS = {
    "AWS::Lambda::Permission": Invocations._permission,
    "AWS::S3::Bucket": Invocations._bucket,
    "AWS::SNS::Topic": Invocations._topic,
    "AWS::SNS::Subscription": Invocations._subscription,
    "AWS::Events::Rule": Invocations._rule,
    "AWS::Scheduler::Schedule": Invocations._schedule,
    "AWS::Logs::SubscriptionFilter": Invocations._log_subscription,
    "AWS::IoT::TopicRule": Invocations._topic_rule,
    "AWS::SES::ReceiptRule": Invocations._receipt_rule,
    "AWS::Lambda::EventSourceMapping": Invocations._event_source_mapping,
    "AWS::Lambda::EventInvokeConfig": Invocations._event_invoke_config,
}


def subscribes_a_queue(event: Event) -> bool:
    """A SAM `SNS` event with `SqsSubscription` (true, or a queue mapping): SAM puts a queue between
    the topic and the function."""
    subscription = event.get("SqsSubscription")
    return isinstance(subscription, dict) or intrinsics.truthy(subscription) is True


def _literal_lower(value: Any) -> Optional[str]:
    literal = intrinsics.literal_string(value)
    return literal.lower() if literal is not None else None


def _principal_service(principal: Any) -> Optional[str]:
    """`s3.amazonaws.com`, `!Sub logs.${AWS::Region}.amazonaws.com` -> the async service it is, else None."""
    tokens = intrinsics.string_tokens(principal)
    if not tokens or tokens[0][0] != "lit":
        return None
    first = tokens[0][1].split(".", 1)[0].lower()
    flat = "".join(t[1] if t[0] == "lit" else "X" for t in tokens)
    if not flat.endswith(".amazonaws.com") and not flat.endswith(".amazonaws.com.cn"):
        return None
    return ASYNC_PRINCIPALS.get(first)


def _failure_values(node: Any) -> Iterator[Any]:
    """Every value stored under a failure-handling key, anywhere in a property tree."""
    stack = [node]
    seen = 0
    while stack and seen < 100_000:
        current = stack.pop()
        seen += 1
        if isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, dict):
            for key, value in current.items():
                if key in _FAILURE_KEYS:
                    yield value
                else:
                    stack.append(value)
        elif isinstance(current, Unknown):
            stack.append(current.raw)


def of(template: "Template") -> Invocations:
    """The invocation facts of a template, computed once and shared by the rules that ask."""
    return template.memo("invocations", Invocations)
