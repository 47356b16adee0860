"""The results cache can never hide a change, end to end through the real command line.

Each test edits ONE thing a result depends on (the template, a nested template, a samconfig or
parameter file value, a command-line value, the baseline, a configuration key) between runs of the
same command. The run after the change, with the cache warm from before, must print exactly what a
`--no-cache` run prints, and that must differ from what was printed before the change: a stale entry
served from the cache fails one of the two.

A nested template that was missing or unparseable on the cold run is a dependency of its parent's
entry too (this file found it was not: the parent's stale error was served once the child was written).

Every case first proves the cache is really in play: the cold run stores entries, and a warm run with
nothing changed prints the same output, stores nothing and reads an entry (a read refreshes the entry's
time, so entries are aged before it). The tool's own code as a key is tested in tests/test_cache.py.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

import pytest

from conftest import FIXTURES, run_cli

CACHE = ".slens-lint-cache"

# Warnings: SL107 and SL501 on OrdersFunction (line 6), SL502 on AuditLogs (line 14); info: SL102,
# SL112, SL114, SL401, SL402, SL503 on OrdersFunction. AuditLogs carries a CDK construct path (read
# from any template, CDK run or not) for per-construct-ignores.
TEMPLATE = """\
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
    Metadata:
      aws:cdk:path: OrdersStack/Audit/Resource
    Properties:
      LogGroupName: /app/audit
"""

# A property no schema allows: only cfn-lint's own rules (--cfn-lint) report it (E3002).
WITH_SCHEMA_ERROR = TEMPLATE + "      Bogus: 1\n"

# A second template, for what changes which files are linted (exclude, paths).
LEGACY = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  LegacyQueue:
    Type: AWS::SQS::Queue
"""


# ---- helpers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one run showed the user; `written`: a file's text after the run (for --fix)."""

    code: int
    stdout: str
    stderr: str
    written: Optional[str] = None

    @property
    def findings(self) -> list[dict]:
        return json.loads(self.stdout)["findings"]


def project(folder: Path, config: str = "", template: str = TEMPLATE) -> Path:
    """A project folder: `[tool.slens-lint]` (plus `config`) in pyproject.toml, and template.yaml."""
    write_config(folder, config)
    (folder / "template.yaml").write_text(template, encoding="utf-8")
    return folder


def write_config(folder: Path, config: str) -> None:
    (folder / "pyproject.toml").write_text(f"[tool.slens-lint]\n{config}\n", encoding="utf-8")


def lint(folder: Path, *args: str, cwd: Optional[Path] = None, record: Optional[Path] = None) -> Outcome:
    """`slens-lint check -f json ARGS` in `cwd` (default: the project folder)."""
    proc = run_cli("check", "-f", "json", "--no-color", *args, cwd=cwd or folder)
    assert proc.returncode in (0, 1, 2), proc.stdout + proc.stderr
    # Exit 2 must be a file's problem reported in the JSON, never a usage or configuration error (which
    # would print the same with and without the cache, and differ from before: a vacuous pass).
    assert "slens-lint: error:" not in proc.stderr, proc.stderr
    written = record.read_text(encoding="utf-8") if record is not None else None
    return Outcome(proc.returncode, proc.stdout, proc.stderr, written)


def entries(folder: Path) -> dict[Path, int]:
    """The cache's entries under the project folder, with their modification times (ns)."""
    return {p: p.stat().st_mtime_ns for p in sorted((folder / CACHE).glob("*/*/*.json"))}


def age(paths: Sequence[Path]) -> int:
    """Set the entries' times an hour back (a cache read sets them to now); returns that time (ns)."""
    past = time.time() - 3600
    for path in paths:
        os.utime(path, (past, past))
    return int(past * 1e9)


def findings_differ(before: Outcome, after: Outcome) -> bool:
    return before.findings != after.findings


