"""The layout keeps its promises: the import contracts of pyproject.toml hold (import-linter), and no
module grows past what one reader can hold in mind."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "slens_lint"
MAX_LINES = 450
"""About 400 lines: a module past this has more than one concern and should be split."""


def test_import_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (pip install -e '.[test]')"
    result = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout
    assert result.stdout.count("KEPT") >= 5


GENERATED = "generated from the rule classes by scripts/generate_rule_docs.py"
"""Said in the docstring of a module the generator writes: data, not code a reader holds in mind."""


def test_no_module_is_too_long():
    long = {
        str(path.relative_to(ROOT)): count
        for path in PACKAGE.rglob("*.py")
        if (count := len((text := path.read_text(encoding="utf-8")).splitlines())) > MAX_LINES
        and GENERATED not in " ".join(text[:400].split())
    }
    assert long == {}
