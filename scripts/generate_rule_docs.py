#!/usr/bin/env python3
"""Write rules/<ID>.md, rules/README.md, the id tables of slens_lint/rules/index.py and
slens_lint/rule_catalogue.py from the rule classes (tests fail when they drift).

    python scripts/generate_rule_docs.py          # write
    python scripts/generate_rule_docs.py --check  # exit 1 if anything is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slens_lint.docs import catalogue_text, expected_files  # noqa: E402
from slens_lint.rules.registry import index_tables  # noqa: E402

INDEX = ROOT / "slens_lint" / "rules" / "index.py"
CATALOGUE = ROOT / "slens_lint" / "rule_catalogue.py"


def index_text(current: str) -> str:
    """index.py with its two tables written from the classes (everything else kept)."""
    rules, builtins = index_tables()
    rows = "".join(f'    ("{r}", "{c}", {o}),\n' for r, c, o in rules)
    brows = "".join(f'    ("{b}", {n}),\n' for b, n in builtins)
    head, rest = current.split("RULES: tuple[tuple[str, str, bool], ...] = (\n", 1)
    rest = rest.split(")\n", 1)[1]
    middle, tail = rest.split("BUILTINS: tuple[tuple[str, bool], ...] = (\n", 1)
    tail = tail.split(")\n", 1)[1]
    return (
        head + "RULES: tuple[tuple[str, str, bool], ...] = (\n" + rows + ")\n" + middle
        + "BUILTINS: tuple[tuple[str, bool], ...] = (\n" + brows + ")\n" + tail
    )


def main(argv: list[str]) -> int:
    check = "--check" in argv
    out = ROOT / "rules"
    out.mkdir(exist_ok=True)
    expected = expected_files()
    stale = []
    for name, content in expected.items():
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            stale.append(name)
            if not check:
                path.write_text(content, encoding="utf-8")
    extra = sorted(p.name for p in out.glob("*.md") if p.name not in expected)
    for name in extra:
        stale.append(name)
        if not check:
            (out / name).unlink()
    current = INDEX.read_text(encoding="utf-8")
    if index_text(current) != current:
        stale.append("slens_lint/rules/index.py")
        if not check:
            INDEX.write_text(index_text(current), encoding="utf-8")
    catalogue = catalogue_text()
    if not CATALOGUE.exists() or CATALOGUE.read_text(encoding="utf-8") != catalogue:
        stale.append("slens_lint/rule_catalogue.py")
        if not check:
            CATALOGUE.write_text(catalogue, encoding="utf-8")
    if check and stale:
        print("out of date: " + ", ".join(stale) + " (run scripts/generate_rule_docs.py)")
        return 1
    if not check:
        print(f"wrote {len(expected)} files under rules/" + (f", removed {len(extra)}" if extra else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
