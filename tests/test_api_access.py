"""slens_lint.template.api_access: routes and their authorization, endpoint types and resource policies,
mutual-TLS domains, and the integrations an API waits for, read from real decoded templates."""

from __future__ import annotations

import textwrap

import pytest

from slens_lint.template import api_access, loader
from slens_lint.template.model import Template
from slens_lint.template.truth import Truth

SAM = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'
CFN = 'AWSTemplateFormatVersion: "2010-09-09"\n'


def model(text: str, header: str = SAM) -> Template:
    decoded = loader.decode_text(header + textwrap.dedent(text))
    assert not isinstance(decoded, loader.LoadError), decoded
    return Template(decoded.data, decoded.format, "template.yaml")


def routes_by_label(template: Template) -> dict[str, api_access.Route]:
    return {route.label: route for route in api_access.routes(template)}


def per_condition(truth: Truth) -> dict[tuple, bool]:
    return {case.when: case.holds for case in truth.cases}


# ---- routes ----------------------------------------------------------------------------------


def test_sam_event_routes_default_authorizer_opt_out_and_api_keys():
    template = model(
        """
        Globals:
          Api:
            Auth:
              DefaultAuthorizer: AWS_IAM
        Resources:
          KeyApi:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              Auth:
                ApiKeyRequired: true
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src/
              Events:
                List: {Type: Api, Properties: {Path: /orders, Method: get}}
                Health:
                  Type: Api
                  Properties: {Path: /health, Method: get, Auth: {Authorizer: NONE}}
                Keyed: {Type: Api, Properties: {RestApiId: !Ref KeyApi, Path: /reports, Method: get}}
        """
    )
    found = routes_by_label(template)
    listed = found["Function 'Fn' event 'List' (GET /orders)"]
    assert listed.authorized.always and listed.api.logical_id == "ServerlessRestApi"
    assert listed.owners == ("Fn", "ServerlessRestApi")
    health = found["Function 'Fn' event 'Health' (GET /health)"]
    assert health.authorized.never and health.opts_out.always
    assert health.location[-2:] == ("Auth", "Authorizer")
    # Globals.Api configures explicit APIs too: the key comes on top of the default authorizer.
    keyed = found["Function 'Fn' event 'Keyed' (GET /reports)"]
    assert keyed.authorized.always and keyed.api_key.always
    assert keyed.location == ("Resources", "Fn", "Properties", "Events", "Keyed")


def test_a_conditional_default_authorizer_gives_a_truth_per_condition():
    template = model(
        """
        Conditions:
          IsDev: !Equals [!Ref AWS::StackName, dev]
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              Auth:
                DefaultAuthorizer: !If [IsDev, !Ref AWS::NoValue, AWS_IAM]
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src/
              Events:
                Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: get}}
        """
    )
    (route,) = api_access.routes(template)
    assert per_condition(route.authorized) == {(("IsDev", True),): False, (("IsDev", False),): True}


def test_cloudformation_methods_v2_routes_and_quick_create():
    template = model(
        """
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties: {Name: a}
          Open:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !GetAtt Api.RootResourceId
              HttpMethod: GET
          Iam:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !GetAtt Api.RootResourceId
              HttpMethod: POST
              AuthorizationType: AWS_IAM
          Ws:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: ws, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
          Connect:
            Type: AWS::ApiGatewayV2::Route
            Properties: {ApiId: !Ref Ws, RouteKey: $connect}
          Message:
            Type: AWS::ApiGatewayV2::Route
            Properties: {ApiId: !Ref Ws, RouteKey: sendmessage}
          External:
            Type: AWS::ApiGatewayV2::Route
            Properties: {ApiId: !ImportValue other-api, RouteKey: GET /things, AuthorizationType: JWT}
          Quick:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: q, ProtocolType: HTTP, Target: !GetAtt Fn.Arn}
        """,
        CFN,
    )
    found = routes_by_label(template)
    assert found["Method 'Open' (GET /)"].authorized.never
    assert found["Method 'Open' (GET /)"].location == ("Resources", "Open", "Properties")
    assert found["Method 'Iam' (POST /)"].authorized.always
    assert found["Route 'Connect' ($connect)"].kind == "websocket"
    assert "Route 'Message' (sendmessage)" not in found
    external = found["Route 'External' (GET /things)"]
    assert (external.kind, external.api, external.authorized.always) == ("http", None, True)
    quick = found["API 'Quick' (quick-create $default route)"]
    assert quick.authorized.never and quick.location == ("Resources", "Quick", "Properties", "Target")


