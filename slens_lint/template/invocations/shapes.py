"""Questions about the shape of a value that the invocation readers and their rules share.

Settings of event sources and targets are mappings that `Fn::If` may replace whole, an intrinsic may
hide, or the template may leave out: "is this key given in it?" then has three answers per branch.
Lists of targets or subscriptions are judged item by item, each item keeping the conditions of the
list it is in. Properties no model declares (a bucket's notification configuration, an IoT rule's
payload) read as free-form values, whose items and entries are values too.
"""

from __future__ import annotations

from typing import Callable, Iterator, Optional

from slens_lint.template.resources.base import Props
from slens_lint.template.values import Truth, Value


def items(value: Value) -> list[Value]:
    """The items of a list through `Fn::If` branches, as values."""
    return [item for leaf in value.branches() if isinstance(leaf.literal, list) for item in leaf.items()]


def mappings(value: Value) -> Iterator[Value]:
    """Each branch of a value that is a mapping (typed or free-form); intrinsics and absent skipped."""
    for leaf in value.branches():
        if isinstance(leaf.literal, (dict, Props)):
            yield leaf


def given_in(container: Value, name: str, absent: bool = False) -> Truth:
    """Whether `name` is given in the mapping `container`, per branch: unknown where an intrinsic
    stands for the whole mapping, `absent` where the mapping itself is not given."""

    def check(leaf: Value) -> Truth:
        if leaf.unknown:
            return Truth.of(None, leaf)
        if leaf.absent:
            return Truth.of(absent, leaf)
        return leaf.project(name).given()

    return container.each(check)


def per_item(collection: Value, item: Value, judge: Callable[[Value], Truth]) -> Truth:
    """`judge(item)` under the conditions of the list branch that holds `item` (met elsewhere)."""

    def check(leaf: Value) -> Truth:
        if any(candidate is item for candidate in leaf.items()):
            return item.each(judge)
        return Truth.of(True, leaf)

    return collection.each(check)


def first_failing(value: Value, judge: Callable[[Value], Truth]) -> Optional[Value]:
    """The first branch of `value` where `judge` may fail (to word a message after that branch)."""
    for leaf in value.branches():
        if judge(leaf).may_fail:
            return leaf
    return None


def written(container: Value, name: str) -> bool:
    """Whether some branch of a mapping writes `name` (even as `AWS::NoValue`)."""
    for leaf in container.branches():
        literal = leaf.literal
        if isinstance(literal, Props) and literal.has(name):
            return True
        if isinstance(literal, dict) and name in literal:
            return True
    return False
