"""slens_lint.template.apis: stages, usage plans and REST methods, read from real decoded templates."""

from __future__ import annotations

import textwrap

import pytest

from slens_lint.template import apis, loader
from slens_lint.template.model import Template
from slens_lint.template.resources.apigatewayv2 import ApiV2
from slens_lint.template.values import Truth, Value, free_form


def model(text: str) -> Template:
    """The model as the engine builds it (SAM Globals merged on values)."""
    decoded = loader.decode_text(textwrap.dedent(text))
    assert not isinstance(decoded, loader.LoadError), decoded
    return Template(decoded.data, decoded.format, "template.yaml")


def answer(truth: Truth):
    """True, False, or None (unknown, or it depends on a condition)."""
    return truth.holds


def literal(value: Value):
    """A value as plain data (a typed mapping as the keys written, a list item by item)."""
    raw = value.literal
    if isinstance(raw, list):
        return [literal(item) for item in raw]
    if hasattr(raw, "values"):
        return {name: literal(item) for name, item in raw.values()}
    return raw


SAM_HEADER = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
"""

FUNCTION = """\
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Events:
"""


def sam(body: str, events: str = "") -> Template:
    text = SAM_HEADER + textwrap.dedent(body)
    if events:
        text += FUNCTION + textwrap.indent(textwrap.dedent(events), " " * 8)
    return model(text)


def by_id(stages: list[apis.ApiStage]) -> dict[str, apis.ApiStage]:
    return {s.logical_id: s for s in stages}


# ---- stages ----------------------------------------------------------------------------------


def test_sam_stages_include_implicit_apis_configured_by_globals():
    template = sam(
        """\
        Globals:
          Api:
            TracingEnabled: true
        Resources:
          OrdersApi:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
          OrdersHttpApi:
            Type: AWS::Serverless::HttpApi
          Socket:
            Type: AWS::Serverless::WebSocketApi
            Properties:
              RouteSelectionExpression: $request.body.action
        """,
        """\
        Rest:
          Type: Api
          Properties: {Path: /a, Method: get}
        Http:
          Type: HttpApi
          Properties: {Path: /a, Method: get}
        """,
    )
    stages = by_id(apis.stages(template))
    assert set(stages) == {"OrdersApi", "OrdersHttpApi", "Socket", "ServerlessRestApi", "ServerlessHttpApi"}
    implicit_rest = stages["ServerlessRestApi"]
    assert (implicit_rest.kind, implicit_rest.origin, implicit_rest.name_text, implicit_rest.implicit) == (apis.REST, "sam", "Prod", True)
    # The implicit API's settings are Globals.Api, and the explicit API has them merged in (at the Globals line).
    assert implicit_rest.setting("TracingEnabled").literal is True
    assert stages["OrdersApi"].setting("TracingEnabled").literal is True
    assert stages["OrdersApi"].setting("TracingEnabled").path == ("Globals", "Api", "TracingEnabled")
    assert stages["OrdersHttpApi"].name_text == "$default"
    assert stages["ServerlessHttpApi"].kind == apis.HTTP
    assert (stages["Socket"].kind, stages["Socket"].name_text) == (apis.WEBSOCKET, "default")
    assert [s.logical_id for s in apis.stages(template, apis.REST)] == ["OrdersApi", "ServerlessRestApi"]


CFN_REST = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  RestApi:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: orders}
"""


