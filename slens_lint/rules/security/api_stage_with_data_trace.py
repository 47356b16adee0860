from __future__ import annotations

from typing import Any

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template import apis
from slens_lint.template.apis import ApiStage, MethodSettingEntry
from slens_lint.template.model import Template
from slens_lint.template.values import Truth, Value


class ApiStageWithDataTrace(Rule):
    id = "SL213"
    severity = Severity.WARNING
    severity_reason = (
        "warning: full request and response logging writes personal data and secrets into CloudWatch "
        "Logs."
    )
    title = "REST API stage logs full requests and responses (DataTraceEnabled)"
    practice = "Security 9: Store secrets used in code securely"
    rationale = (
        "`DataTraceEnabled: true` in a REST API stage's `MethodSettings` makes API Gateway write every "
        "request and response, headers and bodies, to CloudWatch Logs: `Authorization` headers, tokens, "
        "passwords and personal data end up in a log group that many more people can read than the API's "
        "data, kept as long as its retention. AWS recommends it only for troubleshooting, never on "
        "production stages."
    )
    fix = (
        "Remove `DataTraceEnabled` (or set it to `false`) and keep `LoggingLevel: ERROR` or `INFO` for "
        "execution logs; use access logs (`AccessLogSetting`) with chosen `$context` fields for request "
        "auditing."
    )
    example = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "StageName": "prod",
                    "MethodSettings": [
                        {"HttpMethod": "*", "ResourcePath": "/*", "LoggingLevel": "ERROR", "MetricsEnabled": True}
                    ],
                },
            }
        }
    }
    example_bad = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "StageName": "prod",
                    "MethodSettings": [
                        {"HttpMethod": "*", "ResourcePath": "/*", "LoggingLevel": "INFO", "DataTraceEnabled": True}
                    ],
                },
            }
        }
    }
    use_instead = (
        "For a development stage that needs full traces while debugging, enable it through a condition "
        "(`!If [IsDev, true, false]`: the finding names the condition under which it traces) and "
        "suppress the finding on that API with the reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html",
    )
    service = "apigateway"
    resource_types = ("AWS::Serverless::Api", "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment")

    subject = "API stage"

    def subjects(self, template: Template) -> list[ApiStage]:
        # HTTP APIs have no data trace; WebSocket route settings are a different feature and not judged here.
        return apis.stages(template, apis.REST)

    def judge(self, stage: ApiStage, template: Template) -> list[Verdict]:
        groups: dict[tuple[Any, ...], list[MethodSettingEntry]] = {}
        for entry in stage.method_settings():
            # The entries of one list item (or of one position of a whole list under Fn::If) are one finding.
            groups.setdefault(entry.path, []).append(entry)
        verdicts = []
        for entries in groups.values():
            quiet = apis.settle(Truth.all_of(entry.value.each(_no_data_trace) for entry in entries))
            if quiet.always:
                continue
            scopes = {_scope(entry) for entry in entries if entry.value.each(_no_data_trace).may_fail}
            scope = scopes.pop() if len(scopes) == 1 else ""
            verdicts.append(
                self.expect(
                    stage,
                    quiet,
                    f"{_subject(stage)} logs full request and "
                    f"response bodies and headers{scope} (DataTraceEnabled: true): tokens, credentials and "
                    f"personal data end up in CloudWatch Logs.",
                    fix="Remove DataTraceEnabled (or set it to false); keep LoggingLevel ERROR or INFO and "
                    "use access logs for auditing:",
                    snippet={"DataTraceEnabled": False},
                )
            )
        return verdicts or [self.met(stage)]


def _no_data_trace(entry: Value) -> Truth:
    """Where an entry (one branch) does not write full requests: DataTraceEnabled off, or execution
    logging explicitly off (then nothing is written, data trace or not)."""
    if entry.absent:
        return Truth.of(True, entry)
    if entry.unknown:
        return Truth.of(None, entry)
    logging_off = entry.LoggingLevel.test(lambda level: (level.text() or "").upper() == "OFF")
    return ~entry.DataTraceEnabled.is_true() | logging_off


def _scope(entry: MethodSettingEntry) -> str:
    if entry.every_method.always:
        return " for every method"
    method = entry.get("HttpMethod").text()
    path = entry.get("ResourcePath").text()
    if method and path:
        return f" for {method} {_decode_path(path)}"
    return ""


def _decode_path(path: str) -> str:
    # A MethodSettings path is `/` plus the resource path with its slashes escaped as `~1`
    # (`/~1pets~1{id}` is `/pets/{id}`).
    if path.startswith("/") and "~1" in path:
        path = path[1:]
    return path.replace("~1", "/")


def _subject(stage: ApiStage) -> str:
    described = stage.describe()
    if f"'{stage.logical_id}'" in described:
        return described[:1].upper() + described[1:]
    kind = "Deployment" if stage.origin == "deployment" else "Stage"
    return f"{kind} '{stage.logical_id}' ({described})"
