"""The bad-input suite (fixtures/bad-input, plus large and special files made at test time): every file
is either linted normally or gets one clean line naming it and the reason, the other files of the run
are still linted, memory stays bounded, and the exit code is 2 when a named file could not be read or
parsed. Exact speed targets live in benchmarks/benchmark.py; the timeouts here only catch hangs."""

from __future__ import annotations

import gc
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_cli

sys.path.insert(0, str(ROOT / "scripts"))
import make_bad_inputs  # noqa: E402

from slens_lint.session.check import exit_code as _exit_code  # noqa: E402
from slens_lint.engine import Engine, EngineOptions, LintTarget  # noqa: E402
from slens_lint.findings import Report  # noqa: E402

BAD = FIXTURES / "bad-input"
HANG = 120  # seconds; generous on a loaded CI machine, it only has to catch a hang

# name -> (outcome, error kind, fragment of the reason, line of the error or None)
ERRORS = {
    "empty.yaml": ("parse", "empty file", 1),
    "only-comment.yaml": ("parse", "only comments", 1),
    "json-array.json": ("parse", "top level is a list", 1),
    "scalar.yaml": ("parse", "top level is a string", 1),
    "broken.yaml": ("parse", "did not find expected", 6),
    "tabs.yaml": ("parse", "tab character", 4),
    "duplicate-top-level.yaml": ("parse", "Duplicate found 'Resources'", 3),
    "duplicate-property.yaml": ("parse", "Duplicate found 'Runtime'", 7),
    "invalid-utf8.yaml": ("read", "not valid UTF-8", 10),
    "binary.yaml": ("read", "binary file", None),
    "billion-laughs.yaml": ("parse", "aliases are expanded", 1),
    "deep-5000.yaml": ("parse", "nesting deeper than 100 levels", 4),
    "deep-5000.json": ("parse", "nesting deeper than 100 levels", 1),
    "deep-5000-list.json": ("parse", "nesting deeper than 100 levels", 1),
    "oversized.yaml": ("read", "above the --max-file-size limit of 10,485,760 bytes", None),
}
LINTED = {
    "utf8-bom.yaml",
    "utf16.yaml",
    "resources-null.yaml",
    "resources-empty.yaml",
    "properties-list.yaml",
    "properties-string.yaml",
    "intrinsics-wrong-shape.yaml",
    "valid.yaml",
    "large-template.yaml",
    "big-scalar.yaml",
}


@pytest.fixture(scope="session")
def bad_dir(tmp_path_factory) -> Path:
    """All of the suite in one folder: the committed small files and the generated large ones."""
    folder = tmp_path_factory.mktemp("bad-input")
    for path in BAD.iterdir():
        shutil.copy(path, folder / path.name)
    make_bad_inputs.write(folder, make_bad_inputs.LARGE)
    return folder


@pytest.fixture(scope="session")
def engine() -> Engine:
    engine = Engine(EngineOptions(enable=("SL",)))
    engine.warm_up()
    return engine


def test_the_suite_covers_every_file():
    assert set(ERRORS) | LINTED == set(make_bad_inputs.SMALL) | set(make_bad_inputs.LARGE)


def test_committed_files_are_what_the_script_writes():
    committed = {p.name for p in BAD.iterdir()}
    assert committed == set(make_bad_inputs.SMALL), "run: python scripts/make_bad_inputs.py fixtures/bad-input"
    for name, make in make_bad_inputs.SMALL.items():
        content = make()
        expected = content if isinstance(content, bytes) else content.encode("utf-8")
        assert (BAD / name).read_bytes() == expected, name


def test_large_files_have_the_size_the_issue_names(bad_dir: Path):
    large = bad_dir / "large-template.yaml"
    assert 5_000_000 <= large.stat().st_size <= 6_000_000
    from slens_lint.template import loader

    decoded = loader.decode_text(large.read_text(encoding="utf-8"))
    assert len(decoded.data["Resources"]) == 2_000
    assert (bad_dir / "big-scalar.yaml").stat().st_size > 10_000_000
    assert "{a: " * 5_000 in (bad_dir / "deep-5000.yaml").read_text()


