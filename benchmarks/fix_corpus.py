"""`slens-lint check --fix` on a copy of a corpus: what it changes, and what it must never change.

    python benchmarks/fix_corpus.py                     # ../shared/corpus (or $SLENS_CORPUS), safe fixes
    python benchmarks/fix_corpus.py --unsafe-fixes      # the unsafe ones too
    python benchmarks/fix_corpus.py --corpus PATH --json results.json

The corpus is copied to a temporary folder (never fixed in place). Reported: templates changed,
findings fixed, findings remaining by rule, fixes refused by verification (with the reasons), comment
lines lost (must be 0), templates the SAM translator transformed before and no longer does (must be 0),
changes made by a second run (must be 0), and the time the fixing run took.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("SLENS_CORPUS", ROOT.parent / "shared" / "corpus"))
COMMENT = re.compile(r"(?:^|(?<=\s))#[^\r\n]*", flags=re.M)


def _cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "slens_lint", "check", "--no-cache", "--no-color", *args],
        cwd=folder, capture_output=True, text=True, timeout=3600,
    )


def _findings(folder: Path, args: list[str]) -> list[dict]:
    done = _cli(folder, "-f", "json", *args, ".")
    if done.returncode not in (0, 1, 2):
        raise SystemExit(f"slens-lint failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)["findings"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _comments(data: bytes) -> Counter[str]:
    return Counter(COMMENT.findall(data.decode("utf-8", "replace")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--unsafe-fixes", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    options = parser.parse_args()
    if not options.corpus.is_dir():
        raise SystemExit(f"no corpus at {options.corpus} (pass --corpus or set SLENS_CORPUS)")
    args = ["--unsafe-fixes"] if options.unsafe_fixes else []

    with tempfile.TemporaryDirectory(prefix="slens-fix-corpus-") as tmp:
        folder = Path(tmp) / "corpus"
        shutil.copytree(options.corpus, folder)
        before = _snapshot(folder)
        found = _findings(folder, args)

        started = time.perf_counter()
        fixing = _cli(folder, "--fix", *args, ".")
        elapsed = time.perf_counter() - started
        after = _snapshot(folder)
        remaining = _findings(folder, args)

        again = _cli(folder, "--fix", *args, ".")
        second = _snapshot(folder)

        changed = [name for name in before if before[name] != after.get(name)]
        lost = sum(sum((_comments(before[n]) - _comments(after[n])).values()) for n in changed)
        translator_broken = _translator_regressions(before, after, changed)
        refused = [line.split("warning: ", 1)[1] for line in fixing.stderr.splitlines() if "was not applied" in line]
        reasons = Counter(re.sub(r".*was not applied: ", "", r) for r in refused)
        fixed_count = re.search(r"^Fixed (\d+) findings?", fixing.stdout, flags=re.M)

        results = {
            "corpus_files": len(before),
            "mode": "safe and unsafe fixes" if options.unsafe_fixes else "safe fixes",
            "findings_before": len(found),
            "templates_changed": len(changed),
            "fixes_applied": int(fixed_count.group(1)) if fixed_count else 0,
            "findings_gone": len(found) - len(remaining),
            "findings_remaining": len(remaining),
            "remaining_by_rule": dict(Counter(f["rule_id"] for f in remaining).most_common()),
            "fixes_refused": len(refused),
            "refusal_reasons": dict(reasons.most_common()),
            "comment_lines_lost": lost,
            "translator_regressions": translator_broken,
            "second_run_changes": sum(1 for n in after if after[n] != second.get(n)),
            "second_run_exit": again.returncode,
            "fix_seconds": round(elapsed, 1),
        }
    _print(results)
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")


def _translator_regressions(before: dict[str, bytes], after: dict[str, bytes], changed: list[str]) -> int | str:
    try:
        from slens_lint.fixes.verify import sam_transforms
    except ImportError:
        return "not checked"
    try:
        import samtranslator  # noqa: F401
    except ImportError:
        return "not checked (install the sam extra)"
    broken = 0
    for name in changed:
        old, new = before[name].decode("utf-8", "replace"), after[name].decode("utf-8", "replace")
        if "AWS::Serverless" in old and sam_transforms(old) and not sam_transforms(new):
            broken += 1
    return broken


def _print(results: dict) -> None:
    width = max(len(k) for k in results)
    for key, value in results.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for name, count in value.items():
                print(f"  {name}: {count}")
        else:
            print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