def test_cloudformation_stages_from_stage_deployment_v2_and_quick_create():
    template = model(
        CFN_REST
        + """\
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties: {RestApiId: !Ref RestApi}
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref RestApi, DeploymentId: !Ref Deployment, StageName: prod}
  DevDeployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref RestApi
      StageName: dev
      StageDescription: {ThrottlingRateLimit: 10, TracingEnabled: true}
  # Same name as ProdStage: the same stage, not a second one.
  ProdDeployment:
    Type: AWS::ApiGateway::Deployment
    Properties: {RestApiId: !Ref RestApi, StageName: prod}
  Socket:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: s, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
  SocketStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties: {ApiId: !Ref Socket, StageName: prod}
  Quick:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: q, ProtocolType: HTTP, Target: arn:aws:lambda:us-east-1:123456789012:function:f}
  QuickWithStage:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: q2, Target: arn:aws:lambda:us-east-1:123456789012:function:f}
  QuickDefaultStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties: {ApiId: !Ref QuickWithStage, StageName: $default}
  ForeignStage:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !ImportValue shared-api, DeploymentId: abc, StageName: prod}
"""
    )
    stages = by_id(apis.stages(template))
    assert set(stages) == {"ProdStage", "DevDeployment", "SocketStage", "Quick", "QuickDefaultStage", "ForeignStage"}
    dev = stages["DevDeployment"]
    assert (dev.origin, dev.kind, dev.api_id, dev.name_text) == ("deployment", apis.REST, "RestApi", "dev")
    assert dev.settings.path == ("Resources", "DevDeployment", "Properties", "StageDescription")
    assert dev.setting("TracingEnabled").literal is True
    assert dev.setting("TracingEnabled").path == ("Resources", "DevDeployment", "Properties", "StageDescription", "TracingEnabled")
    assert (stages["SocketStage"].kind, stages["SocketStage"].api_id) == (apis.WEBSOCKET, "Socket")
    quick = stages["Quick"]
    # Nothing configures a quick-create stage: a finding about it points at the API's Target.
    assert (quick.origin, quick.name_text, quick.setting("DefaultRouteSettings").absent) == ("quick-create", "$default", True)
    assert quick.anchors[0] == ("Resources", "Quick", "Properties", "Target")
    foreign = stages["ForeignStage"]
    assert (foreign.kind, foreign.api, foreign.describe()) == (apis.REST, None, "stage 'prod' of a REST API")


def test_managed_overrides_configure_the_quick_create_stage():
    template = model(
        """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Quick:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: q, ProtocolType: HTTP, Target: arn:aws:lambda:us-east-1:123456789012:function:f}
  Other:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: o, ProtocolType: HTTP, Target: arn:aws:lambda:us-east-1:123456789012:function:f}
  QuickOverrides:
    Type: AWS::ApiGatewayV2::ApiGatewayManagedOverrides
    Properties: {ApiId: !Ref Quick, Stage: {DefaultRouteSettings: {ThrottlingRateLimit: 1}}}
"""
    )
    stages = by_id(apis.stages(template))
    quick, other = stages["Quick"], stages["Other"]
    assert apis.managed_overrides(template, quick.resource).logical_id == "QuickOverrides"
    assert apis.managed_overrides(template, other.resource) is None
    # The overrides' Stage is the stage's settings mapping, and findings about it belong to the overrides.
    assert (quick.overrides.logical_id, quick.resource_id) == ("QuickOverrides", "QuickOverrides")
    assert quick.setting("DefaultRouteSettings").ThrottlingRateLimit.literal == 1
    assert (other.overrides, other.resource_id) == (None, "Other")


def test_a_deployment_without_stage_description_points_at_its_stage_name():
    template = model(
        CFN_REST
        + """\
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties: {RestApiId: !Ref RestApi, StageName: prod}
"""
    )
    (stage,) = apis.stages(template)
    assert stage.setting("MethodSettings").absent
    assert stage.anchors[0] == ("Resources", "Deployment", "Properties", "StageName")
    assert stage.method_settings() == []


def test_method_settings_scope_and_stage_wide_deployment_values():
    template = model(
        CFN_REST
        + """\
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref RestApi
      DeploymentId: abc
      StageName: prod
      MethodSettings:
        - {HttpMethod: "*", ResourcePath: "/*", ThrottlingRateLimit: 10}
        - {HttpMethod: POST, ResourcePath: /orders, ThrottlingRateLimit: 1}
        - {HttpMethod: !Ref Verb, ResourcePath: "/*"}
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref RestApi
      StageName: dev
      StageDescription:
        ThrottlingBurstLimit: 5
        MethodSettings: [{HttpMethod: GET, ResourcePath: /orders, CachingEnabled: true}]
  OpaqueStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref RestApi
      DeploymentId: abc
      StageName: opaque
      MethodSettings: !Ref Settings
"""
    )
    stages = by_id(apis.stages(template))
    entries = stages["Stage"].method_settings()
    listed = ("Resources", "Stage", "Properties", "MethodSettings")
    assert [(e.every_method.holds, e.path) for e in entries] == [(True, (*listed, 0)), (False, (*listed, 1)), (None, (*listed, 2))]
    deployment_entries = stages["Deployment"].method_settings()
    description = ("Resources", "Deployment", "Properties", "StageDescription")
    assert [(e.every_method.holds, e.path) for e in deployment_entries] == [(True, description), (False, (*description, "MethodSettings", 0))]
    assert deployment_entries[0].get("ThrottlingBurstLimit").literal == 5
    assert literal(deployment_entries[1].value) == {"HttpMethod": "GET", "ResourcePath": "/orders", "CachingEnabled": True}
    # An unreadable list is one entry whose every setting is unknown.
    (opaque,) = stages["OpaqueStage"].method_settings()
    assert (opaque.every_method.holds, opaque.get("ThrottlingRateLimit").unknown) == (None, True)


