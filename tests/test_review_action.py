"""The action's `review-summary` input: its step, run in bash as the runner runs it with this checkout's
slens-lint, appends the Markdown review to the job summary, with links to the commit on GitHub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _summary_step(action: dict, tmp_path: Path, paths: str) -> tuple[subprocess.CompletedProcess, Path]:
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Serverless Lens review in the job summary")
    # The action's virtual environment is this one (it has this checkout's slens-lint installed).
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    (runner_temp / "slens-lint-venv").symlink_to(Path(sys.executable).parent.parent)
    summary = tmp_path / "step_summary.md"
    summary.write_text("# Earlier steps\n", encoding="utf-8")
    env = dict(
        os.environ,
        RUNNER_TEMP=str(runner_temp),
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_SERVER_URL="https://github.com",
        GITHUB_REPOSITORY="octo/stacks",
        GITHUB_SHA="0123abc",
        INPUT_PATHS=paths,
    )
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    return proc, summary


def test_the_input_is_off_by_default_and_guards_its_step(action):
    assert action["inputs"]["review-summary"]["default"] == "false"
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Serverless Lens review in the job summary")
    assert "inputs.review-summary == 'true'" in step["if"] and "always()" in step["if"]
    assert "${{" not in step["run"], "inputs reach the script through the environment only"


def test_the_review_is_appended_to_the_job_summary(action, tmp_path):
    proc, summary = _summary_step(action, tmp_path, "fixtures/review/repo\nfixtures/samples")
    assert proc.returncode == 0, proc.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier steps\n## Serverless Lens review\n")
    assert "3 templates reviewed" in text
    assert "| **Overall** | **5** | **3** | **1** | **0** |" in text
    assert "(https://github.com/octo/stacks/blob/0123abc/fixtures/review/repo/orders/template.yaml#L28)" in text
    assert len(text.encode("utf-8")) < 1_000_000


def test_odd_paths_cannot_inject_shell_code(action, tmp_path):
    marker = tmp_path / "injected"
    proc, summary = _summary_step(action, tmp_path, f"fixtures/samples $(touch {marker})")
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()
    assert "## Serverless Lens review" in summary.read_text(encoding="utf-8")
