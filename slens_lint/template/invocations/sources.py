"""Who invokes each function, and how: asynchronous sources and poll sources, as subjects.

SAM generates the mappings, subscriptions, rules and permissions from `Events`; they are read from the
events here, never looked up as resources. In plain CloudFormation the service's own resource (a
bucket's notification, a topic's subscription, a rule's target...) or the `AWS::Lambda::Permission`
for its principal says who invokes asynchronously, an `AWS::Lambda::EventSourceMapping` who polls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from slens_lint.template import expressions, sam
from slens_lint.template.invocations import shapes
from slens_lint.template.invocations.names import POLL_KINDS, Names
from slens_lint.template.resources.base import Resource
from slens_lint.template.model import OwnedSubject
from slens_lint.template.values import Absent, JsonPath, Known, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

# SAM event type -> the service named in messages. Cognito is left out on purpose (see the package).
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


@dataclass(frozen=True, eq=False)
class AsyncSource:
    """Something that invokes a function asynchronously."""

    function: str
    service: str
    declared_by: str
    """Logical id of the resource that declares it (the SAM function for an event)."""
    path: JsonPath
    event: Optional[sam.Event] = None

    @property
    def key(self) -> str:
        return "/".join(map(str, self.path)) + f"->{self.function}"

    @property
    def resource_id(self) -> Optional[str]:
        return self.declared_by

    @property
    def owners(self) -> tuple[str, ...]:
        return self.event.owners if self.event is not None else (self.declared_by,)

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return (self.path, ("Resources", self.declared_by))


@dataclass(frozen=True, eq=False)
class PollSource(OwnedSubject):
    """An event source mapping (a SAM event or an `AWS::Lambda::EventSourceMapping`)."""

    function: str
    kind: Optional[str]
    """`SQS`, `Kinesis`... None when the template does not show what the mapping polls."""
    resource: Resource[Any]
    """The mapping resource, or the SAM function that owns the event."""
    settings: Value
    """The mapping's settings: its properties, the event's `Properties`, or an SNS event's
    `SqsSubscription` mapping (for SAM's own queue mapping)."""
    event: Optional[sam.Event] = None
    queue: Optional[str] = None
    """Logical id of the polled SQS queue, when it is in the template."""
    generated_queue: bool = False
    """A SAM `SNS` event with `SqsSubscription: true`: SAM creates the queue and the mapping, and
    only `BatchSize` / `Enabled` of the mapping can be set."""
    source_arn: Optional[Value] = None
    """What the mapping polls, as written (for an unknown kind: what hides it)."""
    shared: bool = False
    """The mapping names several functions (`Fn::If`): one source each."""

    def setting(self, name: str) -> Value:
        return self.settings.project(name)

    def at(self, *names: str) -> JsonPath:
        """Where a finding about the setting `names` points: the setting when written, else the
        event (a missing key of a mapping resource finds its nearest parent by itself)."""
        if self.event is None:
            return self.resource.props_path + names
        if self.generated_queue or not shapes.written(self.settings, names[0]):
            return self.event.path
        return self.event.path + ("Properties",) + names

    @property
    def label(self) -> str:
        if self.event is not None:
            return f"{self.event.type} event '{self.event.name}' of function '{self.function}'"
        return f"{self.kind} event source mapping '{self.resource.logical_id}' of function '{self.function}'"

    @property
    def short_label(self) -> str:
        if self.event is not None:
            return f"{self.event.type} event '{self.event.name}'"
        return f"event source mapping '{self.resource.logical_id}'"

    @property
    def configurable(self) -> bool:
        """A mapping whose settings the template writes (not SAM's own mapping behind an SNS event)."""
        return not self.generated_queue and (self.event is None or self.event.type == "SQS")

    # ---- as a subject -------------------------------------------------------------------------

    @property
    def key(self) -> str:
        base = self.event.key if self.event is not None else self.resource.key
        return f"{base}->{self.function}" if self.shared else base

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return self.event.anchors if self.event is not None else self.resource.anchors


def hidden_source(source: PollSource) -> Union[Value, str]:
    """What hides the kind of source a mapping polls: the unknown branch of its ARN, else a reason."""
    arn = source.source_arn
    unknown = [leaf for leaf in arn.branches() if leaf.unknown] if arn is not None else []
    return unknown[0] if unknown else "what the event source mapping polls is not in the template"


def subscribes_a_queue(event: sam.Event) -> bool:
    """A SAM `SNS` event with `SqsSubscription` (true, a queue mapping, or an intrinsic that may be
    either): SAM puts a queue between the topic and the function."""
    for leaf in event.value("SqsSubscription").branches():
        if leaf.unknown or isinstance(leaf.literal, dict) or leaf.flag() is True:
            return True
    return False


class Collector:
    """Reads every source of a template once (see `Invocations`)."""

    def __init__(self, template: "Template", names: Names) -> None:
        self.template = template
        self.names = names
        self.async_sources: list[AsyncSource] = []
        self.poll_sources: list[PollSource] = []
        self._sam_events()
        for resource in template.resources.values():
            collect = _COLLECTORS.get(resource.type)
            if collect is not None:
                collect(self, resource)

    def _sam_events(self) -> None:
        for function_id, function in self.names.functions.items():
            if not function.is_sam:
                continue
            for event in self.template.events(function):
                kind = event.type
                if kind == "SNS" and subscribes_a_queue(event):
                    self._sns_queue(function_id, function, event)
                elif kind in ASYNC_EVENTS:
                    service = ASYNC_EVENTS[kind]
                    self.async_sources.append(AsyncSource(function_id, service, function_id, event.path, event))
                elif kind in POLL_KINDS:
                    arn = event.value("Queue") if kind == "SQS" else event.value("Stream")
                    queue = self.names.queue_of(arn) if kind == "SQS" else None
                    self.poll_sources.append(
                        PollSource(function_id, kind, function, event.source.Properties, event, queue, source_arn=arn)
                    )

    def _sns_queue(self, function_id: str, function: Resource[Any], event: sam.Event) -> None:
        subscription = event.value("SqsSubscription")
        generated = subscription.known and subscription.flag() is True
        if generated:
            settings: Value = Absent(subscription.path)
            queue = None
        else:
            settings = subscription
            queue = self.names.queue_of(subscription.project("QueueArn"))
        source = PollSource(function_id, "SQS", function, settings, event, queue, generated_queue=generated)
        self.poll_sources.append(source)

    def _add_async(self, value: Value, service: str, resource: Resource[Any], path: JsonPath) -> None:
        for ref in self.names.function_refs(value) or ():
            self.async_sources.append(AsyncSource(ref.function, service, resource.logical_id, path))

    # ---- CloudFormation resources ---------------------------------------------------------------

    def _permission(self, resource: Resource[Any]) -> None:
        props = resource.props
        action = props.value_of("Action").text()
        if action is not None and action.lower() not in ("lambda:invokefunction", "lambda:*"):
            return
        principal = props.value_of("Principal")
        service = principal_service(principal)
        if service is None:
            return
        self._add_async(props.value_of("FunctionName"), service, resource, principal.path)

    def _bucket(self, resource: Resource[Any]) -> None:
        for config in shapes.mappings(resource.props.value_of("NotificationConfiguration")):
            for entry in shapes.items(config.LambdaConfigurations):
                for branch in shapes.mappings(entry):
                    self._add_async(branch.Function, "S3", resource, entry.path)

    def _topic(self, resource: Resource[Any]) -> None:
        for entry in shapes.items(resource.props.value_of("Subscription")):
            for branch in shapes.mappings(entry):
                if _lower(branch.Protocol) == "lambda":
                    self._add_async(branch.Endpoint, "SNS", resource, entry.path)

    def _subscription(self, resource: Resource[Any]) -> None:
        props = resource.props
        if _lower(props.value_of("Protocol")) == "lambda":
            self._add_async(props.value_of("Endpoint"), "SNS", resource, resource.props_path)

    def _rule(self, resource: Resource[Any]) -> None:
        for target in shapes.items(resource.props.value_of("Targets")):
            for branch in shapes.mappings(target):
                self._add_async(branch.Arn, "EventBridge", resource, target.path)

    def _schedule(self, resource: Resource[Any]) -> None:
        target = resource.props.value_of("Target")
        for branch in shapes.mappings(target):
            self._add_async(branch.Arn, "EventBridge Scheduler", resource, resource.props_path + ("Target",))

    def _log_subscription(self, resource: Resource[Any]) -> None:
        destination = resource.props.value_of("DestinationArn")
        self._add_async(destination, "CloudWatch Logs", resource, resource.props_path + ("DestinationArn",))

    def _topic_rule(self, resource: Resource[Any]) -> None:
        for payload in shapes.mappings(resource.props.value_of("TopicRulePayload")):
            for action in shapes.items(payload.Actions):
                for branch in shapes.mappings(action):
                    for lambda_action in shapes.mappings(branch.Lambda):
                        self._add_async(lambda_action.FunctionArn, "IoT", resource, action.path)

    def _receipt_rule(self, resource: Resource[Any]) -> None:
        for rule in shapes.mappings(resource.props.value_of("Rule")):
            for action in shapes.items(rule.Actions):
                for branch in shapes.mappings(action):
                    for lambda_action in shapes.mappings(branch.LambdaAction):
                        # `Event` is the default; `RequestResponse` makes SES wait for the function.
                        invocation = lambda_action.InvocationType
                        if invocation.absent or _lower(invocation) == "event":
                            self._add_async(lambda_action.FunctionArn, "SES", resource, action.path)

    def _event_source_mapping(self, resource: Resource[Any]) -> None:
        props = resource.props
        arn = props.value_of("EventSourceArn")
        kind: Optional[str]
        if props.value_of("SelfManagedEventSource").is_set():
            kind = "SelfManagedKafka"
        elif arn.is_set():
            kind = self.names.poll_kind(arn)
        elif props.value_of("Topics").is_set():
            kind = "SelfManagedKafka"
        else:
            return
        queue = self.names.queue_of(arn) if kind == "SQS" else None
        refs = self.names.function_refs(props.value_of("FunctionName")) or ()
        settings = Known(props, resource.props_path)
        for ref in refs:
            self.poll_sources.append(
                PollSource(ref.function, kind, resource, settings, None, queue, source_arn=arn, shared=len(refs) > 1)
            )


_COLLECTORS: dict[str, Callable[[Collector, Resource[Any]], None]] = {
    "AWS::Lambda::Permission": Collector._permission,
    "AWS::S3::Bucket": Collector._bucket,
    "AWS::SNS::Topic": Collector._topic,
    "AWS::SNS::Subscription": Collector._subscription,
    "AWS::Events::Rule": Collector._rule,
    "AWS::Scheduler::Schedule": Collector._schedule,
    "AWS::Logs::SubscriptionFilter": Collector._log_subscription,
    "AWS::IoT::TopicRule": Collector._topic_rule,
    "AWS::SES::ReceiptRule": Collector._receipt_rule,
    "AWS::Lambda::EventSourceMapping": Collector._event_source_mapping,
}


def _lower(value: Value) -> Optional[str]:
    text = value.text() if not value.conditional else None
    return text.lower() if text is not None else None


def principal_service(principal: Value) -> Optional[str]:
    """`s3.amazonaws.com`, `!Sub logs.${AWS::Region}.amazonaws.com` -> the async service it is, else None."""
    tokens = expressions.string_tokens(principal.expr)
    if not tokens or tokens[0][0] != "lit":
        return None
    first = tokens[0][1].split(".", 1)[0].lower()
    flat = "".join(t[1] if t[0] == "lit" else "X" for t in tokens)
    if not flat.endswith(".amazonaws.com") and not flat.endswith(".amazonaws.com.cn"):
        return None
    return ASYNC_PRINCIPALS.get(first)
