from __future__ import annotations

from typing import Iterator

from slens_lint.findings import Severity, Verdict
from slens_lint.rules.base import Rule
from slens_lint.rules.fix_targets import function_setting
from slens_lint.template.model import Template
from slens_lint.template.resources.lambda_ import Function
from slens_lint.template.values import Truth, Value


class FunctionOnX86Architecture(Rule):
    id = "SL503"
    severity = Severity.INFO
    severity_reason = (
        "info: arm64 is cheaper, but moving needs the code and its dependencies to run there; advice."
    )
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

    subject = "function"
    fix_safety = "unsafe"
    fix_title = "run it on arm64"
    fix_note = (
        "The fix switches the function to arm64: native dependencies (compiled wheels, layers, binaries) "
        "must be built for arm64 too, or the function fails when it starts."
    )

    def subjects(self, template: Template) -> Iterator[Function]:
        for function in template.functions():
            # A runtime that never ran on arm64 is judged by the runtime rules (E2531, W2531) first.
            if not _runtime_without_arm64(function).always:
                yield function

    def judge(self, function: Function, template: Template) -> Verdict:
        legacy = _runtime_without_arm64(function)
        # Architectures first: it is the evidence the finding points at. A branch whose runtime never
        # ran on arm64 is not this rule's to judge (met there), so a finding names the other branches.
        return self.expect(
            function,
            function.props.Architectures.each(_arm64) | legacy,
            f"Function '{function.logical_id}' runs on x86_64: arm64 (Graviton) costs about 20% "
            f"less per GB-second.",
            fix="Run it on Graviton if its dependencies allow:",
            snippet={"Architectures": ["arm64"]},
            # No automatic fix where a branch's runtime cannot run on arm64: it would break that branch.
            changes=lambda: () if not legacy.never else function_setting(
                template, function, "Architectures", ["arm64"], function.props.Architectures
            ),
        )


# Runtimes Lambda never offered on arm64 (all deprecated): moving such a function means a runtime
# upgrade first, which the runtime deprecation rules ask for.
NO_ARM64_RUNTIMES = frozenset(
    {
        "python2.7", "python3.6", "python3.7", "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10",
        "nodejs8.10", "nodejs10.x", "go1.x", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1",
        "dotnetcore3.1", "ruby2.5", "java8",
    }
)


def _runtime_without_arm64(function: Function) -> Truth:
    """True in the branches whose runtime Lambda never offered on arm64 (`!If [IsLegacy, go1.x, ...]`);
    a runtime the template does not show counts as one that has arm64, as the current ones all do."""
    return function.props.Runtime.each(lambda runtime: runtime.text() in NO_ARM64_RUNTIMES)


def _arm64(architectures: Value) -> Truth:
    """True with arm64 in the list; False when absent (x86_64 is the default) or a list without it;
    unknown when the list or an item is an intrinsic (the unknown value is the evidence)."""
    if architectures.absent:
        return Truth.of(False, architectures)
    items = architectures.literal
    if not isinstance(items, list):
        return Truth.of(None, architectures)
    if any(item.text() == "arm64" for item in items):
        return Truth.of(True, architectures)
    unknown = next((item for item in items if item.text() is None), None)
    return Truth.of(None, unknown) if unknown is not None else Truth.of(False, architectures)
