"""The value type: what a template property holds, as far as the template shows it.

Every property a model reads is a `Value`, one of five kinds:

- `Known`: a literal (a string, number, boolean, list of values, mapping of values, or a typed
  sub-model), with the JSON path it was read from. A free-form document (declared `V[Any]`: an OpenAPI
  body, a policy) is kept as written, and its parts read as values when asked for (see `Known`);
- `Absent`: not given (a missing key, a null, or `Ref: AWS::NoValue`), with the path where it would be;
- `Conditional`: the branches of an `Fn::If`, each with its condition and the value in that branch;
- `Resolved`: a `Ref` to a parameter, resolved to the value given to the run or to the default;
- `Unknown`: an intrinsic that cannot be resolved statically (a resource's `Ref`, a `GetAtt`, an import,
  a parameter without a default) or a literal of the wrong shape, with why.

There is no other spelling of "unknown" or "absent" in the model. A question about a value is answered
as a `Truth`: True, False or unknown per combination of conditions, so a rule says what it requires
and the verdict names the conditions under which the requirement fails (`when IsProd is false`).

A value's `path` is where it stands in the file: a property inherited from SAM `Globals` keeps the
`Globals` path, an implicit API's settings are those of `Globals.Api`.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

from slens_lint.template import expressions
from slens_lint.template.environment import NO_ENVIRONMENT, Environment
from slens_lint.template.truth import MAX_LEAVES, Case, Conditions, Truth, describe_conditions, merge_conditions, with_condition

JsonPath = tuple[Any, ...]


class Value:
    """Base of the five kinds. Immutable; `path` is where the value is (or would be) in the template."""

    __slots__ = ("path",)

    kind: str = ""
    path: JsonPath

    # ---- structure ------------------------------------------------------------------------

    def leaves(self, when: Conditions = ()) -> Iterator[tuple[Conditions, "Value"]]:
        """Each value the property can take with the conditions that lead to it (Fn::If expanded)."""
        yield when, self

    def branches(self) -> list["Value"]:
        """The values the property can take, whatever the conditions."""
        return [leaf for _, leaf in self.leaves()]

    # ---- what it holds --------------------------------------------------------------------

    @property
    def literal(self) -> Any:
        """The literal held (Known or Resolved): a str, number, bool, list of Values, dict of Values or
        a typed model, or a free-form document as written (see `Known`); None for any other kind."""
        return None

    def text(self) -> Optional[str]:
        """The value as a string, when it is one (a literal, or an `Fn::Sub`/`Fn::Join` of literals)."""
        return None

    def number(self) -> Optional[float]:
        """The value as a number (numeric strings included); None otherwise (booleans too)."""
        return _number(self.literal)

    def flag(self) -> Optional[bool]:
        """A CloudFormation boolean (`true`, `"false"`...); None when it is not one."""
        return _flag(self.literal)

    def items(self) -> list["Value"]:
        """The items of a list value (one item for a scalar given where a list is allowed); [] otherwise."""
        return []

    def entries(self) -> dict[str, "Value"]:
        """The entries of a mapping value (`dict[str, V[...]]` fields, free-form mappings); {} otherwise."""
        return {}

    @property
    def ref(self) -> Optional[str]:
        """The logical id a `Ref` or `Fn::GetAtt` names (resources only, never pseudo parameters)."""
        return None

    @property
    def expr(self) -> Any:
        """The expression as written, for intrinsic-level questions (name tokens, references)."""
        return None

    def tokens(self) -> Optional[tuple[expressions.Token, ...]]:
        """A comparable token form of a string expression (see `expressions.string_tokens`)."""
        return expressions.string_tokens(self.expr)

    # ---- questions ------------------------------------------------------------------------

    def is_set(self) -> bool:
        """Given in at least one branch (an unresolvable intrinsic counts as given)."""
        return any(not leaf.absent for leaf in self.branches())

    def test(self, predicate: Callable[["Value"], Optional[bool]], absent: Optional[bool] = False) -> "Truth":
        """Whether `predicate` holds, per branch. The predicate sees each Known or Resolved leaf; an
        Absent leaf answers `absent`, an Unknown one is unknown (None)."""
        cases = []
        for when, leaf in self.leaves():
            if leaf.absent:
                holds = absent
            elif leaf.unknown:
                holds = None
            else:
                holds = predicate(leaf)
            cases.append(Case(when, holds, leaf))
        return Truth(tuple(cases))

    def each(self, fn: Callable[["Value"], "Truth | Optional[bool]"]) -> "Truth":
        """`fn` for each branch (absent and unknown leaves included), its answers kept under the
        branch's conditions: the general form of `test` for questions that look inside a value."""
        cases: list[Case] = []
        for when, leaf in self.leaves():
            answer = fn(leaf)
            sub = answer if isinstance(answer, Truth) else Truth.of(answer, leaf)
            for case in sub.cases:
                merged = merge_conditions(when, case.when)
                if merged is not None:
                    cases.append(Case(merged, case.holds, case.evidence or leaf))
        return Truth(cases)

    def given(self) -> "Truth":
        """True where the property is given (anything but absent: an unresolvable intrinsic is given)."""
        return Truth(Case(when, not leaf.absent, leaf) for when, leaf in self.leaves())

    def equals(self, *options: str, case_sensitive: bool = False) -> "Truth":
        """True where the value is one of `options` (strings)."""
        wanted = set(options) if case_sensitive else {o.lower() for o in options}

        def check(leaf: Value) -> Optional[bool]:
            text = leaf.text()
            if text is None:
                return None
            return (text if case_sensitive else text.lower()) in wanted

        return self.test(check)

    def is_true(self, absent: bool = False) -> "Truth":
        """True where the value is a CloudFormation `true` (absent counts as `absent`)."""
        return self.test(lambda leaf: leaf.flag(), absent=absent)

    # ---- navigation -----------------------------------------------------------------------

    def __getattr__(self, name: str) -> "Value":
        # CloudFormation property names are capitalised, the Value API is not: `fn.props.LoggingConfig
        # .LogGroup` projects through every branch without clashing with a method.
        if not name[:1].isupper():
            raise AttributeError(name)
        return self.project(name)

    def project(self, name: str) -> "Value":
        """The sub-property `name` in every branch (Absent where the mapping is absent)."""
        return Absent(self.path + (name,))

    def __getitem__(self, key: str) -> "Value":
        return self.project(key)

    # ---- kinds ----------------------------------------------------------------------------

    known = False
    absent = False
    conditional = False
    resolved = False
    unknown = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._describe()})"

    def _describe(self) -> str:
        return "/".join(map(str, self.path))


