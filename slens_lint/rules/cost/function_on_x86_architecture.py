from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity
from slens_lint.rules.base import Rule, Violation
from slens_lint.legacy import intrinsics
from slens_lint.legacy.intrinsics import NO_VALUE
from slens_lint.legacy.model import Template


class FunctionOnX86Architecture(Rule):
    id = "SL503"
    severity = Severity.INFO
    title = "Function on x86_64 instead of arm64 (Graviton)"
    practice = "Cost optimization 3: Optimize function configuration to reduce cost"
    rationale = (
        "Functions run on `x86_64` unless `Architectures: [arm64]` says otherwise. Graviton (arm64) "
        "costs about 20% less per GB-second and often performs as well or better. Interpreted runtimes "
        "(Python, Node.js, Java) usually move without code changes; native dependencies and container "
        "images need an arm64 build."
    )
    fix = "Set `Architectures: [arm64]` (on the function or in `Globals.Function`) once its dependencies are available for arm64."
    example = {"Globals": {"Function": {"Architectures": ["arm64"]}}}
    use_instead = (
        "If a dependency (a native library, a layer, a container image) exists only for x86_64, "
        "suppress the finding on that function and name the dependency as the reason."
    )
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html",)
    service = "lambda"
    precision = "high"
    resource_types = ("AWS::Serverless::Function", "AWS::Lambda::Function")

    def check(self, template: Template) -> Iterator[Violation]:
        for function in template.functions():
            branches = intrinsics.branches(function.raw_properties.get("Architectures"))
            if all(_is_x86(value) for value in branches):
                yield self.report(
                    template,
                    function,
                    f"Function '{function.logical_id}' runs on x86_64: arm64 (Graviton) costs about 20% "
                    f"less per GB-second.",
                    at=("Architectures",),
                    fix="Run it on Graviton if its dependencies allow:",
                    snippet={"Architectures": ["arm64"]},
                )


def _is_x86(value) -> bool:
    """Absent, NoValue or a literal list without arm64; any expression is given the benefit of the doubt."""
    if value is None or value is NO_VALUE:
        return True
    items = intrinsics.as_list(value)
    if items is None or any(not isinstance(i, str) for i in items):
        return False
    return "arm64" not in items
