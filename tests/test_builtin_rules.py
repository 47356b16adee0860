"""The cfn-lint built-ins the Lens covers (slens_lint/rules/builtin.py), which the default run includes
through slens_lint/compat/builtins.py instead of cfn-lint's full schema validation.

- fixtures/builtin/<ID>/: fail-* files give exactly their `# expect:` findings, pass-* files none,
  through the real CLI's default run;
- equivalence: on every fixture and on the corpus, the findings of these ids equal those of full
  cfn-lint (all its rules, its own file runner, include checks I, as `cfn-lint --include-checks I`
  runs it) in file, id, line, column and message;
- ids in --select/--ignore, suppression, --cfn-lint without duplicates, metadata, docs, SARIF.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES, ROOT, expectations, run_cli
from slens_lint.engine import Engine, EngineOptions, LintTarget
from slens_lint.rules.base import Pillar
from slens_lint.rules.registry import builtin_rules, get, select_builtins

BUILTIN_DIR = FIXTURES / "builtin"
IDS = [b.id for b in builtin_rules()]
RUNTIME_IDS = ("E2531", "W2531", "E2533")


def _templates(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())


# ---- the lifecycle oracle for the runtime rules --------------------------------------------------


def _lifecycle() -> dict:
    from cfnlint.data import AdditionalSpecs
    from cfnlint.helpers import load_resource

    return load_resource(AdditionalSpecs, "LmbdRuntimeLifecycle.json")


def runtime_phase(runtime: str, today: datetime) -> str | None:
    """Which runtime id applies today, from cfn-lint's dates (None: not deprecated, or dates missing)."""
    data = _lifecycle().get(runtime)
    if not data or not all(data.get(k) for k in ("deprecated", "create-block", "update-block")):
        return None
    deprecated, create, update = (datetime.strptime(data[k], "%Y-%m-%d") for k in ("deprecated", "create-block", "update-block"))
    if update <= today:
        return "E2533"
    if create <= today:
        return "E2531"
    if deprecated <= today:
        return "W2531"
    return None


# Runtimes the runtime fixtures rely on, with the id they stand for. The dates pass: when cfn-lint's data
# moves one out of its phase, the fixtures that use it are skipped (say so) and
# test_runtime_ids_follow_the_lifecycle_data keeps the rule covered with runtimes of the day.
FIXTURE_RUNTIMES = {
    "go1.x": "E2531", "java8": "E2531", "provided": "E2531",
    "python3.10": "W2531", "nodejs20.x": "W2531",
    "python3.6": "E2533", "nodejs12.x": "E2533", "nodejs10.x": "E2533", "python2.7": "E2533",
}


def _stale_runtime(path: Path) -> str | None:
    text = path.read_text(encoding="utf-8")
    today = datetime.today()
    for runtime, phase in FIXTURE_RUNTIMES.items():
        if re.search(rf"[\s\"',\[]{re.escape(runtime)}[\s\"',\]]", text) and runtime_phase(runtime, today) != phase:
            return f"{runtime} is no longer in the {phase} phase in cfn-lint's lifecycle data: update {path.relative_to(ROOT)}"
    return None


