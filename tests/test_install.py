"""Installable as documented: the wheel built from this checkout installs into a fresh environment
(dependencies from the package index, nothing from this checkout) and its commands work there, with
everything they read packaged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(os.environ.get("SLENS_SKIP_INSTALL_TEST") == "1", reason="SLENS_SKIP_INSTALL_TEST=1")


def _run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    # A clean environment: no PYTHONPATH or virtual environment of the test run leaking in.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    # Build from a copy, so the build cannot pick up anything but what the checkout holds.
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", ".ci", "node_modules", "__pycache__", ".slens-lint-cache", "artifacts"))
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(source)], cwd=work)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (work / "dist").glob("slens_lint-*.whl")
    venv = work / "venv"
    assert _run([sys.executable, "-m", "venv", str(venv)], cwd=work).returncode == 0
    done = _run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], cwd=work)
    if done.returncode != 0 and "No matching distribution" in done.stderr:
        pytest.skip(f"the package index is not reachable to install the dependencies: {done.stderr[-300:]}")
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin"


def test_the_wheel_holds_the_package_only(installed: Path):
    listing = _run([str(installed / "python"), "-c", "import slens_lint, pathlib; print(pathlib.Path(slens_lint.__file__).parent)"], cwd=installed)
    package = Path(listing.stdout.strip())
    assert "site-packages" in package.parts, package
    assert (package / "review").is_dir() and (package / "rules" / "cost").is_dir()


def test_check_explain_rules_and_lsp_help_work_from_the_wheel(installed: Path, tmp_path: Path):
    shutil.copy(ROOT / "fixtures" / "samples" / "sam-app" / "template.yaml", tmp_path / "template.yaml")
    check = _run([str(installed / "slens-lint"), "check", "-f", "json", "template.yaml"], cwd=tmp_path)
    assert check.returncode == 1, check.stderr
    assert {f["rule_id"] for f in json.loads(check.stdout)["findings"]} >= {"SL107", "SL501"}
    explain = _run([str(installed / "slens-lint"), "explain", "SL501"], cwd=tmp_path)
    assert explain.returncode == 0 and explain.stdout.startswith("# SL501: ")
    rules = _run([str(installed / "slens-lint"), "rules", "-f", "json"], cwd=tmp_path)
    assert rules.returncode == 0 and len(json.loads(rules.stdout)) >= 40
    lsp = _run([str(installed / "slens-lint"), "lsp", "--help"], cwd=tmp_path)
    assert lsp.returncode == 0 and "language server" in lsp.stdout
    review = _run([str(installed / "slens-lint"), "review", "-f", "json", "template.yaml"], cwd=tmp_path)
    assert review.returncode == 0 and json.loads(review.stdout)["reviews"], review.stderr
    # cfn-lint finds the rules of the installed package, as the docs say.
    cfn_lint = _run([str(installed / "cfn-lint"), "--append-rules", "slens_lint.cfn_rules", "--", "template.yaml"], cwd=tmp_path)
    assert "WSL501" in cfn_lint.stdout, cfn_lint.stdout + cfn_lint.stderr
