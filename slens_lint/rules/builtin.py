"""cfn-lint built-in rules that belong to the Serverless Lens, and what slens-lint says about them.

cfn-lint already checks these well, so slens-lint does not rewrite them: it runs cfn-lint's own rule
code in its default run (see `slens_lint.compat.builtins`) and reports the findings under cfn-lint's ids
(`E2531`, not an `SL` id), with cfn-lint's messages. What is ours is the metadata here: the pillar and
Lens practice, why it matters and how to fix it in our words, examples, references. `slens-lint rules`,
`explain`, the rule index and pages under `rules/`, SARIF `rules[]` and the LSP read it through the
registry exactly as they read a `Rule`'s.

No cfn-lint import here (`slens-lint rules` must stay fast): the cfn-lint class is named by its dotted
path and imported only by the runner; a test checks each path names a rule with the same id.
"""

from __future__ import annotations

from typing import ClassVar, Iterator, Optional

from slens_lint.findings import Severity, Verdict
from slens_lint.rules import index
from slens_lint.rules.base import Judge, Pillar, RuleMetadata
from slens_lint.template import runtimes
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function

# cfn-lint's rule list (id, description, source) and its source tree, for the references.
CFN_LINT_RULES_DOC = "https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md"
_CFN_LINT_SOURCE = "https://github.com/aws-cloudformation/cfn-lint/blob/main/src/"

_SAM_FUNCTION = {
    "Type": "AWS::Serverless::Function",
    "Properties": {"Handler": "app.handler", "Runtime": "python3.14", "CodeUri": "src/"},
}


class BuiltinRule(RuleMetadata):
    """A cfn-lint built-in the Lens covers: the metadata interface of `Rule`, so docs, SARIF and the
    CLI need no special case, but no `check`: cfn-lint's own rule class (`cfn_lint_class`) does the
    checking."""

    builtin: ClassVar[bool] = True
    id: ClassVar[str] = ""
    """cfn-lint's id; it is also the canonical id (there is no `SL` id)."""
    pillar_: ClassVar[Pillar] = Pillar.OPERATIONAL_EXCELLENCE
    cfn_lint_class: ClassVar[str] = ""
    """Dotted path of the cfn-lint rule class, imported by `slens_lint.compat.builtins` only."""

    @classmethod
    def cfn_lint_id(cls) -> str:
        return cls.id

    @classmethod
    def pillar(cls) -> Pillar:
        return cls.pillar_

    @classmethod
    def slug(cls) -> str:
        """cfn-lint's class name in kebab case: `DeprecatedRuntimeCreate` -> `deprecated-runtime-create`."""
        name = cls.cfn_lint_class.rsplit(".", 1)[-1]
        return "".join("-" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))

    @classmethod
    def source_url(cls) -> str:
        """cfn-lint's source of the rule (the code slens-lint runs)."""
        module = cls.cfn_lint_class.rsplit(".", 1)[0]
        return _CFN_LINT_SOURCE + module.replace(".", "/") + ".py"

    @classmethod
    def native(cls) -> bool:
        """Judged by slens-lint itself (same findings, no cfn-lint engine); else cfn-lint runs it."""
        return issubclass(cls, Judge)

    @classmethod
    def wanted(cls, template: Template) -> bool:
        """Whether the template has anything this built-in reads (else cfn-lint need not run for it)."""
        return any(r.type in cls.resource_types for r in template.resources.values())


class RuntimeLifecycle(BuiltinRule, Judge):
    """The runtime built-ins, judged from cfn-lint's lifecycle data (`template.runtimes`) rather than by
    starting cfn-lint: each literal `Runtime` of a function, in every `Fn::If` branch, in the phase the
    rule names, is a finding at that value (the function's own line, or the `Globals` line it inherits)
    with cfn-lint's message. A runtime from a parameter or a mapping is not judged, as in cfn-lint."""

    phase: ClassVar[str] = ""

    def subjects(self, template: Template) -> Iterator[Function]:
        # cfn-lint descends only into resources whose logical id is alphanumeric (its E3001 schema).
        return (f for f in template.functions() if f.logical_id.isascii() and f.logical_id.isalnum())

    def judge(self, function: Function, template: Template) -> Iterator[Verdict]:
        runtime = function.props.Runtime
        found = False
        for leaf in runtime.branches():
            text = leaf.text() if leaf.known else None
            if text is not None and runtimes.phase(text) == self.phase:
                found = True
                yield self.not_met(function, runtimes.describe(text), at=leaf)
        if not found:
            yield self.met(function, at=runtime)


