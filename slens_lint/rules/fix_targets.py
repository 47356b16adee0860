"""Where an automatic fix writes a function setting: the rule knows what to set, this knows where.

SAM functions share settings through `Globals.Function`: a value inherited from there is fixed there,
once for every function; a value set on the function is fixed on the function; a value set nowhere
goes to `Globals.Function` when the template already has that section or has several SAM functions
(one line for all of them), else on the function. A value an `Fn::If` chooses gets no automatic fix:
which branch to change is a decision.
"""

from __future__ import annotations

from typing import Any

from slens_lint.findings import Change
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.values import Value

SAM_FUNCTION = "AWS::Serverless::Function"


def function_setting(template: Template, function: Function, name: str, value: Any, current: Value) -> tuple[Change, ...]:
    """The change that sets the function property `name` to `value` (`current`: what it holds now)."""
    if current.conditional:
        return ()
    if current.path[:2] == ("Globals", "Function"):
        return (Change(current.path, value),)
    if not current.absent:
        return (Change(current.path, value),)
    if function.is_sam:
        sam_functions = sum(1 for f in template.functions() if f.is_sam)
        if SAM_FUNCTION in template.globals or sam_functions > 1:
            return (Change(("Globals", "Function", name), value, before="Resources"),)
    return (Change(function.props_path + (name,), value),)
