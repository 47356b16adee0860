from __future__ import annotations

from typing import Any

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.stage_subject import stage_subject
from slens_lint.template import apis
from slens_lint.template.apis import ApiStage
from slens_lint.template.model import Template


class ApiStageWithoutTracing(Rule):
    id = "SL108"
    severity = Severity.WARNING
    severity_reason = (
        "warning: tracing is a design-card check, and an untraced stage leaves API Gateway out of "
        "every trace."
    )
    title = "REST API stage without X-Ray tracing"
    practice = "Operational excellence 2: Distributed tracing, with context added in code"
    rationale = (
        "API Gateway is where a request enters the application. Without `TracingEnabled` on a REST "
        "API stage the trace starts only at the function (if at all): the time spent in API Gateway, "
        "its authorizer and its integration is invisible, and the sampling decision is left to each "
        "function, so traces of one request come out incomplete. HTTP and WebSocket APIs have no X-Ray "
        "integration and are not checked."
    )
    fix = (
        "Set `TracingEnabled: true` on the REST API stage: on the SAM `AWS::Serverless::Api` (for the "
        "implicit `ServerlessRestApi`, in `Globals.Api`), on the `AWS::ApiGateway::Stage`, or in the "
        "`StageDescription` of an `AWS::ApiGateway::Deployment` that creates the stage with `StageName`."
    )
    example = {
        "Globals": {"Api": {"TracingEnabled": True}},
        "Resources": {
            "OrdersFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Tracing": "Active",
                    "Events": {"List": {"Type": "Api", "Properties": {"Path": "/orders", "Method": "get"}}},
                },
            }
        },
    }
    example_bad = {
        "Resources": {
            "ProdStage": {
                "Type": "AWS::ApiGateway::Stage",
                "Properties": {
                    "RestApiId": {"Ref": "OrdersApi"},
                    "DeploymentId": {"Ref": "OrdersDeployment"},
                    "StageName": "prod",
                },
            }
        }
    }
    use_instead = (
        "If the API's traces are not wanted (cost, or a stage used only for tests), suppress the rule on "
        "that API or stage with the reason; to trace only some environments, use `!If` and suppress "
        "the finding (it names the condition under which tracing is off) with that reason."
    )
    references = (
        "https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enabling-xray.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html#sam-api-tracingenabled",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-stage.html",
    )
    service = "apigateway"
    resource_types = ("AWS::Serverless::Api", "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment")

    subject = "API stage"

    def subjects(self, template: Template) -> list[ApiStage]:
        return apis.stages(template, apis.REST)

    def judge(self, stage: ApiStage, template: Template) -> Verdict:
        traced = apis.settle(stage.ask(lambda settings: settings.TracingEnabled.is_true()))
        failing = traced.failing()
        evidence = failing[0].evidence if failing else None
        explicit = evidence is not None and not evidence.absent
        what = "has TracingEnabled false" if explicit else "has no X-Ray tracing"
        message = (
            f"{stage_subject(stage, ', which')} {what}: the time spent in API Gateway, its authorizer and integration is "
            f"missing from the traces, and requests are not sampled where they enter."
        )
        snippet: Any = {"TracingEnabled": True}
        if stage.implicit:
            fix = "The implicit API takes its stage settings from Globals.Api; set TracingEnabled there:"
            snippet = {"Globals": {"Api": {"TracingEnabled": True}}}
        elif stage.origin == "deployment":
            fix = "Set TracingEnabled in the Deployment's StageDescription:"
            snippet = {"StageDescription": {"TracingEnabled": True}}
        else:
            fix = "Set TracingEnabled to true on the stage:"
        return self.expect(stage, traced, message, fix=fix, snippet=snippet)