def test_method_settings_through_fn_if_keep_every_branch():
    template = sam(
        """\
        Conditions:
          Prod: !Equals [!Ref "AWS::StackName", prod]
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              MethodSettings: !If
                - Prod
                - [{HttpMethod: "*", ResourcePath: "/*", ThrottlingRateLimit: 10}]
                - [{HttpMethod: "*", ResourcePath: "/*", MetricsEnabled: true}]
        """
    )
    (stage,) = apis.stages(template)
    entries = stage.method_settings()
    # Each entry exists under its branch's condition (absent in the other).
    rates = [[(when, leaf.number()) for when, leaf in e.get("ThrottlingRateLimit").leaves()] for e in entries]
    assert rates == [[((("Prod", True),), 10.0), ((("Prod", False),), None)], [((("Prod", True),), None), ((("Prod", False),), None)]]
    assert [answer(apis.limit_set(e.get("ThrottlingRateLimit"))) for e in entries] == [None, False]
    assert {e.path for e in entries} == {("Resources", "Api", "Properties", "MethodSettings", 0)}


def test_default_route_settings():
    template = sam(
        """\
        Resources:
          Set:
            Type: AWS::Serverless::HttpApi
            Properties:
              DefaultRouteSettings: {ThrottlingBurstLimit: 5}
          Unset:
            Type: AWS::Serverless::HttpApi
          Opaque:
            Type: AWS::Serverless::HttpApi
            Properties:
              DefaultRouteSettings: !FindInMap [A, B, C]
        """
    )
    stages = by_id(apis.stages(template))
    assert literal(stages["Set"].setting("DefaultRouteSettings")) == {"ThrottlingBurstLimit": 5}
    assert stages["Unset"].setting("DefaultRouteSettings").absent
    assert stages["Opaque"].setting("DefaultRouteSettings").unknown


# ---- usage plans -----------------------------------------------------------------------------


def test_usage_plans_cover_stages_by_every_naming():
    template = sam(
        """\
        Parameters:
          StageName: {Type: String}
        Resources:
          SamApi:
            Type: AWS::Serverless::Api
            Properties: {StageName: prod}
          ParamApi:
            Type: AWS::Serverless::Api
            Properties: {StageName: !Ref StageName}
          RestApi:
            Type: AWS::ApiGateway::RestApi
            Properties: {Name: r}
          RestStage:
            Type: AWS::ApiGateway::Stage
            Properties: {RestApiId: !Ref RestApi, DeploymentId: abc, StageName: live}
          OtherStage:
            Type: AWS::ApiGateway::Stage
            Properties: {RestApiId: !Ref RestApi, DeploymentId: abc, StageName: other}
          ByStageRef:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              ApiStages: [{ApiId: !Ref RestApi, Stage: !Ref RestStage}]
          BySamStage:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              ApiStages: [{ApiId: !Ref SamApi, Stage: !Ref SamApi.Stage}]
          BySamLogicalId:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              ApiStages: [{ApiId: !Ref SamApi, Stage: !Ref SamApiprodStage}]
          ByLiteral:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              ApiStages: [{ApiId: !Ref RestApi, Stage: other}]
          ByParameter:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              ApiStages: [{ApiId: !Ref ParamApi, Stage: !Ref StageName}]
          ByImport:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              ApiStages: [{ApiId: !Ref RestApi, Stage: !ImportValue stage-name}]
        """
    )
    stages = by_id(apis.stages(template))
    plans = {p.logical_id: p for p in apis.usage_plans(template)}

    def covered(plan: str) -> dict[str, object]:
        return {sid: answer(plans[plan].covers(template, s)) for sid, s in stages.items()}

    assert covered("ByStageRef") == {"SamApi": False, "ParamApi": False, "RestStage": True, "OtherStage": False}
    assert covered("BySamStage")["SamApi"] is True
    assert covered("BySamLogicalId")["SamApi"] is True
    assert covered("ByLiteral") == {"SamApi": False, "ParamApi": False, "RestStage": False, "OtherStage": True}
    assert covered("ByParameter")["ParamApi"] is True
    # An imported name may be either stage of the API: unknown, never a mismatch.
    assert covered("ByImport") == {"SamApi": False, "ParamApi": False, "RestStage": None, "OtherStage": None}
    rest_api = template.resource("RestApi")
    assert answer(plans["ByLiteral"].covers_api(rest_api)) is True
    assert answer(plans["BySamStage"].covers_api(rest_api)) is False


