"""Baselines: the findings a team has accepted, recorded in a file, so a run reports only new ones.

    slens-lint check --write-baseline .slens-lint-baseline.json    # record today's findings
    slens-lint check --baseline .slens-lint-baseline.json          # report only the others

An entry is matched by the finding's file (relative to the baseline's folder) and its fingerprint
(rule, subject, the property judged and what the template holds there; see `engine.place`), never by
line: inserting lines, reformatting, or renaming another resource keeps every entry matching, while
changing the flagged property or adding an offending resource reports exactly the new findings.

The file is JSON sorted by file, rule and resource, one entry per line, so that its diffs review
well; writing it again for an unchanged repository gives the same bytes.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from slens_lint.findings import Finding

VERSION = 1


class BaselineError(Exception):
    """A baseline that cannot be read (one line, naming the file)."""


def _relative(file: str, folder: Path) -> str:
    try:
        return Path(os.path.relpath(Path(file).resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(file).as_posix()


def _entry(finding: Finding, folder: Path) -> dict[str, str]:
    return {
        "file": _relative(finding.file, folder),
        "rule": finding.rule_id,
        "resource": finding.resource or "",
        "fingerprint": finding.fingerprint or "",
        "message": finding.message,
    }


def render(findings: Iterable[Finding], folder: Path) -> str:
    """The baseline file's text for `findings` (paths relative to `folder`, the file's folder)."""
    entries = sorted(
        (_entry(f, folder) for f in findings if f.fingerprint),
        key=lambda e: (e["file"], e["rule"], e["resource"], e["fingerprint"], e["message"]),
    )
    lines = [json.dumps(e, ensure_ascii=False) for e in entries]
    body = ",\n".join(f"    {line}" for line in lines)
    return (
        "{\n"
        f'  "version": {VERSION},\n'
        '  "tool": "slens-lint",\n'
        '  "note": "Accepted findings (slens-lint check --baseline); write it again with --write-baseline.",\n'
        '  "findings": [\n' + (body + "\n" if body else "") + "  ]\n}\n"
    )


def write(path: Path, findings: Iterable[Finding]) -> int:
    """Write the baseline for `findings`; returns how many entries it holds."""
    text = render(findings, path.parent)
    path.write_text(text, encoding="utf-8")
    return text.count('"fingerprint"')


@dataclass
class Applied:
    kept: list[Finding]
    baselined: int
    stale: list[dict[str, str]]
    """Entries no finding matched any more: the baseline can shrink (write it again)."""


class Baseline:
    def __init__(self, path: Path, entries: list[dict[str, str]]) -> None:
        self.path = path
        self.entries = entries

    @classmethod
    def load(cls, path: Path) -> "Baseline":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise BaselineError(f"{path}: not a slens-lint baseline (invalid JSON: {exc})") from exc
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
            raise BaselineError(f"{path}: not a slens-lint baseline of version {VERSION}")
        entries = [e for e in data["findings"] if isinstance(e, dict) and isinstance(e.get("fingerprint"), str)]
        return cls(path, entries)

    def apply(self, findings: Iterable[Finding]) -> Applied:
        """The findings the baseline does not hold, how many it held, and its entries nothing matched."""
        folder = self.path.parent
        available = Counter((e.get("file", ""), e["fingerprint"]) for e in self.entries)
        kept: list[Finding] = []
        baselined = 0
        for finding in findings:
            key = (_relative(finding.file, folder), finding.fingerprint or "")
            if finding.fingerprint and available[key] > 0:
                available[key] -= 1
                baselined += 1
            else:
                kept.append(finding)
        stale = []
        for entry in self.entries:
            key = (entry.get("file", ""), entry["fingerprint"])
            if available[key] > 0:
                available[key] -= 1
                stale.append(entry)
        return Applied(kept, baselined, stale)
