"""sarif-om objects as JSON data, the way `jschema_to_python.to_json` writes them, in linear time.

to_json deep-copies each object's `__dict__` before dropping defaults, and does so again for every
nested object: a run of 16,000 results spent most of its time copying. This walks the objects once.
The output is the same document, key for key and in the same order (tests compare the two):
- a property equal to its sarif-om default (`level: "warning"`, `kind: "fail"`, empty lists made by a
  factory) is left out;
- a property whose schema name differs from its Python name (`rule_id` -> `ruleId`) is renamed, and,
  as to_json deletes and re-adds it, comes after the properties whose names are unchanged.
"""

from __future__ import annotations

from typing import Any

import attr

# Per class: each field's default (a factory's product made once: it is only compared with), and the
# fields whose schema name differs, in field order.
_FIELDS: dict[type, tuple[dict[str, Any], list[tuple[str, str]]]] = {}


def _fields(cls: type) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    known = _FIELDS.get(cls)
    if known is None:
        defaults: dict[str, Any] = {}
        renamed: list[tuple[str, str]] = []
        for field in attr.fields(cls):
            factory = isinstance(field.default, attr.Factory)  # type: ignore[arg-type]
            defaults[field.name] = field.default.factory() if factory else field.default
            schema_name = field.metadata.get("schema_property_name")
            if schema_name and schema_name != field.name:
                renamed.append((field.name, schema_name))
        known = _FIELDS[cls] = (defaults, renamed)
    return known


_NO_FIELD = object()


def to_data(value: Any) -> Any:
    """JSON-ready data for a sarif-om object (or a list, dict or scalar holding them)."""
    if isinstance(value, list):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {key: to_data(item) for key, item in value.items()}
    if attr.has(type(value)):
        defaults, renamed = _fields(type(value))
        # Every attribute, fields or not (a PropertyBag holds its properties as plain attributes).
        data = {
            name: item for name, item in value.__dict__.items() if defaults.get(name, _NO_FIELD) != item
        }
        for name, schema_name in renamed:
            if name in data:
                data[schema_name] = data.pop(name)
        return {key: to_data(item) for key, item in data.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)  # as to_json's fallback for what JSON cannot hold
