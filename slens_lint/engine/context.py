"""Where a template's findings stand beyond its own lines: the environment it was linted in, the tree
of nested stacks it belongs to, the CDK construct a resource comes from.

The pipeline calls `annotate` on the findings of every template (a construct path is read from any
resource's `aws:cdk:path`, CDK run or not), `restrict` after `Metadata` suppression (the nested stack
resource's ignores, `per-construct-ignores`), and `lint_children` to follow local nested stacks.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Sequence

from slens_lint import cdk, local_files, nested
from slens_lint.engine import suppress
from slens_lint.findings import FileError, FileResult, Finding, Location, Range

if TYPE_CHECKING:
    from slens_lint.engine.pipeline import Engine, LintTarget
    from slens_lint.template.model import Template

CDK_PATH = "aws:cdk:path"


def construct_path(template: "Template", owners: Sequence[str]) -> Optional[str]:
    for owner in owners:
        resource = template.resources.get(owner)
        value = resource.metadata.get(CDK_PATH) if resource is not None else None
        if isinstance(value, str) and value:
            return value
    return None


def annotate(
    findings: list[tuple[Finding, tuple[str, ...]]],
    template: "Template",
    target: Optional["LintTarget"],
    scope: nested.Scope,
    allow_outside: bool,
) -> list[tuple[Finding, tuple[str, ...]]]:
    """Each finding with its nested stack chain, construct path and (CDK, traced) source location."""
    stack = target.cdk if target is not None else None
    root = _root(target)
    secrets = secret_values(template)
    located: dict[Any, Optional[Path]] = {}
    out = []
    for finding, owners in findings:
        update: dict[str, Any] = {}
        if secrets:
            update.update(_scrubbed(finding, secrets))
        if scope.stack:
            update.update(stack=scope.stack, root=scope.root)
        path = construct_path(template, owners or ((finding.resource,) if finding.resource else ()))
        if path:
            update["construct_path"] = path
            if stack is not None and root is not None:
                update.update(_at_source(finding, stack, path, root, allow_outside, located))
        out.append((finding.model_copy(update=update) if update else finding, owners))
    return out


def _at_source(finding: Finding, stack: "cdk.CdkStack", path: str, root: Path, allow_outside: bool, located: dict[Any, Optional[Path]]) -> dict[str, Any]:
    """CDK: the finding moved to the app's source line that created the construct (or assigned the
    property it is about), keeping its place in the synthesized template; {} when not traced."""
    source = stack.source_of(path, finding.path)
    if source is None:
        return {}
    if source not in located:
        located[source] = cdk.locate(source, stack.app, root, allow_outside)
    found = located[source]
    if found is None:
        return {}
    return {
        "generated": Location(file=finding.file, range=finding.range),
        "file": local_files.display(found),
        "range": Range(start_line=source.line, start_column=source.column, end_line=source.line, end_column=source.column + 1),
    }


def secret_values(template: "Template") -> list[str]:
    """The values given to the run for the template's secret parameters (`NoEcho`, or named like a
    secret): whatever a rule's message quotes, they are never shown. Longest first."""
    env = template.env
    if not env.given:
        return []
    found: set[str] = set()
    for name, parameter in env.parameters.items():
        if not parameter.secret or name not in env.given:
            continue
        resolved = env.parameter_value(name)
        value = resolved[0] if resolved is not None else None
        for item in value if isinstance(value, list) else [value]:
            if item is not None and len(str(item)) >= 3:
                found.add(str(item))
    return sorted(found, key=len, reverse=True)


SECRET_MASK = "****"


def _scrubbed(finding: Finding, secrets: list[str]) -> dict[str, Any]:
    # Case does not matter: a rule may quote a value upper-cased (`logs at DEBUG`).
    pattern = re.compile("|".join(re.escape(secret) for secret in secrets), re.IGNORECASE)
    update: dict[str, Any] = {}
    for key in ("message", "fix"):
        text = getattr(finding, key)
        if text and pattern.search(text):
            update[key] = pattern.sub(SECRET_MASK, text)
    return update


def restrict(kept: list[Finding], scope: nested.Scope, ignores: Sequence[tuple[str, tuple[str, ...]]]) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """The findings the nested stack resources above and `per-construct-ignores` leave."""
    if not scope.suppressions and not ignores:
        return kept, []
    left: list[Finding] = []
    dropped: list[tuple[Finding, str]] = []
    for finding in kept:
        reason = suppress.reason_for(None, scope.suppressions, finding.rule_id, finding.cfn_lint_id)
        if reason is None and finding.construct_path:
            pattern = cdk.construct_ignored(finding.construct_path, finding.rule_id, finding.cfn_lint_id, ignores)
            reason = f"per-construct-ignores: {pattern}" if pattern is not None else None
        if reason is None:
            left.append(finding)
        else:
            dropped.append((finding, reason))
    return left, dropped


def _root(target: Optional["LintTarget"]) -> Optional[Path]:
    if target is None:
        return None
    return target.root or local_files.root_for(target.path, Path.cwd())


def lint_children(engine: "Engine", template: "Template", path: Path, display: str, target: "LintTarget", scope: nested.Scope, result: FileResult) -> None:
    """Lint the local nested stacks of `template` (read from `path`) into `result.nested`; remote ones
    become notes, refused ones errors on `result`."""
    from slens_lint.template import loader

    root = _root(target)
    assert root is not None
    if not scope.files:
        scope = dataclasses.replace(scope, files=(str(path.resolve()),))
    for child in nested.children(template, path, display, scope, root, engine.options.allow_outside_root):
        if isinstance(child, nested.Skipped):
            if child.remote:
                result.notes.append(child.message)
            else:
                result.errors.append(FileError(file=display, reason=child.message, kind="nested", line=_line(template, child.logical_id)))
                if child.tried is not None:
                    result.depends_on.append(str(child.tried))
            continue
        text = loader.read_text(child.path, engine.options.max_file_size)
        failure = None
        decoded = None
        if isinstance(text, loader.LoadError):
            failure = text.reason
        else:
            decoded = loader.decode_text(text)
            if isinstance(decoded, loader.LoadError):
                # The parser's own words may quote the file: only where, never what.
                failure = "not valid YAML or JSON" + (f" (line {decoded.line})" if decoded.line else "")
            elif not loader.looks_like_template(decoded.data):
                failure = "not a CloudFormation or SAM template"
        if failure is not None or decoded is None or isinstance(decoded, loader.LoadError):
            reason = f"nested stack '{child.logical_id}': {child.display}: {failure}"
            result.errors.append(FileError(file=display, reason=reason, kind="nested", line=_line(template, child.logical_id)))
            result.depends_on.append(str(child.path))
            continue
        name = target.environment.name if target.environment is not None else None
        env = nested.environment(template, child.logical_id, decoded.data, name)
        result.nested.append(engine.lint_decoded(decoded, child.display, target=target, env=env, scope=child.scope, path=child.path))


def _line(template: "Template", logical_id: str) -> Optional[int]:
    try:
        return template.positions.resolve([("Resources", logical_id)])[1].start_line
    except Exception:  # noqa: BLE001 - a position is a nicety; the message stands without it
        return None
