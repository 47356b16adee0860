from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function


class FunctionWithoutTimeout(Rule):
    id = "SL402"
    severity = Severity.INFO
    severity_reason = (
        "info: the 3-second default is a choice nobody made, but the right timeout needs knowledge of"
        " the work; advice."
    )
    title = "Function without an explicit Timeout"
    practice = "Performance efficiency 1: Measure, evaluate and choose the optimal capacity unit"
    rationale = (
        "A function without `Timeout` is stopped after the 3-second default. That is too short for "
        "many workloads (cold starts, downstream calls) and, for others, a limit nobody chose: the "
        "timeout should fit the work and what the caller waits for."
    )
    fix = "Set `Timeout` (on the function or in `Globals.Function`) to what the work needs and the caller allows."
    example = {
        "Globals": {"Function": {"Timeout": 10}},
        "Resources": {
            "Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "src/"}}
        },
    }
    use_instead = "If 3 seconds is the right limit, write `Timeout: 3` so the choice is visible."
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html",)
    service = "lambda"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function")

    subject = "function"

    def subjects(self, template: Template) -> Iterator[Function]:
        return template.functions()

    def judge(self, function: Function, template: Template) -> Verdict:
        return self.expect(
            function,
            function.props.Timeout.given(),
            f"Function '{function.logical_id}' has no Timeout: it is stopped after the 3-second "
            f"default, a limit nobody chose.",
            fix="Set Timeout to what the work needs (here or in Globals.Function):",
            snippet={"Timeout": 10},
        )
