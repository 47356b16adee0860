"""How a new version reaches traffic: SAM `AutoPublishAlias` / `DeploymentPreference` on functions and
state machines, and what they mean once SAM has translated them.

- Function: `AutoPublishAlias` publishes a version and moves the alias to it. With an enabled
  `DeploymentPreference` SAM creates a CodeDeploy deployment group and puts
  `UpdatePolicy.CodeDeployLambdaAliasUpdate` on the alias, so traffic shifts by the preference's
  `Type` (`Canary10Percent5Minutes`, `Linear...`, a custom config name, or `AllAtOnce`). A preference
  with `Enabled: false` (also "false"/"False") is ignored; an enabled one without `AutoPublishAlias`
  fails the transform.
- State machine: `AutoPublishAlias` creates a version and an `AWS::StepFunctions::StateMachineAlias`
  whose `DeploymentPreference` is the template's (`Type` `CANARY` / `LINEAR` / `ALL_AT_ONCE`, `Alarms`)
  or `ALL_AT_ONCE` when absent; there is no `Enabled`, and any preference without `AutoPublishAlias`
  fails the transform.
- CloudFormation: an `AWS::Lambda::Alias` shifts gradually only through its `UpdatePolicy`
  (`CodeDeployLambdaAliasUpdate`, naming a CodeDeploy deployment group) or by hand (`RoutingConfig`);
  an `AWS::StepFunctions::StateMachineAlias` through its own `DeploymentPreference`.

Every answer is a `Truth` per combination of `Fn::If` conditions; a value only a deployment decides
(a parameter without a default, an import) answers unknown, with that value as the evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from slens_lint.template import expressions
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.lambda_ import (
    AliasUpdatePolicySpec,
    DeploymentPreferenceSpec,
    LambdaAlias,
    LambdaFunction,
    SamFunction,
)
from slens_lint.template.resources.other import (
    AlarmConfigurationSpec,
    CodeDeployApplication,
    DeploymentConfig,
    DeploymentGroup,
    SamStateMachine,
    StateMachineAlias,
    StateMachineAliasPreferenceSpec,
    StateMachineVersion,
)
from slens_lint.template.values import Absent, Truth, Unknown, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

SAM_FUNCTION = "AWS::Serverless::Function"
SAM_STATE_MACHINE = "AWS::Serverless::StateMachine"
STATE_MACHINE_ALIAS = "AWS::StepFunctions::StateMachineAlias"
DEPLOYMENT_GROUP = "AWS::CodeDeploy::DeploymentGroup"

FUNCTION_ALL_AT_ONCE = "AllAtOnce"
CODEDEPLOY_LAMBDA_ALL_AT_ONCE = "CodeDeployDefault.LambdaAllAtOnce"
# SAM passes a Type it does not know on to CodeDeploy as a configuration name, so the full predefined
# name means all at once too.
FUNCTION_ALL_AT_ONCE_TYPES = (FUNCTION_ALL_AT_ONCE, CODEDEPLOY_LAMBDA_ALL_AT_ONCE)
STATE_MACHINE_ALL_AT_ONCE = "ALL_AT_ONCE"
STATE_MACHINE_GRADUAL = ("CANARY", "LINEAR")


def kind(resource: Resource[Any]) -> str:
    """How messages name the resource."""
    return "State machine" if resource.type in (SAM_STATE_MACHINE, STATE_MACHINE_ALIAS) else "Function"


def rollout_resources(template: "Template") -> list[Resource[Any]]:
    """The SAM functions and state machines, whose rollout `AutoPublishAlias` and `DeploymentPreference`
    describe (SL101, SL103 and SL104 judge them)."""
    return list(template.of_type(SAM_FUNCTION, SAM_STATE_MACHINE))


def _is_state_machine(resource: Resource[Any]) -> bool:
    return resource.type == SAM_STATE_MACHINE


# ---- SAM: AutoPublishAlias and DeploymentPreference -----------------------------------------------


def publishes_alias(resource: Resource[Any]) -> Truth:
    """True where `AutoPublishAlias` names an alias; an expression counts (SAM publishes whatever it
    resolves to), an empty string does not."""

    def check(leaf: Value) -> Optional[bool]:
        if leaf.absent:
            return False
        if leaf.unknown:
            return True
        return leaf.text() != ""

    return auto_publish_alias(resource).each(check)


def auto_publish_alias(resource: Resource[Any]) -> Value:
    """The `AutoPublishAlias` value (every branch). Only SAM functions and state machines have one:
    on any other resource (a CloudFormation function) it is absent where SAM would read it."""
    if isinstance(resource, (SamFunction, SamStateMachine)):
        return resource.props.AutoPublishAlias
    return Absent(resource.props_path + ("AutoPublishAlias",))


def preference(resource: Resource[Any]) -> Value:
    """The `DeploymentPreference` value (every branch); absent, as `AutoPublishAlias`, on anything but
    a SAM function or state machine."""
    if isinstance(resource, (SamFunction, SamStateMachine)):
        return resource.props.DeploymentPreference
    return Absent(resource.props_path + ("DeploymentPreference",))


def _per_preference(resource: Resource[Any], absent: bool, question: Callable[[DeploymentPreferenceSpec], Truth]) -> Truth:
    def check(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(absent, leaf)
        spec = leaf.literal
        if not isinstance(spec, DeploymentPreferenceSpec):
            return Truth.of(None, leaf)
        return question(spec)

    return preference(resource).each(check)


def _enabled(resource: Resource[Any], spec: DeploymentPreferenceSpec) -> Truth:
    if _is_state_machine(resource):
        return Truth.of(True, spec.Type)
    return spec.Enabled.is_true(absent=True)


def preference_enabled(resource: Resource[Any]) -> Truth:
    """Whether SAM acts on the preference: False where it is absent or disabled (state machines have
    no `Enabled`: any preference counts). The evidence is the `DeploymentPreference` or its `Enabled`."""
    return _per_preference(resource, False, lambda spec: _enabled(resource, spec))


def _type_is(resource: Resource[Any], spec: DeploymentPreferenceSpec, gradual: bool) -> Truth:
    """Whether the preference's `Type` shifts gradually (`gradual`) or all at once."""
    kind_type = spec.Type
    if kind_type.absent:
        return Truth.of(None, Unknown("the DeploymentPreference has no Type", None, kind_type.path))

    def check(leaf: Value) -> Optional[bool]:
        text = leaf.text()
        if text is None:
            return None
        if _is_state_machine(resource):
            if text == STATE_MACHINE_ALL_AT_ONCE:
                return not gradual
            return gradual if text in STATE_MACHINE_GRADUAL else None
        return (text not in FUNCTION_ALL_AT_ONCE_TYPES) == gradual

    return kind_type.test(check, absent=None)


