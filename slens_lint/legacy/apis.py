"""API Gateway as deployed: the APIs of a template, their stages, the methods of REST APIs, usage plans.

Rules about throttling, canaries, tracing, access logs, caching, authorizers, API keys and request
validation all ask the same questions, and each has the same traps:

- A stage is declared in five ways: a SAM `Api`/`HttpApi`/`WebSocketApi` (one stage each, the implicit
  `ServerlessRestApi` and `ServerlessHttpApi` included), `AWS::ApiGateway::Stage`, the stage an
  `AWS::ApiGateway::Deployment` creates through `StageName` (configured by its `StageDescription`),
  `AWS::ApiGatewayV2::Stage`, and the `$default` stage of a quick-create HTTP API (`Target` on the
  `AWS::ApiGatewayV2::Api`).
- The methods of a REST API come from SAM `Api` events, `AWS::ApiGateway::Method` resources and the
  inline OpenAPI document (`DefinitionBody` / `Body`). SAM adds events to the document only when it
  generates that document (no `DefinitionBody`/`DefinitionUri`) or `MergeDefinitions` is set; for an API
  with a document of its own, an event's `RequestModel` and `Auth` are ignored and the document is the
  truth.
- A usage plan covers a stage through `ApiStages` (`ApiId` plus a stage named by literal, `Ref` to an
  `AWS::ApiGateway::Stage`, `!Ref Api.Stage`, or the stage SAM generates); SAM's `Auth.UsagePlan` with
  `CreateUsagePlan: PER_API` or `SHARED` creates one for its API.

Everything here reads; nothing judges. Where a value cannot be known (an intrinsic, a file outside the
template) the answer says so (`None`, `visible=False`) and rules stay silent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional

from slens_lint.legacy import sam
from slens_lint.legacy.intrinsics import (
    NO_VALUE,
    bool_branches,
    branches,
    is_intrinsic,
    iter_dicts,
    literal_string,
    ref_target,
    same_string,
    sub_parts,
    truthy,
)
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

REST = "rest"
HTTP = "http"
WEBSOCKET = "websocket"

SAM_REST_API = "AWS::Serverless::Api"
SAM_HTTP_API = "AWS::Serverless::HttpApi"
SAM_WEBSOCKET_API = "AWS::Serverless::WebSocketApi"
REST_API = "AWS::ApiGateway::RestApi"
V2_API = "AWS::ApiGatewayV2::Api"
API_TYPES = (SAM_REST_API, SAM_HTTP_API, SAM_WEBSOCKET_API, REST_API, V2_API)

# Stage names SAM gives when none is written (the implicit REST API always gets `Prod`).
SAM_IMPLICIT_REST_STAGE = "Prod"
HTTP_DEFAULT_STAGE = "$default"
SAM_WEBSOCKET_DEFAULT_STAGE = "default"

# Methods whose request carries a body (ANY includes them).
BODY_VERBS = frozenset({"POST", "PUT", "PATCH", "ANY"})
OPENAPI_VERBS = {
    "get": "GET",
    "put": "PUT",
    "post": "POST",
    "delete": "DELETE",
    "options": "OPTIONS",
    "head": "HEAD",
    "patch": "PATCH",
    "x-amazon-apigateway-any-method": "ANY",
}

REQUEST_VALIDATOR = "x-amazon-apigateway-request-validator"
REQUEST_VALIDATORS = "x-amazon-apigateway-request-validators"


# ---- APIs ------------------------------------------------------------------------------------


def api_kind(resource: Optional[Resource]) -> Optional[str]:
    """`rest`, `http` or `websocket` for an API resource; None for anything else or an unreadable protocol."""
    if resource is None:
        return None
    if resource.type in (SAM_REST_API, REST_API):
        return REST
    if resource.type == SAM_HTTP_API:
        return HTTP
    if resource.type == SAM_WEBSOCKET_API:
        return WEBSOCKET
    if resource.type == V2_API:
        protocol = resource.raw_properties.get("ProtocolType")
        if protocol is None:
            # Only HTTP APIs may leave it out (quick create, OpenAPI import).
            return HTTP
        text = literal_string(protocol)
        if text is None:
            return None
        return {"HTTP": HTTP, "WEBSOCKET": WEBSOCKET}.get(text.upper())
    return None


def apis(template: Template, kind: Optional[str] = None) -> list[Resource]:
    """Every API of the template (SAM implicit ones included), optionally of one kind."""
    return [api for api in template.of_type(*API_TYPES, implicit=True) if kind is None or api_kind(api) == kind]


def rest_api_of(template: Template, value: Any) -> Optional[Resource]:
    """The REST API (SAM or CloudFormation) a `RestApiId`/`ApiId` value points at, when in the template."""
    target = template.target(value)
    return target if api_kind(target) == REST else None


# ---- stages ----------------------------------------------------------------------------------

# The records below compare (and hash) by identity: they carry raw template mappings, and two stages
# with equal settings are still two stages.


@dataclass(frozen=True, eq=False)
class ApiStage:
    """One deployed stage and the resource that configures it.

    `settings` is the mapping that holds the stage's properties (`MethodSettings`, `CanarySetting`,
    `TracingEnabled`, `AccessLogSetting(s)`, `DefaultRouteSettings`...): the resource's properties, or a
    Deployment's `StageDescription`. `prefix` is where that mapping sits under `Properties`, so a rule
    reports with `at=stage.at("MethodSettings")`.
    """

    resource: Resource
    origin: str
    """`sam` (SAM Api/HttpApi/WebSocketApi), `stage` (an explicit Stage resource), `deployment` (a
    Deployment's StageName), or `quick-create` (the `$default` stage of an ApiGatewayV2 Api with Target)."""
    kind: Optional[str]
    """`rest`, `http`, `websocket`; None when the API is outside the template and the stage type does not say."""
    api: Optional[Resource]
    """The API in the template; None when the stage's RestApiId/ApiId points outside it."""
    name: Any
    """The stage name as written (literal or intrinsic), or the name SAM / API Gateway gives by default."""
    prefix: tuple[str, ...] = ()
    settings: Optional[dict[str, Any]] = None
    """None when the settings mapping is itself an intrinsic (nothing can be said about it)."""

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id

    @property
    def api_id(self) -> Optional[str]:
        return self.api.logical_id if self.api is not None else None

    @property
    def implicit(self) -> bool:
        return bool(getattr(self.resource, "implicit", False))

    @property
    def name_text(self) -> Optional[str]:
        return literal_string(self.name)

    def get(self, name: str, default: Any = None) -> Any:
        """A raw stage setting (Fn::If and all); `default` when absent or unknown."""
        if self.settings is None:
            return default
        return self.settings.get(name, default)

    def has(self, name: str) -> Optional[bool]:
        """Whether a setting is written (True even when an Fn::If branch drops it); None when unknown."""
        if self.settings is None:
            return None
        return name in self.settings

    def at(self, *names: Any) -> tuple[Any, ...]:
        """The property path (for `Rule.report(at=...)`) of a setting of this stage.

        When the setting is missing the finding should point at what creates the stage: a Deployment's
        `StageName` when it has no `StageDescription`, a quick-create API's `Target`.
        """
        if self.origin == "deployment" and "StageDescription" not in self.resource.raw_properties:
            return ("StageName",)
        if self.origin == "quick-create":
            return ("Target",)
        return (*self.prefix, *names)

    def describe(self) -> str:
        """`stage 'Prod' of REST API 'ServerlessRestApi'` for messages."""
        name = self.name_text
        label = {REST: "REST API", HTTP: "HTTP API", WEBSOCKET: "WebSocket API"}.get(self.kind or "", "API")
        stage = f"stage '{name}'" if name is not None else "stage"
        if self.api is not None:
            return f"{stage} of {label} '{self.api.logical_id}'"
        return f"{stage} of a {label}" if self.kind else stage

    def method_settings(self) -> Optional[list["MethodSettingEntry"]]:
        """REST only: the `MethodSettings` entries (plus a Deployment's stage-wide StageDescription values).

        Entries of every `Fn::If` branch are included, each with `scope`: True when it applies to every
        method (`HttpMethod: "*"`, `ResourcePath: "/*"`), False for one method, None when it cannot be
        told. None when the list itself is an unreadable intrinsic.
        """
        if self.settings is None:
            return None
        entries: list[MethodSettingEntry] = []
        if self.origin == "deployment":
            # StageDescription's own ThrottlingRateLimit, CachingEnabled, LoggingLevel... set `/*/*`.
            stage_wide = {k: v for k, v in self.settings.items() if k in STAGE_DESCRIPTION_METHOD_KEYS}
            if stage_wide:
                entries.append(MethodSettingEntry(values=stage_wide, path=self.prefix, scope=True))
        raw = self.settings.get("MethodSettings")
        for branch in branches(raw) if raw is not None else []:
            if branch is NO_VALUE:
                continue
            if not isinstance(branch, list):
                return None
            for index, item in enumerate(branch):
                path = (*self.prefix, "MethodSettings", index) if branch is raw else (*self.prefix, "MethodSettings")
                for value in branches(item):
                    if value is NO_VALUE:
                        continue
                    if not isinstance(value, dict) or is_intrinsic(value):
                        return None
                    entries.append(MethodSettingEntry(values=value, path=path, scope=_applies_to_all(value)))
        return entries

    def default_route_settings(self) -> Optional[list[dict[str, Any]]]:
        """HTTP / WebSocket: the `DefaultRouteSettings` mappings (one per Fn::If branch); None when unknown."""
        if self.settings is None:
            return None
        raw = self.settings.get("DefaultRouteSettings")
        if raw is None:
            return []
        found = []
        for branch in branches(raw):
            if branch is NO_VALUE:
                continue
            if not isinstance(branch, dict) or is_intrinsic(branch):
                return None
            found.append(branch)
        return found


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


@dataclass(frozen=True, eq=False)
class MethodSettingEntry:
    values: dict[str, Any]
    path: tuple[Any, ...]
    """Property path of the entry (relative to `Properties`), for `Rule.report(at=...)`."""
    scope: Optional[bool]
    """True: applies to every method (`*` on `/*`); False: to one method; None: cannot tell."""

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


def _applies_to_all(entry: dict[str, Any]) -> Optional[bool]:
    method = entry.get("HttpMethod")
    path = entry.get("ResourcePath")
    method_text = literal_string(method) if method is not None else None
    path_text = literal_string(path) if path is not None else None
    if (method is not None and method_text is None) or (path is not None and path_text is None):
        return None
    # Both are required by API Gateway; a missing one is a broken entry that applies to nothing.
    return method_text == "*" and path_text == "/*"


def stages(template: Template, kind: Optional[str] = None) -> list[ApiStage]:
    """Every stage the template deploys (see the module docstring), optionally of one kind."""
    found = template.memo("apis.stages", lambda t: list(_all_stages(t)))
    return [s for s in found if kind is None or s.kind == kind]


def _all_stages(template: Template) -> Iterator[ApiStage]:
    explicit_rest: set[tuple[str, Optional[str]]] = set()
    for resource in template.of_type(SAM_REST_API, implicit=True):
        implicit = bool(getattr(resource, "implicit", False))
        name = SAM_IMPLICIT_REST_STAGE if implicit else resource.raw_properties.get("StageName")
        yield ApiStage(resource, "sam", REST, resource, name, (), resource.raw_properties)
    for resource in template.of_type(SAM_HTTP_API, implicit=True):
        name = resource.raw_properties.get("StageName", HTTP_DEFAULT_STAGE)
        if getattr(resource, "implicit", False):
            name = HTTP_DEFAULT_STAGE
        yield ApiStage(resource, "sam", HTTP, resource, name, (), resource.raw_properties)
    for resource in template.of_type(SAM_WEBSOCKET_API):
        name = resource.raw_properties.get("StageName", SAM_WEBSOCKET_DEFAULT_STAGE)
        yield ApiStage(resource, "sam", WEBSOCKET, resource, name, (), resource.raw_properties)
    for resource in template.of_type("AWS::ApiGateway::Stage"):
        api = rest_api_of(template, resource.raw_properties.get("RestApiId"))
        name = resource.raw_properties.get("StageName")
        explicit_rest.add((api.logical_id if api else "", literal_string(name)))
        yield ApiStage(resource, "stage", REST, api, name, (), resource.raw_properties)
    for resource in template.of_type("AWS::ApiGateway::Deployment"):
        props = resource.raw_properties
        name = props.get("StageName")
        if name is None or any(b is NO_VALUE for b in branches(name)):
            continue
        api = rest_api_of(template, props.get("RestApiId"))
        if (api.logical_id if api else "", literal_string(name)) in explicit_rest and literal_string(name):
            # A Stage resource of the same name is the same stage (CloudFormation would fail otherwise).
            continue
        description = props.get("StageDescription")
        if description is None:
            settings: Optional[dict[str, Any]] = {}
        elif isinstance(description, dict) and not is_intrinsic(description):
            settings = description
        else:
            settings = None
        yield ApiStage(resource, "deployment", REST, api, name, ("StageDescription",), settings)
    v2_stages: set[tuple[str, Optional[str]]] = set()
    for resource in template.of_type("AWS::ApiGatewayV2::Stage"):
        target = template.target(resource.raw_properties.get("ApiId"))
        kind = api_kind(target)
        api = target if kind in (HTTP, WEBSOCKET) else None
        name = resource.raw_properties.get("StageName")
        v2_stages.add((api.logical_id if api else "", literal_string(name)))
        yield ApiStage(resource, "stage", kind, api, name, (), resource.raw_properties)
    for resource in template.of_type(V2_API):
        props = resource.raw_properties
        if props.get("Target") is None or api_kind(resource) != HTTP:
            continue
        if (resource.logical_id, HTTP_DEFAULT_STAGE) in v2_stages:
            continue
        # Quick create: API Gateway makes a `$default` stage with no settings the template could set.
        yield ApiStage(resource, "quick-create", HTTP, resource, HTTP_DEFAULT_STAGE, (), {})


MANAGED_OVERRIDES = "AWS::ApiGatewayV2::ApiGatewayManagedOverrides"


def managed_overrides(template: Template, stage: ApiStage) -> Optional[Resource]:
    """The `AWS::ApiGatewayV2::ApiGatewayManagedOverrides` that configures a quick-create API's `$default`
    stage (its `Stage` mapping holds `DefaultRouteSettings`, `AccessLogSettings`...), if any."""
    if stage.origin != "quick-create":
        return None
    for resource in template.of_type(MANAGED_OVERRIDES):
        if ref_target(resource.raw_properties.get("ApiId")) == stage.logical_id:
            return resource
    return None


def sam_stage_logical_ids(api: Resource) -> set[str]:
    """Names by which a template can `Ref` the stage SAM generates for a SAM REST API."""
    ids = {f"{api.logical_id}.Stage"}
    name = SAM_IMPLICIT_REST_STAGE if getattr(api, "implicit", False) else literal_string(api.raw_properties.get("StageName"))
    if name and name.isalnum():
        ids.add(f"{api.logical_id}{name}Stage")
    return ids


def names_stage(template: Template, stage: ApiStage, value: Any) -> Optional[bool]:
    """Whether a stage value (a usage plan's `ApiStages[].Stage`, a BasePathMapping's `Stage`...) names `stage`.

    None when it cannot be told (a parameter, an import, a name that is an intrinsic).
    """
    target = ref_target(value)
    if target is not None:
        if stage.origin == "stage" and target == stage.logical_id:
            return True
        if stage.origin == "sam" and target in sam_stage_logical_ids(stage.resource):
            return True
        if template.resource(target) is not None or "." in target:
            # Another resource: a different Stage, a Deployment (whose Ref is no stage name)...
            return False
    if same_string(value, stage.name):
        return True
    given, own = literal_string(value), stage.name_text
    if given is not None and own is not None:
        return given == own
    return None


# ---- usage plans -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class UsagePlan:
    """An `AWS::ApiGateway::UsagePlan`, or the plan a SAM REST API's `Auth.UsagePlan` creates."""

    resource: Resource
    """The UsagePlan resource, or the SAM Api (for the implicit API: `ServerlessRestApi`)."""
    settings: dict[str, Any]
    """The plan's properties (`Quota`, `Throttle`, `ApiStages` for CloudFormation)."""
    prefix: tuple[str, ...] = ()
    """Where `settings` sits under `Properties`: () or ("Auth", "UsagePlan")."""
    mode: Optional[str] = None
    """SAM only: `PER_API` or `SHARED`; None for CloudFormation or when CreateUsagePlan is an intrinsic."""

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id

    @property
    def is_sam(self) -> bool:
        return self.resource.type == SAM_REST_API

    def at(self, *names: Any) -> tuple[Any, ...]:
        return (*self.prefix, *names)

    def describe(self) -> str:
        if self.is_sam:
            generated = "ServerlessUsagePlan" if self.mode == "SHARED" else f"{self.logical_id}UsagePlan"
            return f"the usage plan '{generated}' that Auth.UsagePlan of '{self.logical_id}' creates"
        return f"usage plan '{self.logical_id}'"

    def throttles(self) -> bool:
        """Whether the plan may set a `Throttle` (a rate or burst limit, or a value that cannot be read)."""
        return _has_limit(self.settings.get("Throttle"), ("RateLimit", "BurstLimit"))

    def has_quota(self) -> bool:
        """Whether the plan may set a `Quota` (a `Limit`, or a value that cannot be read)."""
        return _has_limit(self.settings.get("Quota"), ("Limit",))

    def covers_api(self, template: Template, api: Resource) -> Optional[bool]:
        if self.is_sam:
            return self.resource.logical_id == api.logical_id
        return self._any_api_stage(lambda entry: ref_target(entry.get("ApiId")) == api.logical_id)

    def covers(self, template: Template, stage: ApiStage) -> Optional[bool]:
        """Whether the plan applies to `stage` (None: cannot tell)."""
        if stage.kind != REST or stage.api is None:
            return False
        if self.is_sam:
            return stage.origin == "sam" and stage.resource.logical_id == self.resource.logical_id
        api_id = stage.api.logical_id

        def names_it(entry: dict[str, Any]) -> Optional[bool]:
            if ref_target(entry.get("ApiId")) != api_id:
                return False
            return names_stage(template, stage, entry.get("Stage"))

        return self._any_api_stage(names_it)

    def _any_api_stage(self, matches: Callable[[dict[str, Any]], Optional[bool]]) -> Optional[bool]:
        """True when an `ApiStages` entry matches; None when none does but the list or an entry (or
        whether it matches) cannot be read; else False."""
        entries = self._api_stages()
        if entries is None:
            return None
        answer: Optional[bool] = False
        for entry in entries:
            found = None if entry is None else matches(entry)
            if found:
                return True
            if found is None:
                answer = None
        return answer

    def _api_stages(self) -> Optional[list[Optional[dict[str, Any]]]]:
        raw = self.settings.get("ApiStages")
        if raw is None:
            return []
        out: list[Optional[dict[str, Any]]] = []
        for branch in branches(raw):
            if branch is NO_VALUE:
                continue
            if not isinstance(branch, list):
                return None
            for item in branch:
                dicts = list(iter_dicts(item))
                out.extend(dicts if dicts else [None])
        return out


def _has_limit(value: Any, keys: tuple[str, ...]) -> bool:
    for branch in branches(value) if value is not None else []:
        if branch is NO_VALUE or branch is None:
            continue
        if not isinstance(branch, dict) or is_intrinsic(branch):
            return True
        if any(limit_may_be_set(branch.get(key)) for key in keys):
            return True
    return False


def usage_plans(template: Template) -> list[UsagePlan]:
    """Every usage plan the template creates (CloudFormation ones and SAM `Auth.UsagePlan`)."""
    return template.memo("apis.usage_plans", _usage_plans)


def _usage_plans(template: Template) -> list[UsagePlan]:
    found: list[UsagePlan] = []
    for resource in template.of_type("AWS::ApiGateway::UsagePlan"):
        found.append(UsagePlan(resource, resource.raw_properties))
    for api in template.of_type(SAM_REST_API, implicit=True):
        for auth in iter_dicts(api.raw_properties.get("Auth")):
            for plan in iter_dicts(auth.get("UsagePlan")):
                mode_value = plan.get("CreateUsagePlan")
                mode = literal_string(mode_value) if mode_value is not None else None
                if mode_value is None or (mode is not None and mode.upper() not in ("PER_API", "SHARED")):
                    continue
                found.append(UsagePlan(api, plan, ("Auth", "UsagePlan"), mode.upper() if mode else None))
    return found


# ---- inline OpenAPI --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Operation:
    """One operation (`paths.<path>.<verb>`) of an inline OpenAPI document."""

    document: dict[str, Any]
    path: str
    verb: str
    """Upper case; `ANY` for `x-amazon-apigateway-any-method`."""
    key: str
    """The verb as written in the document."""
    definition: dict[str, Any]
    json_path: tuple[Any, ...]
    """Absolute JSON path of the operation (a finding about it points here)."""

    def extension(self, name: str) -> Any:
        """An `x-amazon-apigateway-*` value of the operation, else of the document root."""
        if name in self.definition:
            return self.definition[name]
        return self.document.get(name)

    def request_validator(self) -> tuple[Optional[str], Optional[dict[str, Any]], bool]:
        """(name, definition, known) of the validator in effect (operation level, else root level).

        `known` is False when the name is an intrinsic or names no validator of the document (then the
        answer cannot be trusted); name None with known True means no validator at all.
        """
        raw = self.extension(REQUEST_VALIDATOR)
        if raw is None:
            return None, None, True
        name = literal_string(raw)
        if name is None:
            return None, None, False
        validators = self.document.get(REQUEST_VALIDATORS)
        if not isinstance(validators, dict) or is_intrinsic(validators):
            return name, None, False
        definition = validators.get(name)
        if not isinstance(definition, dict) or is_intrinsic(definition):
            return name, None, False
        return name, definition, True

    def has_body_schema(self) -> bool:
        """A body model: OpenAPI 3 `requestBody`, or a Swagger 2 `in: body` parameter (operation or path)."""
        if self.definition.get("requestBody") is not None:
            return True
        path_item = _mapping(_mapping(self.document.get("paths")).get(self.path))
        for parameters in (self.definition.get("parameters"), path_item.get("parameters")):
            if not isinstance(parameters, list):
                continue
            for parameter in parameters:
                if isinstance(parameter, dict) and (parameter.get("in") == "body" or "$ref" in parameter):
                    return True
        return False

    def security(self) -> Optional[list[Any]]:
        """The security requirements in effect (operation level, else document root); None when unreadable."""
        raw = self.definition.get("security", self.document.get("security", []))
        return raw if isinstance(raw, list) else None

    def requires_api_key(self) -> Optional[bool]:
        """Whether a requirement names an API-key scheme that API Gateway enforces as a key (`x-api-key`)."""
        requirements = self.security()
        if requirements is None:
            return None
        schemes = security_schemes(self.document)
        for requirement in requirements:
            if not isinstance(requirement, dict):
                continue
            for scheme_name in requirement:
                if _is_api_key_scheme(schemes.get(scheme_name)):
                    return True
        return False


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) and not is_intrinsic(value) else {}