def assert_change_is_seen(
    folder: Path,
    args: Sequence[str],
    change: Callable[[], None],
    *,
    after_args: Optional[Sequence[str]] = None,
    cwd: Optional[Path] = None,
    visible: Callable[[Outcome, Outcome], bool] = findings_differ,
    reset: Callable[[], None] = lambda: None,
    record: Optional[Path] = None,
) -> tuple[Outcome, Outcome]:
    """Cold run, warm run (a cache hit, same output), `change()`, then the run after the change (with
    `after_args`, default `args`) with the cache equals one without it, and differs from before.
    `reset()` runs before every run (--fix rewrites the template: it is put back)."""

    def run(*extra: str, arguments: Sequence[str] = args) -> Outcome:
        reset()
        return lint(folder, *extra, *arguments, cwd=cwd, record=record)

    before = run()
    stored = entries(folder)
    assert stored, "the cold run stored no cache entry"
    aged = age(list(stored))
    warm = run()
    assert warm == before, "a warm run with nothing changed printed something else"
    now = entries(folder)
    assert set(now) == set(stored), "the warm run stored entries: it was not served from the cache"
    assert any(mtime > aged for mtime in now.values()), "the warm run read no cache entry"

    change()
    after = list(args if after_args is None else after_args)
    if record is None:
        # A --no-cache run neither reads nor writes the cache: the two runs go side by side.
        with ThreadPoolExecutor(2) as pool:
            cached_run = pool.submit(run, arguments=after)
            fresh = run("--no-cache", arguments=after)
            cached = cached_run.result()
    else:  # both runs write `record`: one after the other
        cached = run(arguments=after)
        fresh = run("--no-cache", arguments=after)
    assert cached == fresh, "with the cache, the run after the change printed something a run without it did not"
    assert visible(before, cached), "the change made no visible difference: this case tests nothing"
    return before, cached


def edit(path: Path, old: str, new: str) -> Callable[[], None]:
    """A change: `old` replaced by `new` in `path` (which must hold `old`)."""

    def change() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def rules_of(outcome: Outcome) -> set[tuple[str, str]]:
    return {(f["rule_id"], f["resource"]) for f in outcome.findings}


# ---- the template ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new",
    [
        pytest.param("LogGroupName: /app/audit", "LogGroupName: /app/audit\n      RetentionInDays: 7", id="a-finding-fixed"),
        pytest.param('AWSTemplateFormatVersion: "2010-09-09"\n', '# moved\nAWSTemplateFormatVersion: "2010-09-09"\n', id="lines-moved"),
    ],
)
def test_an_edited_template(tmp_path: Path, old: str, new: str):
    """The template's own content: a finding fixed, or the same findings on other lines."""
    project(tmp_path)
    assert_change_is_seen(tmp_path, ["template.yaml"], edit(tmp_path / "template.yaml", old, new))


def test_an_edit_that_keeps_the_size_and_the_modification_time(tmp_path: Path):
    """Content, not file metadata, identifies a template: a same-length edit (a runtime past its
    end of life) with the old modification time put back is still seen."""
    template = project(tmp_path) / "template.yaml"
    info = template.stat()

    def change() -> None:
        edit(template, "Runtime: python3.12", "Runtime: nodejs14.x")()
        os.utime(template, ns=(info.st_atime_ns, info.st_mtime_ns))
        assert template.stat().st_size == info.st_size

    before, after = assert_change_is_seen(tmp_path, ["template.yaml"], change)
    assert ("E2531", "OrdersFunction") in rules_of(after) - rules_of(before)


# ---- nested stacks -----------------------------------------------------------------------------


def nested_project(folder: Path) -> Path:
    """fixtures/nested (its parent, AWS::Serverless::Application ApiStack with the grandchild DeepStack,
    AWS::CloudFormation::Stack WorkersStack) under a configured project folder."""
    write_config(folder, "")
    shutil.copy(FIXTURES / "nested" / "template.yaml", folder / "template.yaml")
    shutil.copytree(FIXTURES / "nested" / "stacks", folder / "stacks")
    return folder


