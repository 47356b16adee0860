"""The value type: what a template property holds, as far as the template shows it.

Every property a model reads is a `Value`, one of five kinds:

- `Known`: a literal (a string, number, boolean, list of values, mapping of values, or a typed
  sub-model), with the JSON path it was read from;
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

from typing import Any, Callable, Iterable, Iterator, Optional

from slens_lint.template import expressions

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
        a typed model; None for any other kind."""
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
        """The entries of a mapping value (`dict[str, V[...]]` fields); {} otherwise."""
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
    """A literal written in the template."""

    __slots__ = ("value",)
    kind = "known"
    known = True

    def __init__(self, value: Any, path: JsonPath = ()) -> None:
        self.value = value
        self.path = path

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
        if isinstance(self.value, list):
            return self.value
        if isinstance(self.value, (str, int, float)):
            return [self]
        return []

    def entries(self) -> dict[str, Value]:
        return self.value if isinstance(self.value, dict) else {}

    def project(self, name: str) -> Value:
        value = self.value
        getter = getattr(value, "value_of", None)
        if getter is not None:
            return getter(name)
        if isinstance(value, dict):
            found = value.get(name)
            if isinstance(found, Value):
                return found
            # A free-form document (kept as written): its entries read as written too.
            return free_form(found, self.path + (name,))
        return Unknown(f"{_last(self.path)} is not a mapping", None, self.path + (name,))

    def _describe(self) -> str:
        return f"{self.value!r} at {super()._describe()}"


class Resolved(Known):
    """A `Ref` to a parameter, resolved to the value given to the run (`source="given"`) or to the
    parameter's default (`source="default"`)."""

    __slots__ = ("parameter", "source", "secret")
    kind = "resolved"
    known = False
    resolved = True

    def __init__(self, value: Any, parameter: str, source: str, path: JsonPath = (), secret: bool = False) -> None:
        super().__init__(value, path)
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
            shown = ",".join(item.text() or "?" for item in self.value)
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

    def parameters(self) -> list[str]:
        """Template parameters the expression refers to (the review names what hides a value)."""
        return sorted(expressions.references(self._expr))

    def _describe(self) -> str:
        return f"{self.reason} at {super()._describe()}"


class Branch:
    __slots__ = ("condition", "holds", "value")

    def __init__(self, condition: str, holds: bool, value: Value) -> None:
        self.condition = condition
        self.holds = holds
        self.value = value


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

    def branch_list(self) -> list[Branch]:
        return [Branch(self.condition, True, self.then), Branch(self.condition, False, self.otherwise)]

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


def free_form(raw: Any, path: JsonPath) -> Value:
    """A value inside a free-form document (an OpenAPI body, a policy): `Fn::If` and `AWS::NoValue`
    understood, other intrinsics unknown, parameters not resolved."""
    if raw is None:
        return Absent(path)
    if expressions.is_intrinsic(raw):
        ((fn, args),) = raw.items()
        if fn == "Ref" and args == "AWS::NoValue":
            return Absent(path)
        if fn == "Fn::If" and isinstance(args, list) and len(args) == 3 and isinstance(args[0], str):
            return Conditional(args[0], free_form(args[1], path), free_form(args[2], path), path)
        return Unknown("an intrinsic function is resolved at deploy time", raw, path)
    return Known(raw, path)


def _last(path: JsonPath) -> str:
    return str(path[-1]) if path else "value"


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _flag(value: Any) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def first_known(values: Iterable[Value]) -> Optional[Value]:
    for value in values:
        if value.known or value.resolved:
            return value
    return None


ABSENT = Absent(())
"""The default of a model field (replaced by a located `Absent` when a resource is read)."""


__all__ = [
    "ABSENT", "Absent", "Branch", "Case", "Conditional", "Conditions", "JsonPath", "Known", "Resolved",
    "Truth", "Unknown", "Value", "describe_conditions", "first_known", "free_form",
]
