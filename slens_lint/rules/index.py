"""The rule ids, and how a run selects them, without importing a rule: a run whose files all come from
the cache, and one that reports only ids, never import the rule modules (and the model they read).

The two tables are generated from the rule classes (`python scripts/generate_rule_docs.py`);
tests/test_docs.py fails when they drift. `registry.select` uses the same selection on the classes.
"""

from __future__ import annotations

from typing import Iterable

# (id, cfn-lint id, opt-in), in id order.
RULES: tuple[tuple[str, str, bool], ...] = (
    ("SL101", "WSL101", False),
    ("SL102", "ISL102", False),
    ("SL103", "ESL103", False),
    ("SL104", "WSL104", False),
    ("SL105", "ISL105", False),
    ("SL106", "WSL106", False),
    ("SL107", "WSL107", False),
    ("SL108", "WSL108", False),
    ("SL109", "WSL109", False),
    ("SL110", "WSL110", False),
    ("SL111", "ISL111", False),
    ("SL112", "ISL112", False),
    ("SL113", "WSL113", False),
    ("SL114", "ISL114", False),
    ("SL201", "WSL201", False),
    ("SL202", "ESL202", False),
    ("SL204", "ESL204", False),
    ("SL205", "ISL205", True),
    ("SL206", "WSL206", False),
    ("SL207", "ESL207", False),
    ("SL208", "WSL208", False),
    ("SL209", "WSL209", False),
    ("SL210", "WSL210", False),
    ("SL211", "ESL211", False),
    ("SL212", "WSL212", False),
    ("SL213", "WSL213", False),
    ("SL301", "WSL301", False),
    ("SL302", "WSL302", False),
    ("SL303", "WSL303", False),
    ("SL304", "WSL304", False),
    ("SL305", "WSL305", False),
    ("SL306", "WSL306", False),
    ("SL307", "WSL307", False),
    ("SL308", "WSL308", False),
    ("SL309", "WSL309", False),
    ("SL310", "WSL310", False),
    ("SL311", "ISL311", False),
    ("SL312", "ISL312", False),
    ("SL401", "ISL401", False),
    ("SL402", "ISL402", False),
    ("SL403", "ISL403", False),
    ("SL404", "WSL404", False),
    ("SL501", "WSL501", False),
    ("SL502", "WSL502", False),
    ("SL503", "ISL503", False),
    ("SL504", "ISL504", False),
    ("SL505", "WSL505", False),
)

# cfn-lint built-ins the Lens lists: (id, judged by slens-lint itself rather than by cfn-lint's code).
BUILTINS: tuple[tuple[str, bool], ...] = (
    ("E2531", True),
    ("E2533", True),
    ("E3505", False),
    ("W2530", False),
    ("W2531", True),
    ("W3663", False),
    ("W3664", False),
)


def matches(ids: Iterable[str], prefixes: Iterable[str]) -> bool:
    """Whether one of a rule's ids (`SL501`, `WSL501`) starts with one of `prefixes`."""
    prefixes = tuple(prefixes)
    return any(i.startswith(prefixes) for i in ids) if prefixes else False


def known_id(rule_id: str) -> bool:
    """Whether an id or prefix names some rule (ours in either form, or a built-in), any case."""
    wanted = rule_id.strip().upper()
    if not wanted:
        return False
    return any(r.startswith(wanted) or c.startswith(wanted) for r, c, _ in RULES) or any(b.startswith(wanted) for b, _ in BUILTINS)


def chosen(rule_id: str, cfn_lint_id: str, opt_in: bool, select: list[str], ignore: list[str], enable: list[str]) -> bool:
    """Whether a run uses a rule: selected (all by default; opt-in rules only when named), minus ignored."""
    ids = (rule_id, cfn_lint_id)
    if select:
        if not matches(ids, select):
            return False
        # Selecting a whole pillar (`SL2`) does not switch on its opt-in rules; naming them does.
        if opt_in and not (rule_id in select or cfn_lint_id in select or matches(ids, enable)):
            return False
    elif opt_in and not matches(ids, enable):
        return False
    return not (ignore and matches(ids, ignore))


def builtin_chosen(rule_id: str, select: list[str], ignore: list[str]) -> bool:
    """The built-ins a run uses: all by default; with `select`, those whose id starts with a selected
    prefix (`--select SL5` selects none, `--select E25` selects E2531 and E2533); minus `ignore`."""
    if select and not rule_id.startswith(tuple(select)):
        return False
    return not (ignore and rule_id.startswith(tuple(ignore)))


def selected_ids(select: Iterable[str] = (), ignore: Iterable[str] = (), enable: Iterable[str] = ()) -> list[str]:
    """The ids of the rules a run uses, in id order."""
    select, ignore, enable = list(select), list(ignore), list(enable)
    return [r for r, cfn_id, opt_in in RULES if chosen(r, cfn_id, opt_in, select, ignore, enable)]


def selected_builtins(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[tuple[str, bool]]:
    """(id, native) of the built-ins a run uses, in id order."""
    select, ignore = list(select), list(ignore)
    return [(b, native) for b, native in BUILTINS if builtin_chosen(b, select, ignore)]