def security_schemes(document: dict[str, Any]) -> dict[str, Any]:
    """The security schemes an OpenAPI document declares: Swagger 2 `securityDefinitions` and
    OpenAPI 3 `components.securitySchemes`, by name."""
    swagger = document.get("securityDefinitions")
    components = _mapping(document.get("components")).get("securitySchemes")
    merged: dict[str, Any] = {}
    for source in (swagger, components):
        if isinstance(source, dict) and not is_intrinsic(source):
            merged.update(source)
    return merged


def _is_api_key_scheme(scheme: Any) -> bool:
    if not isinstance(scheme, dict):
        return False
    if scheme.get("type") != "apiKey":
        return False
    # A Lambda authorizer is also declared as `type: apiKey`, with an authtype / authorizer extension.
    if "x-amazon-apigateway-authtype" in scheme or "x-amazon-apigateway-authorizer" in scheme:
        return False
    name = scheme.get("name")
    return isinstance(name, str) and name.lower() == "x-api-key"


def operations(document: Any, json_path: tuple[Any, ...]) -> list[Operation]:
    """The operations of an inline OpenAPI / Swagger document (none when it is not a readable mapping)."""
    found: list[Operation] = []
    paths = _mapping(_mapping(document).get("paths"))
    for path, item in paths.items():
        if not isinstance(path, str) or not isinstance(item, dict) or is_intrinsic(item):
            continue
        for key, definition in item.items():
            verb = OPENAPI_VERBS.get(str(key).lower())
            if verb is None or not isinstance(definition, dict) or is_intrinsic(definition):
                continue
            found.append(
                Operation(
                    document=document,
                    path=str(path),
                    verb=verb,
                    key=str(key),
                    definition=definition,
                    json_path=(*json_path, "paths", str(path), str(key)),
                )
            )
    return found