def test_openapi_operations_api_keys_are_no_authentication_and_sam_defaults_fill_in():
    template = model(
        """
        Resources:
          Rest:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Body:
                swagger: "2.0"
                info: {title: t, version: "1"}
                securityDefinitions:
                  key: {type: apiKey, name: x-api-key, in: header}
                  lambda: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom}
                paths:
                  /keyed: {post: {security: [{key: []}]}}
                  /custom: {post: {security: [{key: [], lambda: []}]}}
                  /iam: {get: {x-amazon-apigateway-auth: {type: AWS_IAM}}}
          Http:
            Type: AWS::Serverless::HttpApi
            Properties:
              Auth:
                DefaultAuthorizer: Jwt
                Authorizers:
                  Jwt: {IdentitySource: $request.header.Authorization, JwtConfiguration: {issuer: x, audience: [y]}}
              DefinitionBody:
                openapi: "3.0.1"
                info: {title: h, version: "1"}
                paths:
                  /filled: {get: {}}
        """
    )
    found = routes_by_label(template)
    assert found["API 'Rest' operation POST /keyed"].authorized.never
    assert found["API 'Rest' operation POST /keyed"].api_key.always
    assert found["API 'Rest' operation POST /custom"].authorized.always
    assert found["API 'Rest' operation GET /iam"].authorized.always
    assert found["API 'Http' operation GET /filled"].authorized.always


def test_an_http_event_keeps_the_security_of_the_document_it_is_added_to():
    template = model(
        """
        Resources:
          Http:
            Type: AWS::Serverless::HttpApi
            Properties:
              DefinitionBody:
                openapi: "3.0.1"
                info: {title: h, version: "1"}
                components:
                  securitySchemes:
                    jwt: {type: oauth2, x-amazon-apigateway-authorizer: {type: jwt}}
                paths:
                  /reports: {get: {security: [{jwt: []}]}}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src/
              Events:
                Get: {Type: HttpApi, Properties: {ApiId: !Ref Http, Path: /reports, Method: get}}
                Other: {Type: HttpApi, Properties: {ApiId: !Ref Http, Path: /other, Method: get}}
        """
    )
    found = routes_by_label(template)
    assert found["Function 'Fn' event 'Get' (GET /reports)"].authorized.always
    assert found["Function 'Fn' event 'Other' (GET /other)"].authorized.never
    # The document's operation is the event's route: not a second one.
    assert not any(label.startswith("API 'Http' operation") for label in found)


@pytest.mark.parametrize(
    "verb, path, verb_hidden, path_hidden, expected",
    [
        ("GET", "/a", "", "", "GET /a"),
        ("GET", None, "", "Path !Sub is resolved at deploy time", "GET, path not readable from the template: Path !Sub is resolved at deploy time"),
        (None, "/a", "Method is not given", "", "/a, method not readable from the template: Method is not given"),
        (None, None, "", "", "method and path not readable from the template"),
    ],
)
def test_describe_route_names_what_hides_a_part(verb, path, verb_hidden, path_hidden, expected):
    assert api_access.describe_route(verb, path, verb_hidden, path_hidden) == expected


def test_a_method_path_hidden_by_an_import_is_named():
    template = model(
        """
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties: {Name: a}
          Get:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !ImportValue shared-resource
              HttpMethod: GET
        """,
        CFN,
    )
    (route,) = api_access.routes(template)
    assert route.label == (
        "Method 'Get' (GET, path not readable from the template: ResourceId !ImportValue shared-resource is "
        "resolved at deploy time)"
    )


