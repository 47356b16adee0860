"""The stages a template deploys, each with the mapping of its settings, and the canaries set on them.

A stage is declared in five ways: a SAM `Api`/`HttpApi`/`WebSocketApi` (one stage each, the implicit
`ServerlessRestApi` and `ServerlessHttpApi` included), `AWS::ApiGateway::Stage`, the stage an
`AWS::ApiGateway::Deployment` creates through `StageName` (configured by its `StageDescription`),
`AWS::ApiGatewayV2::Stage`, and the `$default` stage of a quick-create HTTP API (`Target` on the
`AWS::ApiGatewayV2::Api`), which only an `ApiGatewayManagedOverrides` can configure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

from slens_lint.template import expressions
from slens_lint.template.apis.common import (
    DEPLOYMENT,
    HTTP,
    HTTP_DEFAULT_STAGE,
    MANAGED_OVERRIDES,
    REST,
    REST_STAGE,
    SAM_HTTP_API,
    SAM_IMPLICIT_REST_STAGE,
    SAM_REST_API,
    SAM_WEBSOCKET_API,
    SAM_WEBSOCKET_DEFAULT_STAGE,
    V2_API,
    V2_STAGE,
    WEBSOCKET,
    api_kind,
    rest_api_of,
    under,
    written_text,
)
from slens_lint.template.resources.apigateway import MethodSetting, StageSettings
from slens_lint.template.model import OwnedSubject
from slens_lint.template.resources.base import Props, Resource
from slens_lint.template.values import Absent, Conditional, Conditions, JsonPath, Known, Truth, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

ACCESS_LOG_REST_KEY = "AccessLogSetting"
ACCESS_LOG_V2_KEY = "AccessLogSettings"
_REST_STAGE_TYPES = (SAM_REST_API, REST_STAGE, DEPLOYMENT)

# The StageDescription keys that configure every method of the stage (API Gateway's `/*/*` settings).
STAGE_DESCRIPTION_METHOD_KEYS = frozenset(
    {
        "ThrottlingRateLimit",
        "ThrottlingBurstLimit",
        "CachingEnabled",
        "CacheDataEncrypted",
        "CacheTtlInSeconds",
        "DataTraceEnabled",
        "LoggingLevel",
        "MetricsEnabled",
    }
)

_LABELS = {REST: "REST API", HTTP: "HTTP API", WEBSOCKET: "WebSocket API"}


@dataclass(frozen=True, eq=False)
class MethodSettingEntry:
    """One `MethodSettings` entry of a REST stage (or a Deployment's stage-wide StageDescription values)."""

    value: Value
    """The entry where its `Fn::If` conditions lead to it, absent elsewhere; unknown when the entry (or
    the list holding it) cannot be read. `get` projects through it."""
    path: JsonPath
    """Where the entry is written (the list item, or the StageDescription)."""
    every_method: Truth
    """Whether it applies to every method of the stage (`*` on `/*`, or a StageDescription's own
    values) rather than to one; unknown where its HttpMethod or ResourcePath cannot be read."""

    def get(self, name: str) -> Value:
        return self.value.project(name)


@dataclass(frozen=True, eq=False)
class ApiStage:
    """One deployed stage, the resource that declares it, and its settings (a subject of rules)."""

    resource: Resource[Any]
    """The SAM API, Stage, Deployment, or quick-create ApiGatewayV2 Api that declares the stage."""
    origin: str
    """`sam` (SAM Api/HttpApi/WebSocketApi), `stage` (an explicit Stage resource), `deployment` (a
    Deployment's StageName), or `quick-create` (the `$default` stage of an ApiGatewayV2 Api with Target)."""
    kind: Optional[str]
    """`rest`, `http`, `websocket`; None when the API is outside the template and the stage type does not say."""
    api: Optional[Resource[Any]]
    """The API in the template; None when the stage's RestApiId/ApiId points outside it."""
    name: Value
    """The stage name as written, or the name SAM / API Gateway gives by default."""
    settings: Value
    """The mapping of the stage's settings (`StageSettings` in each branch): the resource's properties,
    a Deployment's `StageDescription`, or the managed overrides' `Stage`. Absent where nothing
    configures the stage (a Deployment without StageDescription, a quick-create API without overrides)."""
    overrides: Optional[Resource[Any]] = None
    """The `ApiGatewayManagedOverrides` that configures a quick-create API's `$default` stage."""

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id

    @property
    def api_id(self) -> Optional[str]:
        return self.api.logical_id if self.api is not None else None

    @property
    def implicit(self) -> bool:
        return self.resource.implicit

    @property
    def holder(self) -> Resource[Any]:
        """The resource its settings are written on, which a finding about them belongs to."""
        return self.overrides if self.overrides is not None else self.resource

    @property
    def name_text(self) -> Optional[str]:
        return written_text(self.name)

    def setting(self, name: str) -> Value:
        """One setting of the stage, in every branch of its settings mapping."""
        return self.settings.project(name)

    def ask(self, question: Callable[[Value], Truth]) -> Truth:
        """`question` about the settings mapping (a `StageSettings` value, or absent), in each branch;
        unknown where the mapping itself cannot be read (a whole StageDescription from a parameter...)."""
        return self.settings.each(lambda leaf: Truth.of(None, leaf) if leaf.unknown else question(leaf))

    @property
    def access_log_key(self) -> str:
        """`AccessLogSetting` for REST stages (SAM Api, Stage, a Deployment's StageDescription),
        `AccessLogSettings` for HTTP and WebSocket ones."""
        return ACCESS_LOG_REST_KEY if self.resource.type in _REST_STAGE_TYPES else ACCESS_LOG_V2_KEY

    def access_log(self) -> Value:
        return self.setting(self.access_log_key)

    def describe(self) -> str:
        """`stage 'Prod' of REST API 'ServerlessRestApi'` for messages."""
        name = self.name_text
        label = _LABELS.get(self.kind or "", "API")
        stage = f"stage '{name}'" if name is not None else "stage"
        if self.api is not None:
            return f"{stage} of {label} '{self.api.logical_id}'"
        return f"{stage} of a {label}" if self.kind else stage

    def method_settings(self) -> list[MethodSettingEntry]:
        """REST only: the `MethodSettings` entries (plus a Deployment's stage-wide StageDescription
        values), of every `Fn::If` branch, each saying whether it applies to every method. An unreadable
        list or entry is one entry whose every setting is unknown (and whose reach cannot be told)."""
        entries: list[MethodSettingEntry] = []

        def add(when: Conditions, leaf: Value, every_method: Optional[bool]) -> None:
            value = under(when, leaf, leaf.path)
            entries.append(MethodSettingEntry(value, leaf.path, Truth.of(every_method, value)))

        for when, settings in self.settings.leaves():
            if settings.absent:
                continue
            spec = settings.literal
            if not isinstance(spec, StageSettings):
                add(when, settings, None)
                continue
            if self.origin == "deployment" and any(spec.has(key) for key in STAGE_DESCRIPTION_METHOD_KEYS):
                # StageDescription's own ThrottlingRateLimit, CachingEnabled, LoggingLevel... set `/*/*`.
                add(when, settings, True)
            for list_when, listed in spec.MethodSettings.leaves(when):
                if listed.absent:
                    continue
                if not isinstance(listed.literal, list):
                    add(list_when, listed, None)
                    continue
                for item in listed.items():
                    for item_when, entry in item.leaves(list_when):
                        if not entry.absent:
                            setting = entry.literal
                            add(item_when, entry, _applies_to_all(setting) if isinstance(setting, MethodSetting) else None)
        return entries

    # ---- as a subject ---------------------------------------------------------------------

    @property
    def key(self) -> str:
        return self.holder.key

    @property
    def resource_id(self) -> Optional[str]:
        return self.holder.logical_id

    @property
    def owners(self) -> tuple[str, ...]:
        return self.holder.owners

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        """A missing setting of a stage that nothing configures points at what creates the stage: a
        Deployment's `StageName`, a quick-create API's `Target`."""
        if self.overrides is None:
            if self.origin == "deployment" and not self.resource.props.has("StageDescription"):
                return (self.resource.props_path + ("StageName",), *self.resource.anchors)
            if self.origin == "quick-create":
                return (self.resource.props_path + ("Target",), *self.resource.anchors)
        return self.holder.anchors


def _applies_to_all(entry: MethodSetting) -> Optional[bool]:
    method, path = entry.HttpMethod, entry.ResourcePath
    method_text, path_text = method.text(), path.text()
    if (method.is_set() and method_text is None) or (path.is_set() and path_text is None):
        return None
    # Both are required by API Gateway; a missing one is a broken entry that applies to nothing.
    return method_text == "*" and path_text == "/*"


def settings_of(value: Value) -> Value:
    """A value holding a stage's settings (a resource's properties, a StageDescription, an overrides'
    `Stage`) with every readable branch as a `StageSettings`."""
    if isinstance(value, Conditional):
        return Conditional(value.condition, settings_of(value.then), settings_of(value.otherwise), value.path)
    literal = value.literal
    if value.known and isinstance(literal, Props) and not isinstance(literal, StageSettings):
        return Known(StageSettings.of(literal), value.path)
    return value


def _own_settings(resource: Resource[Any]) -> Value:
    return settings_of(Known(resource.props, resource.props_path))


def stages(template: "Template", kind: Optional[str] = None) -> list[ApiStage]:
    """Every stage the template deploys (see the module docstring), optionally of one kind."""
    found = template.memo("apis.stages", lambda t: list(_all_stages(t)))
    return [s for s in found if kind is None or s.kind == kind]


def _default_name(resource: Resource[Any], default: str) -> Value:
    name = resource.props.value_of("StageName")
    return Known(default, name.path) if resource.implicit or name.absent else name


def _all_stages(template: "Template") -> Iterator[ApiStage]:
    explicit_rest: set[tuple[str, Optional[str]]] = set()
    for resource in template.of_type(SAM_REST_API, implicit=True):
        name = Known(SAM_IMPLICIT_REST_STAGE, resource.props_path + ("StageName",)) if resource.implicit else resource.props.StageName
        yield ApiStage(resource, "sam", REST, resource, name, _own_settings(resource))
    for resource in template.of_type(SAM_HTTP_API, implicit=True):
        yield ApiStage(resource, "sam", HTTP, resource, _default_name(resource, HTTP_DEFAULT_STAGE), _own_settings(resource))
    for resource in template.of_type(SAM_WEBSOCKET_API):
        name = _default_name(resource, SAM_WEBSOCKET_DEFAULT_STAGE)
        yield ApiStage(resource, "sam", WEBSOCKET, resource, name, _own_settings(resource))
    for resource in template.of_type(REST_STAGE):
        api = rest_api_of(template, resource.props.RestApiId)
        name = resource.props.StageName
        explicit_rest.add((api.logical_id if api else "", written_text(name)))
        yield ApiStage(resource, "stage", REST, api, name, _own_settings(resource))
    for resource in template.of_type(DEPLOYMENT):
        props = resource.props
        name = props.StageName
        if any(leaf.absent for leaf in name.branches()):
            continue
        api = rest_api_of(template, props.RestApiId)
        text = written_text(name)
        if text and (api.logical_id if api else "", text) in explicit_rest:
            # A Stage resource of the same name is the same stage (CloudFormation would fail otherwise).
            continue
        yield ApiStage(resource, "deployment", REST, api, name, settings_of(props.StageDescription))
    v2_stages: set[tuple[str, Optional[str]]] = set()
    for resource in template.of_type(V2_STAGE):
        target = template.target(resource.props.ApiId)
        kind = api_kind(target)
        api = target if kind in (HTTP, WEBSOCKET) else None
        name = resource.props.StageName
        v2_stages.add((api.logical_id if api else "", written_text(name)))
        yield ApiStage(resource, "stage", kind, api, name, _own_settings(resource))
    for resource in template.of_type(V2_API):
        if not resource.props.value_of("Target").is_set() or api_kind(resource) != HTTP:
            continue
        if (resource.logical_id, HTTP_DEFAULT_STAGE) in v2_stages:
            continue
        # Quick create: API Gateway makes a `$default` stage; only managed overrides can configure it.
        overrides = managed_overrides(template, resource)
        if overrides is not None:
            settings = settings_of(overrides.props.value_of("Stage"))
        else:
            settings = Absent(resource.props_path + ("Target",))
        name = Known(HTTP_DEFAULT_STAGE, resource.props_path + ("Target",))
        yield ApiStage(resource, "quick-create", HTTP, resource, name, settings, overrides)


def managed_overrides(template: "Template", api: Resource[Any]) -> Optional[Resource[Any]]:
    """The `AWS::ApiGatewayV2::ApiGatewayManagedOverrides` of a quick-create API (its `Stage` mapping
    holds `DefaultRouteSettings`, `AccessLogSettings`...), if any."""
    for resource in template.of_type(MANAGED_OVERRIDES):
        if resource.props.value_of("ApiId").ref == api.logical_id:
            return resource
    return None


# ---- naming a stage --------------------------------------------------------------------------


def sam_stage_logical_ids(api: Resource[Any]) -> set[str]:
    """Names by which a template can `Ref` the stage SAM generates for a SAM REST API."""
    ids = {f"{api.logical_id}.Stage"}
    name = SAM_IMPLICIT_REST_STAGE if api.implicit else written_text(api.props.value_of("StageName"))
    if name and name.isalnum():
        ids.add(f"{api.logical_id}{name}Stage")
    return ids


def names_stage(template: "Template", stage: ApiStage, value: Value) -> Truth:
    """Whether a stage value (a usage plan's `ApiStages[].Stage`, a BasePathMapping's `Stage`...) names
    `stage`; unknown where it cannot be told (an import, a name that is an intrinsic, no name)."""

    def match(given: Value, own: Value) -> Optional[bool]:
        if given.absent:
            return None
        target = given.ref
        if target is not None:
            if stage.origin == "stage" and target == stage.logical_id:
                return True
            if stage.origin == "sam" and target in sam_stage_logical_ids(stage.resource):
                return True
            if template.resource(target) is not None or "." in target:
                # Another resource: a different Stage, a Deployment (whose Ref is no stage name)...
                return False
        if expressions.same_string(given.expr, own.expr):
            return True
        mine, theirs = given.text(), own.text()
        if mine is not None and theirs is not None:
            return mine == theirs
        return None

    return value.each(lambda given: stage.name.each(lambda own: Truth.of(match(given, own), given)))


# ---- canaries --------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Canary(OwnedSubject):
    """A canary setting of a REST stage: `CanarySetting` (SAM Api, Stage, a Deployment's
    StageDescription) or a Deployment's `DeploymentCanarySettings` (a subject of rules)."""

    resource: Resource[Any]
    names: tuple[str, ...]
    """Where the setting is under `Properties`: ("CanarySetting",), ("StageDescription", "CanarySetting")
    or ("DeploymentCanarySettings",)."""
    value: Value
    """The setting in every branch (absent where there is no canary)."""

    @property
    def deployment(self) -> bool:
        """The Deployment deploys itself as the canary of the stage it names."""
        return self.names == ("DeploymentCanarySettings",)

    @property
    def key(self) -> str:
        return "/".join((self.resource.key, "Properties", *self.names))


def canaries(template: "Template") -> Iterator[Canary]:
    """Every place a canary may be set (set or not: an absent one is simply no canary)."""
    for resource in template.of_type(SAM_REST_API, REST_STAGE, implicit=True):
        yield Canary(resource, ("CanarySetting",), resource.props.value_of("CanarySetting"))
    for resource in template.of_type(DEPLOYMENT):
        props = resource.props
        yield Canary(resource, ("StageDescription", "CanarySetting"), props.value_of("StageDescription").CanarySetting)
        yield Canary(resource, ("DeploymentCanarySettings",), props.value_of("DeploymentCanarySettings"))