def test_sam_usage_plans_per_api_shared_and_none():
    template = sam(
        """\
        Globals:
          Api:
            Auth:
              UsagePlan:
                CreateUsagePlan: SHARED
                Quota: {Limit: 10, Period: DAY}
        Resources:
          Shared:
            Type: AWS::Serverless::Api
            Properties: {StageName: prod}
          PerApi:
            Type: AWS::Serverless::Api
            IgnoreGlobals: "*"
            Properties:
              StageName: prod
              Auth:
                UsagePlan: {CreateUsagePlan: PER_API, Throttle: {RateLimit: 1}}
          NoPlan:
            Type: AWS::Serverless::Api
            IgnoreGlobals: "*"
            Properties:
              StageName: prod
              Auth:
                UsagePlan: {CreateUsagePlan: NONE}
        """,
        """\
        Rest:
          Type: Api
          Properties: {Path: /a, Method: get}
        """,
    )
    plans = {p.logical_id: p for p in apis.usage_plans(template)}
    assert set(plans) == {"Shared", "PerApi", "ServerlessRestApi"}
    shared, per_api = plans["Shared"], plans["PerApi"]
    assert (shared.mode, answer(shared.has_quota()), answer(shared.throttles())) == ("SHARED", True, False)
    assert (per_api.mode, answer(per_api.has_quota()), answer(per_api.throttles())) == ("PER_API", False, True)
    assert per_api.setting("Quota").path == ("Resources", "PerApi", "Properties", "Auth", "UsagePlan", "Quota")
    stages = by_id(apis.stages(template))
    assert answer(per_api.covers(template, stages["PerApi"])) is True
    assert answer(per_api.covers(template, stages["Shared"])) is False
    assert answer(plans["ServerlessRestApi"].covers(template, stages["ServerlessRestApi"])) is True
    assert "ServerlessUsagePlan" in plans["Shared"].describe()


@pytest.mark.parametrize(
    "value, expected",
    [(10, True), ("5", True), (0, True), (-1, False), ({"Ref": "Rate"}, None), (None, False)],
)
def test_limit_set(value, expected):
    # API Gateway reads -1 as "not set"; a parameter without a default cannot be judged.
    assert answer(apis.limit_set(free_form(value, ("Limit",)))) is expected


# ---- REST methods ----------------------------------------------------------------------------


def methods_by(template: Template) -> dict[tuple[str, str], apis.RestMethod]:
    return {(m.api.logical_id if m.api else "-", m.describe()): m for m in apis.rest_methods(template)}