# ---- endpoint types and resource policies ----------------------------------------------------


def test_private_endpoint_types_sam_and_cloudformation():
    template = model(
        """
        Conditions:
          IsPrivate: !Equals [!Ref AWS::StackName, internal]
        Resources:
          AsString: {Type: AWS::Serverless::Api, Properties: {StageName: p, EndpointConfiguration: PRIVATE}}
          AsType: {Type: AWS::Serverless::Api, Properties: {StageName: p, EndpointConfiguration: {Type: private}}}
          Regional: {Type: AWS::Serverless::Api, Properties: {StageName: p, EndpointConfiguration: REGIONAL}}
          Cfn:
            Type: AWS::ApiGateway::RestApi
            Properties: {EndpointConfiguration: {Types: [PRIVATE]}}
          Maybe:
            Type: AWS::ApiGateway::RestApi
            Properties:
              EndpointConfiguration: !If [IsPrivate, {Types: [PRIVATE]}, {Types: [EDGE]}]
          Http: {Type: AWS::Serverless::HttpApi}
        """
    )
    private = {r.logical_id: api_access.is_private(r) for r in template.resources.values()}
    assert private["AsString"].always and private["AsType"].always and private["Cfn"].always
    assert private["Regional"].never and private["Http"].never
    assert per_condition(private["Maybe"]) == {(("IsPrivate", True),): True, (("IsPrivate", False),): False}


def test_resource_policies_that_limit_callers():
    template = model(
        """
        Resources:
          Office:
            Type: AWS::Serverless::Api
            Properties:
              StageName: p
              Auth: {ResourcePolicy: {IpRangeWhitelist: [203.0.113.0/24]}}
          Blocked:
            Type: AWS::Serverless::Api
            Properties:
              StageName: p
              Auth: {ResourcePolicy: {IpRangeBlacklist: [203.0.113.0/24]}}
          Conditioned:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Policy:
                Statement:
                  - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Condition: {IpAddress: {aws:SourceIp: 10.0.0.0/8}}}
          Everyone:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Policy:
                Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: execute-api:Invoke}]
          AsJson:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Policy: '{"Statement": []}'
        """
    )
    restricts = {r.logical_id: api_access.restricts_callers(r) for r in template.resources.values()}
    assert restricts["Office"].always and restricts["Conditioned"].always
    assert restricts["Blocked"].never and restricts["Everyone"].never
    assert restricts["AsJson"].holds is None
    assert restricts["AsJson"].cases[0].evidence.reason == "the resource policy is a JSON string, not read here"


def test_declared_policies_in_events_documents_and_files():
    template = model(
        """
        Resources:
          ByEvent: {Type: AWS::Serverless::Api, Properties: {StageName: p}}
          InFile: {Type: AWS::Serverless::Api, Properties: {StageName: p, DefinitionUri: api.yaml}}
          InDocument:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Body:
                openapi: "3.0.1"
                paths: {}
                x-amazon-apigateway-policy: {Statement: [{Effect: Allow, Principal: "*", Action: execute-api:Invoke}]}
          None:
            Type: AWS::ApiGateway::RestApi
            Properties: {Name: n}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src/
              Events:
                Get:
                  Type: Api
                  Properties:
                    RestApiId: !Ref ByEvent
                    Path: /a
                    Method: get
                    Auth: {ResourcePolicy: {SourceVpceWhitelist: [vpce-1]}}
        """
    )
    declared = {name: api_access.declares_policy(template, template.resource(name)) for name in ("ByEvent", "InFile", "InDocument", "None")}
    assert declared["ByEvent"].always and declared["InDocument"].always and declared["None"].never
    assert declared["InFile"].holds is None


# ---- mutual TLS and the default endpoint ------------------------------------------------------


