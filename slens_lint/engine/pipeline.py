"""One template through the pipeline: read, decode, model, judge, suppress, place.

Rules judge the typed model directly; cfn-lint is used only for the cfn-lint built-ins the Lens lists
(when the template has a resource they read) and for `--cfn-lint`, through `cfn_checks`. Every step is
guarded per file: a broken template or a broken rule gives that file an error line, never the run.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from functools import cached_property

from slens_lint import nested
from slens_lint.findings import FileError, FileResult, Finding, Severity, Verdict
from slens_lint.template import loader

if TYPE_CHECKING:
    from slens_lint.cdk import CdkStack
    from slens_lint.rules.base import Rule
    from slens_lint.rules.builtin import BuiltinRule
    from slens_lint.environments import EnvSpec
    from slens_lint.template.environment import Environment

RULE_ERROR_ID = "E0002"

# Top-level sections that may be written empty (`Parameters:`); cfn-lint raises on a null one.
_OPTIONAL_SECTIONS = ("Parameters", "Globals", "Conditions", "Mappings", "Outputs", "Metadata", "Rules", "Resources")


@dataclass(frozen=True)
class EngineOptions:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    """Opt-in rules to switch on (by id prefix)."""
    cfn_lint: bool = False
    """Also run cfn-lint's built-in rules."""
    max_file_size: int = loader.DEFAULT_MAX_FILE_SIZE
    regions: tuple[str, ...] = ("us-east-1",)
    debug: bool = False
    keep_verdicts: bool = False
    """Keep every verdict (met and undecidable too) on the results: the review reads them."""
    allow_outside_root: bool = False
    """Follow nested stacks and CDK files outside the folder being linted (see `local_files`)."""
    per_construct_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """CDK: (construct path pattern, rule ids) pairs; see `cdk.construct_ignored`."""
    fix_edits: bool = False
    """Compute each automatic fix's text edits (JSON and SARIF output, `--fix`, the editor)."""
    fix_settings: tuple[tuple[str, Any], ...] = ()
    """The fix values configured under `[tool.slens-lint.fix]` (name, value)."""
    severities: tuple[tuple[str, str], ...] = ()
    """(rule id, severity) overrides from `[tool.slens-lint.rules.<ID>] severity`."""


@dataclass
class LintTarget:
    path: Path
    display: str
    explicit: bool = False
    """Named on the command line (a non-template gets a note) rather than found in a folder scan."""
    environment: Optional["EnvSpec"] = None
    """The parameter values to lint with (None: parameter defaults, conditions named)."""
    root: Optional[Path] = None
    """The folder being linted: nested stacks are not followed outside it (default: see `local_files.root_for`)."""
    cdk: Optional["CdkStack"] = None
    """A stack of a CDK cloud assembly: its construct traces."""


