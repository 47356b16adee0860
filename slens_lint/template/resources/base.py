"""The base of every resource model: `V[T]` fields, `Props` (a typed property mapping) and `Resource`.

A resource model declares the properties rules read, each as `V[T]`: a `Value` (see `values`) that
holds a `T` when the template writes one. `Props.read` turns a decoded mapping into the model and
never raises; properties nobody declared stay readable through `value_of`, typed as free-form.

    class LoggingConfig(Props):
        LogGroup: V[str] = ABSENT
        LogFormat: V[str] = ABSENT

    class FunctionProps(Props):
        Timeout: V[int] = ABSENT
        LoggingConfig: V[LoggingConfig] = ABSENT
        Layers: V[list[V[str]]] = ABSENT
        Environment: V[EnvironmentSpec] = ABSENT

`function.props.LoggingConfig.LogGroup` is then a `Value` in every case: absent, conditional, unknown.
"""

from __future__ import annotations

import typing
from functools import cached_property
from typing import Annotated, Any, Callable, ClassVar, Generic, Iterator, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr
from pydantic_core import PydanticUndefined

from slens_lint.template.environment import NO_ENVIRONMENT, Environment
from slens_lint.template.reading import ANY, Expect, merge, merge_raw, read
from slens_lint.template.values import ABSENT, Absent, JsonPath, Value


_M = TypeVar("_M", bound=BaseModel)


class V:
    """`V[int]`: a property that holds an int when written as expected (field type: `Value`)."""

    def __class_getitem__(cls, tp: Any) -> Any:
        return Annotated[Value, _Declared(tp)]


class _Declared:
    __slots__ = ("tp",)

    def __init__(self, tp: Any) -> None:
        self.tp = tp


def expect_of(tp: Any) -> Expect:
    """The reading plan for a declared type."""
    if tp in (str,):
        return Expect("str")
    if tp is int:
        return Expect("int")
    if tp is float:
        return Expect("float")
    if tp is bool:
        return Expect("bool")
    if tp is Any or tp is object:
        return ANY
    origin = typing.get_origin(tp)
    if origin is Annotated:
        declared = next((m for m in tp.__metadata__ if isinstance(m, _Declared)), None)
        return expect_of(declared.tp) if declared else ANY
    if origin is list:
        (item,) = typing.get_args(tp)
        return Expect("list", item=expect_of(item))
    if origin is dict:
        _, item = typing.get_args(tp)
        return Expect("map", item=expect_of(item))
    if isinstance(tp, type) and issubclass(tp, Props):
        return Expect("model", model=tp)
    return ANY


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _construct(cls: type[_M], values: dict[str, Any], private: dict[str, Any], defaults: bool = True) -> _M:
    """`cls.model_construct(**values)` with its private attributes set, without pydantic's per-field
    default resolution: that deep-copies each default and ran ~46,000 times on the corpus, about
    half of what building the model cost. The values are the model's own readings, never user
    input to validate (as with `model_construct`). `defaults=False` leaves the other fields unset (a
    `Props` reads them on first use)."""
    fields: dict[str, Any] = {}
    if defaults:
        known = _DEFAULTS.get(cls)
        if known is None:
            known = _DEFAULTS[cls] = {
                name: field.default for name, field in cls.model_fields.items() if field.default is not PydanticUndefined
            }
        fields = {name: (dict(value) if type(value) is dict else value) for name, value in known.items()}
    model = cls.__new__(cls)
    fields.update(values)
    object.__setattr__(model, "__dict__", fields)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", private)
    return model


