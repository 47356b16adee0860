"""Lambda runtime lifecycle dates, as cfn-lint ships them (its `LmbdRuntimeLifecycle.json` data file).

The file is read from the installed cfn-lint package without importing it: the runtime rules need
these dates, not cfn-lint's rule engine (whose start-up is most of a short run's time). It is read here,
in the model, rather than through `slens_lint.compat.cfnlint`: rules may not import that (the import
contracts in pyproject.toml), and it starts cfn-lint. The door lists the file (`DATA_FILES`) and
tests/test_compat.py pins it. A missing or reshaped file is an error, never an empty table: that would
silence the runtime rules.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Optional

DATA_FILE = "data/AdditionalSpecs/LmbdRuntimeLifecycle.json"
"""Relative to the `cfnlint` package."""

_DATES = ("deprecated", "create-block", "update-block")
_KEYS = (*_DATES, "successor")


class LifecycleDataError(RuntimeError):
    """cfn-lint's lifecycle data is missing or no longer has the shape read here."""


@lru_cache(maxsize=1)
def lifecycle() -> dict[str, dict[str, Optional[str]]]:
    """Runtime -> `deprecated`, `create-block`, `update-block` (ISO dates) and `successor`."""
    spec = find_spec("cfnlint")  # finds the package without running its (costly) __init__
    if spec is None or not spec.submodule_search_locations:
        raise LifecycleDataError(f"cfn-lint is not installed: the runtime rules read its {DATA_FILE}")
    path = Path(list(spec.submodule_search_locations)[0]) / DATA_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LifecycleDataError(f"cfn-lint {installed_cfn_lint() or '(version unknown)'}: cannot read {DATA_FILE}: {exc}") from exc
    problem = _shape_problem(data)
    if problem:
        raise LifecycleDataError(f"cfn-lint {installed_cfn_lint() or '(version unknown)'}: {DATA_FILE} has changed shape: {problem}")
    return data


def _shape_problem(data: Any) -> Optional[str]:
    """What differs from `{runtime: {deprecated, create-block, update-block: YYYY-MM-DD or null, successor}}`."""
    if not isinstance(data, dict) or not data:
        return "not a non-empty mapping of runtimes"
    for runtime, entry in data.items():
        missing = [k for k in _KEYS if not isinstance(entry, dict) or k not in entry]
        if missing:
            return f"{runtime!r} has no {', '.join(missing)}"
        for key in _DATES:
            if entry[key] is not None and (not isinstance(entry[key], str) or _day(entry[key]) is None):
                return f"{runtime!r} {key} is {entry[key]!r}, not a YYYY-MM-DD date"
    return None


def installed_cfn_lint() -> Optional[str]:
    """The installed cfn-lint's version, read from its package metadata (not importing it); None when
    it is not installed. The lifecycle data is that version's, and so are the results cached."""
    try:
        return version("cfn-lint")
    except PackageNotFoundError:
        return None


def _day(text: Optional[str]) -> Optional[date]:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date() if text else None
    except ValueError:
        return None


def phase(runtime: str, today: Optional[date] = None) -> Optional[str]:
    """Where a runtime is in its lifecycle today: `update-blocked` (no function may be updated),
    `create-blocked` (no function may be created), `deprecated` (no more patches), or None."""
    data = lifecycle().get(runtime)
    if not data:
        return None
    today = today or date.today()
    deprecated, create, update = _day(data.get("deprecated")), _day(data.get("create-block")), _day(data.get("update-block"))
    if update and update <= today:
        return "update-blocked"
    if create and create <= today and update and update > today:
        return "create-blocked"
    if deprecated and deprecated <= today and create and create > today and update and update > today:
        return "deprecated"
    return None


def describe(runtime: str) -> str:
    """cfn-lint's words for a deprecated runtime (its messages are kept for these built-in rules)."""
    data = lifecycle().get(runtime, {})
    return (
        f"Runtime {runtime!r} was deprecated on {data.get('deprecated')!r}. Creation was disabled on "
        f"{data.get('create-block')!r} and update on {data.get('update-block')!r}. Please consider "
        f"updating to {data.get('successor')!r}"
    )