def all_at_once(resource: Resource[Any]) -> Truth:
    """True where every deployment moves all traffic at once: no preference, a disabled one, or an
    all-at-once `Type`; False where the shift is gradual. The evidence names which: the absent
    `DeploymentPreference`, its `Enabled`, or its `Type`."""
    return _per_preference(resource, True, lambda spec: ~_enabled(resource, spec) | _type_is(resource, spec, gradual=False))


def gradual(resource: Resource[Any]) -> Truth:
    """True where traffic certainly shifts in steps (canary, linear, or a custom CodeDeploy config)."""
    return _per_preference(resource, False, lambda spec: _enabled(resource, spec) & _type_is(resource, spec, gradual=True))


def alarms_given(value: Value) -> Truth:
    """Whether an `Alarms` value names at least one alarm: False where it is absent or an empty list
    (an item that is `AWS::NoValue` under a condition is not there under it), unknown where the list
    is an expression."""

    def check(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(False, leaf)
        items = leaf.literal
        if not isinstance(items, list):
            return Truth.of(None, leaf)
        return Truth.any_of((item.given() for item in items), default=False) if items else Truth.of(False, leaf)

    return value.each(check)


# ---- CloudFormation aliases and CodeDeploy ------------------------------------------------------


def update_policy(template: "Template", alias: Resource[Any]) -> Value:
    """A Lambda alias's `UpdatePolicy` (a resource attribute beside `Properties`)."""
    return alias.attribute("UpdatePolicy", AliasUpdatePolicySpec)


def codedeploy_update(template: "Template", alias: Resource[Any]) -> Value:
    """The alias's `UpdatePolicy.CodeDeployLambdaAliasUpdate` (absent when there is none)."""
    return update_policy(template, alias).CodeDeployLambdaAliasUpdate


def alias_deployment_group(template: "Template", alias: Resource[Any]) -> Optional[DeploymentGroup]:
    """The deployment group of the template that the alias's `CodeDeployLambdaAliasUpdate` names."""
    group = template.target(codedeploy_update(template, alias).DeploymentGroupName)
    return group if isinstance(group, DeploymentGroup) else None


def group_all_at_once(group: DeploymentGroup) -> Truth:
    """True where the group deploys with `CodeDeployDefault.LambdaAllAtOnce`; a missing name is
    unknown (the group's default depends on its compute platform)."""
    config = group.props.DeploymentConfigName
    if config.absent:
        return Truth.of(None, Unknown(f"deployment group '{group.logical_id}' names no DeploymentConfigName", None, config.path))
    return config.equals(CODEDEPLOY_LAMBDA_ALL_AT_ONCE, case_sensitive=True)


def group_alarms_enabled(group: DeploymentGroup) -> Truth:
    """True where the group's `AlarmConfiguration` is enabled (absent `Enabled` counts) and names an
    alarm. The evidence is what falls short: `AlarmConfiguration`, its `Enabled` or its `Alarms`."""

    def check(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(False, leaf)
        spec = leaf.literal
        if not isinstance(spec, AlarmConfigurationSpec):
            return Truth.of(None, leaf)
        return spec.Enabled.is_true(absent=True) & alarms_given(spec.Alarms)

    return group.props.AlarmConfiguration.each(check)


def lambda_deployment_groups(template: "Template") -> set[str]:
    """Deployment groups that deploy Lambda functions: of a Lambda CodeDeploy application, with a
    Lambda deployment configuration, or named by an alias's `CodeDeployLambdaAliasUpdate`. A group
    whose platform the template does not show is left out (it may deploy EC2 or ECS)."""
    return template.memo("deployment.lambda_groups", _lambda_groups)


def _lambda_groups(template: "Template") -> set[str]:
    found: set[str] = set()
    for group in template.of(DeploymentGroup):
        props = group.props
        application = template.target(props.ApplicationName)
        if isinstance(application, CodeDeployApplication) and application.props.ComputePlatform.equals("Lambda", case_sensitive=True).always:
            found.add(group.logical_id)
            continue
        config_name = props.DeploymentConfigName
        if config_name.test(lambda leaf: (leaf.text() or "").startswith("CodeDeployDefault.Lambda")).always:
            found.add(group.logical_id)
            continue
        config = template.target(config_name)
        if isinstance(config, DeploymentConfig) and config.props.ComputePlatform.equals("Lambda", case_sensitive=True).always:
            found.add(group.logical_id)
    for alias in template.of(LambdaAlias):
        for leaf in codedeploy_update(template, alias).DeploymentGroupName.branches():
            if leaf.ref:
                found.add(leaf.ref)
    return found


def group_aliases(template: "Template", group: Resource[Any]) -> list[LambdaAlias]:
    """The Lambda aliases whose `CodeDeployLambdaAliasUpdate` names the group."""
    return [
        alias
        for alias in template.of(LambdaAlias)
        if any(leaf.ref == group.logical_id for leaf in codedeploy_update(template, alias).DeploymentGroupName.branches())
    ]


def alias_function(template: "Template", alias: LambdaAlias) -> Optional[Resource[Any]]:
    """The function of the template a Lambda alias belongs to (`FunctionName: !Ref Fn` / `!GetAtt`)."""
    for target in template.targets(alias.props.FunctionName):
        if isinstance(target, (SamFunction, LambdaFunction)):
            return target
    return None


def state_machine_alias_preference(alias: StateMachineAlias) -> Value:
    return alias.props.DeploymentPreference


def state_machine_alias_type(alias: StateMachineAlias, gradual: bool) -> Truth:
    """Whether a state machine alias's `DeploymentPreference.Type` shifts gradually (`gradual`) or all
    at once; an alias without a preference routes by hand (`RoutingConfiguration`): neither."""

    def check(leaf: Value) -> Truth:
        if leaf.absent:
            return Truth.of(False, leaf)
        spec = leaf.literal
        if not isinstance(spec, StateMachineAliasPreferenceSpec):
            return Truth.of(None, leaf)
        wanted = STATE_MACHINE_GRADUAL if gradual else (STATE_MACHINE_ALL_AT_ONCE,)
        return spec.Type.test(lambda t: t.text() in wanted if t.text() is not None else None)

    return state_machine_alias_preference(alias).each(check)


def alias_state_machine(template: "Template", alias: StateMachineAlias) -> Optional[Resource[Any]]:
    """The state machine of the template whose version a state machine alias deploys."""
    for version in template.targets(alias.props.DeploymentPreference.StateMachineVersionArn):
        if isinstance(version, StateMachineVersion):
            for machine in template.targets(version.props.StateMachineArn):
                return machine
    return None


def alarms_outside(template: "Template", resource: Resource[Any]) -> Optional[Value]:
    """The first `DeploymentPreference.Alarms` entry that names no alarm of the template (a parameter,
    an import, a literal alarm name), or the `Alarms` value itself when it is an expression: alarms the
    template does not show, which may well watch the resource."""
    for leaf in preference(resource).Alarms.branches():
        if leaf.absent:
            continue
        items = leaf.literal
        if not isinstance(items, list):
            return leaf
        for item in items:
            for entry in item.branches():
                if entry.absent:
                    continue
                target = template.resource(entry.ref)
                if target is None or target.type != "AWS::CloudWatch::Alarm":
                    return entry
    return None


def aliased_functions(template: "Template") -> set[str]:
    """Functions an `AWS::Lambda::Alias` of the template points at (by reference or literal name)."""
    return template.memo("deployment.aliased_functions", _aliased_functions)


def _aliased_functions(template: "Template") -> set[str]:
    found: set[str] = set()
    names = [leaf for alias in template.of(LambdaAlias) for leaf in alias.props.FunctionName.branches() if not leaf.absent]
    if not names:
        return found
    for leaf in names:
        found |= {name.split(".", 1)[0] for name in expressions.references(leaf.expr)}
    for function in template.functions():
        for own in function.props.FunctionName.branches():
            if not own.absent and any(expressions.same_string(own.expr, name.expr) for name in names):
                found.add(function.logical_id)
    return found
