"""Automatic fixes, end to end through the command line: each case of `fixtures/fixes/` is copied to a
temporary folder, fixed with `slens-lint check --fix` (and the case's arguments), and compared byte for
byte with its `after` file. The case's `case.toml` pins which findings were fixed, which remain and
which fixes verification refused.

Every fixed template must also keep every comment, its line endings, decode, add no cfn-lint error,
still transform with the real SAM translator (a test dependency), and change nothing on a second run.

`SLENS_UPDATE_SNAPSHOTS=1` rewrites the `after` files and `case.toml` pins: review their diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import run_check

from slens_lint.fixes.verify import sam_transforms

CASES = Path(__file__).parent.parent / "fixtures" / "fixes"
UPDATE = os.environ.get("SLENS_UPDATE_SNAPSHOTS") == "1"


def _cases() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir())




def _before(folder: Path) -> Path:
    return next(folder.glob("before.*"))


def _findings(folder: Path, name: str, args: list[str]) -> list[str]:
    done = run_check(folder, "-f", "json", *args, name)
    assert done.returncode in (0, 1), done.stderr
    return sorted(f"{f['rule_id']} {f['resource']}" for f in json.loads(done.stdout)["findings"])


def _comments(text: str) -> list[str]:
    """Comment texts (a `#` at a line start or after a space; JSON has none)."""
    return [m.group(0) for m in re.finditer(r"(?:^|(?<=\s))#[^\r\n]*", text, flags=re.M)]


def _cfn_lint_errors(path: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-m", "cfnlint", "--format", "parseable", str(path)], capture_output=True, text=True, timeout=300
    )
    # rule id and message, not the line: the fix moves lines.
    return {":".join(line.split(":")[5:]) for line in done.stdout.splitlines() if ":E" in line}


@pytest.mark.parametrize("case", _cases())
def test_fix_case(case: str, tmp_path: Path):
    source = CASES / case
    spec = tomllib.loads((source / "case.toml").read_text()) if (source / "case.toml").exists() else {}
    args = list(spec.get("args", []))
    folder = tmp_path / case
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("after.*", "case.toml"))
    before_path = _before(folder)
    name = before_path.name
    before = before_path.read_bytes()
    found = _findings(folder, name, args)

    done = run_check(folder, "--fix", *args, name)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    after = before_path.read_bytes()
    remaining = _findings(folder, name, args)
    fixed = sorted(set(found) - set(remaining))
    refused = sorted(line.split("slens-lint: warning: ", 1)[1] for line in done.stderr.splitlines() if "was not applied" in line)
    # Fixes applied, as the summary counts them: a fix can also settle other findings (an alias added
    # for a gradual deployment answers the missing-alias finding too), so `fixed` may be longer.
    summary = re.search(r"^Fixed (\d+) findings?", done.stdout, flags=re.M)
    applied = int(summary.group(1)) if summary else 0

    expected = source / f"after{before_path.suffix}"
    pins = {"applied": applied, "fixed": fixed, "remaining": remaining, "refused": refused}
    if UPDATE:
        expected.write_bytes(after)
        _write_pins(source / "case.toml", spec, pins)
        spec = tomllib.loads((source / "case.toml").read_text())
    assert after == expected.read_bytes(), f"{case}: the fixed file differs from {expected.name}"
    for key, value in pins.items():
        assert spec.get(key, [] if isinstance(value, list) else 0) == value, f"{case}: {key}"
    assert (applied > 0) == (before != after)

    text_before, text_after = before.decode("utf-8"), after.decode("utf-8")
    assert _comments(text_after) == _comments(text_before), "a comment was lost or moved out of order"
    if "\r\n" in text_before:
        assert text_after.count("\n") == text_after.count("\r\n"), "a line ending other than CRLF was written"
    if "AWS::Serverless" in text_before:
        assert sam_transforms(text_after), "the SAM translator rejects the fixed template"
    original = tmp_path / f"original{before_path.suffix}"
    original.write_bytes(before)
    assert _cfn_lint_errors(before_path) <= _cfn_lint_errors(original), "the fix added a cfn-lint error"

    # Idempotent: a second run finds nothing more to fix, and --diff agrees (exit 0, no output).
    again = run_check(folder, "--fix", *args, name)
    assert again.returncode in (0, 1), again.stderr
    assert before_path.read_bytes() == after
    diff = run_check(folder, "--diff", *args, name)
    assert (diff.returncode, diff.stdout) == (0, ""), diff.stdout


def _write_pins(path: Path, spec: dict, pins: dict[str, Any]) -> None:
    """Rewrite the pins of a case.toml, keeping its description and arguments."""
    lines = []
    if "description" in spec:
        lines.append(f"description = {json.dumps(spec['description'])}")
    if "args" in spec:
        lines.append(f"args = {json.dumps(spec['args'])}")
    for key, value in pins.items():
        if isinstance(value, int):
            lines.append(f"{key} = {value}")
            continue
        body = "".join(f"\n  {json.dumps(v)}," for v in value)
        lines.append(f"{key} = [{body}\n]" if value else f"{key} = []")
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("case", _cases())
def test_diff_writes_nothing_and_shows_the_fix(case: str, tmp_path: Path):
    source = CASES / case
    spec = tomllib.loads((source / "case.toml").read_text()) if (source / "case.toml").exists() else {}
    folder = tmp_path / case
    shutil.copytree(source, folder)
    before_path = _before(folder)
    before = before_path.read_bytes()
    done = run_check(folder, "--diff", *spec.get("args", []), before_path.name)
    assert before_path.read_bytes() == before
    expected = (source / f"after{before_path.suffix}").read_bytes()
    if expected == before:
        assert (done.returncode, done.stdout) == (0, "")
        return
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(f"--- a/{before_path.name}\n+++ b/{before_path.name}\n")
    # The diff, applied with patch(1), gives the fixed file.
    patch = shutil.which("patch")
    if patch is None:
        pytest.skip("patch(1) is not installed")
    # The diff as bytes: text mode would turn the CRLF lines of the diff into LF ones.
    raw = subprocess.run(
        [sys.executable, "-m", "slens_lint", "check", "--no-cache", "--diff", *spec.get("args", []), before_path.name],
        cwd=folder, capture_output=True, timeout=300,
    ).stdout
    subprocess.run([patch, "-s", "-p1", "--binary"], input=raw, cwd=folder, check=True)
    assert before_path.read_bytes() == expected


def _apply_replacements(text: str, replacements: list[dict]) -> str:
    """SARIF replacements (1-based lines and columns, end exclusive) applied to a text."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    edits = sorted(
        ((offset(r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]),
          offset(r["deletedRegion"]["endLine"], r["deletedRegion"]["endColumn"]),
          r.get("insertedContent", {}).get("text", "")) for r in replacements),
        reverse=True,
    )
    for start, end, inserted in edits:
        text = text[:start] + inserted + text[end:]
    return text


