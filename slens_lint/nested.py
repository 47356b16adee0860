"""Nested stacks whose template is a local file, linted as part of their parent.

`AWS::CloudFormation::Stack` (`TemplateURL`) and `AWS::Serverless::Application` (`Location`) name a
child template; before `sam package` / `aws cloudformation package` that is a path relative to the
parent's folder, and CDK names a nested stack's synthesized template in the resource's
`aws:asset:path` metadata. Such a child is linted with the values its parent passes (`Parameters`):
a literal, a parent parameter's value, an `Fn::If` the parent's environment decides. A value known
only at deploy time (`!GetAtt Queue.Arn`) leaves the child's parameter unknown, whatever its default.

Remote locations (S3 or HTTPS URLs, Serverless Application Repository ids, intrinsics) are noted and
never fetched. A child outside the folder being linted, hidden, or not a regular file is refused (see
`local_files`); cycles and chains deeper than `MAX_DEPTH` stop with a message. The parent's resource
`Metadata` suppression applies to the whole child (`slens-lint: ignore` on the nested stack).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Union

from slens_lint import local_files
from slens_lint.template import expressions
from slens_lint.template.environment import Environment
from slens_lint.template.reading import ANY, read

MAX_DEPTH = 8
"""Nested stacks below this many levels are not followed (real applications nest two or three)."""

LOCATION = {"AWS::CloudFormation::Stack": "TemplateURL", "AWS::Serverless::Application": "Location"}
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
_REMOTE = ("s3://", "https://", "http://", "file://")


@dataclass(frozen=True)
class Scope:
    """Where a template sits in a tree of nested stacks (the root template: the default)."""

    stack: tuple[str, ...] = ()
    """Logical ids of the nested stack resources from the root template down."""
    root: Optional[str] = None
    """The root template's file, as shown."""
    files: tuple[str, ...] = ()
    """Real paths of the templates from the root down (a cycle is a child already among them)."""
    suppressions: tuple[Any, ...] = ()
    """`Metadata` of the nested stack resources above: their ignore directives apply here too."""

    @property
    def depth(self) -> int:
        return len(self.stack)


@dataclass(frozen=True)
class Child:
    logical_id: str
    path: Path
    display: str
    scope: Scope


@dataclass(frozen=True)
class Skipped:
    """A nested stack not followed: why, and whether it is only a remote location (a note) or a
    problem (an error on the parent)."""

    logical_id: str
    message: str
    remote: bool
    tried: Optional[Path] = None
    """The local file it names, when that file is missing or refused (a cached result of the parent
    depends on it: creating or changing it must be seen)."""


def children(template: Any, path: Path, display: str, scope: Scope, root: Path, allow_outside: bool) -> Iterator[Union[Child, Skipped]]:
    """The nested stacks of a template (`template.Template`, read from `path`), in file order."""
    resources = template.tree.get("Resources")
    if not isinstance(resources, dict):
        return
    for logical_id, raw in resources.items():
        if not isinstance(raw, dict) or raw.get("Type") not in LOCATION or str(logical_id) in template.excluded:
            continue
        logical_id = str(logical_id)
        found = _location(raw, template)
        where = f"nested stack '{logical_id}'"
        if not isinstance(found, str):
            yield Skipped(logical_id, f"{display}: {where}: {found[1]}, not fetched", remote=True)
            continue
        if found.lower().startswith(_REMOTE):
            yield Skipped(logical_id, f"{display}: {where} is at a remote location ({_short(found)}), not fetched", remote=True)
            continue
        resolved = local_files.resolve(found, path.parent, root, allow_outside, TEMPLATE_SUFFIXES)
        if isinstance(resolved, local_files.Refused):
            tried = Path(found) if Path(found).is_absolute() else path.parent / found
            yield Skipped(logical_id, f"{where}: {_short(found)} not followed: {resolved.reason}", remote=False, tried=tried)
            continue
        real = str(resolved.resolve())
        if real in scope.files:
            chain = " -> ".join([*scope.stack, logical_id])
            yield Skipped(logical_id, f"{where}: not followed: a cycle of nested stacks ({chain} leads back to {local_files.display(resolved)})", remote=False)
            continue
        if scope.depth >= MAX_DEPTH:
            yield Skipped(logical_id, f"{where}: not followed: nested stacks deeper than {MAX_DEPTH} levels", remote=False)
            continue
        metadata = raw.get("Metadata")
        yield Child(
            logical_id,
            resolved,
            local_files.display(resolved),
            Scope(
                stack=scope.stack + (logical_id,),
                root=scope.root or display,
                files=scope.files + (real,),
                suppressions=scope.suppressions + ((metadata,) if isinstance(metadata, dict) else ()),
            ),
        )


def _location(raw: dict[str, Any], template: Any) -> Union[str, tuple[None, str]]:
    """The location a nested stack names as text, or (None, why it is not a local path)."""
    metadata = raw.get("Metadata")
    if isinstance(metadata, dict) and metadata.get("aws:asset:property") == LOCATION.get(raw["Type"]):
        asset = metadata.get("aws:asset:path")
        if isinstance(asset, str):
            return asset  # CDK: the synthesized template beside the parent's
    properties = raw.get("Properties")
    value = properties.get(LOCATION[raw["Type"]]) if isinstance(properties, dict) else None
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "ApplicationId" in value:
        return (None, "a Serverless Application Repository application")
    if value is None:
        return (None, "no location")
    text = expressions.literal_string(value)
    if isinstance(text, str):
        return text
    return (None, "its location is resolved at deploy time")


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


def environment(parent: Any, logical_id: str, child_tree: dict[str, Any], name: Optional[str]) -> Environment:
    """The child's environment: the values its parent passes in `Parameters`, read in the parent's
    environment (see the module docstring). Active (conditions decided) when the parent's is."""
    raw = parent.tree["Resources"][logical_id]
    properties = raw.get("Properties") if isinstance(raw.get("Properties"), dict) else {}
    passed = properties.get("Parameters") if isinstance(properties.get("Parameters"), dict) else {}
    parent_env: Environment = parent.env
    child = Environment.of(child_tree, {} if parent_env.active else None, name)
    for key, expression in passed.items():
        key = str(key)
        parameter = child.parameters.get(key)
        if parameter is None:
            continue
        value = read(expression, ANY, ("Resources", logical_id, "Properties", "Parameters", key), parent_env)
        secret = bool(getattr(value, "secret", False))
        if value.known or value.resolved:
            literal = value.literal
            if isinstance(literal, (str, int, float, bool, list)):
                if parent_env.active:
                    assert child.given is not None
                    child.given[key] = literal
                    child.parameters[key] = dataclasses.replace(parameter, no_echo=parameter.no_echo or secret)
                else:
                    # No values given to the run: what the parent passes stands as the child's default,
                    # and conditions stay named, as in the parent.
                    child.parameters[key] = dataclasses.replace(parameter, default=literal, no_echo=parameter.no_echo or secret)
                continue
        # Known only at deploy time (or a branch the environment does not decide): the child's own
        # default does not apply, the parent overrides it.
        child.parameters[key] = dataclasses.replace(parameter, default=None, no_echo=parameter.no_echo or secret)
    return child
