"""LEGACY: the old model of a template, for rules not yet on the judge contract (issue 11 transition).

Built as the old engine built it: on a copy of the tree with cfn-lint's Globals merge (only when the
SAM transform is declared) and the local property positions recorded before the merge.
"""

from __future__ import annotations

import copy
from typing import Any, Optional

from slens_lint.legacy.model import Template as LegacyTemplate
from slens_lint.legacy.positions import sam_property_spans


def legacy_template(tree: dict[str, Any], fmt: str, filename: Optional[str]) -> LegacyTemplate:
    from cfnlint.template.transforms._sam_globals import merge_globals

    spans = sam_property_spans(tree)
    merged = copy.copy(tree)
    resources = tree.get("Resources")
    if isinstance(resources, dict):
        merged["Resources"] = copy.copy(resources)
        for name, resource in resources.items():
            if isinstance(resource, dict):
                merged["Resources"][name] = copy.copy(resource)
    transform = tree.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    if "AWS::Serverless-2016-10-31" in transforms:
        merge_globals(merged)
    return LegacyTemplate(merged, fmt, filename, local_spans=spans)
