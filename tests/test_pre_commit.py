"""The pre-commit hooks, run by the real `pre-commit` in throwaway git repositories.

pre-commit builds each hook's virtualenv from PyPI (network needed). `try-repo` always builds into a
fresh store of its own, so it runs once. The other tests use `repo: local` hooks that install this
project: they share one environment in a session-wide PRE_COMMIT_HOME, built once.

The repositories configure `select = ["SL501", "SL502"]` so that rules added later do not change what
these tests see.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ORDERS_TEMPLATE

ROOT = Path(__file__).resolve().parent.parent
INSTALL_TIMEOUT = 900

# SL501 on line 6 (the function's Properties: no log group), SL502 on line 12 (no RetentionInDays).
ORDERS = ORDERS_TEMPLATE

CLEAN = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  PaymentsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
  PaymentsFunctionLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/${PaymentsFunction}
      RetentionInDays: 30
"""

# YAML and JSON that pre-commit hands to a `types_or: [yaml, json]` hook but that are not templates;
# the last three do not even parse as one YAML/JSON document.
NOT_TEMPLATES = {
    ".github/workflows/ci.yaml": "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
    "package.json": '{"name": "orders", "private": true}\n',
    "tsconfig.json": '{\n  // strict type checks\n  "compilerOptions": {"strict": true}\n}\n',
    "charts/orders/templates/service.yaml": "metadata:\n  name: {{ .Values.name }}\n  labels:\n    {{- include \"labels\" . | nindent 4 }}\n",
    "k8s/manifests.yaml": "kind: Service\n---\nkind: Deployment\n",
}

SELECT = 'select = ["SL501", "SL502"]\n'


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "pre_commit"]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.com",
    )
    return env


def _git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def make_repo(path: Path, files: dict[str, str], env: dict[str, str]) -> Path:
    for name, text in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    _git("init", "-q", cwd=path, env=env)
    _git("add", ".", cwd=path, env=env)
    # A signing setup in the user's git configuration must not get in the way of a throwaway commit.
    _git("-c", "commit.gpgsign=false", "commit", "-q", "-m", "fixture", cwd=path, env=env)
    return path


def run_pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [*_pre_commit(), *args, "--color", "never"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
    )
    # Installing a hook environment is the one part that can fail for reasons outside this project.
    assert "An unexpected error has occurred" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _local_hook(hook_id: str, **overrides) -> dict:
    """A hook of our manifest as a `repo: local` hook installing this project.

    Same entry, file types and options as `.pre-commit-hooks.yaml` says; only the installation differs
    (the project path instead of a clone of a rev). Every local hook with these dependencies shares one
    environment, built once per session.
    """
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in manifest if h["id"] == hook_id]
    return {**hook, "additional_dependencies": [str(ROOT)], **overrides}


def _config(*hooks: dict) -> str:
    # JSON is YAML: no quoting surprises with paths or regular expressions.
    return json.dumps({"repos": [{"repo": "local", "hooks": list(hooks)}]}, indent=2)


def test_manifest_is_valid(pre_commit_home: Path):
    result = run_pre_commit("validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"), cwd=ROOT, env=_env(pre_commit_home))
    assert result.returncode == 0, result.stdout + result.stderr


def test_try_repo_reports_findings_and_passes_over_other_files(tmp_path: Path, pre_commit_home: Path):
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs the project as a git checkout (this is an unpacked source archive)")
    env = _env(pre_commit_home)
    repo = make_repo(
        tmp_path / "app",
        {"templates/orders.yaml": ORDERS, "templates/clean.yaml": CLEAN, ".slens-lint.toml": SELECT, **NOT_TEMPLATES},
        env,
    )
    result = run_pre_commit("try-repo", str(ROOT), "slens-lint", "--all-files", cwd=repo, env=env)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert re.search(r"^slens-lint \(Serverless Lens\)\.+Failed$", out, re.M), out
    assert re.search(r"^templates/orders\.yaml:6:\d+ SL501\b", out, re.M), out
    assert re.search(r"^templates/orders\.yaml:12:\d+ SL502\b", out, re.M), out
    for other in ("templates/clean.yaml", *NOT_TEMPLATES):
        assert other not in out, f"{other} mentioned:\n{out}"


def test_fail_on_error_lets_warnings_pass(tmp_path: Path, pre_commit_home: Path):
    env = _env(pre_commit_home)
    config = _config(_local_hook("slens-lint", args=["--fail-on", "error"]))
    repo = make_repo(
        tmp_path / "app",
        {"templates/orders.yaml": ORDERS, ".slens-lint.toml": SELECT, ".pre-commit-config.yaml": config, **NOT_TEMPLATES},
        env,
    )
    result = run_pre_commit("run", "--all-files", "--verbose", cwd=repo, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    # Still reported (SL501 and SL502 are warnings), only not failing.
    assert re.search(r"^templates/orders\.yaml:6:\d+ SL501\b", result.stdout, re.M), result.stdout


def test_config_hook_lints_the_configured_paths(tmp_path: Path, pre_commit_home: Path):
    env = _env(pre_commit_home)
    repo = make_repo(
        tmp_path / "app",
        {
            "infra/orders.yaml": ORDERS,
            "infra/clean.yaml": CLEAN,
            # Outside the configured paths: never linted, although it has findings.
            "examples/orders.yaml": ORDERS,
            ".slens-lint.toml": SELECT + 'paths = ["infra"]\n',
            ".pre-commit-config.yaml": _config(_local_hook("slens-lint-config")),
            **NOT_TEMPLATES,
        },
        env,
    )
    result = run_pre_commit("run", "--all-files", cwd=repo, env=env)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert re.search(r"^infra/orders\.yaml:6:\d+ SL501\b", out, re.M), out
    assert "examples/orders.yaml" not in out and "infra/clean.yaml" not in out, out


def test_cfn_lint_hook_route(tmp_path: Path, pre_commit_home: Path):
    """cfn-lint's own hook with our rules appended, as a `repo: local` hook installing this project.

    `--append-rules=...` is one token on purpose: cfn-lint's `--append-rules` takes one or more values,
    so `--append-rules slens_lint.cfn_rules` followed by pre-commit's file names would read the file
    names as rule modules.
    """
    env = _env(pre_commit_home)
    config = _config(
        {
            "id": "cfn-lint",
            "name": "cfn-lint",
            "language": "python",
            "entry": "cfn-lint --append-rules=slens_lint.cfn_rules",
            "additional_dependencies": [str(ROOT)],
            # cfn-lint reports any YAML/JSON that is not a template: its hook needs `files`.
            "files": r"^templates/.*\.(ya?ml|json)$",
        }
    )
    repo = make_repo(
        tmp_path / "app",
        {"templates/orders.yaml": ORDERS, "templates/clean.yaml": CLEAN, ".pre-commit-config.yaml": config, **NOT_TEMPLATES},
        env,
    )
    result = run_pre_commit("run", "--all-files", cwd=repo, env=env)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert re.search(r"^cfn-lint\.+Failed$", out, re.M), out
    # cfn-lint's default format: "<id> <message>" then "<file>:<line>:<column>".
    reported = re.findall(r"^([EWI]\w+) .*\n(\S+):(\d+):(\d+)$", out, re.M)
    ours = {(rule, file, int(line)) for rule, file, line, _ in reported if rule in ("WSL501", "WSL502")}
    assert ours == {("WSL501", "templates/orders.yaml", 6), ("WSL502", "templates/orders.yaml", 12)}, out
    for other in NOT_TEMPLATES:
        assert other not in out