# ---- REST API definitions and methods --------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RestDefinition:
    """How a REST API's methods are defined."""

    api: Resource
    document: Optional[dict[str, Any]]
    """The inline OpenAPI document (`DefinitionBody` / `Body`), when literal."""
    json_path: tuple[Any, ...]
    visible: bool
    """False when the definition is in a file (`DefinitionUri`, `BodyS3Location`) or an intrinsic."""
    managed: bool
    """SAM builds the document from the API's events (no DefinitionBody/DefinitionUri, or MergeDefinitions)."""


def rest_definition(api: Resource) -> RestDefinition:
    props = api.raw_properties
    if api.type == SAM_REST_API:
        json_path = sam.property_path(api, "DefinitionBody")
        body = props.get("DefinitionBody")
        merge = truthy(props.get("MergeDefinitions")) is True
        if body is None:
            # A DefinitionUri (possibly from Globals.Api) means SAM leaves the file alone.
            visible = props.get("DefinitionUri") is None
            return RestDefinition(api, None, json_path, visible, visible)
        if isinstance(body, dict) and not is_intrinsic(body):
            return RestDefinition(api, body, json_path, True, merge)
        return RestDefinition(api, None, json_path, False, False)
    json_path = api.prop_path("Body")
    body = props.get("Body")
    if isinstance(body, dict) and not is_intrinsic(body):
        return RestDefinition(api, body, json_path, props.get("BodyS3Location") is None, False)
    visible = body is None and props.get("BodyS3Location") is None
    return RestDefinition(api, None, json_path, visible, False)


