from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function


class FunctionWithoutMemorySize(Rule):
    id = "SL401"
    severity = Severity.INFO
    severity_reason = (
        "info: the default memory is rarely the right one, but choosing it needs a measurement, not a"
        " review comment."
    )
    title = "Function without an explicit MemorySize"
    practice = "Performance efficiency 1: Measure, evaluate and choose the optimal capacity unit"
    rationale = (
        "Lambda allocates CPU in proportion to memory. A function without `MemorySize` runs with the "
        "128 MB default: the smallest CPU share, which often makes it slower and, billed per "
        "GB-second, no cheaper. The size should be a measured choice (for example with AWS Lambda "
        "Power Tuning), not an accident."
    )
    fix = "Set `MemorySize` (on the function or in `Globals.Function`) to a measured value."
    example = {
        "Globals": {"Function": {"MemorySize": 512}},
        "Resources": {
            "Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "src/"}}
        },
    }
    use_instead = "If 128 MB was measured to be right, write `MemorySize: 128` so the choice is visible."
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html",
        "https://github.com/alexcasalboni/aws-lambda-power-tuning",
    )
    service = "lambda"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function")

    subject = "function"

    def subjects(self, template: Template) -> Iterator[Function]:
        return template.functions()

    def judge(self, function: Function, template: Template) -> Verdict:
        return self.expect(
            function,
            function.props.MemorySize.given(),
            f"Function '{function.logical_id}' has no MemorySize: it runs with 128 MB and the "
            f"smallest CPU share, chosen by default rather than measured.",
            fix="Set MemorySize to a measured value (here or in Globals.Function):",
            snippet={"MemorySize": 512},
        )
