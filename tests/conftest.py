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


def lint_string(text: str, select: tuple[str, ...] = (), name: str = "template.yaml"):
    """Lint a template given as text (opt-in rules on) and return its FileResult."""
    from slens_lint.engine import Engine, EngineOptions

    return Engine(EngineOptions(select=select, enable=("SL",))).lint_text(text, name)


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None, timeout: float = 120):
    """The real console entry point in a subprocess (no in-process shortcuts)."""
    exe = shutil.which("slens-lint", path=str(Path(sys.executable).parent)) or shutil.which("slens-lint")
    command = [exe, *args] if exe else [sys.executable, "-m", "slens_lint", *args]
    return subprocess.run(command, cwd=cwd, input=input, capture_output=True, text=True, timeout=timeout)