def _clean_line(text: str, name: str) -> None:
    assert "\n" not in text
    for junk in ("{filename}", "None", "Traceback", "Error:"):
        assert junk not in text, text
    assert name in text


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_unreadable_or_unparseable_file_gets_one_clean_error(name: str, bad_dir: Path, engine: Engine):
    kind, fragment, line = ERRORS[name]
    started = time.perf_counter()
    result = engine.lint_file(LintTarget(bad_dir / name, name, explicit=True))
    assert time.perf_counter() - started < HANG
    assert result.skipped is None
    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    assert (error.kind, error.line) == (kind, line), error
    assert fragment in error.reason
    _clean_line(error.one_line(), name)
    assert error.one_line().startswith(name)
    # Reported once, as the file's error: outputs that speak in rule ids (SARIF, cfn-lint's route)
    # show a parse error as E0000 there, not as a finding the baseline or --fix could act on.
    assert result.findings == []
    assert _exit_code(Report(files=[result]), "warning") == 2


@pytest.mark.parametrize("name", sorted(LINTED))
def test_odd_but_readable_template_is_linted(name: str, bad_dir: Path, engine: Engine):
    started = time.perf_counter()
    result = engine.lint_file(LintTarget(bad_dir / name, name, explicit=True))
    assert time.perf_counter() - started < HANG
    assert result.errors == [] and result.skipped is None, (result.errors, result.skipped)
    lines = (bad_dir / name).read_bytes().count(b"\n") + 1
    for finding in result.findings:
        assert finding.file == name
        r = finding.range
        assert 1 <= r.start_line <= r.end_line <= lines and r.start_column >= 1
    assert _exit_code(Report(files=[result]), "warning") in (0, 1)


def _positions(result) -> list[tuple]:
    return sorted((f.rule_id, f.range.start_line, f.range.start_column, f.message) for f in result.findings)


@pytest.mark.parametrize("name", ["utf8-bom.yaml", "utf16.yaml"])
def test_encodings_give_the_findings_of_the_utf8_file(name: str, bad_dir: Path, engine: Engine):
    plain = engine.lint_file(LintTarget(bad_dir / "valid.yaml", "t.yaml"))
    other = engine.lint_file(LintTarget(bad_dir / name, "t.yaml"))
    assert plain.findings and _positions(other) == _positions(plain)


def test_large_template_is_linted_in_full(bad_dir: Path, engine: Engine):
    result = engine.lint_file(LintTarget(bad_dir / "large-template.yaml", "large.yaml"))
    resources = {f.resource for f in result.findings}
    # Every generated function has findings (no alias, no alarm): all 400 were reached.
    assert {f"Function{i}" for i in range(400)} <= resources


@pytest.mark.parametrize("name", ["resources-empty.yaml", "resources-null.yaml"])
def test_empty_sections_do_not_break_cfn_lint(name: str, bad_dir: Path):
    # cfn-lint 1.58 raises on a SAM template whose Resources: or Parameters: is empty: the engine
    # drops null top-level sections first, with and without cfn-lint's own rules.
    for options in (EngineOptions(), EngineOptions(cfn_lint=True)):
        result = Engine(options).lint_file(LintTarget(bad_dir / name, name))
        assert result.errors == [], result.errors


def test_no_template_stays_in_memory_after_it_is_linted(bad_dir: Path, engine: Engine):
    from slens_lint.template.model import Template

    for _ in range(3):
        for name in ("valid.yaml", "properties-string.yaml", "intrinsics-wrong-shape.yaml"):
            engine.lint_file(LintTarget(bad_dir / name, name))
    # Cycles whose generators finalize in one collection are freed in the next.
    for _ in range(5):
        if not gc.collect():
            break
    alive = [o for o in gc.get_objects() if isinstance(o, Template)]
    assert alive == [], f"{len(alive)} template models still referenced after linting"


def test_a_batch_leaves_no_template_model_frozen(bad_dir: Path, engine: Engine):
    # Batch linting freezes what survives its periodic full collections (engine._collected); a model
    # frozen there would outlive its template until the end of the batch. Three periodic points: with
    # nothing frozen by mistake, no model is left once the batch is over, before any collection.
    from slens_lint.template.model import Template

    # The warm-up's own garbage is frozen with the warm state on purpose (engine._start_batch_gc):
    # warm up first and let it go (its model goes in the second pass, once a weakref callback of the
    # first has released it), so that only the periodic freezes are under test.
    engine.warm_up()
    gc.collect()
    gc.collect()
    targets = [LintTarget(bad_dir / "valid.yaml", f"valid-{i}.yaml") for i in range(75)]
    results = engine.lint_targets(targets, jobs=1)
    assert len(results) == 75 and all(r.linted for r in results)
    alive = [o for o in gc.get_objects() if isinstance(o, Template)]
    assert alive == [], f"{len(alive)} template models survived the batch"


