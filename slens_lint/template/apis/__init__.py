"""API Gateway as deployed: the APIs of a template, their stages, the methods of REST APIs, usage plans.

Rules about throttling, canaries, tracing, access logs, caching, authorizers, API keys and request
validation all ask the same questions, and each has the same traps:

- A stage is declared in five ways: a SAM `Api`/`HttpApi`/`WebSocketApi` (one stage each, the implicit
  `ServerlessRestApi` and `ServerlessHttpApi` included), `AWS::ApiGateway::Stage`, the stage an
  `AWS::ApiGateway::Deployment` creates through `StageName` (configured by its `StageDescription`),
  `AWS::ApiGatewayV2::Stage`, and the `$default` stage of a quick-create HTTP API (`Target` on the
  `AWS::ApiGatewayV2::Api`). See `stages`.
- The methods of a REST API come from SAM `Api` events, `AWS::ApiGateway::Method` resources and the
  inline OpenAPI document (`DefinitionBody` / `Body`). SAM adds events to the document only when it
  generates that document (no `DefinitionBody`/`DefinitionUri`) or `MergeDefinitions` is set; for an API
  with a document of its own, an event's `RequestModel` and `Auth` are ignored and the document is the
  truth. See `methods` and `openapi`.
- A usage plan covers a stage through `ApiStages` (`ApiId` plus a stage named by literal, `Ref` to an
  `AWS::ApiGateway::Stage`, `!Ref Api.Stage`, or the stage SAM generates); SAM's `Auth.UsagePlan` with
  `CreateUsagePlan: PER_API` or `SHARED` creates one for its API. See `usage_plans`.

Everything here reads; nothing judges. Settings are `Value`s and questions are answered as `Truth`s,
per `Fn::If` branch: where a value cannot be known (an intrinsic, a file outside the template) the
answer is unknown and a rule's verdict undecidable. Stages, canaries, methods, operations and usage
plans are subjects (`key`, `resource_id`, `owners`, `anchors`).
"""

from slens_lint.template.apis.common import (
    API_TYPES,
    BODY_VERBS,
    DEPLOYMENT,
    HTTP,
    HTTP_DEFAULT_STAGE,
    MANAGED_OVERRIDES,
    OPENAPI_VERBS,
    REQUEST_VALIDATOR,
    REQUEST_VALIDATORS,
    REST,
    REST_API,
    REST_STAGE,
    SAM_HTTP_API,
    SAM_IMPLICIT_REST_STAGE,
    SAM_REST_API,
    SAM_WEBSOCKET_API,
    SAM_WEBSOCKET_DEFAULT_STAGE,
    V2_API,
    V2_STAGE,
    WEBSOCKET,
    any_item,
    api_kind,
    apis,
    holds_under,
    limit_set,
    rest_api_of,
    settle,
    under,
    written_text,
)
from slens_lint.template.apis.methods import (
    RestDefinition,
    RestMethod,
    api_auth,
    api_key_required,
    resource_path,
    rest_definition,
    rest_methods,
)
from slens_lint.template.apis.openapi import Operation, api_key_only, document_of, operations
from slens_lint.template.apis.stages import (
    ACCESS_LOG_REST_KEY,
    ACCESS_LOG_V2_KEY,
    STAGE_DESCRIPTION_METHOD_KEYS,
    ApiStage,
    Canary,
    MethodSettingEntry,
    canaries,
    managed_overrides,
    names_stage,
    sam_stage_logical_ids,
    settings_of,
    stages,
)
from slens_lint.template.apis.usage_plans import UsagePlan, usage_plans

__all__ = [
    "ACCESS_LOG_REST_KEY",
    "ACCESS_LOG_V2_KEY",
    "API_TYPES",
    "BODY_VERBS",
    "DEPLOYMENT",
    "HTTP",
    "HTTP_DEFAULT_STAGE",
    "MANAGED_OVERRIDES",
    "OPENAPI_VERBS",
    "REQUEST_VALIDATOR",
    "REQUEST_VALIDATORS",
    "REST",
    "REST_API",
    "REST_STAGE",
    "SAM_HTTP_API",
    "SAM_IMPLICIT_REST_STAGE",
    "SAM_REST_API",
    "SAM_WEBSOCKET_API",
    "SAM_WEBSOCKET_DEFAULT_STAGE",
    "STAGE_DESCRIPTION_METHOD_KEYS",
    "V2_API",
    "V2_STAGE",
    "WEBSOCKET",
    "ApiStage",
    "Canary",
    "MethodSettingEntry",
    "Operation",
    "RestDefinition",
    "RestMethod",
    "UsagePlan",
    "any_item",
    "api_key_only",
    "api_auth",
    "api_key_required",
    "api_kind",
    "apis",
    "canaries",
    "document_of",
    "holds_under",
    "limit_set",
    "managed_overrides",
    "names_stage",
    "operations",
    "resource_path",
    "rest_api_of",
    "rest_definition",
    "rest_methods",
    "sam_stage_logical_ids",
    "settings_of",
    "settle",
    "stages",
    "under",
    "usage_plans",
    "written_text",
]
