"""How a message about an API stage names it: the resource that declares the stage (its logical id in
quotes, as every message does) and which stage it is. Shared by the stage rules (SL105, SL108, SL110,
SL111, SL301, SL404) so that a stage reads the same in each of their findings."""

from __future__ import annotations

from slens_lint.template import apis
from slens_lint.template.apis import ApiStage

_LABELS = {apis.REST: "REST API", apis.HTTP: "HTTP API", apis.WEBSOCKET: "WebSocket API"}


def stage_subject(stage: ApiStage, deployment_tail: str = "") -> str:
    """The opening of a message: `REST API 'Api' stage 'prod'`, `Stage 'ProdStage' (stage 'prod' of
    REST API 'Api')`... A Deployment's stage reads `Deployment 'D' creates stage 'prod' of REST API
    'Api'` followed by `deployment_tail` (", which", " that"), for the sentence to go on."""
    resource = stage.resource
    label = _LABELS.get(stage.kind or "", "API")
    if stage.origin == "sam":
        implicit = ""
        if stage.implicit:
            implicit = " (implicit, from Api events)" if stage.kind == apis.REST else " (implicit, from HttpApi events)"
        name = stage.name_text
        return f"{label} '{resource.logical_id}'{implicit}" + (f" stage '{name}'" if name else "")
    if stage.origin == "deployment":
        return f"Deployment '{resource.logical_id}' creates {stage.describe()}{deployment_tail}"
    if stage.origin == "quick-create":
        return f"{label} '{resource.logical_id}' (quick create) stage '$default'"
    return f"Stage '{resource.logical_id}' ({stage.describe()})"
