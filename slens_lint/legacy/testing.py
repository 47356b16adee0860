"""LEGACY: the old model of a cfn-lint Template, for the legacy readers' tests (issue 11 transition)."""

from typing import Any

from slens_lint.legacy.model import Template


def model_of(cfn: Any) -> Template:
    filename = str(getattr(cfn, "filename", "") or "")
    return Template(cfn.template if isinstance(cfn.template, dict) else {}, "json" if filename.endswith(".json") else "yaml", filename)