# ---- the real command line ---------------------------------------------------------------------

_MEASURE = """\
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=%d)
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
print(f"PEAK-KB {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
sys.exit(done.returncode)
""" % HANG


def _cli_measured(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess, int]:
    """The console script in a subprocess, and the peak memory (KB) of it and its workers."""
    exe = shutil.which("slens-lint", path=str(Path(sys.executable).parent))
    command = [exe, *args] if exe else [sys.executable, "-m", "slens_lint", *args]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True, timeout=HANG + 30
    )
    lines = done.stderr.splitlines()
    peak = int(lines[-1].split()[1])
    done.stderr = "\n".join(lines[:-1])
    return done, peak


def test_one_run_over_the_whole_suite(bad_dir: Path):
    names = sorted(set(ERRORS) | LINTED)
    done, peak = _cli_measured("check", "-f", "json", "--no-color", *names, cwd=bad_dir)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    document = json.loads(done.stdout)
    errors = {e["file"]: e for e in document["errors"]}
    assert set(errors) == set(ERRORS)
    for name, error in errors.items():
        assert error["kind"] == ERRORS[name][0] and ERRORS[name][1] in error["reason"]
    # The files that could be linted were, and in full.
    assert document["summary"]["linted"] == len(LINTED)
    linted_with_findings = {f["file"] for f in document["findings"] if f["rule_id"] != "E0000"}
    assert {"valid.yaml", "utf16.yaml", "utf8-bom.yaml", "large-template.yaml", "big-scalar.yaml"} <= linted_with_findings
    # Machine formats keep stdout clean and list each file problem on stderr, one line naming it.
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == len(ERRORS)
    for line in lines:
        assert line.startswith("slens-lint: ") and line.split(": ")[1].split(":")[0] in ERRORS, line
        _clean_line(line, line.split(": ")[1].split(":")[0])
    # The 5 MB template is the largest thing held; an expanded alias bomb would be gigabytes.
    assert peak < 1_000_000, f"peak memory {peak} KB"


def test_text_output_names_each_bad_file_on_one_line(bad_dir: Path):
    names = sorted(n for n in ERRORS if not n.startswith(("deep", "oversized")))
    done = run_cli("check", "--no-color", *names, "valid.yaml", cwd=bad_dir, timeout=HANG)
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    for name in names:
        mentions = [line.removeprefix("slens-lint: ") for line in done.stderr.splitlines() if line.startswith(f"slens-lint: {name}:")]
        assert len(mentions) == 1, (name, mentions)
        assert name not in done.stdout  # reported once, on stderr, not among the findings
        _clean_line(mentions[0], name)
    assert "valid.yaml:" in done.stdout  # its findings


def test_alias_bomb_is_refused_not_expanded(bad_dir: Path):
    done, peak = _cli_measured("check", "-f", "json", "billion-laughs.yaml", cwd=bad_dir)
    assert done.returncode == 2
    assert json.loads(done.stdout)["errors"][0]["reason"].startswith("Template resolves to more than 250000 nodes")
    assert peak < 400_000, f"peak memory {peak} KB"


def test_max_file_size_bounds_what_is_read(bad_dir: Path):
    done = run_cli("check", "-f", "json", "--max-file-size", "1000", "large-template.yaml", "valid.yaml", cwd=bad_dir, timeout=HANG)
    assert done.returncode == 2
    document = json.loads(done.stdout)
    (error,) = document["errors"]
    assert error["file"] == "large-template.yaml"
    assert "above the --max-file-size limit of 1,000 bytes" in error["reason"]
    assert any(f["file"] == "valid.yaml" for f in document["findings"])


# ---- special files -----------------------------------------------------------------------------


