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

Values may come through `Fn::If` and parameters: each reader returns the literal options it can see,
or None when it cannot know.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING, Any, Optional

from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.resources.base import Resource

if TYPE_CHECKING:
    from slens_lint.legacy.model import Template

SAM_FUNCTION = "AWS::Serverless::Function"
SAM_STATE_MACHINE = "AWS::Serverless::StateMachine"
LAMBDA_ALIAS = "AWS::Lambda::Alias"
STATE_MACHINE_ALIAS = "AWS::StepFunctions::StateMachineAlias"
DEPLOYMENT_GROUP = "AWS::CodeDeploy::DeploymentGroup"

FUNCTION_ALL_AT_ONCE = "AllAtOnce"
CODEDEPLOY_LAMBDA_ALL_AT_ONCE = "CodeDeployDefault.LambdaAllAtOnce"
# SAM passes a Type it does not know on to CodeDeploy as a configuration name, so the full predefined
# name means all at once too.
FUNCTION_ALL_AT_ONCE_TYPES = (FUNCTION_ALL_AT_ONCE, CODEDEPLOY_LAMBDA_ALL_AT_ONCE)
STATE_MACHINE_ALL_AT_ONCE = "ALL_AT_ONCE"
STATE_MACHINE_GRADUAL = ("CANARY", "LINEAR")

_MAX_SHAPES = 64


def kind(resource: Resource) -> str:
    """How messages name the resource."""
    return "State machine" if resource.type in (SAM_STATE_MACHINE, STATE_MACHINE_ALIAS) else "Function"


def string_options(template: "Template", value: Any) -> Optional[list[str]]:
    """The literal strings a value can be: itself, each `Fn::If` branch, or a parameter's
    `AllowedValues`. None when one option cannot be known."""
    options: list[str] = []
    for branch in intrinsics.branches(value):
        if branch is NO_VALUE:
            return None
        if isinstance(branch, bool):
            options.append("true" if branch else "false")
            continue
        literal = intrinsics.literal_string(branch)
        if literal is not None:
            options.append(literal)
            continue
        name = intrinsics.ref_target(branch)
        parameter = template.parameters.get(name) if name else None
        allowed = parameter.get("AllowedValues") if isinstance(parameter, dict) else None
        if isinstance(allowed, list) and allowed and all(isinstance(a, (str, int, float, bool)) for a in allowed):
            options.extend(str(a) for a in allowed)
            continue
        return None
    return options


@dataclass(frozen=True)
class RolloutShape:
    """One combination of `AutoPublishAlias` and `DeploymentPreference` branches of a SAM resource."""

    resource: Resource
    alias: Optional[bool]
    """Whether `AutoPublishAlias` is set in this shape."""
    preference: Optional[dict[str, Any]]
    """The `DeploymentPreference` mapping, None when absent (or `AWS::NoValue`)."""

    @property
    def is_state_machine(self) -> bool:
        return self.resource.type == SAM_STATE_MACHINE

    def enabled(self, template: "Template") -> Optional[bool]:
        """Whether SAM acts on the preference: False when absent or disabled, None when unknown."""
        if not self.preference:
            return False
        if self.is_state_machine or "Enabled" not in self.preference:
            return True
        raw = self.preference["Enabled"]
        if isinstance(raw, bool):
            return raw
        options = string_options(template, raw)
        if options is None:
            return None
        answers = {o not in ("false", "False") for o in options}
        return answers.pop() if len(answers) == 1 else None

    def types(self, template: "Template") -> Optional[list[str]]:
        """The deployment types the preference can have (None when unknown or absent)."""
        if not self.preference or "Type" not in self.preference:
            return None
        return string_options(template, self.preference["Type"])

    def all_at_once(self, template: "Template") -> Optional[bool]:
        """True when every deployment moves all traffic at once (no preference, a disabled one, or an
        all-at-once type); False when the shift is gradual; None when unknown."""
        enabled = self.enabled(template)
        if enabled is None:
            return None
        if not enabled:
            return True
        types = self.types(template)
        if types is None:
            return None
        targets = (STATE_MACHINE_ALL_AT_ONCE,) if self.is_state_machine else FUNCTION_ALL_AT_ONCE_TYPES
        answers = {t in targets for t in types}
        return answers.pop() if len(answers) == 1 else None

    def gradual(self, template: "Template") -> Optional[bool]:
        """True when traffic certainly shifts in steps (canary, linear, or a custom CodeDeploy config)."""
        at_once = self.all_at_once(template)
        if at_once is None:
            return None
        if at_once:
            return False
        if self.is_state_machine:
            types = self.types(template) or []
            return all(t in STATE_MACHINE_GRADUAL for t in types) or None
        return True


def alias_options(resource: Resource) -> list[bool]:
    """Whether `AutoPublishAlias` is set, in each of its `Fn::If` branches ([False] when absent)."""
    value = resource.raw_properties.get("AutoPublishAlias")
    if value is None:
        return [False]
    return [branch is not NO_VALUE and branch is not None and branch != "" for branch in intrinsics.branches(value)]


def rollout_shapes(resource: Resource) -> list[RolloutShape]:
    """Every combination of `AutoPublishAlias` and `DeploymentPreference` branches; empty when a value
    cannot be read (so no rule reports)."""
    props = resource.raw_properties
    aliases = alias_options(resource)
    preferences: list[Optional[dict[str, Any]]] = []
    if props.get("DeploymentPreference") is None:
        preferences.append(None)
    else:
        for branch in intrinsics.branches(props["DeploymentPreference"]):
            if branch is NO_VALUE:
                preferences.append(None)
            elif isinstance(branch, dict) and not intrinsics.is_intrinsic(branch):
                preferences.append(branch)
            else:
                return []
    shapes = [RolloutShape(resource, alias, pref) for alias, pref in product(aliases, preferences)]
    return shapes if len(shapes) <= _MAX_SHAPES else []


def sam_rollouts(template: "Template") -> list[tuple[Resource, list[RolloutShape]]]:
    """Each SAM function and state machine with the rollout shapes it can take, read once per template
    (SL101, SL103 and SL104 judge them); those whose shapes cannot be read are left out."""
    return template.memo("deployment.sam_rollouts", _sam_rollouts)


def _sam_rollouts(template: "Template") -> list[tuple[Resource, list[RolloutShape]]]:
    found = []
    for resource in template.of_type(SAM_FUNCTION, SAM_STATE_MACHINE):
        shapes = rollout_shapes(resource)
        if shapes:
            found.append((resource, shapes))
    return found


def alarms_given(value: Any) -> Optional[bool]:
    """Whether an `Alarms` value names at least one alarm: True/False, None when it cannot be known.

    Each `Fn::If` branch counts: a list that is empty in one branch is reported only when it is empty
    in every branch.
    """
    answers: set[Optional[bool]] = set()
    for branch in intrinsics.branches(value):
        if branch is NO_VALUE or branch is None:
            answers.add(False)
        elif isinstance(branch, list):
            items = [i for i in branch if not all(b is NO_VALUE for b in intrinsics.branches(i))]
            answers.add(bool(items))
        else:
            answers.add(None)
    if answers == {False}:
        return False
    if answers == {True}:
        return True
    return None
