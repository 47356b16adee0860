"""Answers about values: `Truth`, true, false or unknown per combination of `Fn::If` conditions.

A rule asks a question of a value (`value.equals("Active")`) and gets a `Truth`; truths combine with
`&`, `|` and `~` across values, keeping only combinations of conditions that can happen together. The
rule's verdict is built from the truth (`rules.base.Rule.expect`): met, not met naming the conditions
where it fails, or undecidable naming what hides it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Optional

if TYPE_CHECKING:
    from slens_lint.template.values import Value

Conditions = tuple[tuple[str, bool], ...]
"""Condition names with the outcome a branch needs (`(("IsProd", False),)`), sorted by name."""

# An Fn::If tree can double at every level: past this many leaves the rest is one unknown leaf.
MAX_LEAVES = 64


def with_condition(when: Conditions, name: str, holds: bool) -> Optional[Conditions]:
    for existing, value in when:
        if existing == name:
            return when if value == holds else None
    return tuple(sorted((*when, (name, holds))))


class Case:
    """One combination of conditions, whether the requirement holds there, and the value that decided."""

    __slots__ = ("when", "holds", "evidence")

    def __init__(self, when: Conditions, holds: Optional[bool], evidence: Optional["Value"]) -> None:
        self.when = when
        self.holds = holds
        self.evidence = evidence

    def __repr__(self) -> str:
        return f"Case({self.when}, {self.holds}, {self.evidence!r})"


class Truth:
    """Whether a requirement holds: True, False or unknown (None) per combination of conditions.

    Combine with `&`, `|` and `~`; a rule's verdict is built from one (see `rules.base.Rule.expect`).
    """

    __slots__ = ("cases",)

    def __init__(self, cases: Iterable[Case]) -> None:
        self.cases = tuple(cases)

    @classmethod
    def of(cls, holds: Optional[bool], evidence: Optional["Value"] = None) -> "Truth":
        return cls((Case((), holds, evidence),))

    @classmethod
    def all_of(cls, truths: Iterable["Truth"], default: bool = True) -> "Truth":
        result: Optional[Truth] = None
        for truth in truths:
            result = truth if result is None else result & truth
        return result if result is not None else cls.of(default)

    @classmethod
    def any_of(cls, truths: Iterable["Truth"], default: bool = False) -> "Truth":
        result: Optional[Truth] = None
        for truth in truths:
            result = truth if result is None else result | truth
        return result if result is not None else cls.of(default)

    # ---- reading --------------------------------------------------------------------------

    @property
    def holds(self) -> Optional[bool]:
        """True in every case, False in every case, else None (unknown somewhere, or it depends)."""
        answers = {case.holds for case in self.cases}
        return answers.pop() if len(answers) == 1 else None

    @property
    def always(self) -> bool:
        return all(case.holds is True for case in self.cases)

    @property
    def never(self) -> bool:
        return all(case.holds is False for case in self.cases)

    @property
    def sometimes(self) -> bool:
        """True in some case (under some conditions, or always)."""
        return any(case.holds is True for case in self.cases)

    @property
    def may_fail(self) -> bool:
        return any(case.holds is False for case in self.cases)

    @property
    def may_hold(self) -> bool:
        """True somewhere, or unknown somewhere (it may hold there)."""
        return any(case.holds is not False for case in self.cases)

    def failing(self) -> list[Case]:
        return [case for case in self.cases if case.holds is False]

    def unknown(self) -> list[Case]:
        return [case for case in self.cases if case.holds is None]

    def passing(self) -> list[Case]:
        return [case for case in self.cases if case.holds is True]

    # ---- combining ------------------------------------------------------------------------

    def blame(self, value: "Value") -> "Truth":
        """The same answers, with `value` as the evidence where it fails: the value a verdict then
        points at and names (a parameter whose value decided)."""
        return Truth(Case(c.when, c.holds, value if c.holds is False else c.evidence) for c in self.cases)

    def __and__(self, other: "Truth") -> "Truth":
        return self._combine(other, _and)

    def __or__(self, other: "Truth") -> "Truth":
        return self._combine(other, _or)

    def __invert__(self) -> "Truth":
        return Truth(Case(c.when, None if c.holds is None else not c.holds, c.evidence) for c in self.cases)

    def _combine(self, other: "Truth", op: Callable[[Case, Case], tuple[Optional[bool], Optional["Value"]]]) -> "Truth":
        cases: list[Case] = []
        for left in self.cases:
            for right in other.cases:
                when = merge_conditions(left.when, right.when)
                if when is None:
                    continue
                holds, evidence = op(left, right)
                cases.append(Case(when, holds, evidence))
                if len(cases) >= MAX_LEAVES:
                    return Truth(cases)
        return Truth(cases)

    def __repr__(self) -> str:
        return f"Truth{self.cases!r}"


def merge_conditions(a: Conditions, b: Conditions) -> Optional[Conditions]:
    result = a
    for name, holds in b:
        merged = with_condition(result, name, holds)
        if merged is None:
            return None
        result = merged
    return result


def _and(left: Case, right: Case) -> tuple[Optional[bool], Optional["Value"]]:
    # The evidence is what decided: the failing side, else the unknown side, else the right (later) one.
    if left.holds is False:
        return False, left.evidence
    if right.holds is False:
        return False, right.evidence
    if left.holds is None:
        return None, left.evidence
    if right.holds is None:
        return None, right.evidence
    return True, right.evidence or left.evidence


def _or(left: Case, right: Case) -> tuple[Optional[bool], Optional["Value"]]:
    if left.holds is True:
        return True, left.evidence
    if right.holds is True:
        return True, right.evidence
    if left.holds is None:
        return None, left.evidence
    if right.holds is None:
        return None, right.evidence
    return False, left.evidence or right.evidence


def simplify(whens: Iterable[Conditions]) -> tuple[Conditions, ...]:
    """Fewer, shorter condition combinations saying the same: `A and B` with `A and not B` is `A`; an
    empty combination (always) absorbs the rest."""
    current = list(dict.fromkeys(whens))
    if () in current:
        return ((),)
    changed = True
    while changed:
        changed = False
        for index, first in enumerate(current):
            for second in current[index + 1 :]:
                differing = set(first) ^ set(second)
                if len(first) == len(second) and len(differing) == 2 and len({name for name, _ in differing}) == 1:
                    merged = tuple(item for item in first if item not in differing)
                    current = [c for c in current if c not in (first, second)] + [merged]
                    if merged == ():
                        return ((),)
                    changed = True
                    break
            if changed:
                break
    return tuple(current)


def describe_conditions(when: Conditions) -> str:
    """`IsProd is false and UseVpc is true`."""
    return " and ".join(f"{name} is {'true' if holds else 'false'}" for name, holds in when)