def _normal_path(path: Any) -> Optional[str]:
    if not isinstance(path, str):
        return None
    return path.rstrip("/") or "/"


def _event_verb(event: sam.Event) -> Optional[str]:
    method = event.get("Method")
    if not isinstance(method, str):
        return None
    return OPENAPI_VERBS.get(method.lower(), method.upper())


@dataclass(frozen=True, eq=False)
class RestMethod:
    """One method of a REST API, with everything that defines it.

    A SAM event, an OpenAPI operation, or both (the same path and verb), or an `AWS::ApiGateway::Method`.
    """

    api: Optional[Resource]
    verb: Optional[str]
    path: Optional[str]
    definition: Optional[RestDefinition] = None
    event: Optional[sam.Event] = None
    operation: Optional[Operation] = None
    method: Optional[Resource] = None

    @property
    def event_applies(self) -> bool:
        """SAM reads the event's `RequestModel`/`Auth` only when it builds the API's document."""
        return self.event is not None and (self.definition is None or self.definition.managed)

    @property
    def visible(self) -> bool:
        """False when the method's definition may live outside the template (a DefinitionUri...)."""
        if self.method is not None or self.operation is not None:
            return True
        return self.definition is not None and self.definition.visible

    @property
    def takes_body(self) -> bool:
        return self.verb in BODY_VERBS

    @property
    def greedy(self) -> bool:
        """A catch-all proxy path (`/{proxy+}`): one method in front of a whole application's routes."""
        return self.path is not None and "+}" in self.path

    @property
    def integration(self) -> Any:
        """The integration as written: a Method's `Integration`, else the operation's
        `x-amazon-apigateway-integration`; None for a SAM event (SAM writes a proxy integration)."""
        if self.method is not None:
            return self.method.raw_properties.get("Integration")
        if self.operation is not None:
            return self.operation.definition.get("x-amazon-apigateway-integration")
        return None

    def integration_uri(self) -> Optional[str]:
        """The integration URI's text (an `Fn::Sub` template as written), when readable."""
        integration = self.integration
        if not isinstance(integration, dict) or is_intrinsic(integration):
            return None
        uri = integration.get("Uri", integration.get("uri"))
        if isinstance(uri, str):
            return uri
        parts = sub_parts(uri)
        return parts[0] if parts else None

    @property
    def resource(self) -> Resource:
        """The resource a finding about this method belongs to (function, Method, or the API)."""
        if self.method is not None:
            return self.method
        if self.event is not None and (self.event_applies or self.operation is None):
            return self.event.owner
        assert self.api is not None
        return self.api

    @property
    def location(self) -> tuple[Any, ...]:
        """Absolute JSON path a finding about this method points at."""
        if self.method is not None:
            return self.method.path
        if self.event is not None and (self.event_applies or self.operation is None):
            return self.event.path
        assert self.operation is not None
        return self.operation.json_path

    def describe(self) -> str:
        """`POST /orders` (with `?` for what cannot be read)."""
        return f"{self.verb or '?'} {self.path or '?'}"

    def subject(self) -> str:
        """Who the method is, for a message: `Function 'F' event 'E' (POST /orders)`."""
        if self.method is not None:
            return f"Method '{self.method.logical_id}' ({self.describe()})"
        if self.event is not None and (self.event_applies or self.operation is None):
            owner = "State machine" if self.event.owner.type == "AWS::Serverless::StateMachine" else "Function"
            return f"{owner} '{self.event.owner.logical_id}' event '{self.event.name}' ({self.describe()})"
        api_id = self.api.logical_id if self.api is not None else "?"
        return f"API '{api_id}' operation {self.describe()}"


