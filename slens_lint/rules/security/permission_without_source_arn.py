from __future__ import annotations

from typing import Any, Callable, Iterator, Optional, Union

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import fix_names
from slens_lint.rules.base import Rule
from slens_lint.template import expressions
from slens_lint.template.invocations import shapes
from slens_lint.template.model import Template
from slens_lint.template.resources.apigateway import Method
from slens_lint.template.resources.lambda_ import LambdaPermission, PermissionProps
from slens_lint.template.sam import Event
from slens_lint.template.values import Truth, Value

_SERVICE_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".amazon.com")
# Alexa skills identify themselves with an event source token (the skill id), not a source ARN.
_TOKEN_PRINCIPALS = {
    "alexa-appkit.amazon.com": "Alexa skill",
    "alexa-connectedhome.amazon.com": "Alexa smart home skill",
}


class PermissionWithoutSourceArn(Rule):
    id = "SL209"
    severity = Severity.WARNING
    severity_reason = (
        "warning: a permission without a source condition lets other accounts' resources invoke the "
        "function (the confused deputy)."
    )
    title = "Lambda permission for a service or for everyone without a source condition"
    practice = "Security 4: Evaluate and define resource policies"
    rationale = (
        "An `AWS::Lambda::Permission` that lets a service principal (`sns.amazonaws.com`, "
        "`apigateway.amazonaws.com`, ...) invoke a function without `SourceArn` lets *any* resource of "
        "that service invoke it, in any AWS account: someone else's topic, bucket or API can be pointed "
        "at your function (the confused-deputy problem). `SourceArn` limits the grant to your resource. "
        "S3 bucket ARNs carry no account id, so a bucket you delete can be re-created under your name "
        "by another account: S3 permissions also need `SourceAccount` (a missing one next to a "
        "`SourceArn` is reported by cfn-lint's W3663, which slens-lint runs by default). Alexa skills are "
        "scoped by the skill's ID instead (`EventSourceToken`; a SAM `AlexaSkill` event without `SkillId` "
        "creates a permission without it). A permission for principal `*` lets every AWS account invoke "
        "the function."
    )
    fix = (
        "Add `SourceArn` with the ARN of the resource that invokes the function (for S3 also "
        "`SourceAccount: !Ref AWS::AccountId`; for an Alexa skill, `EventSourceToken` with the skill's ID, "
        "or `SkillId` on the SAM event); for principal `*`, name the account or service instead, or add "
        "`PrincipalOrgID`."
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
    resource_types = ("AWS::Lambda::Permission", "AWS::Serverless::Function")
    subject = "Lambda permission"

    def subjects(self, template: Template) -> Iterator[Union[LambdaPermission, Event]]:
        yield from template.of(LambdaPermission)
        for event in template.all_events():
            if event.type == "AlexaSkill" and event.owner.type == "AWS::Serverless::Function":
                yield event

    def judge(self, subject: Union[LambdaPermission, Event], template: Template) -> Verdict:
        if isinstance(subject, Event):
            return self._alexa_event(subject, template)
        permission = subject
        props = permission.props

        def scoped(principal: Value) -> Truth:
            return _scoped(props, principal)

        truth = props.Principal.each(scoped)
        failing = shapes.first_failing(props.Principal, scoped)
        if failing is None:
            return self.expect(permission, truth, "")
        principal = _principal(failing) or ""
        name = permission.logical_id
        target = _function_label(props.FunctionName)
        if principal == "*":
            return self.expect(
                permission,
                truth,
                f"Permission '{name}' lets principal '*' invoke {target}: every AWS account can call it.",
                at=props.Principal,
                fix="Name the account, role or service that needs to invoke the function, or restrict "
                "the grant with PrincipalOrgID or SourceArn.",
            )
        if principal in _TOKEN_PRINCIPALS:
            return self.expect(
                permission,
                truth,
                f"Permission '{name}' lets {principal} invoke {target} without EventSourceToken: any "
                f"{_TOKEN_PRINCIPALS[principal]} can invoke it (confused deputy).",
                at=props.EventSourceToken,
                fix="Add EventSourceToken with the ID of the skill that invokes the function:",
                snippet=_with_skill_id(template, name, lambda skill: {"Resources": {name: {"Properties": {"EventSourceToken": skill}}}}),
            )
        is_s3 = principal.startswith("s3.")
        has_account = props.SourceAccount.is_set()
        scope = "in your account" if has_account else "in any AWS account"
        noun = _NOUNS.get(principal.split(".", 1)[0], "resource of that service")
        source_arn, declared = _source_arn_hint(template, name, principal, props.FunctionName.ref)
        snippet: dict[str, Any] = {"SourceArn": source_arn}
        if is_s3 and not has_account:
            snippet["SourceAccount"] = {"Ref": "AWS::AccountId"}
        snippet = fix_names.fragment(name, snippet, parameters=declared)
        return self.expect(
            permission,
            truth,
            f"Permission '{name}' lets {principal} invoke {target} without SourceArn: any {noun} {scope} "
            f"can invoke it (confused deputy).",
            at=props.SourceArn,
            fix="Add SourceArn with the ARN of the resource that invokes the function"
            + (" and SourceAccount" if is_s3 and not has_account else "")
            + ":",
            snippet=snippet,
        )

    def _alexa_event(self, event: Event, template: Template) -> Verdict:
        """SAM makes an `AlexaSkill` event a permission for `alexa-appkit.amazon.com`, with the event's
        `SkillId` as its `EventSourceToken`: without one, any skill may invoke the function."""
        owner = event.owner.logical_id
        written = shapes.written(event.source.Properties, "SkillId")
        return self.expect(
            event,
            shapes.given_in(event.source.Properties, "SkillId"),
            f"AlexaSkill event '{event.name}' of function '{owner}' has no SkillId: the permission SAM "
            f"creates for it lets any Alexa skill invoke function '{owner}' (confused deputy).",
            at=event.path + ("Properties", "SkillId") if written else event.path,
            fix="Add the ID of the skill that invokes the function (SAM sets it as the permission's "
            "EventSourceToken):",
            snippet=_with_skill_id(
                template,
                owner,
                lambda skill: {"Resources": {owner: {"Properties": {"Events": {event.name: {"Properties": {"SkillId": skill}}}}}}},
            ),
        )


def _scoped(props: PermissionProps, principal: Value) -> Truth:
    """Whether the grant to `principal` (one branch) is limited to a source, per branch of the rest."""
    text = _principal(principal)
    if text is None:
        return Truth.of(None if not principal.absent else True, principal)
    if text == "*":
        # A public function URL needs exactly this permission; SL206 reports the URL itself.
        truth = (
            props.FunctionUrlAuthType.equals("NONE", case_sensitive=True)
            | props.SourceArn.given()
            | props.SourceAccount.given()
            | props.PrincipalOrgID.given()
        )
    elif not text.endswith(_SERVICE_SUFFIXES):
        return Truth.of(True, principal)
    elif text in _TOKEN_PRINCIPALS:
        truth = props.EventSourceToken.given() | props.SourceArn.given()
    else:
        # With SourceArn set, an S3 permission still needs SourceAccount: cfn-lint's W3663 (part of the
        # default run) reports that case, so it is not reported twice here.
        truth = props.SourceArn.given()
    # A parameter's value decided who is granted: the verdict names it.
    return truth.blame(principal) if principal.resolved else truth


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


def _principal(value: Value) -> Optional[str]:
    """The principal as text; a `!Sub` of literals and pseudo parameters (`logs.${AWS::Region}.amazonaws.com`)
    keeps its shape with the pseudo parameter's name in it. None when it cannot be read."""
    if value.resolved:
        text = value.text()
        return text.strip() if text is not None else None
    tokens = value.tokens()
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


def _function_label(value: Value) -> str:
    # The function as the template writes it: the logical id or the parameter a `Ref`/`GetAtt` names
    # (a parameter's default is not necessarily the function deployed, so its name is shown, which the
    # resolved value would hide), else the name or ARN written. Hence the expression, not the value.
    target = expressions.ref_target(value.expr)
    if target:
        return f"function '{target}'"
    literal = expressions.literal_string(value.expr)
    if literal:
        return f"function '{literal.rsplit(':', 1)[-1]}'"
    return "its function"


def _source_arn_hint(template: Template, name: str, service: str, function_id: Optional[str]) -> tuple[Any, dict[str, Any]]:
    """The `SourceArn` to add, and the parameters the snippet declares for it: the invoking resource of
    the template when exactly one of the service's resources refers to the function, else a parameter
    `<Permission>SourceArn` (the source is outside the template, or which one is a choice)."""
    prefix = service.split(".", 1)[0]
    noun = _NOUNS.get(prefix, f"{prefix} resource")
    if prefix == "apigateway":
        apis = set()
        if function_id:
            for method in template.referrers(function_id, "AWS::ApiGateway::Method", "AWS::ApiGatewayV2::Integration"):
                api = method.props.RestApiId if isinstance(method, Method) else method.props.ApiId
                apis.add(api.ref)
        if len(apis) == 1 and None not in apis:
            (api_id,) = apis
            return {"Fn::Sub": f"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api_id}}}/*"}, {}
        return _arn_parameter(template, name, f"ARN of the {noun} allowed to invoke the function (arn:aws:execute-api:region:account:api-id/*)")
    if prefix == "elasticloadbalancing":
        # The target group depends on this permission, so `!Ref TargetGroup` would be a circular
        # dependency; Lambda matches SourceArn as ArnLike, so a name pattern works.
        group, exists = fix_names.parameter_name(template, f"{name}TargetGroupName")
        arn = {
            "Fn::Sub": "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:"
            f"targetgroup/${{{group}}}/*"
        }
        return arn, {} if exists else {group: fix_names.parameter("Name of the target group that invokes the function")}
    found = _SOURCES.get(prefix)
    if found is None:
        return _arn_parameter(template, name, f"ARN of the {noun} that invokes the function")
    types, attribute = found
    sources = list(template.referrers(function_id, *types)) if function_id else []
    if len(sources) != 1:
        return _arn_parameter(template, name, f"ARN of the {noun} that invokes the function")
    logical_id = sources[0].logical_id
    return ({"Ref": logical_id} if attribute is None else {"Fn::GetAtt": [logical_id, attribute]}), {}


def _arn_parameter(template: Template, name: str, description: str) -> tuple[Any, dict[str, Any]]:
    parameter, exists = fix_names.parameter_name(template, f"{name}SourceArn")
    return {"Ref": parameter}, {} if exists else {parameter: fix_names.parameter(description)}


def _with_skill_id(template: Template, owner: str, placed: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """The fragment `placed` builds around the skill's ID, a parameter `<Owner>SkillId` it declares."""
    parameter, exists = fix_names.parameter_name(template, f"{owner}SkillId")
    fragment = placed({"Ref": parameter})
    if exists:
        return fragment
    return {"Parameters": {parameter: fix_names.parameter("ID of the Alexa skill that invokes the function (amzn1.ask.skill....)")}, **fragment}


# Service -> (resource types that invoke a function, the attribute that is their ARN (None: Ref)).
_SOURCES: dict[str, tuple[tuple[str, ...], Optional[str]]] = {
    "sns": (("AWS::SNS::Topic",), None),
    "events": (("AWS::Events::Rule",), "Arn"),
    "s3": (("AWS::S3::Bucket",), "Arn"),
}