_RUNTIME_PRACTICE = "Operational excellence 10: Review the function runtime deprecation policy"
_RUNTIME_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function")
_RUNTIME_POLICY = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtime-support-policy"
_RUNTIME_FIX = (
    "Move the function to a supported runtime (the finding names cfn-lint's suggested successor), test the "
    "code on it, and deploy before the next block date."
)
_RUNTIME_USE_INSTEAD = (
    "The dates come from cfn-lint's runtime lifecycle data, so the finding changes as the dates pass and as "
    "cfn-lint is updated. A runtime given through a parameter or a mapping is not checked. Container image "
    "functions have no `Runtime` and are not concerned."
)


class DeprecatedRuntimeCreate(RuntimeLifecycle):
    id = "E2531"
    severity = Severity.ERROR
    severity_reason = "error (cfn-lint's): a deployment that creates the function fails."
    pillar_ = Pillar.OPERATIONAL_EXCELLENCE
    title = "Function runtime is past the date Lambda blocks creating functions with it"
    practice = _RUNTIME_PRACTICE
    rationale = (
        "Lambda has deprecated this runtime and no longer lets anyone create a function with it; existing "
        "functions can still be updated until the update block date. Any deployment that creates the function "
        "(a new stage or ephemeral environment, another region, a replacement after a name change) fails, and "
        "the runtime gets no security patches."
    )
    fix = _RUNTIME_FIX
    example = {"Function": _SAM_FUNCTION}
    example_bad = {"Function": {**_SAM_FUNCTION, "Properties": {**_SAM_FUNCTION["Properties"], "Runtime": "go1.x"}}}
    use_instead = _RUNTIME_USE_INSTEAD
    references = (_RUNTIME_POLICY, CFN_LINT_RULES_DOC)
    resource_types = _RUNTIME_TYPES
    cfn_lint_class = "cfnlint.rules.resources.lmbd.DeprecatedRuntimeCreate.DeprecatedRuntimeCreate"
    phase = "create-blocked"


class DeprecatedRuntimeEol(RuntimeLifecycle):
    id = "W2531"
    severity = Severity.WARNING
    severity_reason = "warning (cfn-lint's): the runtime gets no more patches, and the dates that will break deployments are set."
    pillar_ = Pillar.OPERATIONAL_EXCELLENCE
    title = "Function runtime is deprecated"
    practice = _RUNTIME_PRACTICE
    rationale = (
        "Lambda has deprecated this runtime: it gets no more security patches or support, and Lambda will "
        "block creating and then updating functions with it on the dates the finding names. Planning the move "
        "now avoids a deployment that suddenly fails."
    )
    fix = _RUNTIME_FIX
    example = {"Function": _SAM_FUNCTION}
    example_bad = {"Function": {**_SAM_FUNCTION, "Properties": {**_SAM_FUNCTION["Properties"], "Runtime": "python3.9"}}}
    use_instead = _RUNTIME_USE_INSTEAD
    references = (_RUNTIME_POLICY, CFN_LINT_RULES_DOC)
    resource_types = _RUNTIME_TYPES
    cfn_lint_class = "cfnlint.rules.resources.lmbd.DeprecatedRuntimeEol.DeprecatedRuntimeEol"
    phase = "deprecated"