def rest_methods(template: Template) -> list[RestMethod]:
    """Every method of every REST API in the template, each once."""
    return template.memo("apis.rest_methods", _rest_methods)


def _rest_methods(template: Template) -> list[RestMethod]:
    found: list[RestMethod] = []
    events_by_api: dict[str, list[sam.Event]] = {}
    for event in template.all_events():
        api_id = event.rest_api_id
        if api_id is not None:
            events_by_api.setdefault(api_id, []).append(event)
    for api in template.of_type(SAM_REST_API, REST_API, implicit=True):
        definition = rest_definition(api)
        ops = operations(definition.document, definition.json_path) if definition.document else []
        by_key = {(_normal_path(op.path), op.verb): op for op in ops}
        used: set[tuple[Optional[str], str]] = set()
        # Events that name a CloudFormation RestApi only get a permission: SAM adds no method to it.
        api_events = events_by_api.get(api.logical_id, []) if api.type == SAM_REST_API else []
        for event in api_events:
            key = (_normal_path(event.get("Path")), _event_verb(event) or "")
            op = by_key.get(key)
            if op is None and definition.document is not None and not definition.managed:
                # SAM adds nothing to a document it does not manage: this event makes no method.
                continue
            if op is not None:
                used.add(key)
            found.append(RestMethod(api, key[1] or None, key[0], definition, event=event, operation=op))
        for key, op in by_key.items():
            if key not in used:
                found.append(RestMethod(api, op.verb, op.path, definition, operation=op))
    for method in template.of_type("AWS::ApiGateway::Method"):
        props = method.raw_properties
        api = rest_api_of(template, props.get("RestApiId"))
        verb_text = literal_string(props.get("HttpMethod"))
        verb = verb_text.upper() if verb_text else None
        found.append(RestMethod(api, verb, resource_path(template, props.get("ResourceId")), method=method))
    return found


