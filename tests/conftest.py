from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# The shared corpus sits beside the repository (../shared/corpus) in CI and in development.
CORPUS = Path(os.environ.get("SLENS_CORPUS", ROOT.parent / "shared" / "corpus"))


# `# expect: ID Resource line` in a fail fixture (YAML), or in a `.expect` file beside a JSON one.
EXPECT = re.compile(r"^\s*#?\s*expect:\s*(?P<id>\S+)\s+(?P<resource>\S+)\s+(?P<line>\d+)\s*$")


def expectations(path: Path) -> set[tuple[str, str, int]]:
    """The findings a fixture expects: (rule id, resource, line)."""
    source = path.with_name(path.name + ".expect") if path.suffix == ".json" else path
    found = set()
    for line in source.read_text(encoding="utf-8").splitlines():
        m = EXPECT.match(line)
        if m:
            found.add((m["id"], m["resource"], int(m["line"])))
    return found


# A function without a log group (SL501 on line 6, its Properties key) and a log group without
# retention (SL502 on line 12): the template the integration tests (pre-commit, cfn-lint) lint.
ORDERS_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
  AuditLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /app/audit
"""


def run_check(folder: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`slens-lint check` in `folder`, as a user runs it, without the results cache and colours (so a
    test sees this run's work only)."""
    return subprocess.run(
        [sys.executable, "-m", "slens_lint", "check", "--no-cache", "--no-color", *args],
        cwd=folder, capture_output=True, text=True, timeout=timeout,
    )


def lint_string(text: str, select: tuple[str, ...] = (), name: str = "template.yaml"):
    """Lint a template given as text (opt-in rules on) and return its FileResult."""
    from slens_lint.engine import Engine, EngineOptions

    return Engine(EngineOptions(select=select, enable=("SL",))).lint_text(text, name)


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None, timeout: float = 120):
    """The real console entry point in a subprocess (no in-process shortcuts)."""
    exe = shutil.which("slens-lint", path=str(Path(sys.executable).parent)) or shutil.which("slens-lint")
    command = [exe, *args] if exe else [sys.executable, "-m", "slens_lint", *args]
    return subprocess.run(command, cwd=cwd, input=input, capture_output=True, text=True, timeout=timeout)


# Real templates committed with the repository (a slice of the corpus, MIT-0, see fixtures/real/README.md):
# what tests that need real-world templates lint when the full corpus is not beside the checkout.
REAL = FIXTURES / "real"
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")


def real_templates(step: int = 1) -> list[Path]:
    """The committed real templates, plus every `step`-th corpus file when the corpus is present."""
    files = sorted(p for p in REAL.rglob("*") if p.suffix in TEMPLATE_SUFFIXES)
    if CORPUS.is_dir():
        corpus = sorted(p for p in CORPUS.rglob("*") if p.suffix in TEMPLATE_SUFFIXES)
        files += corpus[::step]
    return files


def needs_corpus():
    """Skip marker for tests that need the full corpus (566 templates), naming how to provide it."""
    import pytest

    return pytest.mark.skipif(
        not CORPUS.is_dir(), reason=f"needs the 566-template corpus at {CORPUS}: set SLENS_CORPUS to its folder"
    )
