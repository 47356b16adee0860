from __future__ import annotations

from typing import Any, Optional

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import fix_names
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_settings import LOG_RETENTION_DAYS as RETENTION
from slens_lint.rules.operational_excellence.api_access_logs import json_format_for
from slens_lint.rules.stage_subject import stage_subject
from slens_lint.template import apis
from slens_lint.template.apis import ACCESS_LOG_REST_KEY, ACCESS_LOG_V2_KEY, ApiStage
from slens_lint.template.model import Template
from slens_lint.template.resources.other import LogGroup
from slens_lint.template.values import Truth, Value

LOG_GROUP = "AWS::Logs::LogGroup"


class ApiStageWithoutAccessLogging(Rule):
    id = "SL110"
    severity = Severity.WARNING
    severity_reason = (
        "warning: without access logs the requests a stage receives (and the errors that never reach "
        "a function) are recorded nowhere."
    )
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

    subject = "API stage"

    def subjects(self, template: Template) -> list[ApiStage]:
        return apis.stages(template)

    def judge(self, stage: ApiStage, template: Template) -> Verdict:
        key = stage.access_log_key
        logs = apis.settle(stage.ask(lambda settings: settings.project(key).each(_logs)))
        failing = logs.failing()
        if not failing:
            return self.expect(stage, logs, "")
        evidence = failing[0].evidence
        # The finding says what the failing branch lacks: the whole setting, or its destination.
        has_key = evidence is not None and evidence.path[-1:] == ("DestinationArn",)
        what = f"has {key} without a DestinationArn" if has_key else "has no access logging"
        at = stage.access_log().DestinationArn
        other = ACCESS_LOG_V2_KEY if key == ACCESS_LOG_REST_KEY else ACCESS_LOG_REST_KEY
        written_other = stage.setting(other)
        if not has_key and not stage.access_log().is_set() and written_other.is_set():
            what = f"has no access logging ({other} is not read here: this stage's setting is {key})"
            at = written_other
        message = (
            f"{stage_subject(stage, ', which')} {what}: the requests it receives (caller, route, status, latency, and the "
            f"errors that never reach a function) are not recorded anywhere."
        )
        fix, snippet = _fix(template, stage, key)
        return self.expect(stage, logs, message, at=at, fix=fix, snippet=snippet)


def _fix(template: Template, stage: ApiStage, key: str) -> tuple[str, Any]:
    """The hint and the fragment: the settings where this stage reads them, and the log group they name
    (one the stage logs to in another branch, or the template's `<Resource>AccessLogs`, else one the
    fragment creates beside them)."""
    resource_id = stage.resource.logical_id
    named = [leaf.ref for leaf in stage.access_log().DestinationArn.branches() if leaf.ref is not None]
    known = next((ref for ref in named if isinstance(template.resource(ref), LogGroup)), None)
    log_group, exists = (known, True) if known else fix_names.resource_name(template, f"{resource_id}AccessLogs", LOG_GROUP)
    settings = {"DestinationArn": {"Fn::GetAtt": [log_group, "Arn"]}, "Format": json_format_for(stage.kind)}
    created = {} if exists else {log_group: {"Type": LOG_GROUP, "Properties": {"RetentionInDays": RETENTION}}}
    if stage.implicit:
        section = "Api" if stage.kind == apis.REST else "HttpApi"
        fragment: dict[str, Any] = {"Globals": {section: {key: settings}}}
        if created:
            fragment["Resources"] = created
        return f"The implicit API takes its stage settings from Globals.{section}; add {key} there:", fragment
    if stage.origin == "deployment":
        text = "Set AccessLogSetting in the Deployment's StageDescription (or declare an AWS::ApiGateway::Stage):"
        return text, fix_names.fragment(resource_id, {"StageDescription": {ACCESS_LOG_REST_KEY: settings}}, created)
    if stage.origin == "quick-create" and stage.overrides is None:
        text = "A quick-create API's $default stage takes access-log settings from managed overrides:"
        overrides = {
            "Type": "AWS::ApiGatewayV2::ApiGatewayManagedOverrides",
            "Properties": {"ApiId": {"Ref": resource_id}, "Stage": {key: settings}},
        }
        return text, {f"{resource_id}Overrides": overrides, **created}
    text = f"Set {key} with a log group destination and a JSON format:"
    if stage.overrides is not None:
        return text, fix_names.fragment(stage.overrides.logical_id, {"Stage": {key: settings}}, created)
    return text, fix_names.fragment(resource_id, {key: settings}, created)


def _logs(settings: Value) -> Truth:
    """Where the access-log settings name a destination (an intrinsic counts: it names one)."""
    if settings.absent:
        return Truth.of(False, settings)
    if settings.unknown:
        return Truth.of(None, settings)

    def has_destination(destination: Value) -> Optional[bool]:
        if destination.absent:
            return False
        text = destination.text() if not destination.unknown else None
        return not (text is not None and not text.strip())

    return settings.DestinationArn.each(has_destination)
