"""What a default `check` of one small template imports: pre-commit pays the start-up on every commit,
so nothing the template does not need may load (benchmarks/benchmark.py measures the time; this
guards the cause). cfn-lint starts only for a template whose resources its built-ins read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import make_bad_inputs  # noqa: E402  (the templates benchmarks/benchmark.py times)

THREE_LINES = make_bad_inputs.THREE_LINES
ONE_FUNCTION = make_bad_inputs.ONE_FUNCTION

WITH_PERMISSION = THREE_LINES + """\
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:f
      Principal: s3.amazonaws.com
"""

# Never in a default run of a small template: cfn-lint and what its validators pull in, the SAM
# translator (fix verification), the colour library (plain output), the editor server, the browser
# and AWS models of the review, process pools, and the fixing, review and SARIF code paths.
NOT_IMPORTED = (
    "cfnlint",
    "sympy",
    "networkx",
    "jsonschema",
    "samtranslator",
    "rich",
    "pygls",
    "lsprotocol",
    "playwright",
    "botocore",
    "multiprocessing",
    "concurrent.futures",
    "slens_lint.review",
    "slens_lint.lsp",
    "slens_lint.output.sarif",
    "slens_lint.output.review_html",
    "slens_lint.fixes.loop",
    "slens_lint.fixes.verify",
    "slens_lint.fixes.write",
    "slens_lint.session.fixing",
)

_PROBE = """\
import sys
from slens_lint.cli import app
try:
    app(["check", *sys.argv[1:]], standalone_mode=False)
except SystemExit:
    pass
print("\\nMODULES " + " ".join(sorted(sys.modules)))
"""


def _imported(tmp_path: Path, text: str, *args: str) -> set[str]:
    (tmp_path / "template.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.slens-lint]\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args, "template.yaml"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    marker = result.stdout.rsplit("\nMODULES ", 1)
    assert len(marker) == 2, result.stderr
    assert "template.yaml" in marker[0], "the run reported no finding: " + result.stdout + result.stderr
    return set(marker[1].split())


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize("text", [THREE_LINES, ONE_FUNCTION], ids=["three-lines", "one-function"])
@pytest.mark.parametrize("args", [(), ("--no-cache",)], ids=["cached", "no-cache"])
def test_a_small_template_imports_only_what_it_needs(tmp_path: Path, text: str, args: tuple[str, ...]):
    modules = _imported(tmp_path, text, *args)
    assert "slens_lint.engine" in modules  # the probe really ran a check
    loaded = [name for name in NOT_IMPORTED if _loaded(modules, name)]
    assert not loaded, f"a default run of a small template imported {loaded}"


def test_cfn_lint_starts_when_a_built_in_needs_it(tmp_path: Path):
    # The other side of the rule above: a Lambda permission is read by W3663/W3664, cfn-lint's own code.
    modules = _imported(tmp_path, WITH_PERMISSION, "--no-cache")
    assert _loaded(modules, "cfnlint")
    assert not _loaded(modules, "rich")


def test_colour_and_sarif_load_their_libraries_only_when_asked(tmp_path: Path):
    coloured = _imported(tmp_path, THREE_LINES, "--no-cache", "--color")
    assert _loaded(coloured, "rich")
    sarif = _imported(tmp_path, THREE_LINES, "--no-cache", "-f", "sarif")
    assert _loaded(sarif, "slens_lint.output.sarif") and not _loaded(sarif, "cfnlint")


def test_a_run_served_from_the_cache_imports_no_rule(tmp_path: Path):
    # The second run of an unchanged file reads its result from the cache: no rule, model or
    # resource module is needed for that (rule ids come from the generated rules.index).
    first = _imported(tmp_path, THREE_LINES)
    assert _loaded(first, "slens_lint.rules.base")
    second = _imported(tmp_path, THREE_LINES)
    heavy = [m for m in ("slens_lint.rules.base", "slens_lint.template.model", "slens_lint.template.resources") if _loaded(second, m)]
    assert not heavy, f"a run served from the cache imported {heavy}"
