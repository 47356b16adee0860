from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template.api_access import integration_limits
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function

# Resources whose properties name the Lambda function they integrate with.
_INTEGRATING_TYPES = (
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Route",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
)


class ApiFunctionTimeoutAboveIntegrationLimit(Rule):
    id = "SL403"
    severity = Severity.INFO
    severity_reason = (
        "info: API Gateway stops waiting at 29 seconds whatever the function does; the longer timeout"
        " only costs, it does not break."
    )
    title = "API-integrated function with a Timeout above 29 seconds"
    practice = "Performance efficiency 1: Measure, evaluate and choose the optimal capacity unit"
    rationale = (
        "API Gateway stops waiting for an integration after 29 seconds by default (HTTP APIs after "
        "30). A function behind an API with a longer `Timeout` keeps running, and billing, after "
        "the client has already received a 504; retries then pile up duplicate work. Long work "
        "belongs in an asynchronous pattern (queue, Step Functions) with the API answering at once."
    )
    fix = (
        "Set the function's `Timeout` to at most 29 seconds, or move the long work behind a queue or "
        "a state machine and let the API return immediately."
    )
    example = {
        "Resources": {
            "ApiFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "CodeUri": "src/",
                    "Timeout": 29,
                    "Events": {"Get": {"Type": "Api", "Properties": {"Path": "/items", "Method": "get"}}},
                },
            }
        }
    }
    use_instead = (
        "A regional REST API whose integration timeout was raised through a quota increase may wait "
        "longer: suppress the finding on that function with the raised limit as the reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html",
    )
    service = "lambda"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function", *_INTEGRATING_TYPES)

    subject = "function"

    def subjects(self, template: Template) -> Iterator[Function]:
        limits = integration_limits(template)
        return (function for function in template.functions() if function.logical_id in limits)

    def judge(self, function: Function, template: Template) -> Verdict:
        limit = integration_limits(template)[function.logical_id]
        timeout = function.props.Timeout
        # Lambda's default Timeout (3 s) is within every API's limit.
        truth = timeout.test(lambda leaf: None if leaf.number() is None else leaf.number() <= limit, absent=True)

        def message() -> str:
            seconds = next(case.evidence.number() for case in truth.failing() if case.evidence is not None)
            return (
                f"Function '{function.logical_id}' sits behind API Gateway with a {seconds:g}-second "
                f"Timeout: the API gives up after {limit} s and the function keeps running "
                f"after the client got a 504."
            )

        return self.expect(
            function,
            truth,
            message,
            fix=f"Lower Timeout to at most {limit} seconds, or make the long work asynchronous:",
            snippet={"Timeout": limit},
        )