class DeprecatedRuntimeUpdate(RuntimeLifecycle):
    id = "E2533"
    severity = Severity.ERROR
    severity_reason = "error (cfn-lint's): every update of the function fails."
    pillar_ = Pillar.OPERATIONAL_EXCELLENCE
    title = "Function runtime is past the date Lambda blocks updating functions with it"
    practice = _RUNTIME_PRACTICE
    rationale = (
        "Lambda blocks every update of a function on this runtime: a stack update that changes the function's "
        "code or configuration fails and rolls back, so not even a security fix can be deployed until the "
        "runtime is changed."
    )
    fix = _RUNTIME_FIX
    example = {"Function": _SAM_FUNCTION}
    example_bad = {"Function": {**_SAM_FUNCTION, "Properties": {**_SAM_FUNCTION["Properties"], "Runtime": "python3.6"}}}
    use_instead = _RUNTIME_USE_INSTEAD
    references = (_RUNTIME_POLICY, CFN_LINT_RULES_DOC)
    resource_types = _RUNTIME_TYPES
    cfn_lint_class = "cfnlint.rules.resources.lmbd.DeprecatedRuntimeUpdate.DeprecatedRuntimeUpdate"
    phase = "update-blocked"


class EventSourceMappingToSqsTimeout(BuiltinRule):
    id = "E3505"
    severity = Severity.ERROR
    severity_reason = "error (cfn-lint's): Lambda rejects the event source mapping at deployment."
    pillar_ = Pillar.PERFORMANCE
    title = "Queue visibility timeout is shorter than the consuming function's timeout"
    practice = "Performance efficiency 1: Measure, evaluate and choose the optimal capacity unit"
    rationale = (
        "While a function works on a batch, the queue hides its messages only for the visibility timeout. "
        "When that is shorter than the function's timeout, messages reappear while they are still being "
        "processed and another invocation takes them: duplicate work, and messages that reach the "
        "dead-letter queue without ever failing. Lambda rejects such an event source mapping at deployment."
    )
    fix = (
        "Set the queue's `VisibilityTimeout` to at least the function's `Timeout`; AWS recommends six times "
        "the function timeout plus the batch window."
    )
    example = {
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 180}},
        "Function": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Runtime": "python3.14",
                "Handler": "app.handler",
                "Role": {"Fn::GetAtt": ["FunctionRole", "Arn"]},
                "Code": {"ZipFile": "def handler(event, context): pass"},
                "Timeout": 30,
            },
        },
        "Mapping": {
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {"EventSourceArn": {"Fn::GetAtt": ["Queue", "Arn"]}, "FunctionName": {"Ref": "Function"}},
        },
    }
    use_instead = (
        "cfn-lint checks `AWS::Lambda::EventSourceMapping` resources whose queue and function are both in the "
        "template; it does not check SAM `SQS` events (`Events: Type: SQS`) or a queue from another stack."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html",
        CFN_LINT_RULES_DOC,
    )
    service = "sqs"
    resource_types = ("AWS::Lambda::EventSourceMapping", "AWS::SQS::Queue", "AWS::Lambda::Function")
    cfn_lint_class = "cfnlint.rules.resources.lmbd.EventSourceMappingToSqsTimeout.EventSourceMappingToSqsTimeout"

    @classmethod
    def wanted(cls, template: Template) -> bool:
        return any(r.type == "AWS::Lambda::EventSourceMapping" for r in template.resources.values())


_PERMISSION_PRACTICE = "Security 4: Evaluate and define resource policies"


class PermissionSourceAccount(BuiltinRule):
    id = "W3663"
    severity = Severity.WARNING
    severity_reason = "warning (cfn-lint's): another account's bucket of the same name could invoke the function."
    pillar_ = Pillar.SECURITY
    title = "Lambda permission for a source whose ARN holds no account names no SourceAccount"
    practice = _PERMISSION_PRACTICE
    rationale = (
        "An S3 bucket ARN (and any `SourceArn` without an account id) does not say which account owns the "
        "source. Without `SourceAccount`, a bucket of the same name in another account, for example after "
        "yours was deleted and its name taken, may invoke the function: the confused deputy problem."
    )
    fix = "Add `SourceAccount: !Ref AWS::AccountId` (or the account that owns the source) to the permission."
    example = {
        "Permission": {
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Ref": "Function"},
                "Principal": "s3.amazonaws.com",
                "SourceArn": {"Fn::GetAtt": ["Bucket", "Arn"]},
                "SourceAccount": {"Ref": "AWS::AccountId"},
            },
        }
    }
    use_instead = (
        "SAM writes the permissions of function events itself (an `S3` event gets `SourceAccount`); this "
        "checks the `AWS::Lambda::Permission` resources of the template."
    )
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
        CFN_LINT_RULES_DOC,
    )
    resource_types = ("AWS::Lambda::Permission",)
    cfn_lint_class = "cfnlint.rules.resources.lmbd.PermissionSourceAccount.PermissionSourceAccount"


