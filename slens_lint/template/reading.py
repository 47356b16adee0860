"""From decoded template data to the value type: one function reads a property, one merges SAM Globals.

`read` is total: whatever the template holds (an intrinsic, a hostile shape, a null), the answer is a
`Value`, and the model never raises. What a property is expected to hold comes from its declaration
in a resource model (`V[int]`, `V[list[V[str]]]`, `V[LoggingConfig]`, see `resources.base`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from slens_lint.template import expressions
from slens_lint.template.environment import Environment
from slens_lint.template.values import Absent, Conditional, JsonPath, Known, Resolved, Unknown, Value

if TYPE_CHECKING:
    from slens_lint.template.resources.base import Props


@dataclass(frozen=True)
class Expect:
    """What a property holds when written as expected."""

    kind: str
    """`str`, `int`, `float`, `bool`, `any` (a free-form document: kept as written, its parts read
    when asked for, see `values.Known`), `list`, `map` (a mapping of names to values) or `model` (a
    typed sub-model)."""
    item: Optional["Expect"] = None
    model: Optional[type["Props"]] = None

    def describe(self) -> str:
        return {
            "str": "a string",
            "int": "a whole number",
            "float": "a number",
            "bool": "true or false",
            "list": "a list",
            "map": "a mapping",
            "model": "a mapping",
        }.get(self.kind, "a value")


ANY = Expect("any")


def read(raw: Any, expect: Expect, path: JsonPath, env: Environment) -> Value:
    """The value of a property written as `raw` at `path`."""
    if raw is None:
        return Absent(path)
    if isinstance(raw, dict) and len(raw) == 1 and expressions.is_intrinsic(raw):
        return _intrinsic(raw, expect, path, env)
    literal = _literal(raw, expect, path, env)
    if literal is _WRONG:
        return Unknown(f"{_name(path)} is not {expect.describe()}", raw, path)
    # A free-form document keeps the environment its parts are read in.
    return Known(literal, path, env)


_WRONG = object()


def _literal(raw: Any, expect: Expect, path: JsonPath, env: Environment) -> Any:
    kind = expect.kind
    if kind == "any":
        return raw
    if kind == "str":
        if isinstance(raw, bool):
            return "true" if raw else "false"
        if isinstance(raw, (str, int, float)):
            return raw if isinstance(raw, str) else str(raw)
        return _WRONG
    if kind == "int":
        number = _as_number(raw)
        if number is None or number != int(number):
            return _WRONG
        return int(number)
    if kind == "float":
        number = _as_number(raw)
        return _WRONG if number is None else number
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        return _WRONG
    if kind == "list":
        assert expect.item is not None
        if not isinstance(raw, list):
            # CloudFormation accepts a scalar where a list of scalars is expected (`Layers: arn`)? No:
            # it is an error; the value is unreadable, never guessed.
            return _WRONG
        item = expect.item
        return [read(value, item, path + (index,), env) for index, value in enumerate(raw)]
    if kind == "map":
        assert expect.item is not None
        if not isinstance(raw, dict):
            return _WRONG
        item = expect.item
        return {str(key): read(value, item, path + (str(key),), env) for key, value in raw.items()}
    if kind == "model":
        assert expect.model is not None
        if not isinstance(raw, dict):
            return _WRONG
        return expect.model.read(raw, path, env)
    return raw


def _as_number(raw: Any) -> Optional[float]:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw.strip())
        except ValueError:
            return None
    return None


def _intrinsic(raw: dict[str, Any], expect: Expect, path: JsonPath, env: Environment) -> Value:
    ((fn, args),) = raw.items()
    if fn == "Fn::If":
        if not (isinstance(args, list) and len(args) == 3 and isinstance(args[0], str)):
            return Unknown("an Fn::If that is not [condition, value, value]", raw, path)
        decided = env.condition(args[0])
        if decided is True:
            return read(args[1], expect, path, env)
        if decided is False:
            return read(args[2], expect, path, env)
        return Conditional(args[0], read(args[1], expect, path, env), read(args[2], expect, path, env), path)
    if fn == "Ref" and isinstance(args, str):
        if args == "AWS::NoValue":
            return Absent(path)
        parameter = env.parameters.get(args)
        if parameter is not None:
            return _parameter(raw, args, expect, path, env)
    if expect.kind == "str" and fn in ("Fn::Sub", "Fn::Join"):
        text = expressions.literal_string(raw)
        if text is not None:
            return Known(text, path)
    return Unknown(f"{_short(raw)} is resolved at deploy time", raw, path)


def _parameter(raw: Any, name: str, expect: Expect, path: JsonPath, env: Environment) -> Value:
    found = env.parameter_value(name)
    if found is None:
        return Unknown(f"parameter '{name}' has no default", raw, path)
    value, source = found
    secret = env.parameters[name].secret
    if isinstance(value, list):
        if expect.kind == "list" and expect.item is not None:
            items = [read(item, expect.item, path, env) for item in value]
            return Resolved(items, name, source, path, secret)
        if expect.kind == "any":
            return Resolved(value, name, source, path, secret, env)
        return Unknown(f"parameter '{name}' is a list, not {expect.describe()}", raw, path)
    literal = _literal(value, expect, path, env) if expect.kind in ("str", "int", "float", "bool", "any") else _WRONG
    if literal is _WRONG:
        return Unknown(f"parameter '{name}' is not {expect.describe()}", raw, path)
    return Resolved(literal, name, source, path, secret, env)


def _name(path: JsonPath) -> str:
    for step in reversed(path):
        if isinstance(step, str):
            return step
    return "value"


def _short(raw: dict[str, Any]) -> str:
    """`!GetAtt Queue.Arn`, `!Ref Bucket`, `!ImportValue`: how the template writes it, briefly."""
    ((fn, args),) = raw.items()
    tag = "!" + fn.replace("Fn::", "")
    if isinstance(args, str) and len(args) <= 60:
        return f"{tag} {args}"
    if fn == "Fn::GetAtt" and isinstance(args, list) and all(isinstance(a, str) for a in args):
        return f"{tag} {'.'.join(args)}"
    return tag


# ---- SAM Globals ------------------------------------------------------------------------------


def merge(inherited: Value, local: Value) -> Value:
    """A property set in SAM `Globals` and on the resource, as SAM merges them: mappings key by key,
    lists concatenated (Globals items first), anything else (scalars, intrinsics) taken from the
    resource. Each part keeps where it was written."""
    if local.absent:
        # Absent on both sides: where it would be written is the resource (not an ignored Globals key).
        return local if inherited.absent else inherited
    if inherited.absent or not local.known or not inherited.known:
        return local
    mine, theirs = local.literal, inherited.literal
    merger = getattr(mine, "merged_over", None)
    if merger is not None and type(theirs) is type(mine):
        return Known(merger(theirs), local.path)
    if isinstance(mine, list) and isinstance(theirs, list):
        return Known(theirs + mine, local.path, local.env)
    if isinstance(mine, dict) and isinstance(theirs, dict):
        merged = dict(theirs)
        for key, value in mine.items():
            if key in merged and isinstance(value, Value) and isinstance(merged[key], Value):
                merged[key] = merge(merged[key], value)
            elif key in merged and not isinstance(value, Value):
                merged[key] = merge_raw(merged[key], value)
            else:
                merged[key] = value
        return Known(merged, local.path, local.env)
    return local


def merge_raw(inherited: Any, local: Any) -> Any:
    """The same merge on data kept as written (free-form properties)."""
    if isinstance(inherited, dict) and isinstance(local, dict):
        if expressions.is_intrinsic(inherited) or expressions.is_intrinsic(local):
            return local
        merged = dict(inherited)
        for key, value in local.items():
            merged[key] = merge_raw(merged[key], value) if key in merged else value
        return merged
    if isinstance(inherited, list) and isinstance(local, list):
        return inherited + local
    return local