@pytest.mark.parametrize("case", ["yaml-comments-no-globals", "json-sam-four-spaces", "yaml-crlf", "yaml-flow-style"])
def test_each_sarif_fix_alone_fixes_its_finding(case: str, tmp_path: Path):
    """The edits in SARIF `fixes` are those --fix makes: applied alone to the file as it is, each one
    removes its own finding (GitHub shows them; other SARIF viewers apply them)."""
    source = CASES / case
    spec = tomllib.loads((source / "case.toml").read_text()) if (source / "case.toml").exists() else {}
    folder = tmp_path / case
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("after.*"))
    path = _before(folder)
    original = path.read_bytes()
    done = run_check(folder, "-f", "sarif", *spec.get("args", []), path.name)
    results = json.loads(done.stdout)["runs"][0]["results"]
    with_fixes = [r for r in results if r.get("fixes")]
    assert with_fixes, "no SARIF result carries a fix"
    found = _findings(folder, path.name, spec.get("args", []))
    for result in results:
        assert "fixes" not in result or all(fix["artifactChanges"] for fix in result["fixes"])
    for result in with_fixes:
        (fix,) = result["fixes"]
        (change,) = fix["artifactChanges"]
        assert change["artifactLocation"]["uri"] == path.name
        # Columns count characters of lines as Python splits them on "\n" (a CR stays in its line).
        fixed = _apply_replacements(original.decode("utf-8"), change["replacements"])
        path.write_bytes(fixed.encode("utf-8"))
        after = _findings(folder, path.name, spec.get("args", []))
        line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
        gone = f"{result['ruleId']} {result['locations'][0]['logicalLocations'][0]['name']}"
        assert gone in found and gone not in after, (gone, line)
        path.write_bytes(original)
