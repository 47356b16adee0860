from __future__ import annotations

from typing import Any, Iterator, Optional

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template
from slens_lint.legacy.resources.base import Resource

_SERVICE_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".amazon.com")
# Alexa skills identify themselves with an event source token (the skill id), not a source ARN.
_TOKEN_PRINCIPALS = ("alexa-appkit.amazon.com", "alexa-connectedhome.amazon.com")


class PermissionWithoutSourceArn(Rule):
    id = "SL209"
    severity = Severity.WARNING
    title = "Lambda permission for a service or for everyone without a source condition"
    practice = "Security 4: Evaluate and define resource policies"
    rationale = (
        "An `AWS::Lambda::Permission` that lets a service principal (`sns.amazonaws.com`, "
        "`apigateway.amazonaws.com`, ...) invoke a function without `SourceArn` lets *any* resource of "
        "that service invoke it, in any AWS account: someone else's topic, bucket or API can be pointed "
        "at your function (the confused-deputy problem). `SourceArn` limits the grant to your resource. "
        "S3 bucket ARNs carry no account id, so a bucket you delete can be re-created under your name "
        "by another account: S3 permissions also need `SourceAccount` (a missing one next to a "
        "`SourceArn` is reported by cfn-lint's W3663, which slens-lint runs by default). A permission for principal `*` "
        "lets every AWS account invoke the function."
    )
    fix = (
        "Add `SourceArn` with the ARN of the resource that invokes the function (for S3 also "
        "`SourceAccount: !Ref AWS::AccountId`); for principal `*`, name the account or service instead, "
        "or add `PrincipalOrgID`."
    )
    example = {
        "Resources": {
            "TopicInvokePermission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": {"Ref": "Worker"},
                    "Principal": "sns.amazonaws.com",
                    "SourceArn": {"Ref": "OrdersTopic"},
                },
            }
        }
    }
    example_bad = {
        "Resources": {
            "TopicInvokePermission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": {"Ref": "Worker"},
                    "Principal": "sns.amazonaws.com",
                },
            }
        }
    }
    use_instead = (
        "SAM event sources (`Events` of type `SNS`, `S3`, `Api`, ...) create their permissions with "
        "`SourceArn` already: prefer them to hand-written permissions. If a permission must stay open "
        "to a service (a shared function for many resources), suppress the finding on that permission "
        "with the reason."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html",
    )
    service = "lambda"
    resource_types = ("AWS::Lambda::Permission",)

    def check(self, template: Template) -> Iterator[Violation]:
        for permission in template.of_type("AWS::Lambda::Permission"):
            violation = self._check(template, permission)
            if violation is not None:
                yield violation

    def _check(self, template: Template, permission: Resource) -> Optional[Violation]:
        props = permission.raw_properties
        principals = [_principal(b) for b in intrinsics.branches(props.get("Principal"))]
        if not principals or any(p is None for p in principals):
            return None
        name = permission.logical_id
        target = _function_label(props.get("FunctionName"))
        has_arn = intrinsics.is_set(props.get("SourceArn"))
        has_account = intrinsics.is_set(props.get("SourceAccount"))
        if all(p == "*" for p in principals):
            # A public function URL needs exactly this permission; SL206 reports the URL itself.
            if intrinsics.literal_string(props.get("FunctionUrlAuthType")) == "NONE":
                return None
            if has_arn or has_account or intrinsics.is_set(props.get("PrincipalOrgID")):
                return None
            return self.report(
                template,
                permission,
                f"Permission '{name}' lets principal '*' invoke {target}: every AWS account can call it.",
                at=("Principal",),
                fix="Name the account, role or service that needs to invoke the function, or restrict "
                "the grant with PrincipalOrgID or SourceArn.",
            )
        services = {p for p in principals if p != "*" and p.endswith(_SERVICE_SUFFIXES)}
        if len(services) != len(principals):
            return None
        if any(p in _TOKEN_PRINCIPALS for p in services) and intrinsics.is_set(props.get("EventSourceToken")):
            return None
        service = sorted(services)[0]
        is_s3 = service.startswith("s3.")
        # With SourceArn set, an S3 permission still needs SourceAccount: cfn-lint's W3663 (part of the
        # default run) reports that case, so it is not reported twice here.
        if has_arn:
            return None
        scope = "in your account" if has_account else "in any AWS account"
        noun = _NOUNS.get(service.split(".", 1)[0], "resource of that service")
        snippet: dict[str, Any] = {
            "SourceArn": _source_arn_hint(template, service, intrinsics.ref_target(props.get("FunctionName")))
        }
        if is_s3 and not has_account:
            snippet["SourceAccount"] = {"Ref": "AWS::AccountId"}
        return self.report(
            template,
            permission,
            f"Permission '{name}' lets {service} invoke {target} without SourceArn: any {noun} {scope} "
            f"can invoke it (confused deputy).",
            at=("SourceArn",),
            fix="Add SourceArn with the ARN of the resource that invokes the function"
            + (" and SourceAccount" if is_s3 and not has_account else "")
            + ":",
            snippet=snippet,
        )