@pytest.fixture
def specials(tmp_path: Path, bad_dir: Path) -> Path:
    valid = (bad_dir / "valid.yaml").read_text()
    (tmp_path / "valid.yaml").write_text(valid)
    # A folder named like a template, a FIFO, symlink loops (file and folder), a dangling link.
    (tmp_path / "stack.yaml").mkdir()
    (tmp_path / "stack.yaml" / "template.yaml").write_text(valid)
    os.mkfifo(tmp_path / "pipe.yaml")
    os.symlink("loop-b.yaml", tmp_path / "loop-a.yaml")
    os.symlink("loop-a.yaml", tmp_path / "loop-b.yaml")
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    (tmp_path / "nested" / "deeper" / "template.yaml").write_text(valid)
    for name in ("up", "up-again", "and-again"):
        os.symlink("../..", tmp_path / "nested" / "deeper" / name)
    os.symlink("nowhere.yaml", tmp_path / "dangling.yaml")
    return tmp_path


def test_special_files_named_on_the_command_line(specials: Path):
    named = ["pipe.yaml", "loop-a.yaml", "dangling.yaml", "missing.yaml", "stack.yaml", "valid.yaml"]
    done = run_cli("check", "-f", "json", *named, cwd=specials, timeout=HANG)
    assert done.returncode == 2, done.stderr
    document = json.loads(done.stdout)
    reasons = {e["file"]: e["reason"] for e in document["errors"]}
    assert reasons == {
        "pipe.yaml": "not a regular file (a FIFO, socket or device), not a template",
        "loop-a.yaml": "too many levels of symbolic links (a symlink loop)",
        "dangling.yaml": "no such file or directory",
        "missing.yaml": "no such file or directory",
    }
    # A folder named like a file is scanned as the folder it is; the valid file is linted.
    assert {f["file"] for f in document["findings"]} == {"stack.yaml/template.yaml", "valid.yaml"}


def test_scanning_a_folder_with_loops_and_fifos(specials: Path):
    for paths in (["."], ["**/*.yaml"]):
        done = run_cli("check", "-f", "json", "--verbose", *paths, cwd=specials, timeout=HANG)
        document = json.loads(done.stdout)
        files = {f["file"] for f in document["findings"]}
        # Each template once: symlinked folders are not followed (a loop would never end).
        assert files == {"valid.yaml", "stack.yaml/template.yaml", "nested/deeper/template.yaml"}, (paths, files)
        assert done.returncode in (1, 2), done.stderr
        assert "Traceback" not in done.stderr


def test_engine_refuses_a_directory_given_as_a_file(specials: Path, engine: Engine):
    result = engine.lint_file(LintTarget(specials / "stack.yaml", "stack.yaml", explicit=True))
    assert [e.reason for e in result.errors] == ["is a directory, not a template file"]


def test_file_without_read_permission(tmp_path: Path):
    # chmod 000 does not stop root: as root, the check runs without the capabilities that bypass file
    # permissions (setpriv), or else as `nobody` in a folder it may enter.
    folder = Path(tempfile.mkdtemp(prefix="slens-perm-"))
    try:
        folder.chmod(0o755)
        secret = folder / "secret.yaml"
        secret.write_text(make_bad_inputs.VALID_SAM)
        shutil.copy(BAD / "valid.yaml", folder / "valid.yaml")
        (folder / "valid.yaml").chmod(0o644)
        secret.chmod(0)
        exe = shutil.which("slens-lint", path=str(Path(sys.executable).parent))
        command = [exe or sys.executable, *([] if exe else ["-m", "slens_lint"]), "check", "-f", "json", "secret.yaml", "valid.yaml"]
        extra = {}
        setpriv = shutil.which("setpriv")
        if os.geteuid() == 0 and setpriv:
            dropped = "-dac_override,-dac_read_search"
            command = [setpriv, f"--bounding-set={dropped}", f"--inh-caps={dropped}", "--", *command]
        elif os.geteuid() == 0:
            extra = {"user": 65534, "group": 65534, "extra_groups": [], "env": {**os.environ, "HOME": str(folder)}}
        try:
            done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=HANG, **extra)
        except (PermissionError, OSError) as exc:
            pytest.skip(f"running as root and cannot switch to user nobody to test permissions: {exc}")
        if os.geteuid() == 0 and done.returncode not in (1, 2):
            pytest.skip(f"running as root; as user nobody the tool itself could not run: {done.stderr[-300:]}")
        document = json.loads(done.stdout)
        assert [(e["file"], e["reason"]) for e in document["errors"]] == [("secret.yaml", "permission denied")]
        assert done.returncode == 2
        assert any(f["file"] == "valid.yaml" for f in document["findings"])
    finally:
        for path in folder.iterdir():
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        shutil.rmtree(folder)