def test_methods_from_events_of_functions_and_state_machines():
    template = sam(
        """\
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties: {StageName: prod}
          Flow:
            Type: AWS::Serverless::StateMachine
            Properties:
              Definition: {StartAt: A, States: {A: {Type: Succeed}}}
              Events:
                Start:
                  Type: Api
                  Properties: {Path: /flows, Method: post}
        """,
        """\
        Implicit:
          Type: Api
          Properties: {Path: /orders/, Method: x-amazon-apigateway-any-method}
        Explicit:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /orders, Method: Post}
        """,
    )
    methods = methods_by(template)
    assert set(methods) == {("ServerlessRestApi", "ANY /orders"), ("ServerlessRestApi", "POST /flows"), ("Api", "POST /orders")}
    implicit = methods[("ServerlessRestApi", "ANY /orders")]
    assert implicit.event_applies and implicit.visible and implicit.takes_body
    assert implicit.location == ("Resources", "Fn", "Properties", "Events", "Implicit")
    assert implicit.subject() == "Function 'Fn' event 'Implicit' (ANY /orders)"
    assert methods[("ServerlessRestApi", "POST /flows")].subject().startswith("State machine 'Flow'")


def test_an_api_with_its_own_document_ignores_events_unless_merged():
    template = sam(
        """\
        Resources:
          Documented:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionBody:
                openapi: 3.0.1
                paths:
                  /items:
                    post: {x-amazon-apigateway-integration: {type: mock}}
                    get: {x-amazon-apigateway-integration: {type: mock}}
          Merged:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              MergeDefinitions: true
              DefinitionBody:
                openapi: 3.0.1
                paths:
                  /items:
                    post: {x-amazon-apigateway-integration: {type: mock}}
          InFile:
            Type: AWS::Serverless::Api
            Properties: {StageName: prod, DefinitionUri: api.yaml}
        """,
        """\
        Matched:
          Type: Api
          Properties: {RestApiId: !Ref Documented, Path: /items, Method: post}
        NotInDocument:
          Type: Api
          Properties: {RestApiId: !Ref Documented, Path: /other, Method: post}
        MergedEvent:
          Type: Api
          Properties: {RestApiId: !Ref Merged, Path: /items, Method: post}
        MergedNew:
          Type: Api
          Properties: {RestApiId: !Ref Merged, Path: /new, Method: put}
        FileEvent:
          Type: Api
          Properties: {RestApiId: !Ref InFile, Path: /x, Method: post}
        """,
    )
    methods = methods_by(template)
    assert set(methods) == {
        ("Documented", "POST /items"),
        ("Documented", "GET /items"),
        ("Merged", "POST /items"),
        ("Merged", "PUT /new"),
        ("InFile", "POST /x"),
    }
    matched = methods[("Documented", "POST /items")]
    assert matched.event is not None and matched.operation is not None and not matched.event_applies
    # The document is the truth: findings point at the operation, on the API.
    assert matched.resource.logical_id == "Documented"
    assert matched.location == ("Resources", "Documented", "Properties", "DefinitionBody", "paths", "/items", "post")
    merged = methods[("Merged", "POST /items")]
    assert merged.event_applies and merged.operation is not None and merged.resource.logical_id == "Fn"
    assert methods[("Merged", "PUT /new")].operation is None
    in_file = methods[("InFile", "POST /x")]
    assert not in_file.visible


def test_cloudformation_methods_resolve_resource_paths_and_ignore_sam_events():
    template = model(
        SAM_HEADER
        + """\
Resources:
  RestApi:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: r}
  Orders:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref RestApi, ParentId: !GetAtt RestApi.RootResourceId, PathPart: orders}
  Order:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref RestApi, ParentId: !Ref Orders, PathPart: "{id}"}
  OrderPatch:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref RestApi, ResourceId: !Ref Order, HttpMethod: patch, AuthorizationType: NONE}
  RootGet:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref RestApi, ResourceId: !GetAtt RestApi.RootResourceId, HttpMethod: GET, AuthorizationType: NONE}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Runtime: python3.12
      CodeUri: src/
      Events:
        # A CloudFormation RestApi gets a permission from SAM, no method.
        Permission:
          Type: Api
          Properties: {RestApiId: !Ref RestApi, Path: /x, Method: post}
"""
    )
    methods = methods_by(template)
    assert set(methods) == {("RestApi", "PATCH /orders/{id}"), ("RestApi", "GET /")}
    patch = methods[("RestApi", "PATCH /orders/{id}")]
    assert patch.subject() == "Method 'OrderPatch' (PATCH /orders/{id})"
    assert patch.location == ("Resources", "OrderPatch")


