"""What the commands that lint (`check`, `review`) do alike at the command line's edge: refuse unknown
rule ids, and write a report to a file or to standard output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from slens_lint.cli import _fail


def check_ids(ids: list[str], with_cfn_lint: bool) -> None:
    """Reject ids that match no rule, so a typo in --select does not silently lint nothing."""
    from slens_lint.rules.index import known_id

    for rule_id in ids:
        if known_id(rule_id):
            continue
        if with_cfn_lint and rule_id[:1].upper() in "EWI" and rule_id[1:2].isdigit():
            continue
        raise _fail(f"unknown rule id or prefix '{rule_id}' (see `slens-lint rules`)")


def write_report(text: str, output: Optional[Path]) -> None:
    """The report to `output` (one clean error when it cannot be written), else to standard output."""
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise _fail(f"cannot write {output}: {exc.strerror or exc}")
        return
    sys.stdout.write(text)
    sys.stdout.flush()