class PermissionPrincipal(BuiltinRule):
    id = "W3664"
    severity = Severity.WARNING
    severity_reason = "warning (cfn-lint's): the permission names a principal that never calls with this source."
    pillar_ = Pillar.SECURITY
    title = "Lambda permission principal is not the service of its SourceArn"
    practice = _PERMISSION_PRACTICE
    rationale = (
        "The permission's `SourceArn` points at a resource of the template (a topic, a rule, a bucket, an "
        "API) but its `Principal` is another service. The real source still cannot invoke the function "
        "(its invocations fail with access denied) while a service that is not the source is granted access."
    )
    fix = "Set `Principal` to the service principal of the `SourceArn` resource (`sns.amazonaws.com` for a topic)."
    example = {
        "Permission": {
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Ref": "Function"},
                "Principal": "sns.amazonaws.com",
                "SourceArn": {"Ref": "Topic"},
            },
        }
    }
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html", CFN_LINT_RULES_DOC)
    resource_types = ("AWS::Lambda::Permission",)
    cfn_lint_class = "cfnlint.rules.resources.lmbd.PermissionPrincipal.PermissionPrincipal"


class SnapStart(BuiltinRule):
    id = "W2530"
    severity = Severity.WARNING
    severity_reason = "warning (cfn-lint's): SnapStart does nothing without a published version, so cold starts stay slow."
    pillar_ = Pillar.PERFORMANCE
    title = "SnapStart is on but no function version is published"
    practice = "Performance efficiency 2: Measure and optimize function start-up time"
    rationale = (
        "SnapStart snapshots the initialized execution environment of a published version only. Without a "
        "version (SAM `AutoPublishAlias`, or an `AWS::Lambda::Version`), callers invoke `$LATEST`, which never "
        "gets a snapshot: the cold starts SnapStart was meant to remove stay."
    )
    fix = (
        "On a SAM function add `AutoPublishAlias: live`; in CloudFormation add an `AWS::Lambda::Version` of "
        "the function, and have callers invoke the version or an alias of it."
    )
    example = {
        "Function": {
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "Handler": "app.Handler::handleRequest",
                "Runtime": "java21",
                "CodeUri": "target/app.jar",
                "AutoPublishAlias": "live",
                "SnapStart": {"ApplyOn": "PublishedVersions"},
            },
        }
    }
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html", CFN_LINT_RULES_DOC)
    resource_types = ("AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::Lambda::Version")
    cfn_lint_class = "cfnlint.rules.resources.lmbd.SnapStart.SnapStart"

    @classmethod
    def wanted(cls, template: Template) -> bool:
        return any(f.props.SnapStart.is_set() for f in template.functions())


BUILTIN_RULES: tuple[type[BuiltinRule], ...] = tuple(
    sorted(
        (
            DeprecatedRuntimeCreate,
            DeprecatedRuntimeEol,
            DeprecatedRuntimeUpdate,
            EventSourceMappingToSqsTimeout,
            PermissionSourceAccount,
            PermissionPrincipal,
            SnapStart,
        ),
        key=lambda r: r.id,
    )
)


def get(rule_id: str) -> Optional[type[BuiltinRule]]:
    for rule in BUILTIN_RULES:
        if rule.id == rule_id:
            return rule
    return None


def select(select: tuple[str, ...] | list[str] = (), ignore: tuple[str, ...] | list[str] = ()) -> list[type[BuiltinRule]]:
    """The built-ins a run uses (see `index.builtin_chosen`)."""
    return [rule for rule in BUILTIN_RULES if index.builtin_chosen(rule.id, list(select), list(ignore))]
