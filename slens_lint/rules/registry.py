"""The rule set: every `Rule` subclass defined in the pillar packages, in id order.

Rules are found by walking the pillar packages (one module per rule) rather than by a hand-kept
list, so a new rule cannot be written and forgotten; tests check ids are unique, well-formed, in the
right pillar package and documented.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Iterable, Optional

from slens_lint.rules import builtin as _builtin
from slens_lint.rules import index
from slens_lint.rules.base import CANONICAL_ID, Pillar, Rule
from slens_lint.rules.builtin import BuiltinRule


class RuleSetError(Exception):
    pass


@lru_cache(maxsize=None)
def rule_classes() -> tuple[type[Rule], ...]:
    found: dict[str, type[Rule]] = {}
    for pillar in Pillar:
        package = importlib.import_module(f"slens_lint.rules.{pillar.package}")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, Rule)
                    and value is not Rule
                    and value.__module__ == module.__name__
                ):
                    if not CANONICAL_ID.match(value.id):
                        raise RuleSetError(f"{value.__qualname__}: bad rule id {value.id!r}")
                    if value.id in found:
                        raise RuleSetError(f"duplicate rule id {value.id}")
                    found[value.id] = value
    return tuple(found[k] for k in sorted(found))


def get(rule_id: str) -> Optional[type[Rule] | type[BuiltinRule]]:
    """A rule by canonical (`SL501`) or cfn-lint (`WSL501`) id; also a cfn-lint built-in the Lens
    lists (`E2531`, see rules/builtin.py), whose metadata has the same interface."""
    for cls in rule_classes():
        if rule_id in (cls.id, cls.cfn_lint_id()):
            return cls
    return _builtin.get(rule_id)


def builtin_rules() -> tuple[type[BuiltinRule], ...]:
    """The cfn-lint built-ins the Lens lists, in id order: run by default, reported under their cfn-lint ids."""
    return _builtin.BUILTIN_RULES


def get_builtin(rule_id: str) -> Optional[type[BuiltinRule]]:
    return _builtin.get(rule_id)


def select_builtins(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[type[BuiltinRule]]:
    """The built-ins a run uses: all, or those `select` names by id prefix, minus `ignore`d ones."""
    return _builtin.select(list(select), list(ignore))


known_id = index.known_id


def select(
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    enable: Iterable[str] = (),
) -> list[type[Rule]]:
    """The rules a run uses (see `index.chosen`: the same choice as `index.selected_ids`)."""
    select, ignore, enable = list(select), list(ignore), list(enable)
    return [cls for cls in rule_classes() if index.chosen(cls.id, cls.cfn_lint_id(), cls.opt_in, select, ignore, enable)]


def index_tables() -> tuple[tuple[tuple[str, str, bool], ...], tuple[tuple[str, bool], ...]]:
    """What `index.RULES` and `index.BUILTINS` must hold, from the classes (the generator writes them)."""
    rules = tuple((cls.id, cls.cfn_lint_id(), cls.opt_in) for cls in rule_classes())
    builtins = tuple((b.id, b.native()) for b in _builtin.BUILTIN_RULES)
    return rules, builtins
