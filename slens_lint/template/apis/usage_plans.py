"""Usage plans: `AWS::ApiGateway::UsagePlan` resources and the plans SAM creates from `Auth.UsagePlan`.

A usage plan covers a stage through `ApiStages` (`ApiId` plus a stage named by literal, `Ref` to an
`AWS::ApiGateway::Stage`, `!Ref Api.Stage`, or the stage SAM generates); SAM's `Auth.UsagePlan` with
`CreateUsagePlan: PER_API` or `SHARED` creates one for its API (`SHARED`: one plan for every API that
asks for it, `ServerlessUsagePlan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from slens_lint.template.apis.common import REST, SAM_REST_API, any_item, limit_set
from slens_lint.template.apis.stages import ApiStage, names_stage
from slens_lint.template.model import OwnedSubject
from slens_lint.template.resources.base import Resource
from slens_lint.template.values import Known, Truth, Value

if TYPE_CHECKING:
    from slens_lint.template.model import Template

USAGE_PLAN = "AWS::ApiGateway::UsagePlan"
_CREATING_MODES = ("PER_API", "SHARED")


@dataclass(frozen=True, eq=False)
class UsagePlan(OwnedSubject):
    """An `AWS::ApiGateway::UsagePlan`, or the plan a SAM REST API's `Auth.UsagePlan` creates (a
    subject of rules)."""

    resource: Resource[Any]
    """The UsagePlan resource, or the SAM Api (for the implicit API: `ServerlessRestApi`)."""
    settings: Value
    """The plan's properties (`Quota`, `Throttle`, `ApiStages` for CloudFormation); for SAM the
    `Auth.UsagePlan` mapping in every branch."""
    mode: Optional[str] = None
    """SAM only: `PER_API` or `SHARED` when written so in every branch; None for CloudFormation or when
    CreateUsagePlan is conditional or an intrinsic."""

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id

    @property
    def is_sam(self) -> bool:
        return self.resource.type == SAM_REST_API

    def describe(self) -> str:
        if self.is_sam:
            generated = "ServerlessUsagePlan" if self.mode == "SHARED" else f"{self.logical_id}UsagePlan"
            return f"the usage plan '{generated}' that Auth.UsagePlan of '{self.logical_id}' creates"
        return f"usage plan '{self.logical_id}'"

    def setting(self, name: str) -> Value:
        return self.settings.project(name)

    def creates(self) -> Truth:
        """Where the plan exists: always for CloudFormation; for SAM, where `CreateUsagePlan` is
        `PER_API` or `SHARED` (`NONE` or no value creates none)."""
        if not self.is_sam:
            return Truth.of(True)
        return self.setting("CreateUsagePlan").test(lambda leaf: (leaf.text() or "").upper() in _CREATING_MODES)

    def throttles(self) -> Truth:
        """Where the plan sets a `Throttle` (a rate or burst limit)."""
        throttle = self.setting("Throttle")
        return limit_set(throttle.RateLimit) | limit_set(throttle.BurstLimit)

    def has_quota(self) -> Truth:
        """Where the plan sets a `Quota` limit."""
        return limit_set(self.setting("Quota").Limit)

    def covers_api(self, api: Resource[Any]) -> Truth:
        """Where the plan applies to some stage of `api`."""
        if self.is_sam:
            return self.creates() if self.resource is api else Truth.of(False)
        return any_item(self.setting("ApiStages"), lambda entry: _names_api(entry, api.logical_id))

    def covers(self, template: "Template", stage: ApiStage) -> Truth:
        """Where the plan applies to `stage` (unknown where the stage it names cannot be told)."""
        if stage.kind != REST or stage.api is None:
            return Truth.of(False)
        if self.is_sam:
            same = stage.origin == "sam" and stage.resource is self.resource
            return self.creates() if same else Truth.of(False)
        api_id = stage.api.logical_id

        def names_it(entry: Value) -> Truth:
            return _names_api(entry, api_id) & names_stage(template, stage, entry.Stage)

        return any_item(self.setting("ApiStages"), names_it)

    # ---- as a subject ---------------------------------------------------------------------

    @property
    def key(self) -> str:
        return self.resource.key + ("/Properties/Auth/UsagePlan" if self.is_sam else "")


def _names_api(entry: Value, api_id: str) -> Truth:
    # An ApiId that is no Ref/GetAtt of this API (a literal id, an import) names another API.
    return entry.ApiId.each(lambda leaf: Truth.of(leaf.ref == api_id, leaf))


def usage_plans(template: "Template") -> list[UsagePlan]:
    """Every usage plan the template may create (CloudFormation ones, and SAM `Auth.UsagePlan` where
    some branch creates one or cannot be read)."""
    return template.memo("apis.usage_plans", _usage_plans)


def _usage_plans(template: "Template") -> list[UsagePlan]:
    found: list[UsagePlan] = []
    for resource in template.of_type(USAGE_PLAN):
        found.append(UsagePlan(resource, Known(resource.props, resource.props_path)))
    for api in template.of_type(SAM_REST_API, implicit=True):
        settings = api.props.value_of("Auth").UsagePlan
        text = settings.CreateUsagePlan.text()
        mode = text.upper() if text and text.upper() in _CREATING_MODES else None
        plan = UsagePlan(api, settings, mode)
        if plan.creates().may_hold:
            found.append(plan)
    return found
