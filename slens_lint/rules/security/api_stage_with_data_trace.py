from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import apis, intrinsics
from slens_lint.legacy.model import Template


class ApiStageWithDataTrace(Rule):
    id = "SL213"
    severity = Severity.WARNING
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
        "(`!If [IsDev, true, false]`: only reported when every branch enables it) or suppress the "
        "finding on that API with the reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html",
    )
    service = "apigateway"
    resource_types = ("AWS::Serverless::Api", "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment")

    def check(self, template: Template) -> Iterator[Violation]:
        # HTTP APIs have no data trace; WebSocket route settings are a different feature and not judged here.
        for stage in apis.stages(template, apis.REST):
            for at, scope in _data_trace_settings(stage):
                yield self.report(
                    template,
                    stage.resource,
                    f"{_subject(stage)} logs full request and "
                    f"response bodies and headers{scope} (DataTraceEnabled: true): tokens, credentials and "
                    f"personal data end up in CloudWatch Logs.",
                    at=at,
                    fix="Remove DataTraceEnabled (or set it to false); keep LoggingLevel ERROR or INFO and "
                    "use access logs for auditing:",
                    snippet={"DataTraceEnabled": False},
                )


def _data_trace_settings(stage: apis.ApiStage) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(property path, scope text) of each setting that enables data trace in every Fn::If branch."""
    settings = stage.settings
    if settings is None:
        return
    prefix = stage.prefix
    if stage.origin == "deployment" and intrinsics.bool_branches(settings.get("DataTraceEnabled")) is True:
        # StageDescription's own DataTraceEnabled applies to every method of the stage.
        if not _logging_off(settings):
            yield (*prefix, "DataTraceEnabled"), " for every method"
    raw = settings.get("MethodSettings")
    if raw is None:
        return
    if isinstance(raw, list):
        for index, item in enumerate(raw):
            entries = [b for b in intrinsics.branches(item)]
            if entries and all(_traces(e) for e in entries):
                direct = isinstance(item, dict) and not intrinsics.is_intrinsic(item)
                at = (*prefix, "MethodSettings", index, "DataTraceEnabled") if direct else (*prefix, "MethodSettings", index)
                yield at, _scope(entries[0])
        return
    # The whole list under Fn::If: reported when every branch's list enables it somewhere.
    lists = intrinsics.branches(raw)
    if lists and all(isinstance(b, list) and any(_traces(e) for e in b) for b in lists):
        yield (*prefix, "MethodSettings"), ""


def _traces(entry: Any) -> bool:
    if not isinstance(entry, dict) or intrinsics.is_intrinsic(entry):
        return False
    return intrinsics.bool_branches(entry.get("DataTraceEnabled")) is True and not _logging_off(entry)


def _logging_off(entry: dict[str, Any]) -> bool:
    # With execution logging explicitly off nothing is written, data trace or not.
    level = intrinsics.literal_string(entry.get("LoggingLevel")) if entry.get("LoggingLevel") is not None else None
    return level is not None and level.upper() == "OFF"


def _scope(entry: Any) -> str:
    if not isinstance(entry, dict):
        return ""
    method = _text(entry.get("HttpMethod"))
    path = _text(entry.get("ResourcePath"))
    if method == "*" and path == "/*":
        return " for every method"
    if method and path:
        return f" for {method} {_decode_path(path)}"
    return ""


def _text(value: Any) -> Optional[str]:
    return intrinsics.literal_string(value) if value is not None else None


def _decode_path(path: str) -> str:
    # A MethodSettings path is `/` plus the resource path with its slashes escaped as `~1`
    # (`/~1pets~1{id}` is `/pets/{id}`).
    if path.startswith("/") and "~1" in path:
        path = path[1:]
    return path.replace("~1", "/")


def _subject(stage: apis.ApiStage) -> str:
    described = stage.describe()
    if f"'{stage.logical_id}'" in described:
        return described[:1].upper() + described[1:]
    kind = "Deployment" if stage.origin == "deployment" else "Stage"
    return f"{kind} '{stage.logical_id}' ({described})"
