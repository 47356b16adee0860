"""The first-contact trial: `slens-lint check` with no option on ten small real templates, as a new
user would run it. Prints, per template, the findings, the lines of output and the exit code.

    python scripts/first_contact_trial.py [--corpus PATH] [--exe PATH-TO-slens-lint]

The ten templates are the smallest `serverless-patterns` templates with a SAM function (ties by
path), so the choice is the same on every run and for every version compared.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("SLENS_CORPUS", ROOT.parent / "shared" / "corpus"))


def pick(corpus: Path, count: int = 10) -> list[Path]:
    candidates = [
        p for p in corpus.rglob("template.y*ml")
        if "AWS::Serverless::Function" in p.read_text(encoding="utf-8", errors="replace")
    ]
    return sorted(candidates, key=lambda p: (p.stat().st_size, str(p)))[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--exe", default=shutil.which("slens-lint") or "slens-lint")
    options = parser.parse_args()
    total_findings = total_lines = failed = 0
    print(f"{'template':<58} {'lines':>5} {'findings':>8} {'output':>6} {'exit':>4}")
    for path in pick(options.corpus):
        done = subprocess.run(
            [options.exe, "check", "--no-color", "--no-cache", str(path.name)], cwd=path.parent, capture_output=True, text=True, timeout=300
        )
        output = (done.stdout + done.stderr).splitlines()
        findings = sum(1 for line in output if re.match(r"^\S+:\d+:\d+ [A-Z]+\d+ ", line))
        lines = len(path.read_text(encoding="utf-8", errors="replace").splitlines())
        total_findings += findings
        total_lines += len(output)
        failed += done.returncode != 0
        name = path.parent.name[-58:]
        print(f"{name:<58} {lines:>5} {findings:>8} {len(output):>6} {done.returncode:>4}")
    print(f"{'total':<58} {'':>5} {total_findings:>8} {total_lines:>6} {failed:>4} failed")


if __name__ == "__main__":
    sys.exit(main())
