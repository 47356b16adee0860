"""What a run knows about a deployment: parameter values and the outcome of conditions.

Without values given to the run, a `Ref` to a parameter resolves to the parameter's `Default` (what
CloudFormation deploys when nobody overrides it), and a condition is decided only when it does not
depend on anything deploy-time (`!Equals [a, b]` of two literals): otherwise findings name it. With
values given (an environment: `--parameter-overrides`, a parameter file, a samconfig environment),
parameters resolve to them (defaults for the rest) and conditions are evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from slens_lint.template import expressions
from slens_lint.template.secrets import looks_secret

LIST_TYPES = ("CommaDelimitedList",)
"""Parameter types whose value is a list (also every `List<...>` type)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any = None
    """The `Default` as written (a string, number, list); None when there is none."""
    no_echo: bool = False

    @property
    def is_list(self) -> bool:
        return self.type in LIST_TYPES or self.type.startswith("List<")

    @property
    def secret(self) -> bool:
        """Its value must never be printed: `NoEcho`, or a name that says it holds a secret."""
        return self.no_echo or looks_secret(self.name)

    def as_value(self, text: Any) -> Any:
        """A parameter value as CloudFormation passes it on: a list for list types, else a string."""
        if self.is_list:
            if isinstance(text, list):
                return [str(item).strip() for item in text]
            return [part.strip() for part in str(text).split(",")] if str(text) else []
        if isinstance(text, bool):
            return "true" if text else "false"
        return text if isinstance(text, (str, int, float)) else None


@dataclass
class Environment:
    """Parameters of one template, the values given to the run (`given`, None: no environment), and
    its `Conditions` section."""

    parameters: dict[str, Parameter] = field(default_factory=dict)
    conditions: Mapping[str, Any] = field(default_factory=dict)
    given: Optional[dict[str, Any]] = None
    name: Optional[str] = None
    """The environment's name (`prod`), when it came from a samconfig."""
    _decided: dict[str, Optional[bool]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, tree: Mapping[str, Any], given: Optional[Mapping[str, Any]] = None, name: Optional[str] = None) -> "Environment":
        raw_parameters = tree.get("Parameters")
        parameters: dict[str, Parameter] = {}
        if isinstance(raw_parameters, dict):
            for key, spec in raw_parameters.items():
                if not isinstance(spec, dict):
                    continue
                kind = spec.get("Type")
                no_echo = expressions_flag(spec.get("NoEcho"))
                parameters[str(key)] = Parameter(
                    name=str(key),
                    type=kind if isinstance(kind, str) else "String",
                    default=spec.get("Default"),
                    no_echo=bool(no_echo),
                )
        conditions = tree.get("Conditions")
        return cls(
            parameters=parameters,
            conditions=conditions if isinstance(conditions, dict) else {},
            given=dict(given) if given is not None else None,
            name=name,
        )

    @property
    def active(self) -> bool:
        """Values were given: conditions are evaluated, not named."""
        return self.given is not None

    def parameter_value(self, name: str) -> Optional[tuple[Any, str]]:
        """(value, "given" | "default") for a parameter, None when it has neither."""
        parameter = self.parameters.get(name)
        if parameter is None:
            return None
        if self.given is not None and name in self.given:
            value = parameter.as_value(self.given[name])
            return (value, "given") if value is not None else None
        if parameter.default is not None:
            value = parameter.as_value(parameter.default)
            return (value, "default") if value is not None else None
        return None

    def condition(self, name: str) -> Optional[bool]:
        """The outcome of a named condition, when it can be decided (see the module docstring)."""
        if name not in self._decided:
            self._decided[name] = None  # a condition that refers to itself stays undecided
            self._decided[name] = self._evaluate(self.conditions.get(name), 0)
        return self._decided[name]

    def _evaluate(self, node: Any, depth: int) -> Optional[bool]:
        if depth > 50 or not expressions.is_intrinsic(node):
            return None
        ((fn, args),) = node.items()
        if fn == "Condition":
            return self.condition(args) if isinstance(args, str) else None
        if fn == "Fn::Not":
            if isinstance(args, list) and len(args) == 1:
                inner = self._evaluate(args[0], depth + 1)
                return None if inner is None else not inner
            return None
        if fn in ("Fn::And", "Fn::Or"):
            if not isinstance(args, list) or not args:
                return None
            outcomes = [self._evaluate(arg, depth + 1) for arg in args]
            if fn == "Fn::And":
                return False if False in outcomes else (None if None in outcomes else True)
            return True if True in outcomes else (None if None in outcomes else False)
        if fn == "Fn::Equals":
            if not isinstance(args, list) or len(args) != 2:
                return None
            left, right = (self._scalar(arg, depth + 1) for arg in args)
            if left is None or right is None:
                return None
            return left == right
        return None

    def _scalar(self, node: Any, depth: int) -> Optional[str]:
        """A value inside `Fn::Equals`, as the string CloudFormation compares; None when unknown."""
        if isinstance(node, bool):
            return "true" if node else "false"
        if isinstance(node, (str, int, float)):
            return str(node)
        if not expressions.is_intrinsic(node) or depth > 50:
            return None
        ((fn, args),) = node.items()
        if fn == "Ref" and isinstance(args, str) and self.active:
            # Without an environment a parameter's outcome is what varies between deployments: named.
            resolved = self.parameter_value(args)
            if resolved is None or isinstance(resolved[0], list):
                return None
            return str(resolved[0])
        text = expressions.literal_string(node)
        return text


def expressions_flag(value: Any) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


NO_ENVIRONMENT = Environment()
