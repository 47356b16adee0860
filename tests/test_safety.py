"""What linting a template may never do: run its code, parse it with an unsafe loader, open a network
connection, print machine paths it was not given, repeat a secret; and one rule's bug never ends the
run (it is reported for that file and rule, exit code 3)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES, ROOT, run_cli

PACKAGE = ROOT / "slens_lint"
HANG = 900

# ---- safe loading, no code execution -----------------------------------------------------------


def test_the_decoder_is_built_on_the_safe_loader():
    from cfnlint.decode import cfn_yaml
    from yaml.constructor import FullConstructor, SafeConstructor, UnsafeConstructor

    assert issubclass(cfn_yaml.CfnFullLoader, SafeConstructor)
    assert not issubclass(cfn_yaml.CfnFullLoader, (FullConstructor, UnsafeConstructor))


_FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
_FORBIDDEN_ATTRIBUTES = {
    ("yaml", "load"), ("yaml", "load_all"), ("yaml", "unsafe_load"), ("yaml", "full_load"),
    ("pickle", "load"), ("pickle", "loads"), ("marshal", "loads"),
    ("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execvp"), ("os", "spawnv"),
}
_FORBIDDEN_MODULES = {"subprocess", "socket", "urllib.request", "http.client", "requests", "pickle", "shelve"}


def test_package_source_has_no_way_to_run_or_fetch_code():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in _FORBIDDEN_CALLS:
                    found.append(f"{where} {func.id}()")
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    if (func.value.id, func.attr) in _FORBIDDEN_ATTRIBUTES:
                        found.append(f"{where} {func.value.id}.{func.attr}()")
                for keyword in node.keywords:
                    if keyword.arg == "Loader" and "Safe" not in ast.unparse(keyword.value):
                        found.append(f"{where} Loader={ast.unparse(keyword.value)}")
            elif isinstance(node, ast.Import):
                found += [f"{where} import {a.name}" for a in node.names if a.name in _FORBIDDEN_MODULES]
            elif isinstance(node, ast.ImportFrom) and node.module in _FORBIDDEN_MODULES:
                found.append(f"{where} from {node.module} import ...")
    assert found == []


def test_nothing_in_a_template_is_executed(tmp_path: Path):
    marker = tmp_path / "executed"
    python_tags = textwrap.dedent(
        f"""\
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: !!python/object/apply:os.system ["touch {marker}"]
        """
    )
    inline_code = textwrap.dedent(
        f"""\
        Transform: [AWS::Serverless-2016-10-31, SomeMacro]
        Resources:
          Function:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: index.handler
              InlineCode: |
                open("{marker}", "w").write("ran")
                import os; os.system("touch {marker}")
          Legacy:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: nodejs20.x
              Handler: index.handler
              Role: arn:aws:iam::123456789012:role/r
              Code:
                ZipFile: require('fs').writeFileSync("{marker}", "ran")
          Included:
            Type: AWS::SNS::Topic
            Properties:
              Fn::Transform:
                Name: AWS::Include
                Parameters:
                  Location: file://{marker}
        """
    )
    (tmp_path / "tags.yaml").write_text(python_tags)
    (tmp_path / "code.yaml").write_text(inline_code)
    for extra in ([], ["--cfn-lint"]):
        result = run_cli("check", "-f", "json", *extra, "tags.yaml", "code.yaml", cwd=tmp_path, timeout=HANG)
        document = json.loads(result.stdout)
        (error,) = document["errors"]
        assert error["file"] == "tags.yaml" and "python/object/apply" in error["reason"]
        assert any(f["file"] == "code.yaml" for f in document["findings"])
        assert not marker.exists()


# ---- no network ----------------------------------------------------------------------------------

_NO_NETWORK = """\
import os, socket

_LOG = os.environ["SLENS_NETWORK_LOG"]


def _refuse(what, *args, **kwargs):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {what} {args!r:.200}\\n")
    raise OSError(f"network disabled for this test ({what})")


_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse("connect", address)
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse("connect_ex", address)
    return _connect_ex(self, address)


socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    setattr(socket, _name, lambda *a, _n=_name, **k: _refuse(_n, *a, **k))
"""


@pytest.fixture
def offline(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """Environment in which every Python process (workers included) refuses and logs network use."""
    site = tmp_path / "offline-site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_NO_NETWORK)
    log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    env["SLENS_NETWORK_LOG"] = str(log)
    return env, log


def _cli(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    import shutil

    exe = shutil.which("slens-lint", path=str(Path(sys.executable).parent))
    command = [exe, *args] if exe else [sys.executable, "-m", "slens_lint", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=HANG)


def test_the_offline_harness_does_block_connections(offline, tmp_path: Path):
    env, log = offline
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 443), timeout=1)"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert probe.returncode != 0 and "network disabled for this test" in probe.stderr
    assert "create_connection" in log.read_text()


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS} (set SLENS_CORPUS)")
def test_corpus_is_linted_offline_with_relative_paths(offline):
    env, log = offline
    # Named relative to the working folder: every path in the output stays relative.
    done = _cli("check", "--no-cache", "-f", "json", CORPUS.name, cwd=CORPUS.parent, env=env)
    assert done.returncode in (1, 2), done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert not log.exists(), log.read_text()
    document = json.loads(done.stdout)
    assert document["summary"]["linted"] >= 540
    files = {f["file"] for f in document["findings"]} | {e["file"] for e in document["errors"]}
    assert files and all(f.startswith(CORPUS.name + "/") for f in files), sorted(files)[:5]
    assert str(CORPUS.parent) not in done.stdout + done.stderr


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS} (set SLENS_CORPUS)")
def test_cfn_lint_route_is_offline_too(offline):
    env, log = offline
    sample = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("template.yaml"))[:12]
    done = _cli("check", "--no-cache", "-f", "sarif", "--cfn-lint", *sample, cwd=CORPUS, env=env)
    assert done.returncode in (1, 2, 3), done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert not log.exists(), log.read_text()
    assert str(CORPUS) not in done.stdout


def test_absolute_paths_appear_only_when_given(tmp_path: Path):
    (tmp_path / "infra").mkdir()
    template = (FIXTURES / "bad-input" / "valid.yaml").read_text()
    (tmp_path / "infra" / "template.yaml").write_text(template)
    for fmt in ("text", "json", "parseable", "sarif", "github"):
        relative = run_cli("check", "-f", fmt, "infra", cwd=tmp_path, timeout=HANG)
        assert relative.returncode == 1, relative.stderr
        assert str(tmp_path) not in relative.stdout + relative.stderr, fmt
    absolute = run_cli("check", "-f", "json", str(tmp_path / "infra" / "template.yaml"), cwd=tmp_path, timeout=HANG)
    assert {f["file"] for f in json.loads(absolute.stdout)["findings"]} == {str(tmp_path / "infra" / "template.yaml")}


# ---- secrets ------------------------------------------------------------------------------------

_SECRET_FIXTURE = FIXTURES / "rules" / "SL211" / "fail-sam.yaml"
_SECRETS = ["hunter2-but-longer", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "AKIAIOSFODNN7EXAMPLE"]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_secrets_stay_out_of_every_output_with_all_default_rules_and_debug(fmt: str):
    # tests/test_secret_rules.py checks SL211/SL212 alone; here every default rule and built-in runs
    # on the same file, with --debug, so no other message or fix hint may quote the value either.
    result = run_cli("check", "-f", fmt, "--debug", "--enable", "SL", str(_SECRET_FIXTURE), timeout=HANG)
    assert "SL211" in result.stdout
    for value in _SECRETS:
        assert value not in result.stdout + result.stderr, (fmt, value)


# ---- a rule's bug ---------------------------------------------------------------------------------

_BROKEN_RULE = """\
import sys
from slens_lint.findings import Severity
from slens_lint.rules import registry
from slens_lint.rules.base import Rule


class ExplodingRule(Rule):
    id = "SL599"
    severity = Severity.WARNING
    title = "A rule with a bug"
    practice = "Cost optimization 1: test"

    def subjects(self, template):
        return template.functions()

    def judge(self, function, template):
        if function.logical_id == "Boom":
            raise KeyError("the bug")
        return self.met(function)


ExplodingRule.__module__ = "slens_lint.rules.cost.exploding_rule"
_real = registry.rule_classes()
registry.rule_classes = lambda: (*_real, ExplodingRule)

from slens_lint.cli import main

sys.argv = ["slens-lint", *sys.argv[1:]]
main()
"""

_BOOM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Boom:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
"""


def _with_broken_rule(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _BROKEN_RULE, *args], cwd=cwd, capture_output=True, text=True, timeout=HANG
    )


def test_a_rule_that_raises_is_reported_for_that_file_and_rule(tmp_path: Path):
    (tmp_path / "boom.yaml").write_text(_BOOM)
    (tmp_path / "fine.yaml").write_text(_BOOM.replace("Boom", "Fine"))
    done = _with_broken_rule("check", "-f", "json", "boom.yaml", "fine.yaml", cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    document = json.loads(done.stdout)
    (error,) = document["errors"]
    assert error["file"] == "boom.yaml" and error["kind"] == "internal"
    assert error["reason"].startswith("[SL599] internal error in rule SL599: KeyError") and "\n" not in error["reason"]
    # Every other rule still reported on both files, the broken one included.
    by_file = {}
    for finding in document["findings"]:
        by_file.setdefault(finding["file"], set()).add(finding["rule_id"])
    assert by_file["boom.yaml"] == by_file["fine.yaml"] and "SL501" in by_file["boom.yaml"]
    assert "boom.yaml: [SL599] internal error in rule SL599" in done.stderr


def test_debug_shows_the_rule_traceback(tmp_path: Path):
    (tmp_path / "boom.yaml").write_text(_BOOM)
    quiet = _with_broken_rule("check", "--no-color", "boom.yaml", cwd=tmp_path)
    loud = _with_broken_rule("check", "--no-color", "--debug", "boom.yaml", cwd=tmp_path)
    assert quiet.returncode == loud.returncode == 3
    assert "Traceback" not in quiet.stdout + quiet.stderr
    assert "Traceback (most recent call last)" in loud.stderr  # with the error line, on stderr
    # The frames of the rule's own judge (its source is a `-c` string, so there is no line text).
    assert ', in judge' in loud.stderr and "KeyError: 'the bug'" in loud.stderr


def test_a_rule_error_in_a_worker_process_is_reported_the_same_way(tmp_path: Path):
    for index in range(20):
        (tmp_path / f"fine-{index:02d}.yaml").write_text(_BOOM.replace("Boom", "Fine"))
    (tmp_path / "boom.yaml").write_text(_BOOM)
    done = _with_broken_rule("check", "-f", "json", "--jobs", "2", ".", cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    document = json.loads(done.stdout)
    assert [(e["file"], e["kind"]) for e in document["errors"]] == [("boom.yaml", "internal")]
    assert document["summary"]["files"] == 21