def test_mtls_domains_inline_and_mapped_by_the_same_parameter():
    template = model(
        """
        Parameters:
          DomainName: {Type: String}
        Resources:
          Inline:
            Type: AWS::Serverless::HttpApi
            Properties:
              DisableExecuteApiEndpoint: true
              Domain:
                DomainName: partners.example.com
                CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/x
                MutualTlsAuthentication: {TruststoreUri: s3://t/ca.pem}
          Mapped:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: m, ProtocolType: HTTP}
          Domain:
            Type: AWS::ApiGatewayV2::DomainName
            Properties:
              DomainName: !Ref DomainName
              MutualTlsAuthentication: {TruststoreUri: s3://t/ca.pem}
          Mapping:
            Type: AWS::ApiGatewayV2::ApiMapping
            Properties: {DomainName: !Ref DomainName, ApiId: !Ref Mapped, Stage: $default}
        """
    )
    domains = {d.api.logical_id: d for d in api_access.mtls_domains(template)}
    assert domains["Inline"].label == "custom domain 'partners.example.com'" and domains["Inline"].mtls.always
    assert domains["Mapped"].label == "custom domain 'Domain'"
    assert api_access.mtls_only(template, template.resource("Inline")).always
    assert api_access.mtls_only(template, template.resource("Mapped")).never


def test_default_endpoint_disabled_by_property_document_or_hidden_in_a_file():
    template = model(
        """
        Resources:
          ByDocument:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Body:
                openapi: "3.0.1"
                paths: {}
                x-amazon-apigateway-endpoint-configuration: {disableExecuteApiEndpoint: true}
          InFile:
            Type: AWS::ApiGateway::RestApi
            Properties: {BodyS3Location: {Bucket: b, Key: k}}
          Enabled:
            Type: AWS::Serverless::Api
            Properties: {StageName: p, DisableExecuteApiEndpoint: false}
          Plain:
            Type: AWS::Serverless::Api
            Properties: {StageName: p}
        """
    )
    disabled = {r.logical_id: api_access.default_endpoint_disabled(r) for r in template.resources.values()}
    assert disabled["ByDocument"].always
    assert disabled["Enabled"].never and disabled["Plain"].never
    assert disabled["InFile"].holds is None
    assert "BodyS3Location" in disabled["InFile"].cases[0].evidence.reason


# ---- integrations ------------------------------------------------------------------------------


def test_integration_limits_from_events_methods_documents_and_v2_integrations():
    template = model(
        """
        Resources:
          RestFn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src/
              Events:
                Get: {Type: Api, Properties: {Path: /a, Method: get}}
                Http: {Type: HttpApi}
          HttpFn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src/
          AsyncFn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src/
              Events:
                Post: {Type: Api, Properties: {RestApiId: !Ref Docs, Path: /tasks, Method: post}}
          Docs:
            Type: AWS::Serverless::Api
            Properties:
              StageName: p
              DefinitionBody:
                openapi: "3.0.1"
                paths:
                  /tasks:
                    post:
                      x-amazon-apigateway-integration:
                        type: aws
                        uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AsyncFn.Arn}/invocations
                        requestParameters:
                          integration.request.header.X-Amz-Invocation-Type: "'Event'"
          V2:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: v, ProtocolType: HTTP}
          V2Integration:
            Type: AWS::ApiGatewayV2::Integration
            Properties:
              ApiId: !Ref V2
              IntegrationType: AWS_PROXY
              IntegrationUri: !GetAtt HttpFn.Arn
        """
    )
    limits = api_access.integration_limits(template)
    assert limits == {"RestFn": 29, "HttpFn": 30}
    (document,) = [i for i in api_access.integrations(template) if i.holder.logical_id == "Docs"]
    assert document.asynchronous and document.targets == frozenset({"AsyncFn"})


def test_a_path_from_a_parameter_default_is_named_not_guessed():
    template = model(
        """
        Parameters:
          BasePath: {Type: String, Default: /orders}
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src/
              Events:
                Get: {Type: Api, Properties: {Path: !Ref BasePath, Method: get}}
        """
    )
    (route,) = api_access.routes(template)
    assert route.label == (
        "Function 'Fn' event 'Get' (GET, path not readable from the template: Path comes from parameter "
        "'BasePath' (default '/orders'))"
    )
