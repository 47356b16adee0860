"""Lambda runtime lifecycle dates, as cfn-lint ships them (its `LmbdRuntimeLifecycle.json` data file).

The file is read from the installed cfn-lint package without importing it: the runtime rules need
these dates, not cfn-lint's rule engine (whose start-up is most of a short run's time).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Optional

DATA_FILE = ("data", "AdditionalSpecs", "LmbdRuntimeLifecycle.json")


@lru_cache(maxsize=1)
def lifecycle() -> dict[str, dict[str, Optional[str]]]:
    """Runtime -> `deprecated`, `create-block`, `update-block` (ISO dates) and `successor`."""
    spec = find_spec("cfnlint")  # finds the package without running its (costly) __init__
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*DATA_FILE)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


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