class Known(Value):
    """A literal written in the template.

    A free-form document is kept as written (`literal`), not read into values up front: its readers
    walk it in its own grammar (OpenAPI's, IAM's) or pass it on unchanged (a nested stack's parameters,
    SAM's Globals merge). Its parts are values all the same: `items`, `entries` and projection read
    each through the reader of every property (`reading.read`), in the environment `env` it was read
    in, so an `AWS::NoValue` in it is Absent, an `Fn::If` Conditional, a parameter Resolved.
    """

    __slots__ = ("value", "env", "_parts")
    kind = "known"
    known = True

    def __init__(self, value: Any, path: JsonPath = (), env: Environment = NO_ENVIRONMENT) -> None:
        self.value = value
        self.path = path
        self.env = env
        self._parts: Optional[dict[Any, Value]] = None

    @property
    def literal(self) -> Any:
        return self.value

    @property
    def expr(self) -> Any:
        return self.value if isinstance(self.value, (str, int, float)) else None

    def text(self) -> Optional[str]:
        value = self.value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        return None

    def items(self) -> list[Value]:
        value = self.value
        if isinstance(value, list):
            return [self._part(index, item) for index, item in enumerate(value)]
        if isinstance(value, (str, int, float)):
            return [self]
        return []

    def entries(self) -> dict[str, Value]:
        value = self.value
        if isinstance(value, dict):
            return {str(key): self._part(str(key), item) for key, item in value.items()}
        return {}

    def project(self, name: str) -> Value:
        value = self.value
        getter = getattr(value, "value_of", None)
        if getter is not None:
            return getter(name)
        if isinstance(value, dict):
            return self._part(name, value.get(name))
        return Unknown(f"{_last(self.path)} is not a mapping", None, self.path + (name,))

    def _part(self, key: Any, raw: Any) -> Value:
        """An item or entry: already a value (typed lists and mappings), or a part of a document, read
        once (rules ask for the same parts of a policy or an event many times)."""
        if isinstance(raw, Value):
            return raw
        parts = self._parts
        if parts is None:
            parts = self._parts = {}
        found = parts.get(key)
        if found is None:
            found = parts[key] = free_form(raw, self.path + (key,), self.env)
        return found

    def _describe(self) -> str:
        return f"{self.value!r} at {super()._describe()}"


