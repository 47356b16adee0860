"""The base of every resource model, and `Lenient[T]`, the field type that never raises.

A template property may be the expected type, an intrinsic function, or something nobody expected
(a hostile or broken template). `Lenient[T]` validates to `T`, to `Intrinsic`, or to `Unknown`, so
building the model of any decoded template succeeds and rules decide what they can stand behind.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, ClassVar, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, TypeAdapter, ValidationError

from slens_lint.legacy.intrinsics import Intrinsic, Unknown


@lru_cache(maxsize=None)
def _adapter(tp: Any) -> TypeAdapter:
    return TypeAdapter(tp)


def _make_validator(tp: Any):
    def validate(value: Any) -> Any:
        if value is None:
            return None
        intrinsic = Intrinsic.from_value(value)
        if intrinsic is not None:
            return intrinsic
        try:
            return _adapter(tp).validate_python(value)
        except (ValidationError, TypeError, ValueError, RecursionError):
            return Unknown(raw=value)

    return validate


class Lenient:
    """`Lenient[int]`: an int, an `Intrinsic`, an `Unknown`, or None (absent)."""

    def __class_getitem__(cls, tp: Any) -> Any:
        return Annotated[
            Optional[Union[tp, Intrinsic, Unknown]], PlainValidator(_make_validator(tp))
        ]


class Props(BaseModel):
    """Properties of a resource. Unmodelled properties stay available through `model_extra`."""

    model_config = ConfigDict(extra="allow", arbitrary_types_allowed=True, frozen=False, defer_build=True)

    def get(self, name: str, default: Any = None) -> Any:
        """A property by name, modelled or not (absent -> default)."""
        if name in type(self).model_fields:
            value = getattr(self, name)
            return default if value is None else value
        return (self.model_extra or {}).get(name, default)


class GenericProps(Props):
    pass


class Resource(BaseModel):
    """A resource of the template. Subclasses narrow `properties` and list the `TYPES` they model."""

    model_config = ConfigDict(arbitrary_types_allowed=True, defer_build=True)

    TYPES: ClassVar[tuple[str, ...]] = ()

    logical_id: str
    type: str
    properties: GenericProps = Field(default_factory=GenericProps)
    raw_properties: dict[str, Any] = {}
    """The (Globals-merged) property mapping as decoded, for rules that need the exact source shape."""
    properties_valid: bool = True
    """False when `Properties` was present but not a mapping (a broken template)."""
    condition: Optional[str] = None
    metadata: dict[str, Any] = {}
    update_policy: Any = None
    depends_on: list[str] = []

    @property
    def path(self) -> tuple[str, ...]:
        return ("Resources", self.logical_id)

    def prop_path(self, *names: Any) -> tuple[Any, ...]:
        return ("Resources", self.logical_id, "Properties", *names)

    @property
    def props(self) -> Any:
        return self.properties

    @property
    def is_sam(self) -> bool:
        return self.type.startswith("AWS::Serverless::")