class Props(BaseModel):
    """A typed property mapping. Build with `read`; every declared field is a `Value`."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True, defer_build=True)

    _plan: ClassVar[Optional[dict[str, Expect]]] = None
    _sources: dict[str, tuple[Any, JsonPath]] = PrivateAttr(default_factory=dict)
    _path: JsonPath = PrivateAttr(default=())
    _env: Environment = PrivateAttr(default=NO_ENVIRONMENT)
    _compute: Optional[Callable[[str], Value]] = PrivateAttr(default=None)
    """How a declared property not yet read is read (`__getattr__`)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._plan = None

    @classmethod
    def plan(cls) -> dict[str, Expect]:
        if cls._plan is None:
            hints = typing.get_type_hints(cls, include_extras=True)
            cls._plan = {name: expect_of(hints[name]) for name in cls.model_fields}
        return cls._plan  # type: ignore[return-value]

    @classmethod
    def read(cls, raw: dict[Any, Any], path: JsonPath, env: Environment = NO_ENVIRONMENT) -> "Props":
        plan = cls.plan()

        def compute(name: str) -> Value:
            return read(raw.get(name), plan[name], path + (name,), env)

        sources = {str(key): (value, path + (str(key),)) for key, value in raw.items()}
        return cls.construct_read({}, sources, path, env, compute)

    @classmethod
    def construct_read(
        cls: type[_M],
        values: dict[str, Value],
        sources: dict[str, tuple[Any, JsonPath]],
        path: JsonPath,
        env: Environment,
        compute: Optional[Callable[[str], Value]] = None,
    ) -> _M:
        """A model from the values already read, the mapping as written (`sources`), and how to read
        the other declared properties (`compute`; without it they are absent)."""
        private = {"_sources": sources, "_path": path, "_env": env, "_compute": compute}
        return _construct(cls, values, private, defaults=False)

    def __getattr__(self, name: str) -> Any:
        # A declared property is read when first asked for, then kept: rules read a few properties
        # of each resource, and reading them all up front was most of what the model cost.
        plan = type(self).plan()
        if name in plan:
            compute = self.__pydantic_private__["_compute"]  # type: ignore[index]
            value = compute(name) if compute is not None else Absent(self.__pydantic_private__["_path"] + (name,))  # type: ignore[index]
            self.__dict__[name] = value
            return value
        return super().__getattr__(name)  # type: ignore[misc]

    @classmethod
    def empty(cls, path: JsonPath) -> "Props":
        return cls.read({}, path)

    # ---- reading ---------------------------------------------------------------------------

    @property
    def path(self) -> JsonPath:
        return self._path

    def value_of(self, name: str) -> Value:
        """A property by name, declared or not (an undeclared one reads as free-form)."""
        if name in type(self).model_fields:
            return getattr(self, name)
        source = self._sources.get(name)
        if source is None:
            return Absent(self._path + (name,))
        return read(source[0], ANY, source[1], self._env)

    def has(self, name: str) -> bool:
        """Whether the key is written (even as an `Fn::If` or `AWS::NoValue`)."""
        return name in self._sources

    def values(self) -> Iterator[tuple[str, Value]]:
        """Every written key with its value."""
        for name in self._sources:
            yield name, self.value_of(name)

    # ---- SAM Globals -----------------------------------------------------------------------

    def merged_over(self, inherited: "Props") -> "Props":
        """This mapping with `inherited` (its Globals) under it, as SAM merges them (see `reading.merge`)."""
        written = self._sources

        def compute(name: str) -> Value:
            local = getattr(self, name)
            # Written as `!Ref AWS::NoValue` (or null) on the resource: SAM takes the resource's value,
            # which removes the inherited one.
            return local if local.absent and name in written else merge(getattr(inherited, name), local)

        sources = dict(inherited._sources)
        for name, (raw, where) in self._sources.items():
            if name in sources and name not in type(self).model_fields:
                raw = merge_raw(sources[name][0], raw)
            sources[name] = (raw, where)
        return type(self).construct_read({}, sources, self._path, self._env, compute)

    def without(self, names: set[str]) -> "Props":
        """A copy without some keys (a resource's `IgnoreGlobals`)."""

        def compute(name: str) -> Value:
            return Absent(self._path + (name,)) if name in names else getattr(self, name)

        sources = {k: v for k, v in self._sources.items() if k not in names}
        return type(self).construct_read({}, sources, self._path, self._env, compute)


class GenericProps(Props):
    """The properties of a resource type no model declares: readable through `value_of` only."""


P = TypeVar("P", bound=Props)