@pytest.mark.parametrize(
    "file, old, new, gone",
    [
        pytest.param("stacks/api.yaml", "Tracing: !If [IsProd, Active, PassThrough]", "Tracing: Active",
                     ("SL107", "ApiFunction"), id="serverless-application-child"),
        pytest.param("stacks/workers.yaml", "MemorySize: 256", "MemorySize: 256\n      Tracing: Active",
                     ("SL107", "Worker"), id="cloudformation-stack-child"),
        pytest.param("stacks/deep.yaml", "LogGroupName: !Sub /app/${Stage}/audit",
                     "LogGroupName: !Sub /app/${Stage}/audit\n      RetentionInDays: 7", ("SL502", "AuditLogs"),
                     id="grandchild"),
    ],
)
def test_an_edited_nested_template(tmp_path: Path, file: str, old: str, new: str, gone: tuple[str, str]):
    """A nested stack's template is part of its parent's result: editing a child of either kind, or
    a grandchild, changes the parent's findings (the parent itself is unchanged)."""
    nested_project(tmp_path)
    before, after = assert_change_is_seen(
        tmp_path, ["--min-severity", "info", "template.yaml"], edit(tmp_path / file, old, new)
    )
    assert gone in rules_of(before) - rules_of(after)


CHILD = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AuditLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /app/audit
"""

PARENT = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ApiStack:
    Type: AWS::Serverless::Application
    Properties:
      Location: stacks/api.yaml
"""

@pytest.mark.parametrize(
    "broken",
    [pytest.param(None, id="child-created"), pytest.param("Resources: [unclosed\n", id="child-repaired")],
)
def test_a_nested_template_that_was_missing_or_broken(tmp_path: Path, broken: Optional[str]):
    """A child that was missing or not valid YAML on the cold run, then written: the parent's error
    must go and the child's findings appear."""
    project(tmp_path, template=PARENT)
    child = tmp_path / "stacks" / "api.yaml"
    child.parent.mkdir()
    if broken is not None:
        child.write_text(broken, encoding="utf-8")
    assert_change_is_seen(tmp_path, ["template.yaml"], lambda: child.write_text(CHILD, encoding="utf-8"))


# ---- parameter values: samconfig, parameter files, the command line ----------------------------


def environments_project(folder: Path) -> Path:
    """fixtures/environments: a template whose findings depend on Stage (dev: SL107 and SL505 on
    OrdersFunction; prod: neither) and the samconfig.toml beside it (dev, prod)."""
    write_config(folder, "")
    for name in ("template.yaml", "samconfig.toml"):
        shutil.copy(FIXTURES / "environments" / name, folder / name)
    return folder


def test_an_edited_samconfig_value(tmp_path: Path):
    """A samconfig parameter value (prod's Stage, with --config-env prod): same command line, other values."""
    environments_project(tmp_path)
    change = edit(tmp_path / "samconfig.toml", '"Stage=prod",', '"Stage=dev",')
    before, after = assert_change_is_seen(tmp_path, ["--config-env", "prod", "template.yaml"], change)
    assert ("SL107", "OrdersFunction") in rules_of(after) - rules_of(before)


def test_an_edited_parameter_file(tmp_path: Path):
    """A `--parameters` file's content: same command line, other values."""
    environments_project(tmp_path)
    values = tmp_path / "prod.json"
    values.write_text('{"Stage": "prod"}', encoding="utf-8")
    before, after = assert_change_is_seen(
        tmp_path, ["--parameters", "prod.json", "template.yaml"], lambda: values.write_text('{"Stage": "dev"}', encoding="utf-8")
    )
    assert ("SL107", "OrdersFunction") in rules_of(after) - rules_of(before)


def test_another_parameter_override(tmp_path: Path):
    """A `--parameter-overrides` value on the command line changes."""
    environments_project(tmp_path)
    before, after = assert_change_is_seen(
        tmp_path, ["--parameter-overrides", "Stage=prod", "template.yaml"], lambda: None,
        after_args=["--parameter-overrides", "Stage=dev", "template.yaml"],
    )
    assert ("SL107", "OrdersFunction") in rules_of(after) - rules_of(before)


# ---- the baseline ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A baseline accepting every finding TEMPLATE reports (as `--write-baseline` records it, once)."""
    folder = project(tmp_path_factory.mktemp("baseline"))
    done = lint(folder, "--write-baseline", "baseline.json", "template.yaml")
    assert done.code == 1 and len(json.loads((folder / "baseline.json").read_text())["findings"]) == 3, done.stderr
    return (folder / "baseline.json").read_text(encoding="utf-8")


