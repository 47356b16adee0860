from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.rules.operational_excellence.api_access_logs import (
    REST_KEY,
    V2_KEY,
    AccessLogConfig,
    access_log_configs,
    json_format_for,
)
from slens_lint.rules.stage_subject import stage_subject
from slens_lint.legacy import apis, intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template


class ApiStageWithoutAccessLogging(Rule):
    id = "SL110"
    severity = Severity.WARNING
    title = "API stage without access logging"
    practice = "Operational excellence 3: Structured, centralized logging"
    rationale = (
        "API Gateway's access logs are the only record of the requests a stage received: who called, "
        "which route, the status returned, latency, and the errors that never reached a function "
        "(authorizer denials, throttling, validation and integration failures). Without them, a "
        "client's \"I got a 5xx\" cannot be traced to a request id, and abuse or a failing client goes "
        "unseen. The metrics show that something happened; only the access log says to whom."
    )
    fix = (
        "Give the stage an access-log destination (a CloudWatch Logs log group ARN, or a Firehose stream "
        "whose name starts with `amazon-apigateway-`) and a JSON format: REST APIs (SAM `Api`, "
        "`AWS::ApiGateway::Stage`, a Deployment's `StageDescription`) use `AccessLogSetting`; HTTP and "
        "WebSocket APIs (SAM `HttpApi`, `AWS::ApiGatewayV2::Stage`) use `AccessLogSettings`. For the "
        "implicit APIs SAM generates, set it in `Globals.Api` / `Globals.HttpApi`. REST APIs also need "
        "the account-level CloudWatch role (`AWS::ApiGateway::Account`)."
    )
    example = {
        "Globals": {
            "HttpApi": {
                "AccessLogSettings": {
                    "DestinationArn": {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]},
                    "Format": '{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status"}',
                }
            }
        },
        "Resources": {
            "ApiAccessLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}},
        },
    }
    example_bad = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {"StageName": "prod", "TracingEnabled": True},
            }
        }
    }
    use_instead = (
        "If requests are logged in front of the API instead (CloudFront or WAF logs with the same "
        "fields), suppress the rule on that API or stage with the reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html#sam-api-accesslogsetting",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-httpapi.html#sam-httpapi-accesslogsettings",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/operational-excellence.html",
    )
    service = "apigateway"
    resource_types = (
        "AWS::Serverless::Api",
        "AWS::Serverless::HttpApi",
        "AWS::Serverless::WebSocketApi",
        "AWS::ApiGateway::Stage",
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGatewayV2::Stage",
        "AWS::ApiGatewayV2::Api",
        "AWS::ApiGatewayV2::ApiGatewayManagedOverrides",
    )

    def check(self, template: Template) -> Iterator[Violation]:
        for config in access_log_configs(template):
            if not config.readable:
                continue
            verdicts = [_logs(value) for value in config.settings()]
            if not all(v is False for v in verdicts):
                continue
            yield self._violation(template, config)

    def _violation(self, template: Template, config: AccessLogConfig) -> Violation:
        stage = config.stage
        has_key = config.value is not None
        what = f"has {config.key} without a DestinationArn" if has_key else "has no access logging"
        at = config.at("DestinationArn")
        other = V2_KEY if config.key == REST_KEY else REST_KEY
        if not has_key and config.readable and _settings_of(config).get(other) is not None:
            what = f"has no access logging ({other} is not read here: this stage's setting is {config.key})"
            at = (*config.prefix, other)
        message = (
            f"{stage_subject(stage, ', which')} {what}: the requests it receives (caller, route, status, latency, and the "
            f"errors that never reach a function) are not recorded anywhere."
        )
        snippet_value = {
            "DestinationArn": {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]},
            "Format": json_format_for(stage.kind),
        }
        if stage.implicit:
            section = "Api" if stage.kind == apis.REST else "HttpApi"
            fix = f"The implicit API takes its stage settings from Globals.{section}; add {config.key} there:"
            snippet: Any = {"Globals": {section: {config.key: snippet_value}}}
        elif stage.origin == "deployment":
            fix = "Set AccessLogSetting in the Deployment's StageDescription (or declare an AWS::ApiGateway::Stage):"
            snippet = {"StageDescription": {REST_KEY: snippet_value}}
        elif stage.origin == "quick-create" and config.resource is stage.resource:
            api_id = stage.resource.logical_id
            fix = "A quick-create API's $default stage takes access-log settings from managed overrides:"
            snippet = {
                f"{api_id}Overrides": {
                    "Type": "AWS::ApiGatewayV2::ApiGatewayManagedOverrides",
                    "Properties": {"ApiId": {"Ref": api_id}, "Stage": {config.key: snippet_value}},
                }
            }
        else:
            fix = f"Set {config.key} with a log group destination and a JSON format:"
            snippet = {config.key: snippet_value}
        return self.report(
            template,
            config.resource,
            message,
            at=at,
            fix=fix,
            snippet=snippet,
        )


def _settings_of(config: AccessLogConfig) -> dict[str, Any]:
    """The mapping that holds the stage's settings, for a look at what else is written there."""
    holder = intrinsics.values_at(config.resource.raw_properties, *config.prefix) if config.prefix else [
        config.resource.raw_properties
    ]
    return holder[0] if len(holder) == 1 and isinstance(holder[0], dict) else {}


def _logs(settings: Any) -> Optional[bool]:
    """True when a branch of the settings names a destination, False when none, None when unknown."""
    if settings is None or settings is NO_VALUE:
        return False
    if not isinstance(settings, dict) or intrinsics.is_intrinsic(settings):
        return None
    verdicts = []
    for destination in intrinsics.branches(settings.get("DestinationArn")):
        if destination is None or destination is NO_VALUE:
            verdicts.append(False)
        elif isinstance(destination, str) and not destination.strip():
            verdicts.append(False)
        else:
            verdicts.append(True)
    return any(verdicts)