class Resolved(Known):
    """A `Ref` to a parameter, resolved to the value given to the run (`source="given"`) or to the
    parameter's default (`source="default"`)."""

    __slots__ = ("parameter", "source", "secret")
    kind = "resolved"
    known = False
    resolved = True

    def __init__(
        self, value: Any, parameter: str, source: str, path: JsonPath = (), secret: bool = False, env: Environment = NO_ENVIRONMENT
    ) -> None:
        super().__init__(value, path, env)
        self.parameter = parameter
        self.source = source
        self.secret = secret
        """The parameter is `NoEcho` or named like a secret: its value is never shown."""

    @property
    def expr(self) -> Any:
        return {"Ref": self.parameter}

    def describe_origin(self) -> str:
        """`parameter 'Stage' (default 'dev')` for messages; a secret parameter's value is not shown."""
        what = "default" if self.source == "default" else "value"
        if self.secret:
            return f"parameter '{self.parameter}' ({what} not shown: secret)"
        if isinstance(self.value, list):
            shown = ",".join(item.text() or "?" for item in self.items())
        else:
            shown = self.text() if self.text() is not None else "?"
        return f"parameter '{self.parameter}' ({what} '{shown}')"


class Absent(Value):
    """Not given: a missing key, a null, or `Ref: AWS::NoValue` (in that branch)."""

    __slots__ = ()
    kind = "absent"
    absent = True

    def __init__(self, path: JsonPath = ()) -> None:
        self.path = path


class Unknown(Value):
    """A value the template cannot show: an intrinsic that is not resolved statically, or a literal of a
    shape the property does not take. `reason` says which, for messages and the review."""

    __slots__ = ("reason", "_expr")
    kind = "unknown"
    unknown = True

    def __init__(self, reason: str, expr: Any = None, path: JsonPath = ()) -> None:
        self.reason = reason
        self._expr = expr
        self.path = path

    @property
    def expr(self) -> Any:
        return self._expr

    @property
    def ref(self) -> Optional[str]:
        return expressions.ref_target(self._expr)

    def text(self) -> Optional[str]:
        return expressions.literal_string(self._expr)

    def project(self, name: str) -> Value:
        return Unknown(self.reason, None, self.path + (name,))

    def _describe(self) -> str:
        return f"{self.reason} at {super()._describe()}"


class Conditional(Value):
    """An `Fn::If`: the value when the condition holds and when it does not."""

    __slots__ = ("condition", "then", "otherwise")
    kind = "conditional"
    conditional = True

    def __init__(self, condition: str, then: Value, otherwise: Value, path: JsonPath = ()) -> None:
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
        self.path = path

    @property
    def expr(self) -> Any:
        return {"Fn::If": [self.condition, self.then.expr, self.otherwise.expr]}

    def leaves(self, when: Conditions = ()) -> Iterator[tuple[Conditions, Value]]:
        count = 0
        for holds, branch in ((True, self.then), (False, self.otherwise)):
            condition = with_condition(when, self.condition, holds)
            if condition is None:
                # A branch that contradicts an enclosing one (`!If [C, !If [C, a, b], c]`) never happens.
                continue
            for leaf in branch.leaves(condition):
                count += 1
                if count > MAX_LEAVES:
                    yield when, Unknown("too many Fn::If branches to follow", None, self.path)
                    return
                yield leaf

    def project(self, name: str) -> Value:
        return Conditional(self.condition, self.then.project(name), self.otherwise.project(name), self.path + (name,))

    def items(self) -> list[Value]:
        # Items of every branch: a question about "some item" then looks at all of them.
        return [item for branch in (self.then, self.otherwise) for item in branch.items()]

    def _describe(self) -> str:
        return f"{self.condition}: {self.then!r} | {self.otherwise!r}"


def free_form(raw: Any, path: JsonPath, env: Environment = NO_ENVIRONMENT) -> Value:
    """A free-form document, or a part of one, as a value: read as a property declared `V[Any]` is
    (`reading.read`), in `env`; without one, parameters stay unresolved and conditions named."""
    # `reading` builds values out of this module, so it is imported where a document is read.
    from slens_lint.template.reading import ANY, read

    return read(raw, ANY, path, env)


def _last(path: JsonPath) -> str:
    return str(path[-1]) if path else "value"


def _number(value: Any) -> Optional[float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(value.strip()) if isinstance(value, str) else None
    except ValueError:
        return None


def _flag(value: Any) -> Optional[bool]:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value if isinstance(value, bool) else None


ABSENT = Absent(())
"""The default of a model field (replaced by a located `Absent` when a resource is read)."""


__all__ = [
    "ABSENT", "Absent", "Case", "Conditional", "Conditions", "JsonPath", "Known", "Resolved", "Truth",
    "Unknown", "Value", "describe_conditions", "free_form",
]