def forget_in_baseline(path: Path, rule: str) -> Callable[[], None]:
    def change() -> None:
        document = json.loads(path.read_text(encoding="utf-8"))
        kept = [e for e in document["findings"] if e["rule"] != rule]
        assert len(kept) < len(document["findings"])
        path.write_text(json.dumps({**document, "findings": kept}, indent=2), encoding="utf-8")

    return change


def test_an_edited_baseline(tmp_path: Path, baseline_text: str):
    """The baseline's content (`--baseline`): an entry taken out reports its finding again."""
    project(tmp_path)
    (tmp_path / "baseline.json").write_text(baseline_text, encoding="utf-8")
    before, after = assert_change_is_seen(
        tmp_path, ["--baseline", "baseline.json", "template.yaml"], forget_in_baseline(tmp_path / "baseline.json", "SL502")
    )
    assert before.findings == [] and rules_of(after) == {("SL502", "AuditLogs")}


def test_the_baseline_key(tmp_path: Path, baseline_text: str):
    """The `baseline` configuration key set: the findings it holds are no longer reported."""
    project(tmp_path)
    (tmp_path / "baseline.json").write_text(baseline_text, encoding="utf-8")
    before, after = assert_change_is_seen(
        tmp_path, ["template.yaml"], lambda: write_config(tmp_path, 'baseline = "baseline.json"')
    )
    assert len(before.findings) == 3 and after.findings == []


# ---- configuration keys (README, Configuration) --------------------------------------------------

# (key, configuration after the change, extra arguments, template): each starts from `[tool.slens-lint]`
# alone. `cache` and `cache-dir` are left out: they change where results are kept, never what they are.
CONFIG_CHANGES = [
    pytest.param('select = ["SL5"]', [], TEMPLATE, id="select"),
    pytest.param('ignore = ["SL502"]', [], TEMPLATE, id="ignore"),
    pytest.param('enable = ["SL205"]', ["--min-severity", "info"], TEMPLATE, id="enable"),
    pytest.param('[tool.slens-lint.rules.SL205]\nenabled = true', ["--min-severity", "info"], TEMPLATE, id="rules.enabled-true"),
    pytest.param('[tool.slens-lint.rules.SL107]\nenabled = false', [], TEMPLATE, id="rules.enabled-false"),
    pytest.param('[tool.slens-lint.rules.SL502]\nseverity = "error"', [], TEMPLATE, id="rules.severity"),
    pytest.param('min-severity = "info"', [], TEMPLATE, id="min-severity"),
    pytest.param('[tool.slens-lint.per-file-ignores]\n"*.yaml" = ["SL502"]', [], TEMPLATE, id="per-file-ignores"),
    pytest.param('[tool.slens-lint.per-construct-ignores]\n"OrdersStack/Audit" = ["SL502"]', [], TEMPLATE, id="per-construct-ignores"),
    pytest.param("max-file-size = 100", [], TEMPLATE, id="max-file-size"),
    pytest.param("cfn-lint = true", [], WITH_SCHEMA_ERROR, id="cfn-lint"),
    # JSON carries each fix's edits: the value a fix writes is part of the output.
    pytest.param("[tool.slens-lint.fix]\nlog-retention-days = 90", [], TEMPLATE, id="fix.log-retention-days"),
]


@pytest.mark.parametrize("config, args, template", CONFIG_CHANGES)
def test_a_changed_configuration_key(tmp_path: Path, config: str, args: list[str], template: str):
    """Each configuration key that changes findings: set in pyproject.toml between two runs. (Keys
    applied after the cache, such as min-severity and per-file-ignores, are here too: that they stay
    outside the cached result is what keeps them right.)"""
    project(tmp_path, template=template)
    assert_change_is_seen(tmp_path, [*args, "template.yaml"], lambda: write_config(tmp_path, config))


def test_fail_on(tmp_path: Path):
    """`fail-on` changes only the exit code: the same findings no longer fail the run."""
    project(tmp_path)
    before, after = assert_change_is_seen(
        tmp_path, ["template.yaml"], lambda: write_config(tmp_path, 'fail-on = "error"'),
        visible=lambda before, after: before.code != after.code,
    )
    assert (before.code, after.code) == (1, 0)