_NOUNS = {
    "sns": "SNS topic",
    "s3": "S3 bucket",
    "events": "EventBridge rule",
    "apigateway": "API Gateway API",
    "logs": "log group subscription",
    "elasticloadbalancing": "load balancer target group",
    "iot": "IoT rule",
    "cognito-idp": "Cognito user pool",
    "sqs": "SQS queue",
    "bedrock": "Bedrock resource",
    "secretsmanager": "Secrets Manager secret",
}


def _principal(value: Any) -> Optional[str]:
    """The principal as text; a `!Sub` of literals and pseudo parameters (`logs.${AWS::Region}.amazonaws.com`)
    keeps its shape with the pseudo parameter's name in it. None when it cannot be read."""
    if value is NO_VALUE:
        return None
    tokens = intrinsics.string_tokens(value)
    if tokens is None:
        return None
    text = ""
    for token in tokens:
        if token[0] == "lit":
            text += token[1]
        elif token[0] == "pseudo":
            text += "${" + token[1] + "}"
        else:
            return None
    return text.strip()


def _function_label(value: Any) -> str:
    target = intrinsics.ref_target(value)
    if target:
        return f"function '{target}'"
    literal = intrinsics.literal_string(value)
    if literal:
        return f"function '{literal.rsplit(':', 1)[-1]}'"
    return "its function"


def _source_arn_hint(template: Template, service: str, function_id: Optional[str]) -> Any:
    """The `SourceArn` to add: the invoking resource of the template when exactly one of the service's
    resources refers to the function, else the usual shape with a logical id to replace."""
    prefix = service.split(".", 1)[0]
    if prefix == "apigateway":
        apis = set()
        if function_id:
            for method in template.referrers(function_id, "AWS::ApiGateway::Method", "AWS::ApiGatewayV2::Integration"):
                apis.add(intrinsics.ref_target(method.raw_properties.get("RestApiId") or method.raw_properties.get("ApiId")))
        api = apis.pop() if len(apis) == 1 and None not in apis else "YourApi"
        return {"Fn::Sub": f"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/*"}
    if prefix == "elasticloadbalancing":
        # The target group depends on this permission, so `!Ref TargetGroup` would be a circular
        # dependency; Lambda matches SourceArn as ArnLike, so a name pattern works.
        return {
            "Fn::Sub": "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:"
            "targetgroup/<target group name>/*"
        }
    found = _SOURCES.get(prefix)
    if found is None:
        return f"<ARN of the {prefix} resource that invokes the function>"
    types, attribute, placeholder = found
    sources = list(template.referrers(function_id, *types)) if function_id else []
    logical_id = sources[0].logical_id if len(sources) == 1 else placeholder
    return {"Ref": logical_id} if attribute is None else {"Fn::GetAtt": [logical_id, attribute]}


# Service -> (resource types that invoke a function, the attribute that is their ARN (None: Ref), a
# logical id to replace when the template has no single such resource).
_SOURCES: dict[str, tuple[tuple[str, ...], Optional[str], str]] = {
    "sns": (("AWS::SNS::Topic",), None, "YourTopic"),
    "events": (("AWS::Events::Rule",), "Arn", "YourRule"),
    "s3": (("AWS::S3::Bucket",), "Arn", "YourBucket"),
}
