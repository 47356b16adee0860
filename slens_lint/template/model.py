"""The template model: typed resources (written and SAM-generated), parameters, and shared lookups.

Built once per decoded template (and environment); rules read it, never the tree. Domain readers
(`apis`, `invocations`, `iam`...) build their subjects from it and keep them with `memo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterator, Mapping, Optional, Protocol, TypeVar

from slens_lint.template import expressions, sam
from slens_lint.template.environment import Environment
from slens_lint.template.positions import PositionTable
from slens_lint.template.resources import MODELS, model_for
from slens_lint.template.resources.base import Resource
from slens_lint.template.resources.lambda_ import Function, LambdaFunction, SamFunction
from slens_lint.template.values import JsonPath, Value

R = TypeVar("R", bound=Resource[Any])
T = TypeVar("T")

FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")


class Subject(Protocol):
    """What a rule judges: a resource, an event, a stage, a method, a parameter...

    `key` identifies it within the template (stable across edits elsewhere: baselines and SARIF
    fingerprints use it), `resource_id` is the logical id a finding names, `owners` the logical ids
    whose `Metadata` may suppress its findings, `anchors` where a finding points when nothing closer
    has a position.
    """

    @property
    def key(self) -> str: ...

    @property
    def resource_id(self) -> Optional[str]: ...

    @property
    def owners(self) -> tuple[str, ...]: ...

    @property
    def anchors(self) -> tuple[JsonPath, ...]: ...


class OwnedSubject:
    """A subject that belongs to one resource (`resource`): findings name it, its `Metadata` (or that
    of the function whose event creates an implicit API) suppresses them, and they point at it when
    nothing closer has a position."""

    resource: Resource[Any]

    @property
    def resource_id(self) -> Optional[str]:
        return self.resource.logical_id

    @property
    def owners(self) -> tuple[str, ...]:
        return self.resource.owners

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return self.resource.anchors


@dataclass(frozen=True, eq=False)
class ParameterSubject:
    """A template parameter as a subject (secret parameters without `NoEcho`...)."""

    name: str
    spec: Mapping[str, Any]

    @property
    def path(self) -> JsonPath:
        return ("Parameters", self.name)

    def value(self, key: str, template: "Template") -> Value:
        from slens_lint.template.reading import ANY, read

        return read(self.spec.get(key), ANY, self.path + (key,), template.env)

    @property
    def key(self) -> str:
        return f"Parameters/{self.name}"

    @property
    def resource_id(self) -> Optional[str]:
        return self.name

    @property
    def owners(self) -> tuple[str, ...]:
        # A parameter has no Metadata of its own that CloudFormation keeps: the template's suppresses.
        return ()

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return (self.path,)


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


class Template:
    """The model of one decoded template in one environment."""

    def __init__(
        self,
        tree: dict[str, Any],
        fmt: str = "yaml",
        filename: Optional[str] = None,
        env: Optional[Environment] = None,
        globals_merged: bool = False,
    ) -> None:
        """`globals_merged`: the tree's SAM resources already carry their Globals (cfn-lint merged them
        before handing the tree to a rule), so they are not merged again."""
        self.tree = tree
        self.format = fmt
        self.filename = filename
        self.env = env if env is not None else Environment.of(tree)
        self.metadata: dict[str, Any] = _mapping(tree.get("Metadata"))
        transform = tree.get("Transform")
        self.transforms = [t for t in (transform if isinstance(transform, list) else [transform]) if isinstance(t, str)]
        self.globals = sam.read_globals(tree.get("Globals"), MODELS, self.env)
        self._merge_globals = not globals_merged
        self.resources: dict[str, Resource[Any]] = {}
        self.excluded: dict[str, str] = {}
        """Resources left out because their `Condition` is false here, with the condition."""
        for logical_id, raw in _mapping(tree.get("Resources")).items():
            resource = self._build(str(logical_id), raw)
            if resource.condition and self.env.condition(resource.condition) is False:
                self.excluded[resource.logical_id] = resource.condition
                continue
            self.resources[resource.logical_id] = resource
        self.implicit: dict[str, Resource[Any]] = {
            r.logical_id: r for r in sam.implicit_apis(self.resources, self.all_events(), self.globals, self.env)
        }
        self.positions = PositionTable(tree)

    def _build(self, logical_id: str, raw: Any) -> Resource[Any]:
        if not isinstance(raw, dict):
            return Resource.build(logical_id, "", {}, properties_valid=False)
        kind = raw.get("Type")
        kind = kind if isinstance(kind, str) else ""
        props = raw.get("Properties")
        depends = raw.get("DependsOn")
        depends_on = (depends,) if isinstance(depends, str) else tuple(d for d in depends if isinstance(d, str)) if isinstance(depends, list) else ()
        condition = raw.get("Condition")
        return model_for(kind).build(
            logical_id,
            kind,
            props if isinstance(props, dict) else {},
            inherited=sam.inherited(self.globals, kind, raw.get("IgnoreGlobals")) if self._merge_globals else None,
            env=self.env,
            condition=condition if isinstance(condition, str) else None,
            metadata=_mapping(raw.get("Metadata")),
            depends_on=depends_on,
            properties_valid=props is None or isinstance(props, dict),
            attributes=raw,
        )

    # ---- resources --------------------------------------------------------------------------

    def resource(self, logical_id: Optional[str]) -> Optional[Resource[Any]]:
        if logical_id is None:
            return None
        return self.resources.get(logical_id) or self.implicit.get(logical_id)

    def of_type(self, *types: str, implicit: bool = False) -> Iterator[Resource[Any]]:
        """Resources of some types, in template order (then the implicit ones, in theirs)."""
        yield from _in_order(self._index(self.resources), types)
        if implicit:
            yield from _in_order(self._index(self.implicit), types)

    def _index(self, resources: dict[str, Resource[Any]]) -> dict[str, list[tuple[int, Resource[Any]]]]:
        # Rules ask for resources by type once per subject: a scan each time made a 2,000-resource
        # template quadratic. Keyed by the dict and its size: both dicts are complete once built.
        cache = self.__dict__.setdefault("_type_index", {})
        key = (id(resources), len(resources))
        index = cache.get(key)
        if index is None:
            index = {}
            for position, resource in enumerate(resources.values()):
                index.setdefault(resource.type, []).append((position, resource))
            cache[key] = index
        return index

    def of(self, *models: type[R], implicit: bool = False) -> Iterator[R]:
        """Resources of some models (`template.of(SamFunction, LambdaFunction)`), typed."""
        types = tuple(t for model in models for t in model.TYPES)
        for resource in self.of_type(*types, implicit=implicit):
            yield resource  # type: ignore[misc]

    def functions(self) -> Iterator[Function]:
        """Every Lambda function, SAM or CloudFormation."""
        return self.of(SamFunction, LambdaFunction)

    def target(self, value: Value) -> Optional[Resource[Any]]:
        """The resource a `Ref`/`GetAtt` value names, when it is in the template."""
        return self.resource(value.ref)

    def targets(self, value: Value) -> list[Resource[Any]]:
        """The resources a value names in any `Fn::If` branch."""
        found = []
        for leaf in value.branches():
            resource = self.resource(leaf.ref)
            if resource is not None and resource not in found:
                found.append(resource)
        return found

    # ---- SAM events ---------------------------------------------------------------------------

    @cached_property
    def _events(self) -> dict[str, list[sam.Event]]:
        return {r.logical_id: sam.events_of(r) for r in self.of_type(*sam.EVENT_OWNERS)}

    def events(self, resource: Resource[Any]) -> list[sam.Event]:
        return self._events.get(resource.logical_id, [])

    def all_events(self) -> Iterator[sam.Event]:
        for events in self._events.values():
            yield from events

    # ---- parameters ---------------------------------------------------------------------------

    @cached_property
    def parameters(self) -> list[ParameterSubject]:
        return [
            ParameterSubject(str(name), spec)
            for name, spec in _mapping(self.tree.get("Parameters")).items()
            if isinstance(spec, dict)
        ]

    # ---- references ---------------------------------------------------------------------------

    def referrers(self, logical_id: str, *types: str) -> Iterator[Resource[Any]]:
        """Resources (optionally of some types) whose properties refer to `logical_id` anywhere."""
        for resource in self._referrers.get(logical_id, ()):
            if not types or resource.type in types:
                yield resource

    @cached_property
    def _referrers(self) -> dict[str, list[Resource[Any]]]:
        """Who refers to each logical id, in template order: built in one walk, asked per subject."""
        found: dict[str, list[Resource[Any]]] = {}
        for resource in self.resources.values():
            for name in self._refs_of(resource):
                found.setdefault(name, []).append(resource)
        return found

    def _refs_of(self, resource: Resource[Any]) -> set[str]:
        cache = self.__dict__.setdefault("_refs_cache", {})
        if resource.logical_id not in cache:
            # The one walk over a resource as written: any property, modelled or not, may refer.
            cache[resource.logical_id] = expressions.references(resource._raw)
        return cache[resource.logical_id]

    @cached_property
    def custom_resource_backends(self) -> set[str]:
        """Functions that back custom resources (named by a `ServiceToken`)."""
        found: set[str] = set()
        for resource in self.resources.values():
            if resource.type.startswith("Custom::") or resource.type == "AWS::CloudFormation::CustomResource":
                found |= expressions.references(resource._raw.get("ServiceToken"))
        return found

    def memo(self, key: str, build: Callable[["Template"], T]) -> T:
        """`build(self)`, computed once per model: readers several rules ask (API stages, invocation
        facts, role policies) share one answer. `key` names the question (`"apis.stages"`)."""
        cache = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = build(self)
        return cache[key]


def _in_order(index: dict[str, list[tuple[int, Resource[Any]]]], types: tuple[str, ...]) -> Iterator[Resource[Any]]:
    """The resources of `types` from a type index, in their template order."""
    lists = [index[t] for t in dict.fromkeys(types) if t in index]
    if len(lists) == 1:
        return (resource for _, resource in lists[0])
    return (resource for _, resource in sorted((item for found in lists for item in found), key=lambda item: item[0]))
