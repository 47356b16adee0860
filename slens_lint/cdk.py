"""CDK cloud assemblies (`cdk.out`): the stacks to lint, their construct paths and source traces.

`manifest.json` lists the assembly's artifacts: each `aws:cloudformation:stack` is linted from its
`templateFile` (its nested stacks follow, see `nested`), each `cdk:cloud-assembly` (a `Stage`) is
read in turn; asset manifests, the tree and reports are skipped, and so is the bootstrap stack
(`CDKToolkit`). A stack's metadata (inline, or in its `additionalMetadataFile`) maps construct paths
to logical ids and carries creation traces (`aws:cdk:creationStack`, recorded by default since CDK
2.1xx and by `cdk synth --debug` before) and, with `--debug`, where each property was assigned
(`aws:cdk:propertyAssignment`). A finding then names the construct path (`aws:cdk:path`) and points at
the line of the app's source that created the construct, when that file is in the app's folder.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from slens_lint import local_files

MANIFEST = "manifest.json"
MAX_MANIFEST = 50 * 1024 * 1024
MAX_ASSEMBLY_DEPTH = 5
BOOTSTRAP_STACK = "CDKToolkit"

_FRAME = re.compile(r"(?:^|\()(?:file://)?(?P<file>[^()]+?):(?P<line>\d+):(?P<column>\d+)\)?\s*$")
_PYTHON_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')
"""A Python app's frame (jsii host traces): `File "/app/stacks/orders.py", line 12, in __init__`."""
_LIBRARY = ("/node_modules/", "/site-packages/", "/dist-packages/", "/jsii/")


@dataclass(frozen=True)
class Source:
    """A place in the app's source, as a trace records it (`/home/me/app/lib/stack.ts`, 22, 21)."""

    file: str
    line: int
    column: int


@dataclass
class CdkStack:
    """One stack of an assembly, with what maps its resources back to the app."""

    name: str
    """The stack's display name (`OrdersStack`, `Prod/Orders`)."""
    app: Path
    """The app's folder (the assembly's parent): where trace paths are looked for."""
    created: dict[str, Source] = field(default_factory=dict)
    """Construct path (no leading slash) -> where the construct was created."""
    assigned: dict[str, dict[str, Source]] = field(default_factory=dict)
    """Construct path -> property name -> where it was last assigned (`--debug`)."""

    def source_of(self, construct_path: str, path: Iterable[Any]) -> Optional[Source]:
        """Where the construct was created, or where the property the finding points at was set."""
        steps = list(path)
        if len(steps) > 3 and steps[2] == "Properties":
            assigned = self.assigned.get(construct_path, {}).get(str(steps[3]))
            if assigned is not None:
                return assigned
        return self.created.get(construct_path)