class Engine:
    """The selected rules, and the cfn-lint checks built on first need; reused for every template."""

    # The rules (and the model they read) are imported when the first template is linted: a run whose
    # files all come from the cache never imports them (`rule_ids` reads the generated `rules.index`).

    def __init__(self, options: EngineOptions = EngineOptions()) -> None:
        self.options = options
        self._cfn: Any = None
        self._warm = False
        self.cache: Any = None
        """A `cache.Cache` of results of unchanged files (set by the command that runs the engine)."""

    @cached_property
    def rule_classes(self) -> list[type["Rule"]]:
        from slens_lint.rules import registry

        return registry.select(self.options.select, self.options.ignore, self.options.enable)

    @cached_property
    def builtins(self) -> list[type["BuiltinRule"]]:
        from slens_lint.rules import registry

        return registry.select_builtins(self.options.select, self.options.ignore)

    @cached_property
    def _rules(self) -> list[Any]:
        # Built-ins slens-lint judges itself run with the rules (with --cfn-lint too, instead of cfn-lint's
        # own); cfn-lint runs the others when a template has what they read (with --cfn-lint, always).
        return [cls() for cls in self.rule_classes] + [b() for b in self.builtins if b.native()]

    @cached_property
    def _cfn_builtins(self) -> list[type["BuiltinRule"]]:
        return [] if self.options.cfn_lint else [b for b in self.builtins if not b.native()]

    @property
    def rule_ids(self) -> list[str]:
        from slens_lint.rules import index

        options = self.options
        builtins = index.selected_builtins(options.select, options.ignore)
        ids = index.selected_ids(options.select, options.ignore, options.enable) + [b for b, native in builtins if native]
        if options.cfn_lint:
            return ids + self._cfn_checks().rule_ids
        return ids + [b for b, native in builtins if not native]

    def external_rules(self) -> dict[str, Any]:
        """cfn-lint's own rules of a `--cfn-lint` run, described for the outputs."""
        return self._cfn_checks().descriptions() if self.options.cfn_lint else {}

    def _cfn_checks(self) -> Any:
        if self._cfn is None:
            from slens_lint.engine.cfn_checks import CfnChecks
            from slens_lint.rules import registry

            native = {b.id for b in registry.builtin_rules() if b.native()}
            self._cfn = CfnChecks(self.options, self._cfn_builtins, skip=native)
        return self._cfn

    # ---- one template -----------------------------------------------------------------------

    def lint_text(self, text: str, display: str, explicit: bool = True, target: Optional[LintTarget] = None) -> FileResult:
        decoded = loader.decode_text(text)
        if isinstance(decoded, loader.LoadError):
            return self._load_failure(display, decoded)
        if not loader.looks_like_template(decoded.data):
            return FileResult(file=display, skipped="not a CloudFormation or SAM template", format=decoded.format)
        return self.lint_decoded(decoded, display, target=target)

    def lint_file(self, target: LintTarget) -> FileResult:
        text = loader.read_text(target.path, self.options.max_file_size)
        if isinstance(text, loader.LoadError):
            return self._load_failure(target.display, text)
        return self.lint_text(text, target.display, target.explicit, target=target)

    def lint_decoded(
        self,
        decoded: loader.DecodedTemplate,
        display: str,
        target: Optional[LintTarget] = None,
        env: Optional["Environment"] = None,
        scope: nested.Scope = nested.Scope(),
        path: Optional[Path] = None,
    ) -> FileResult:
        """Lint one decoded template. `target`: the file it was read from, with its environment and
        context; `env`/`scope`/`path`: a nested template's, as its parent passes them."""
        from slens_lint.engine import context, suppress
        from slens_lint.engine.place import Placer
        from slens_lint.rules import registry
        from slens_lint.template.environment import Environment
        from slens_lint.template.model import Template

        tree = decoded.data
        for section in _OPTIONAL_SECTIONS:
            if section in tree and tree[section] is None:
                del tree[section]
        result = FileResult(file=display, format=decoded.format, stack=scope.stack, root=scope.root)
        if env is None and target is not None and target.environment is not None:
            env = Environment.of(tree, target.environment.given, target.environment.name)
        try:
            template = Template(tree, decoded.format, display, env=env)
        except RecursionError:
            result.errors.append(FileError(file=display, reason="template nesting too deep to lint", kind="internal"))
            return result
        placer = Placer(
            template.positions,
            decoded.format,
            display,
            tree=tree,
            text=decoded.text,
            settings=dict(self.options.fix_settings),
            edits=self.options.fix_edits,
        )
        findings: list[tuple[Finding, tuple[str, ...]]] = []
        verdicts: list[Verdict] = []
        found_by: dict[int, Verdict] = {}
        for rule in self._rules:
            try:
                for verdict in rule.verdicts(template):
                    if verdict.not_met:
                        finding = placer.finding(verdict, type(rule))
                        findings.append((finding, verdict.owners))
                        verdict.range = finding.range
                        found_by[id(finding)] = verdict
                    elif self.options.keep_verdicts:
                        verdict.range = placer.place(verdict)[1]
                    if self.options.keep_verdicts:
                        verdicts.append(verdict)
            except RecursionError:
                result.errors.append(FileError(file=display, reason=f"[{rule.id}] template nesting too deep to lint", kind="internal"))
            except Exception as exc:  # noqa: BLE001 - one rule's bug must not end the run for other rules
                reason = f"[{rule.id}] internal error in rule {rule.id}: {type(exc).__name__}: {exc}"
                if self.options.debug:
                    reason += "\n" + traceback.format_exc()
                result.errors.append(FileError(file=display, reason=reason, kind="internal"))
        if self.options.cfn_lint or any(b.wanted(template) for b in self._cfn_builtins):
            cfn_findings, cfn_errors = self._cfn_checks().run(tree, decoded.text, display, self.options.debug)
            findings.extend(cfn_findings)
            result.errors.extend(cfn_errors)
        # Resources a false condition leaves out are not linted (cfn-lint's checks read the tree as
        # written, so their findings on them are dropped here).
        findings = [(f, owners) for f, owners in findings if f.resource not in template.excluded]
        verdict_of = [found_by.get(id(f)) for f, _ in findings]
        findings = context.annotate(findings, template, target, scope, self.options.allow_outside_root)
        found_by = {id(f): v for (f, _), v in zip(findings, verdict_of) if v is not None}
        kept, suppressed = suppress.apply(template, findings)
        result.suppressed = len(suppressed)
        result.warnings = suppress.problems(template, registry.known_id, display)
        kept, restricted = context.restrict(kept, scope, self.options.per_construct_ignores)
        suppressed += restricted
        if self.options.severities:
            kept = _with_severities(kept, dict(self.options.severities))
        kept.sort(key=Finding.sort_key)
        result.findings = kept
        if self.options.keep_verdicts:
            for finding, reason in suppressed:
                if id(finding) in found_by:
                    found_by[id(finding)].suppressed = reason
            result.verdicts = verdicts
        path = path or (target.path if target is not None else None)
        if target is not None and path is not None:
            context.lint_children(self, template, path, display, target, scope, result)
        return result

    def _load_failure(self, display: str, error: loader.LoadError) -> FileResult:
        """A file that cannot be read or parsed is one error of the run (SARIF shows a parse error as
        a result of its own; it is never a finding among the findings)."""
        file_error = FileError(file=display, reason=error.reason, kind=error.kind, line=error.line, column=error.column)
        return FileResult(file=display, errors=[file_error])

    # ---- many files (see batch) ---------------------------------------------------------------

    def lint_targets(self, targets: Any, jobs: Optional[int] = None) -> list[FileResult]:
        from slens_lint.engine.batch import lint_targets

        return lint_targets(self, targets, jobs)

    def warm_up(self) -> None:
        """Build what every template needs once (cfn-lint's checks where the run uses them)."""
        if not self._warm:
            self.lint_text(WARM_UP, "warm-up.yaml")
            self._warm = True


def _with_severities(findings: list[Finding], overrides: dict[str, str]) -> list[Finding]:
    """The configured severity of each finding whose rule has one (the rule's id stays as it is)."""
    return [
        f.model_copy(update={"severity": Severity(overrides[f.rule_id])}) if f.rule_id in overrides else f for f in findings
    ]


# One resource of each type the built-in rules read: their schemas load here, before workers fork.
WARM_UP = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Warm:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: .
  WarmCfn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/warm
      Code:
        ZipFile: pass
  WarmMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Warm
      EventSourceArn: arn:aws:sqs:us-east-1:123456789012:warm
  WarmPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Warm
      Principal: s3.amazonaws.com
"""
