from __future__ import annotations

import json
import re
from typing import Optional

from slens_lint.findings import Change, Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.operational_excellence.api_access_logs import json_format_for
from slens_lint.rules.stage_subject import stage_subject
from slens_lint.template import apis
from slens_lint.template.apis import ApiStage
from slens_lint.template.expressions import is_intrinsic
from slens_lint.template.model import Template
from slens_lint.template.values import Truth, Value

# `$context.requestId`, `$context.authorizer.claims['cognito:username']`, `$stageVariables.name`: each
# becomes a value when API Gateway writes the line, quoted or not (`"status": $context.status`).
_VARIABLE = re.compile(r"\$[A-Za-z_][\w]*(?:\.[\w-]+|\['[^']*'\]|\[\"[^\"]*\"\])*")
_KEY = re.compile(r'"([^"\\]+)"\s*:')
# Tokens an `Fn::Sub`/`Fn::Join` puts in the string (`${AWS::StackName}`, `!Ref Stage`).
_PLACEHOLDER = "0"

GOOD = "json"
NOT_JSON = "not-json"
BROKEN_JSON = "broken-json"
NOT_OBJECT = "not-object"


class AccessLogFormatNotJson(Rule):
    id = "SL111"
    severity = Severity.INFO
    severity_reason = (
        "info: a text access-log format still records the requests; JSON makes them queryable, which "
        "is advice."
    )
    title = "API access-log format is not JSON"
    practice = "Operational excellence 3: Structured, centralized logging"
    rationale = (
        "An access log written as Common Log Format, CSV or XML has to be parsed with patterns before it "
        "can be queried, and a pattern breaks as soon as a field is empty or contains the separator. "
        "With a JSON object per line, CloudWatch Logs Insights discovers every field on its own, so "
        "requests can be filtered by status, route or caller, aggregated by latency and joined with the "
        "functions' JSON logs on the request id."
    )
    fix = (
        "Write the access-log `Format` as one JSON object whose values are `$context` variables, for "
        "example `{\"requestId\":\"$context.requestId\",\"status\":\"$context.status\",...}`. In YAML, quote "
        "it with single quotes or use `!Sub` (escape literal `${...}` as `${!...}`)."
    )
    example = {
        "Resources": {
            "OrdersApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "StageName": "prod",
                    "AccessLogSetting": {
                        "DestinationArn": {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]},
                        "Format": '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
                        '"status":"$context.status","resourcePath":"$context.resourcePath"}',
                    },
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
                    "AccessLogSetting": {
                        "DestinationArn": {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]},
                        "Format": "$context.identity.sourceIp $context.identity.caller [$context.requestTime] "
                        '"$context.httpMethod $context.resourcePath" $context.status $context.requestId',
                    },
                },
            }
        }
    }
    use_instead = (
        "If a log pipeline expects another format (a SIEM that parses CLF), suppress the rule on that "
        "stage with the reason."
    )
    references = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html#apigateway-cloudwatch-log-formats",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_AnalyzeLogData-discoverable-fields.html",
    )
    service = "apigateway"
    resource_types = (
        "AWS::Serverless::Api",
        "AWS::Serverless::HttpApi",
        "AWS::Serverless::WebSocketApi",
        "AWS::ApiGateway::Stage",
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGatewayV2::Stage",
        "AWS::ApiGatewayV2::ApiGatewayManagedOverrides",
    )

    subject = "API stage"
    fix_safety = "unsafe"
    fix_title = "write the access-log Format as JSON"
    fix_note = (
        "The fix replaces the Format written with a JSON object of common `$context` variables: whatever "
        "reads the old lines (a metric filter, a SIEM parser, a subscription) has to change with it."
    )

    def subjects(self, template: Template) -> list[ApiStage]:
        return apis.stages(template)

    def judge(self, stage: ApiStage, template: Template) -> Verdict:
        key = stage.access_log_key

        def per_settings(settings: Value) -> Truth:
            if settings.absent:
                return Truth.of(True, settings)
            if settings.unknown:
                return Truth.of(None, settings)
            return settings.Format.each(lambda fmt: Truth.of(_is_json(fmt), fmt))

        truth = apis.settle(stage.ask(lambda settings: settings.project(key).each(per_settings)))
        failing = truth.failing()
        if not failing:
            return self.expect(stage, truth, "")
        evidence = failing[0].evidence
        verdict, detail = classify(evidence) if evidence is not None else (NOT_JSON, "")
        what = {
            NOT_JSON: "is not JSON",
            BROKEN_JSON: f"looks like JSON but does not parse ({detail})",
            NOT_OBJECT: "is JSON but not an object",
        }.get(verdict or NOT_JSON, "is not JSON")
        return self.expect(
            stage,
            truth,
            f"{stage_subject(stage, ', which')} has an access-log Format that {what}: its lines must be parsed with "
            f"patterns before Logs Insights can filter or aggregate them by field.",
            fix=f"Write {key}.Format as one JSON object of $context variables:",
            snippet={key: {"Format": json_format_for(stage.kind)}},
            # A Format written as text is replaced in place (one where an Fn::If chooses is left alone).
            changes=(
                (Change(evidence.path, json_format_for(stage.kind)),)
                if evidence is not None and evidence.known and isinstance(evidence.literal, str)
                else ()
            ),
        )


def _is_json(fmt: Value) -> Optional[bool]:
    verdict = classify(fmt)[0]
    return None if verdict is None else verdict == GOOD


def classify(fmt: Value) -> tuple[Optional[str], str]:
    """(GOOD, NOT_JSON, BROKEN_JSON or NOT_OBJECT; the parser's complaint) for one Format value (one
    branch). The verdict is None when the value cannot be read.

    A missing Format is GOOD here: without one the stage writes no access log at all, and that is
    what `SL110` (a destination) and API Gateway's own validation are about.
    """
    if fmt.absent:
        return GOOD, ""
    # `Fn::ToJsonString` (AWS::LanguageExtensions) writes its argument as JSON: the line is a JSON
    # object exactly when the argument is a mapping. Values model no intrinsic's argument: read as written.
    expr = fmt.expr
    if fmt.unknown and is_intrinsic(expr) and "Fn::ToJsonString" in expr:
        args = expr["Fn::ToJsonString"]
        return (GOOD if isinstance(args, dict) else (NOT_OBJECT if isinstance(args, list) else None)), ""
    text = _text(fmt)
    if text is None:
        return None, ""
    filled = _VARIABLE.sub(_PLACEHOLDER, text).strip()
    if not filled.startswith("{"):
        return NOT_JSON, ""
    try:
        parsed = json.loads(filled)
    except json.JSONDecodeError as error:
        keys = _KEY.findall(filled[: error.pos])
        where = f" after the \"{keys[-1]}\" field" if keys else ""
        return BROKEN_JSON, f"{error.msg}{where}"
    return (GOOD if isinstance(parsed, dict) else NOT_OBJECT), ""


def _text(fmt: Value) -> Optional[str]:
    """The format as API Gateway will see it, with every `Sub`/`Join`/`Ref` token as a placeholder.

    A whole-value `Ref` or import cannot be read; a string built around tokens can.
    """
    if not fmt.unknown:
        return fmt.text()
    tokens = fmt.tokens()
    if tokens is None or not any(t[0] == "lit" for t in tokens):
        return None
    return "".join(t[1] if t[0] == "lit" else _PLACEHOLDER for t in tokens)
