"""Risk rules in the Well-Architected Tool's style: a condition over a question's choice ids with `&&`,
`||` and parentheses, or `default`; the first rule whose condition holds gives the question's risk.

The same condition strings go into the custom lens (`--format wa-lens`), so the Tool and the review
rate a question alike from the same choices.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from slens_lint.review.schema import Question, Risk, RiskRule

_TOKEN = re.compile(r"\s*(?:(&&|\|\|)|([()])|([A-Za-z0-9_]+))")


class ConditionError(ValueError):
    pass


def tokens(condition: str) -> list[str]:
    out, pos = [], 0
    text = condition.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ConditionError(f"cannot read {condition!r} at {text[pos:]!r}")
        out.append(m.group(m.lastindex or 0))
        pos = m.end()
    return out


def choice_ids(condition: str) -> set[str]:
    """The choice ids a condition names (`default` names none)."""
    if condition == "default":
        return set()
    return {t for t in tokens(condition) if t not in ("&&", "||", "(", ")")}


def holds(condition: str, followed: Mapping[str, bool]) -> bool:
    """Whether `condition` holds when each choice id is followed or not (`default` always holds)."""
    if condition == "default":
        return True
    parser = _Parser(tokens(condition), followed)
    value = parser.disjunction()
    if parser.pos != len(parser.tokens):
        raise ConditionError(f"unexpected {parser.tokens[parser.pos]!r} in {condition!r}")
    return value


def rate(question: Question, followed: Callable[[str], bool]) -> tuple[Risk, RiskRule]:
    """The question's risk and the rule that gave it."""
    values = {c.id: followed(c.id) for c in question.choices}
    for rule in question.risk_rules:
        if holds(rule.condition, values):
            return rule.risk, rule
    raise ConditionError(f"{question.id}: no risk rule holds and there is no default")


class _Parser:
    """disjunction := conjunction ('||' conjunction)*; conjunction := atom ('&&' atom)*;
    atom := id | '(' disjunction ')'."""

    def __init__(self, items: list[str], followed: Mapping[str, bool]) -> None:
        self.tokens = items
        self.followed = followed
        self.pos = 0

    def _next(self) -> str:
        if self.pos >= len(self.tokens):
            raise ConditionError("condition ends too early")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _peek(self) -> str:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ""

    def disjunction(self) -> bool:
        return self._chain("||", self.conjunction, any)

    def conjunction(self) -> bool:
        return self._chain("&&", self.atom, all)

    def _chain(self, operator: str, operand: Callable[[], bool], combine: Callable[[list[bool]], bool]) -> bool:
        # Every operand is read (and checked) before combining: no short-circuit.
        values = [operand()]
        while self._peek() == operator:
            self.pos += 1
            values.append(operand())
        return combine(values)

    def atom(self) -> bool:
        token = self._next()
        if token == "(":
            value = self.disjunction()
            if self._next() != ")":
                raise ConditionError("missing ')'")
            return value
        if token in ("&&", "||", ")"):
            raise ConditionError(f"unexpected {token!r}")
        if token not in self.followed:
            raise ConditionError(f"unknown choice id {token!r}")
        return self.followed[token]