def test_api_key_requirement_from_sam_auth_events_methods_and_openapi():
    template = sam(
        """\
        Resources:
          Keyed:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              Auth: {ApiKeyRequired: true}
          Open:
            Type: AWS::Serverless::Api
            Properties: {StageName: prod}
          Documented:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Body:
                swagger: "2.0"
                securityDefinitions:
                  api_key: {type: apiKey, name: x-api-key, in: header}
                  authorizer: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom}
                paths:
                  /keyed:
                    get: {security: [{api_key: []}]}
                  /authorized:
                    get: {security: [{authorizer: []}]}
          KeyedMethod:
            Type: AWS::ApiGateway::Method
            Properties: {RestApiId: !Ref Documented, ResourceId: abc, HttpMethod: POST, ApiKeyRequired: "true"}
        """,
        """\
        Default:
          Type: Api
          Properties: {RestApiId: !Ref Keyed, Path: /a, Method: get}
        OptedOut:
          Type: Api
          Properties: {RestApiId: !Ref Keyed, Path: /b, Method: get, Auth: {ApiKeyRequired: false}}
        OptedIn:
          Type: Api
          Properties: {RestApiId: !Ref Open, Path: /c, Method: get, Auth: {ApiKeyRequired: true}}
        Plain:
          Type: Api
          Properties: {RestApiId: !Ref Open, Path: /d, Method: get}
        """,
    )
    required = {key: answer(apis.api_key_required(m)) for key, m in methods_by(template).items()}
    assert required == {
        ("Keyed", "GET /a"): True,
        ("Keyed", "GET /b"): False,
        ("Open", "GET /c"): True,
        ("Open", "GET /d"): False,
        ("Documented", "GET /keyed"): True,
        ("Documented", "GET /authorized"): False,
        ("Documented", "POST ?"): True,
    }


def test_operation_request_validator_operation_level_wins_over_root():
    document = {
        "x-amazon-apigateway-request-validators": {
            "all": {"validateRequestBody": True},
            "params": {"validateRequestParameters": True},
        },
        "x-amazon-apigateway-request-validator": "all",
        "paths": {
            "/a": {"post": {"x-amazon-apigateway-request-validator": "params"}, "put": {}},
            "/b": {"post": {"x-amazon-apigateway-request-validator": "missing"}},
            "/c": {"patch": {"requestBody": {"content": {}}}},
        },
    }
    ops = {(o.path, o.verb): o for o in apis.operations(document, ("Body",))}
    assert ops[("/a", "POST")].request_validator() == ("params", {"validateRequestParameters": True}, True)
    assert ops[("/a", "PUT")].request_validator()[0] == "all"
    assert ops[("/b", "POST")].request_validator() == ("missing", None, False)
    assert ops[("/c", "PATCH")].has_body_schema() and not ops[("/a", "PUT")].has_body_schema()
    assert ops[("/a", "POST")].json_path == ("Body", "paths", "/a", "post")


def test_greedy_paths_and_integration_uris():
    template = model(
        CFN_REST
        + """\
  Proxy:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref RestApi, ParentId: !GetAtt RestApi.RootResourceId, PathPart: "{proxy+}"}
  ProxyAny:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !Ref Proxy
      HttpMethod: ANY
      Integration:
        Type: AWS
        Uri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:s3:path/bucket/{proxy}
"""
    )
    (method,) = apis.rest_methods(template)
    assert method.greedy and method.path == "/{proxy+}"
    assert method.integration_uri() == "arn:${AWS::Partition}:apigateway:${AWS::Region}:s3:path/bucket/{proxy}"


@pytest.mark.parametrize(
    "protocol, kind",
    [("HTTP", apis.HTTP), ("WEBSOCKET", apis.WEBSOCKET), (None, apis.HTTP), ({"Ref": "Protocol"}, None)],
)
def test_api_kind_of_v2_apis(protocol, kind):
    properties = {"Name": "a"} if protocol is None else {"Name": "a", "ProtocolType": protocol}
    api = ApiV2.build("Api", "AWS::ApiGatewayV2::Api", properties)
    assert apis.api_kind(api) == kind


# ---- values, conditions and subjects -----------------------------------------------------------