@pytest.mark.parametrize(
    "config, args",
    [
        pytest.param('exclude = ["legacy/*"]', ["."], id="exclude"),
        pytest.param('paths = ["template.yaml"]', [], id="paths"),
    ],
)
def test_what_is_linted(tmp_path: Path, config: str, args: list[str]):
    """`exclude` and `paths` change which templates are linted (each was cached on the cold run)."""
    project(tmp_path)
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.yaml").write_text(LEGACY, encoding="utf-8")
    before, after = assert_change_is_seen(tmp_path, args, lambda: write_config(tmp_path, config))
    assert {f["file"] for f in before.findings} - {f["file"] for f in after.findings} == {"legacy/old.yaml"}


def test_allow_outside_root(tmp_path: Path):
    """`allow-outside-root`: a nested template outside the folder linted, refused, is followed once
    allowed (the parent's content is unchanged)."""
    write_config(tmp_path, "")
    service = tmp_path / "service"
    (tmp_path / "shared").mkdir()
    service.mkdir()
    (tmp_path / "shared" / "api.yaml").write_text(CHILD, encoding="utf-8")
    (service / "template.yaml").write_text(PARENT.replace("stacks/api.yaml", "../shared/api.yaml"), encoding="utf-8")
    before, after = assert_change_is_seen(
        tmp_path, ["template.yaml"], lambda: write_config(tmp_path, "allow-outside-root = true"), cwd=service
    )
    assert before.code == 2 and rules_of(after) == {("SL502", "AuditLogs")}


def test_fix_values_with_diff(tmp_path: Path):
    """`[tool.slens-lint.fix]` with --diff: the diff shows the configured retention."""
    project(tmp_path)
    change = lambda: write_config(tmp_path, "[tool.slens-lint.fix]\nlog-retention-days = 90")  # noqa: E731
    before, after = assert_change_is_seen(
        tmp_path, ["--select", "SL502", "--diff", "template.yaml"], change, visible=lambda before, after: before.stdout != after.stdout
    )
    assert "+      RetentionInDays: 30" in before.stdout and "+      RetentionInDays: 90" in after.stdout


def test_what_fix_fixes(tmp_path: Path):
    """With --fix the cached result decides what is fixed (each file is linted again before its fixes,
    so a changed fix value alone could not go stale: --diff above covers it). SL502 demoted to info is
    not reported, so not fixed; the override removed, it is fixed with the configured retention. The
    template is put back before every run (--fix rewrites it)."""
    fix_values = "[tool.slens-lint.fix]\nlog-retention-days = 90"
    project(tmp_path, f'[tool.slens-lint.rules.SL502]\nseverity = "info"\n{fix_values}')
    template = tmp_path / "template.yaml"
    before, after = assert_change_is_seen(
        tmp_path, ["--select", "SL502", "--fix", "template.yaml"], lambda: write_config(tmp_path, fix_values),
        reset=lambda: template.write_text(TEMPLATE, encoding="utf-8"), record=template,
        visible=lambda before, after: before.written != after.written,
    )
    assert before.written == TEMPLATE and "RetentionInDays: 90" in (after.written or "")


# ---- command-line options ----------------------------------------------------------------------

CLI_CHANGES = [
    pytest.param(["--select", "SL5"], TEMPLATE, id="--select"),
    pytest.param(["--ignore", "SL502"], TEMPLATE, id="--ignore"),
    pytest.param(["--min-severity", "info"], TEMPLATE, id="--min-severity"),
    pytest.param(["--cfn-lint"], WITH_SCHEMA_ERROR, id="--cfn-lint"),
]


@pytest.mark.parametrize("added, template", CLI_CHANGES)
def test_a_command_line_option(tmp_path: Path, added: list[str], template: str):
    """An option added to the same command: what it changes is seen with the cache warm. (Parameter
    values on the command line are tested above.)"""
    project(tmp_path, template=template)
    assert_change_is_seen(tmp_path, ["template.yaml"], lambda: None, after_args=[*added, "template.yaml"])
