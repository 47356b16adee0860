"""The template model: typed resources (explicit and SAM-implicit) plus the lookups rules share."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Callable, Iterator, Optional, TypeVar

from slens_lint.legacy import sam
from slens_lint.legacy.intrinsics import ref_target, references
from slens_lint.legacy.positions import PositionTable
from slens_lint.legacy.resources import build_resource
from slens_lint.legacy.resources.base import Resource

R = TypeVar("R", bound=Resource)
T = TypeVar("T")

FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class Template:
    """Built once per decoded template; rules read it, never the raw tree again."""

    def __init__(
        self,
        tree: dict[str, Any],
        fmt: str = "yaml",
        filename: Optional[str] = None,
        local_spans: Optional[dict[tuple[Any, ...], tuple[int, int, int, int]]] = None,
    ) -> None:
        self.tree = tree
        self.format = fmt
        self.filename = filename
        self.parameters = _mapping(tree.get("Parameters"))
        self.conditions = _mapping(tree.get("Conditions"))
        self.globals = _mapping(tree.get("Globals"))
        self.metadata = _mapping(tree.get("Metadata"))
        transform = tree.get("Transform")
        self.transforms = [t for t in (transform if isinstance(transform, list) else [transform]) if isinstance(t, str)]
        self.resources: dict[str, Resource] = {
            str(logical_id): build_resource(str(logical_id), raw)
            for logical_id, raw in _mapping(tree.get("Resources")).items()
        }
        self.implicit: dict[str, Resource] = {
            r.logical_id: r for r in sam.implicit_apis(self.resources, self.globals)
        }
        self.positions = PositionTable(tree, overlay=local_spans)

    @property
    def is_sam(self) -> bool:
        return any(t.startswith("AWS::Serverless") for t in self.transforms)

    def resource(self, logical_id: Optional[str]) -> Optional[Resource]:
        if logical_id is None:
            return None
        return self.resources.get(logical_id) or self.implicit.get(logical_id)

    def of_type(self, *types: str, implicit: bool = False) -> Iterator[Resource]:
        for resource in self.resources.values():
            if resource.type in types:
                yield resource
        if implicit:
            for resource in self.implicit.values():
                if resource.type in types:
                    yield resource

    def functions(self) -> Iterator[Resource]:
        return self.of_type(*FUNCTION_TYPES)

    def target(self, value: Any) -> Optional[Resource]:
        """The resource a `Ref`/`GetAtt` value points at, when it is in the template."""
        return self.resource(ref_target(value))

    def events(self, resource: Resource) -> list[sam.Event]:
        return self._events.get(resource.logical_id, [])

    @cached_property
    def _events(self) -> dict[str, list[sam.Event]]:
        return {
            r.logical_id: sam.events_of(r)
            for r in self.of_type("AWS::Serverless::Function", "AWS::Serverless::StateMachine")
        }

    def all_events(self) -> Iterator[sam.Event]:
        for events in self._events.values():
            yield from events

    @cached_property
    def service_token_targets(self) -> set[str]:
        """Functions that back custom resources (named by a `ServiceToken`)."""
        found: set[str] = set()
        for resource in self.resources.values():
            if resource.type.startswith("Custom::") or resource.type == "AWS::CloudFormation::CustomResource":
                found |= references(resource.raw_properties.get("ServiceToken"))
        return found

    def referrers(self, logical_id: str, *types: str) -> Iterator[Resource]:
        """Resources (optionally of some types) whose properties refer to `logical_id`."""
        for resource in self.resources.values():
            if types and resource.type not in types:
                continue
            if logical_id in self._refs_of(resource.logical_id):
                yield resource

    def _refs_of(self, logical_id: str) -> set[str]:
        cache = self.__dict__.setdefault("_refs_cache", {})
        if logical_id not in cache:
            resource = self.resources[logical_id]
            cache[logical_id] = references(resource.raw_properties)
        return cache[logical_id]

    def memo(self, key: str, build: Callable[["Template"], T]) -> T:
        """`build(self)`, computed once per template model: readers that several rules ask (API stages,
        invocation facts, role policies...) share one answer. `key` names the question ("apis.stages")."""
        cache = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = build(self)
        return cache[key]

    def anchor(self, resource: Resource, *names: Any) -> tuple[tuple[Any, ...], Any]:
        """(path, range) to report a finding about `names` on `resource` (see sam.anchor_paths)."""
        return self.positions.resolve(sam.anchor_paths(resource, *names))