def test_globals_reach_explicit_apis_without_a_transform_line():
    template = model(
        """\
        AWSTemplateFormatVersion: "2010-09-09"
        Globals:
          Api:
            CanarySetting: {PercentTraffic: 10}
            Auth:
              UsagePlan: {CreateUsagePlan: PER_API, Quota: {Limit: 10, Period: DAY}, Throttle: {RateLimit: 1}}
        Resources:
          OrdersApi:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              Auth:
                UsagePlan: {CreateUsagePlan: PER_API}
        """
    )
    (stage,) = apis.stages(template)
    assert stage.setting("CanarySetting").PercentTraffic.path == ("Globals", "Api", "CanarySetting", "PercentTraffic")
    (plan,) = apis.usage_plans(template)
    assert (answer(plan.has_quota()), answer(plan.throttles()), answer(plan.covers(template, stage))) == (True, True, True)


def test_a_conditional_stage_description_is_read_per_branch():
    template = model(
        CFN_REST
        + """\
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref RestApi
      StageName: prod
      StageDescription: !If [IsProd, {TracingEnabled: true}, !Ref AWS::NoValue]
  Opaque:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref RestApi
      StageName: test
      StageDescription: !FindInMap [Stages, Test, Description]
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
"""
    )
    stages = by_id(apis.stages(template))
    traced = stages["Deployment"].ask(lambda settings: settings.TracingEnabled.is_true())
    assert [(case.when, case.holds) for case in traced.cases] == [((("IsProd", True),), True), ((("IsProd", False),), False)]
    # A settings mapping that cannot be read answers unknown, whatever the question.
    assert answer(stages["Opaque"].ask(lambda settings: settings.TracingEnabled.given())) is None


def test_a_stage_named_by_a_parameter_default_is_covered_by_a_plan_naming_it_literally():
    template = model(
        CFN_REST
        + """\
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties: {RestApiId: !Ref RestApi, StageName: !Ref Stage}
  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties:
      ApiStages: [{ApiId: !Ref RestApi, Stage: prod}]
      Throttle: {RateLimit: 10, BurstLimit: 5}
Parameters:
  Stage: {Type: String, Default: prod}
"""
    )
    (stage,) = apis.stages(template)
    (plan,) = apis.usage_plans(template)
    covers = plan.covers(template, stage)
    assert answer(covers) is True
    # The parameter's default decided: the evidence says so, and messages show no name for the stage.
    assert covers.cases[0].evidence.literal == "prod"
    assert stage.name.resolved and stage.name_text is None


def test_canaries_and_subjects():
    template = model(
        CFN_REST
        + """\
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      {RestApiId: !Ref RestApi, StageName: prod, DeploymentCanarySettings: {PercentTraffic: 5}, StageDescription: {CanarySetting: {PercentTraffic: 10}}}
  Method:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref RestApi, ResourceId: !GetAtt RestApi.RootResourceId, HttpMethod: GET}
"""
    )
    canaries = {c.key: c for c in apis.canaries(template)}
    assert set(canaries) == {
        "Resources/Deployment/Properties/StageDescription/CanarySetting",
        "Resources/Deployment/Properties/DeploymentCanarySettings",
    }
    assert canaries["Resources/Deployment/Properties/DeploymentCanarySettings"].deployment
    (stage,) = apis.stages(template)
    assert (stage.key, stage.resource_id, stage.owners) == ("Resources/Deployment", "Deployment", ("Deployment",))
    (method,) = apis.rest_methods(template)
    assert (method.key, method.resource_id, method.anchors[0]) == ("Resources/Method", "Method", ("Resources", "Method"))


def test_operations_are_subjects_of_their_api():
    template = model(
        """\
        Resources:
          Imported:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Body: {openapi: 3.0.1, paths: {/items: {get: {x-amazon-apigateway-integration: {type: mock}}}}}
        """
    )
    (method,) = apis.rest_methods(template)
    operation = method.operation
    assert operation.key == "Resources/Imported/Properties/Body/paths//items/get"
    assert (operation.resource_id, operation.written_verb, operation.verb) == ("Imported", "get", "GET")
    assert method.integration.literal == {"type": "mock"}