class Resource(BaseModel, Generic[P]):
    """A resource of the template (or one SAM generates). Subclasses list the `TYPES` they model and
    parametrise the properties model: `class SamFunction(Resource[SamFunctionProps])`."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True, defer_build=True)

    TYPES: ClassVar[tuple[str, ...]] = ()
    PROPS: ClassVar[type[Props]] = GenericProps

    logical_id: str
    type: str
    condition: Optional[str] = None
    metadata: dict[str, Any] = {}
    """`Metadata` as written (suppression comments, `aws:cdk:path`...)."""
    depends_on: tuple[str, ...] = ()
    implicit: bool = False
    """True for what SAM generates (the `ServerlessRestApi` that function events create)."""
    origin: JsonPath = ()
    """For a generated resource: where the template asks for it (the creating event)."""
    creators: tuple[str, ...] = ()
    """For a generated resource: the logical ids whose `Metadata` may suppress its findings."""
    properties_valid: bool = True
    """False when `Properties` was written but is not a mapping (a broken template)."""

    _raw: dict[Any, Any] = PrivateAttr(default_factory=dict)
    _attributes: dict[Any, Any] = PrivateAttr(default_factory=dict)
    _props_path: JsonPath = PrivateAttr(default=())
    _inherited: Optional[Props] = PrivateAttr(default=None)
    _env: Environment = PrivateAttr(default=NO_ENVIRONMENT)

    def __class_getitem__(cls, props: Any) -> Any:  # type: ignore[override]
        # `Resource[SamFunctionProps]` is a plain typing alias (typed `.props` for type checkers), not
        # a pydantic submodel: P is in no field, and building ~50 submodel classes cost a tenth of the
        # start-up of a one-file run.
        return Generic.__class_getitem__.__func__(cls, props)  # type: ignore[attr-defined]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for base in cls.__dict__.get("__orig_bases__", ()):
            args = getattr(base, "__args__", None)
            if args and isinstance(args[0], type) and issubclass(args[0], Props):
                cls.PROPS = args[0]
                break

    @classmethod
    def build(
        cls,
        logical_id: str,
        resource_type: str,
        raw_props: dict[Any, Any],
        *,
        props_path: Optional[JsonPath] = None,
        inherited: Optional[Props] = None,
        env: Environment = NO_ENVIRONMENT,
        attributes: Optional[dict[Any, Any]] = None,
        **fields: Any,
    ) -> "Resource[Any]":
        private = {
            "_raw": raw_props,
            "_attributes": attributes or {},
            "_props_path": props_path if props_path is not None else ("Resources", logical_id, "Properties"),
            "_inherited": inherited,
            "_env": env,
        }
        return _construct(cls, {"logical_id": logical_id, "type": resource_type, **fields}, private)

    @cached_property
    def props(self) -> P:
        """The typed properties (SAM Globals merged in, each value keeping where it was written)."""
        local = self.PROPS.read(self._raw, self._props_path, self._env)
        if self._inherited is not None and isinstance(self._inherited, self.PROPS):
            local = local.merged_over(self._inherited)
        return local  # type: ignore[return-value]

    def attribute(self, name: str, model: Optional[type[Props]] = None) -> Value:
        """A resource attribute beside `Properties` (`UpdatePolicy`, `DeletionPolicy`...), typed by
        `model` when given, else free-form."""
        expect = Expect("model", model=model) if model is not None else ANY
        return read(self._attributes.get(name), expect, self.path + (name,), self._env)

    # ---- where it is -----------------------------------------------------------------------

    @property
    def path(self) -> JsonPath:
        return ("Resources", self.logical_id)

    @property
    def props_path(self) -> JsonPath:
        return self._props_path

    @property
    def is_sam(self) -> bool:
        return self.type.startswith("AWS::Serverless::")

    # ---- as a subject of rules (see model.Subject) -----------------------------------------

    @property
    def key(self) -> str:
        return "/".join(self.path)

    @property
    def resource_id(self) -> Optional[str]:
        return self.logical_id

    @property
    def owners(self) -> tuple[str, ...]:
        return (self.logical_id, *self.creators)

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        if self.implicit:
            return (self.origin,) if self.origin else ()
        return (self._props_path, self.path)

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


__all__ = ["ABSENT", "GenericProps", "Props", "Resource", "V", "expect_of"]