# ---- fixtures through the real CLI --------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_run() -> dict[str, list[dict]]:
    result = run_cli("check", "-f", "json", "--fail-on", "never", "fixtures/builtin", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["errors"] == []
    by_file: dict[str, list[dict]] = {}
    for finding in document["findings"]:
        by_file.setdefault(finding["file"], []).append(finding)
    return by_file


def _fixture_files(prefix: str) -> list[Path]:
    return sorted(p for p in BUILTIN_DIR.glob(f"*/{prefix}-*") if p.suffix in (".yaml", ".json"))


_REQUIRES = re.compile(r"^#\s*requires:\s*cfn-lint\s*>=\s*(?P<version>[\d.]+)", re.MULTILINE)


def _older_cfn_lint(path: Path) -> str | None:
    """A fixture that pins what a newer cfn-lint does (`# requires: cfn-lint >= 1.55`) is skipped on an
    older one, saying so (CI runs the suite on the oldest supported cfn-lint too)."""
    from importlib.metadata import version

    found = _REQUIRES.search(path.read_text(encoding="utf-8"))
    if found is None:
        return None
    installed = tuple(int(p) for p in version("cfn-lint").split(".")[:3])
    wanted = tuple(int(p) for p in found["version"].split("."))
    if installed < wanted:
        return f"{path.relative_to(ROOT)} pins cfn-lint >= {found['version']} behaviour; {version('cfn-lint')} is installed"
    return None


@pytest.mark.parametrize("path", _fixture_files("fail"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fail_fixture_has_exactly_the_expected_findings(path: Path, fixture_run):
    stale = _stale_runtime(path) or _older_cfn_lint(path)
    if stale:
        pytest.skip(stale)
    expected = expectations(path)
    assert expected, f"{path} names no expected finding"
    findings = fixture_run.get(path.relative_to(ROOT).as_posix(), [])
    got = {(f["rule_id"], f["resource"], f["range"]["start_line"]) for f in findings if f["rule_id"] == path.parent.name}
    assert got == expected
    for finding in findings:
        if finding["rule_id"] in IDS:
            # Our fix hint from the metadata, and cfn-lint's id as the reported id.
            assert finding["fix"] == get(finding["rule_id"]).fix
            assert finding["cfn_lint_id"] == finding["rule_id"]


@pytest.mark.parametrize("path", _fixture_files("pass"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pass_fixture_has_no_finding(path: Path, fixture_run):
    stale = _stale_runtime(path)
    if stale:
        pytest.skip(stale)
    findings = fixture_run.get(path.relative_to(ROOT).as_posix(), [])
    assert [f for f in findings if f["rule_id"] == path.parent.name] == []


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_every_builtin_has_pass_and_fail_fixtures(rule):
    assert list((BUILTIN_DIR / rule.id).glob("pass-*")), rule.id
    assert list((BUILTIN_DIR / rule.id).glob("fail-*")), rule.id


def test_runtime_ids_follow_the_lifecycle_data():
    """Whatever the date: for each phase, runtimes cfn-lint's data puts in it today get that id (and
    only that one), on a SAM and a CloudFormation function."""
    today = datetime.today()
    by_phase: dict[str, list[str]] = {}
    for runtime in sorted(_lifecycle()):
        phase = runtime_phase(runtime, today)
        if phase:
            by_phase.setdefault(phase, []).append(runtime)
    # Retired runtimes stay retired: there is always something to check for E2533.
    assert by_phase.get("E2533")
    engine = Engine(EngineOptions(select=RUNTIME_IDS))
    for phase, runtimes in by_phase.items():
        for runtime in runtimes[:3]:
            text = (
                "Transform: AWS::Serverless-2016-10-31\nResources:\n"
                f"  SamFunction:\n    Type: AWS::Serverless::Function\n    Properties: {{Handler: a.h, CodeUri: s/, Runtime: {runtime}}}\n"
                f"  CfnFunction:\n    Type: AWS::Lambda::Function\n    Properties: {{Handler: a.h, Role: r, Code: {{ZipFile: x}}, Runtime: {runtime}}}\n"
            )
            result = engine.lint_text(text, f"{runtime}.yaml")
            got = {(f.rule_id, f.resource) for f in result.findings}
            assert got == {(phase, "SamFunction"), (phase, "CfnFunction")}, runtime


# ---- equivalence with full cfn-lint -------------------------------------------------------------

_reference_rules = None


def _reference_init() -> None:
    global _reference_rules, _reference_config
    from cfnlint.config import ConfigMixIn, _DEFAULT_RULESDIR
    from cfnlint.rules import Rules

    _reference_rules = Rules.create_from_directory(_DEFAULT_RULESDIR)
    _reference_config = ConfigMixIn([], include_checks=["I"], regions=["us-east-1"])


def _reference(path: str) -> tuple[str, list | None]:
    """Full cfn-lint on one file: its rule set and its file runner. None when cfn-lint itself raises
    (it does on a template with a null `Resources:`, which slens-lint lints)."""
    from cfnlint.runner.template.runner import run_template_by_file_path

    if _reference_rules is None:
        _reference_init()
    try:
        matches = list(run_template_by_file_path(path, _reference_config, _reference_rules, False))
    except Exception:  # noqa: BLE001 - a cfn-lint crash leaves nothing to compare with
        return path, None
    return path, sorted({(m.rule.id, m.linenumber, m.columnnumber, m.message) for m in matches if m.rule.id in IDS})


def _ours(paths: list[Path]) -> dict[str, list]:
    """The default run (every rule, built-ins included), through the engine the CLI uses."""
    results = Engine(EngineOptions()).lint_targets([LintTarget(p, str(p), explicit=True) for p in paths])
    out = {}
    for result in results:
        assert not [e for e in result.errors if e.kind == "internal"], result.errors
        out[result.file] = sorted(
            {(f.rule_id, f.range.start_line, f.range.start_column, f.message) for f in result.findings if f.rule_id in IDS}
        )
    return out


def _compare(paths: list[Path], parallel: bool) -> tuple[int, dict[str, int]]:
    if parallel:
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, initializer=_reference_init) as pool:
            reference = dict(pool.map(_reference, [str(p) for p in paths], chunksize=8))
    else:
        reference = dict(_reference(str(p)) for p in paths)
    ours = _ours(paths)
    compared, counts, differences = 0, {}, []
    for path in paths:
        expected = reference[str(path)]
        if expected is None:
            continue
        compared += 1
        expected = [tuple(x) for x in expected]
        if expected != ours[str(path)] and not _local_runtime_override(path, expected, ours[str(path)]):
            differences.append(f"{path}:\n  cfn-lint:  {expected}\n  slens-lint: {ours[str(path)]}")
        for finding in expected:
            counts[finding[0]] = counts.get(finding[0], 0) + 1
    assert not differences, "\n".join(differences)
    return compared, counts


def _local_runtime_override(path: Path, theirs: list, ours: list) -> bool:
    """The one intended difference: a function that sets its own `Runtime` over a `Globals` one. cfn-lint's
    Globals merge keeps the Globals key, so cfn-lint points at the Globals line; slens-lint points at the
    function's own value, which is what decides."""
    lines = path.read_text(encoding="utf-8").splitlines()
    strip = lambda found: sorted((rule, message) for rule, _, _, message in found)  # noqa: E731
    if strip(theirs) != strip(ours):
        return False
    moved = set(theirs) - set(ours)
    return bool(moved) and all(rule in RUNTIME_IDS and "Runtime" in lines[line - 1] and "Globals" in "\n".join(lines[: line - 1]) for rule, line, _, _ in moved)


def _without_suppression(paths: list[Path]) -> list[Path]:
    # slens-lint's suppression matches ids by prefix and reads its own `slens-lint:` spelling too, so a
    # file that suppresses anything may rightly differ from cfn-lint; suppression is tested on its own.
    return [p for p in paths if not re.search(r"ignore(_checks)?\s*:", p.read_text(encoding="utf-8"))]


def test_findings_equal_cfn_lint_on_the_fixtures():
    paths = _without_suppression(_templates(BUILTIN_DIR) + _templates(FIXTURES / "rules"))
    compared, counts = _compare(paths, parallel=False)
    assert compared >= len(paths) - 5
    # Every built-in was exercised by the comparison (the dates permitting for the runtime ones).
    today = datetime.today()
    present = {runtime_phase(r, today) for r in FIXTURE_RUNTIMES}
    assert set(counts) >= {i for i in IDS if i not in RUNTIME_IDS or i in present}, counts


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS} (set SLENS_CORPUS)")
def test_findings_equal_cfn_lint_on_the_corpus():
    from slens_lint.discovery import discover

    paths = [t.path for t in discover([str(CORPUS)]).targets]
    compared, counts = _compare(paths, parallel=True)
    assert compared >= 540  # a few files make cfn-lint itself crash; nothing to compare there


# ---- ids, suppression, --cfn-lint ---------------------------------------------------------------


def _reported_ids(*args: str) -> list[str]:
    """The rule id of each finding, from the parseable format (file:line:col:end line:end col:id:message)."""
    result = run_cli("check", "-f", "parseable", "--fail-on", "never", *args, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return [line.split(":")[5] for line in result.stdout.splitlines()]


def test_select_and_ignore_take_builtin_ids():
    target = "fixtures/builtin/W3664/fail-cfn.yaml"
    assert _reported_ids("--select", "W3664", target) == ["W3664", "W3664"]
    everything = _reported_ids(target)
    assert "W3664" in everything and "WSL501" in everything
    ignored = _reported_ids("--ignore", "W36", target)
    assert "W3664" not in ignored and "WSL501" in ignored
    # Selecting our rules only leaves the built-ins out.
    assert "W3664" not in _reported_ids("--select", "SL", target)
    unknown = run_cli("check", "--select", "W3699", target, cwd=ROOT)
    assert unknown.returncode == 2 and "unknown rule id" in unknown.stderr
    assert [b.id for b in select_builtins(["E25"], ["E2533"])] == ["E2531"]


def test_config_file_ignore_takes_builtin_ids(tmp_path: Path):
    template = tmp_path / "template.yaml"
    template.write_text((BUILTIN_DIR / "W3663" / "fail-cfn.yaml").read_text(encoding="utf-8"))
    (tmp_path / ".slens-lint.toml").write_text('ignore = ["W3663"]\n')
    result = run_cli("check", "-f", "parseable", "--fail-on", "never", "template.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ids = [line.split(":")[5] for line in result.stdout.splitlines()]
    # Our rules still run; only the ignored built-in is gone.
    assert any(i.startswith(("ISL", "WSL", "ESL")) for i in ids) and "W3663" not in ids
    (tmp_path / ".slens-lint.toml").write_text("")
    again = run_cli("check", "-f", "parseable", "--fail-on", "never", "template.yaml", cwd=tmp_path)
    assert "W3663" in [line.split(":")[5] for line in again.stdout.splitlines()]


def test_suppression_in_metadata(fixture_run):
    # slens-lint's spelling at template and resource level (pass-suppressed), cfn-lint's on one resource.
    assert all(f["rule_id"] != "E2533" for f in fixture_run.get("fixtures/builtin/E2533/pass-suppressed.yaml", []))
    one = [f for f in fixture_run["fixtures/builtin/E2533/fail-cfn-lint-ignore-one.yaml"] if f["rule_id"] == "E2533"]
    assert [f["resource"] for f in one] == ["OtherFunction"]
    # Without the Metadata the same resources are reported: the suppression is what removes them.
    text = (BUILTIN_DIR / "E2533" / "pass-suppressed.yaml").read_text(encoding="utf-8")
    bare = re.sub(r"(?ms)^Metadata:.*?(?=^Resources:)", "", text).replace(
        "    Metadata:\n      slens-lint:\n        ignore: [E2533]\n", ""
    )
    assert "ignore" not in bare
    found = Engine(EngineOptions(select=("E2533",))).lint_text(bare, "bare.yaml").findings
    assert [(f.rule_id, f.resource) for f in found] == [("E2533", "OursFunction")]


def test_suppression_on_the_reported_or_the_checked_resource():
    """E3505 checks a mapping but names its queue: slens-lint's spelling works on either."""
    text = (BUILTIN_DIR / "E3505" / "fail-cfn.yaml").read_text(encoding="utf-8")
    engine = Engine(EngineOptions(select=("E3505",)))
    assert {f.resource for f in engine.lint_text(text, "t.yaml").findings} == {"DefaultQueue", "ShortQueue"}
    on_queue = text.replace(
        "  DefaultQueue:\n    Type: AWS::SQS::Queue\n",
        "  DefaultQueue:\n    Type: AWS::SQS::Queue\n    Metadata:\n      slens-lint:\n        ignore: [E3505]\n",
    )
    on_mapping = on_queue.replace(
        "  ShortMapping:\n    Type: AWS::Lambda::EventSourceMapping\n",
        "  ShortMapping:\n    Type: AWS::Lambda::EventSourceMapping\n    Metadata:\n      slens-lint:\n        ignore:\n          - id: E3505\n            reason: batch of one\n",
    )
    assert text != on_queue != on_mapping
    assert {f.resource for f in engine.lint_text(on_queue, "t.yaml").findings} == {"ShortQueue"}
    assert engine.lint_text(on_mapping, "t.yaml").findings == []


def test_template_level_cfn_lint_ignore_checks():
    text = (BUILTIN_DIR / "W3664" / "fail-cfn.yaml").read_text(encoding="utf-8")
    engine = Engine(EngineOptions(select=("W3664",)))
    assert len(engine.lint_text(text, "t.yaml").findings) == 2
    ignored = text.replace('AWSTemplateFormatVersion: "2010-09-09"\n', 'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n  cfn-lint:\n    config:\n      ignore_checks: [W3664]\n')
    assert ignored != text
    assert engine.lint_text(ignored, "t.yaml").findings == []


def test_with_cfn_lint_the_builtins_run_once():
    """--cfn-lint registers cfn-lint's whole rule set, which runs these rules itself: our runner is not
    registered then, and each finding appears once, the same as in the default run."""
    targets = [str(p.relative_to(ROOT)) for p in _templates(BUILTIN_DIR) if "suppress" not in p.name]
    default = json.loads(run_cli("check", "-f", "json", "--fail-on", "never", *targets, cwd=ROOT).stdout)
    full = json.loads(run_cli("check", "-f", "json", "--fail-on", "never", "--cfn-lint", *targets, cwd=ROOT).stdout)

    def keyed(document):
        # A runtime finding's line differs where a function overrides a Globals runtime (see above).
        return [
            (f["file"], f["rule_id"], None if f["rule_id"] in RUNTIME_IDS else f["range"]["start_line"], f["resource"], f["message"])
            for f in document["findings"]
            if f["rule_id"] in IDS
        ]

    assert keyed(full) and len(keyed(full)) == len(set(keyed(full)))
    assert sorted(keyed(full)) == sorted(keyed(default))
    assert Engine(EngineOptions(cfn_lint=True)).rule_ids.count("E2531") == 1
    assert "ISLBUILTINS" not in Engine(EngineOptions(cfn_lint=True)).rule_ids
    assert "ISLBUILTINS" not in Engine(EngineOptions()).rule_ids and "W2530" in Engine(EngineOptions()).rule_ids


# ---- metadata, listing, docs, SARIF -------------------------------------------------------------


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_builtin_metadata_is_complete(rule):
    # That `cfn_lint_class` names a cfn-lint rule with this id, which our runner can drive, is pinned with
    # the other cfn-lint internals (tests/test_compat.py::test_each_builtin_rule_class_exists).
    assert rule.id == rule.cfn_lint_id()
    assert rule.severity.letter == rule.id[0]
    for attribute in ("title", "practice", "rationale", "fix", "service"):
        assert getattr(rule, attribute), f"{rule.id} has no {attribute}"
    assert rule.example is not None and rule.references and rule.resource_types
    assert re.match(rf"^{re.escape(rule.pillar().title)} \d+: \S", rule.practice)
    assert isinstance(rule.pillar(), Pillar) and get(rule.id) is rule


def test_rules_command_lists_builtins_without_importing_cfn_lint():
    listing = json.loads(run_cli("rules", "-f", "json").stdout)
    builtins = {r["id"]: r for r in listing if r["builtin"]}
    assert sorted(builtins) == sorted(IDS)
    assert builtins["W3663"]["practice"] == "Security 4: Evaluate and define resource policies"
    assert builtins["W3663"]["pillar"] == "security"
    text = run_cli("rules").stdout
    assert "cfn-lint built-ins" in text and "E3505" in text and "Performance efficiency 1" in text
    # `rules` reads metadata only: cfn-lint's import (and its cost) stays out of it.
    probe = (
        "import sys\nfrom slens_lint.cli import app\n"
        "try:\n    app(['rules'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print('CFNLINT', 'cfnlint' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "CFNLINT False" in result.stdout, result.stderr


def test_index_and_pages_show_pillar_and_practice():
    index = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
    for rule in builtin_rules():
        row = next(line for line in index.splitlines() if line.startswith(f"| [{rule.id}]"))
        assert rule.practice in row and "cfn-lint built-in" in row
        # The row sits under its pillar's heading.
        heading = index[: index.index(row)].rsplit("\n## ", 1)[1].splitlines()[0]
        assert heading == rule.pillar().title
        page = (ROOT / "rules" / f"{rule.id}.md").read_text(encoding="utf-8")
        assert rule.practice in page and rule.source_url() in page


def test_explain_and_sarif_use_the_builtin_metadata(tmp_path: Path):
    explained = run_cli("explain", "W2530")
    assert explained.returncode == 0 and "Performance efficiency 2" in explained.stdout
    out = tmp_path / "r.sarif"
    result = run_cli("check", "-f", "sarif", "--sarif-root", ".", "-o", str(out), "fixtures/builtin/W2530/fail-cfn.yaml", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    run = json.loads(out.read_text(encoding="utf-8"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    result_w2530 = next(r for r in run["results"] if r["ruleId"] == "W2530")
    descriptor = rules[result_w2530["ruleIndex"]]
    assert descriptor["id"] == "W2530"
    assert descriptor["helpUri"] == get("W2530").docs_url()
    assert descriptor["fullDescription"]["text"] == get("W2530").rationale
    assert "performance-efficiency" in descriptor["properties"]["tags"]