def resource_path(template: Template, resource_id: Any, _depth: int = 0) -> Optional[str]:
    """The path of an `AWS::ApiGateway::Resource` (`/orders/{id}`), `/` for `RestApi.RootResourceId`."""
    if _depth > 30:
        return None
    target = template.target(resource_id)
    if target is None:
        return None
    if api_kind(target) == REST:
        # Fn::GetAtt Api.RootResourceId
        return "/"
    if target.type != "AWS::ApiGateway::Resource":
        return None
    part = literal_string(target.raw_properties.get("PathPart"))
    if part is None:
        return None
    parent = resource_path(template, target.raw_properties.get("ParentId"), _depth + 1)
    if parent is None:
        return None
    return f"{parent.rstrip('/')}/{part}"


def api_auth(api: Optional[Resource]) -> Optional[dict[str, Any]]:
    """A SAM REST API's `Auth` mapping ({} when absent); None when it is an intrinsic."""
    if api is None or api.type != SAM_REST_API:
        return {}
    raw = api.raw_properties.get("Auth")
    if raw is None:
        return {}
    if isinstance(raw, dict) and not is_intrinsic(raw):
        return raw
    return None


def api_key_required(method: RestMethod) -> Optional[bool]:
    """Whether callers of the method must send an API key (None: cannot tell)."""
    if method.method is not None:
        return bool_branches(method.method.raw_properties.get("ApiKeyRequired"))
    answers: list[Optional[bool]] = []
    auth = api_auth(method.api)
    if auth is None:
        return None
    api_default = auth.get("ApiKeyRequired")
    if method.event_applies and method.event is not None:
        event_auth = method.event.get("Auth")
        if isinstance(event_auth, dict) and "ApiKeyRequired" in event_auth:
            answers.append(bool_branches(event_auth["ApiKeyRequired"]))
        else:
            answers.append(bool_branches(api_default))
    elif api_default is not None:
        # SAM applies the API's default to every operation of a document it does not manage too.
        answers.append(bool_branches(api_default))
    if method.operation is not None:
        answers.append(method.operation.requires_api_key())
    if True in answers:
        return True
    if None in answers:
        return None
    return False


# ---- small readers rules share ---------------------------------------------------------------


_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


def number(value: Any) -> Optional[float]:
    """A literal number (or numeric string); None for intrinsics and anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and _NUMBER.match(value):
        return float(value)
    return None


def limit_may_be_set(value: Any) -> bool:
    """Whether a throttling or quota limit may be in effect: a literal >= 0 in some `Fn::If` branch, or
    a value that cannot be read (a parameter may hold anything). API Gateway reads -1 as "not set"."""
    for branch in branches(value) if value is not None else []:
        if branch is NO_VALUE or branch is None:
            continue
        parsed = number(branch)
        if parsed is None or parsed >= 0:
            return True
    return False