@dataclass
class Assembly:
    stacks: list[tuple[Path, CdkStack]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(file, reason) for what could not be read."""


def is_assembly(folder: Path) -> bool:
    """A folder holding a cloud assembly manifest (`cdk.out`, or any `--output` folder)."""
    manifest = folder / MANIFEST
    try:
        if not manifest.is_file() or manifest.stat().st_size > MAX_MANIFEST:
            return False
        head = manifest.read_bytes()[:4096]
    except OSError:
        return False
    return b'"artifacts"' in head or (folder / "cdk.out").is_file()


def read_assembly(folder: Path, allow_outside: bool = False) -> Assembly:
    """The stacks of the assembly in `folder`. Every file the manifests name must lie inside that
    folder (templates, metadata, nested assemblies), unless `allow_outside`."""
    assembly = Assembly()
    _read(folder, Path(os.path.abspath(folder.parent)), folder, allow_outside, assembly, 0)
    return assembly


def _read(folder: Path, app: Path, root: Path, allow_outside: bool, out: Assembly, depth: int) -> None:
    shown = local_files.display(folder / MANIFEST)
    manifest = _json(folder / MANIFEST)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("artifacts"), dict):
        out.errors.append((shown, "not a cloud assembly manifest (no artifacts)"))
        return
    skipped: list[str] = []
    # The assembly's own stacks first, then its nested assemblies (stages), each in manifest order.
    artifacts = sorted(manifest["artifacts"].items(), key=lambda item: isinstance(item[1], dict) and item[1].get("type") == "cdk:cloud-assembly")
    for artifact_id, artifact in artifacts:
        if not isinstance(artifact, dict):
            continue
        kind = artifact.get("type")
        properties = artifact.get("properties") if isinstance(artifact.get("properties"), dict) else {}
        if kind == "cdk:cloud-assembly":
            directory = properties.get("directoryName")
            if depth >= MAX_ASSEMBLY_DEPTH or not isinstance(directory, str):
                out.notes.append(f"{shown}: nested assembly '{artifact_id}' not read (too deep, or no directoryName)")
                continue
            inner = local_files.resolve(directory, folder, root, allow_outside)
            if isinstance(inner, local_files.Refused) and inner.reason.startswith("a folder"):
                _read(Path(os.path.normpath(folder / directory)), app, root, allow_outside, out, depth + 1)
            else:
                reason = inner.reason if isinstance(inner, local_files.Refused) else "not a folder"
                out.errors.append((shown, f"nested assembly '{artifact_id}' not read: {reason}"))
            continue
        if kind != "aws:cloudformation:stack":
            skipped.append(str(kind))
            continue
        name = str(artifact.get("displayName") or artifact_id)
        if BOOTSTRAP_STACK in (artifact_id, properties.get("stackName")):
            out.notes.append(f"{shown}: bootstrap stack '{name}' skipped")
            continue
        template = properties.get("templateFile")
        if not isinstance(template, str):
            out.errors.append((shown, f"stack '{name}' has no templateFile"))
            continue
        path = local_files.resolve(template, folder, root, allow_outside, (".json", ".yaml", ".yml", ".template"))
        if isinstance(path, local_files.Refused):
            out.errors.append((shown, f"stack '{name}': template not read: {path.reason}"))
            continue
        stack = CdkStack(name=name, app=app)
        _read_metadata(stack, _metadata(artifact, folder, root, allow_outside))
        out.stacks.append((path, stack))
    if skipped:
        counts = {kind: skipped.count(kind) for kind in dict.fromkeys(skipped)}
        out.notes.append(f"{shown}: skipped " + ", ".join(f"{n} {k}" for k, n in counts.items()))


def _json(path: Path) -> Any:
    from slens_lint.template.loader import read_text

    text = read_text(path, MAX_MANIFEST)
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None


def _metadata(artifact: dict[str, Any], folder: Path, root: Path, allow_outside: bool) -> dict[str, Any]:
    inline = artifact.get("metadata")
    if isinstance(inline, dict):
        return inline
    extra = artifact.get("additionalMetadataFile")
    if isinstance(extra, str):
        path = local_files.resolve(extra, folder, root, allow_outside, (".json",))
        if not isinstance(path, local_files.Refused):
            data = _json(path)
            if isinstance(data, dict):
                return data
    return {}


def _read_metadata(stack: CdkStack, metadata: dict[str, Any]) -> None:
    for construct, entries in metadata.items():
        if not isinstance(entries, list):
            continue
        key = str(construct).lstrip("/")
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            kind, data = entry.get("type"), entry.get("data")
            if kind == "aws:cdk:creationStack" or (kind == "aws:cdk:logicalId" and "trace" in entry):
                source = first_user_frame(data if kind == "aws:cdk:creationStack" else entry.get("trace"))
                if source is not None:
                    stack.created.setdefault(key, source)
            elif kind == "aws:cdk:propertyAssignment" and isinstance(data, dict) and isinstance(data.get("propertyName"), str):
                source = first_user_frame(data.get("stackTrace"))
                if source is not None:
                    stack.assigned.setdefault(key, {})[data["propertyName"]] = source


def first_user_frame(trace: Any) -> Optional[Source]:
    """The innermost frame of the app's own code: library, runtime and collapsed frames are passed over
    (`...new Function2 in aws-cdk-lib...`, `node:internal/...`, `.../node_modules/...`)."""
    if not isinstance(trace, list):
        return None
    for frame in trace:
        if not isinstance(frame, str) or frame.startswith("..."):
            continue
        match = _FRAME.search(frame.strip()) or _PYTHON_FRAME.search(frame)
        if match is None:
            continue
        file = match["file"].strip()
        if file.startswith("at "):
            file = file[3:]
        normalized = file.replace("\\", "/")
        if any(part in normalized for part in _LIBRARY) or normalized.startswith(("node:", "internal/", "<")):
            continue
        column = int(match["column"]) if "column" in match.groupdict() else 1
        return Source(file, int(match["line"]), column)
    return None


def locate(source: Source, app: Path, root: Path, allow_outside: bool) -> Optional[Path]:
    """The file a trace names, in this checkout: as recorded when it is there, else the longest tail
    of its path found under the app's folder (traces record the synthesizing machine's paths, POSIX or
    Windows)."""
    recorded = source.file.replace("\\", "/")
    drive = re.match(r"^[A-Za-z]:/", recorded)
    candidates: list[str] = []
    if recorded.startswith("/") or drive:
        if not drive:
            try:
                candidates.append(os.path.relpath(recorded, os.path.abspath(app)))
            except ValueError:  # another drive on Windows
                pass
        parts = [p for p in recorded[3 if drive else 1 :].split("/") if p]
        candidates += ["/".join(parts[i:]) for i in range(len(parts))]
    else:
        candidates.append(recorded)
    for candidate in dict.fromkeys(candidates):
        found = local_files.resolve(candidate, app, root, allow_outside)
        if not isinstance(found, local_files.Refused):
            return found
    return None


def construct_ignored(construct_path: str, rule_id: str, cfn_lint_id: str, ignores: Iterable[tuple[str, tuple[str, ...]]]) -> Optional[str]:
    """The `per-construct-ignores` pattern that silences a rule for a construct, if any. A pattern
    matches the construct path (glob: `*/Handler/*`) or any of its parents (`OrdersStack/Api` covers
    everything under it); ids match by prefix, canonical or cfn-lint form."""
    for pattern, ids in ignores:
        if not any(rule_id.startswith(i) or cfn_lint_id.startswith(i) for i in ids):
            continue
        parts = construct_path.split("/")
        for end in range(len(parts), 0, -1):
            if fnmatch.fnmatchcase("/".join(parts[:end]), pattern.strip("/")):
                return pattern
    return None
