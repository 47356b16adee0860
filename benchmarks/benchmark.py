"""slens-lint and cfn-lint side by side, in one run, on the same files.

    python benchmarks/benchmark.py --quick      # about 60 corpus files, a couple of minutes
    python benchmarks/benchmark.py --issue15    # only the rows of issue 15, a few minutes
    python benchmarks/benchmark.py              # everything on the whole corpus, 15 minutes or so
    python benchmarks/benchmark.py --corpus PATH --jobs 2 --repeat 3 --json results.json

What it measures (see benchmarks/README.md):
- whole runs of the command line, each in a fresh process: slens-lint (default rules) in one process
  and with `--jobs N`, `slens-lint --cfn-lint`, and `cfn-lint` alone: wall time, CPU time, and the peak
  memory of the process and its workers (RSS, and PSS, which counts pages shared by forked workers once);
- the cost of each template (p50, p95) with each tool, warm, in one process;
- a scaling series (1, 10, 100, all files) for slens-lint and cfn-lint;
- the generated 5 MB, 2,000-resource template; `--version` and `rules`; every bad input;
- issue 15: 16,000 findings in each output format, one rule selected; a three-line template and a
  one-function SAM template; the corpus linted twice, cold cache then warm; `--jobs 2` against one
  process; the language server's re-lint after a one-line edit (benchmarks/lsp_latency.py's client).

Every slens-lint run passes `--no-cache` except the cache rows, whose cache lives under a temporary
folder: nothing is ever written into the corpus.

Runs are interleaved (tool A, B, C, then again) and medians are reported, so that a busy machine slows
every tool alike; the load average is printed with the results. Files cfn-lint itself crashes on (it
raises on a SAM template whose Resources: is empty) are left out of every comparison, and counted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("SLENS_CORPUS", ROOT.parent / "shared" / "corpus"))
SUFFIXES = (".yaml", ".yml", ".json", ".template")

TARGETS = {
    "default_vs_cfn_lint": 5.0,  # slens-lint (one process) at least 5x faster than cfn-lint alone
    "jobs_speedup": 1.7,  # --jobs N at least 1.7x faster than one process (on 2 cores)
    "cfn_lint_route_overhead": 1.15,  # slens-lint --cfn-lint at most 1.15x cfn-lint alone
    "large_template_seconds": 5.0,  # the 5 MB, 2,000-resource template, default rules
    "startup_seconds": 0.3,  # slens-lint --version and slens-lint rules
    "peak_memory_mb": 250.0,  # default corpus run
    "bad_input_seconds": 2.0,  # each bad input (the 5 MB template excepted)
    # issue 15
    "many_findings_seconds": 3.0,  # 2,000 resources, 16,000 findings shown, each output format, end to end
    "three_line_seconds": 0.4,  # a three-line template with one finding, median wall
    "sam_function_seconds": 0.5,  # a typical one-function SAM template, median wall
    "warm_cache_seconds": 0.5,  # the unchanged corpus linted a second time, warm cache
    "jobs2_speedup": 1.7,  # the corpus, no cache: --jobs 2 at least 1.7x faster than one process
    "lsp_relint_ms": 100.0,  # LSP: one-line edit to diagnostics, a ~500-line corpus template, median
}


def _tool(name: str, module: str) -> list[str]:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    return [exe] if exe else [sys.executable, "-m", module]


SLENS = _tool("slens-lint", "slens_lint")
CFN_LINT = _tool("cfn-lint", "cfnlint")


# ---- memory of a process tree -----------------------------------------------------------------


class TreeMemory:
    """Peak RSS and PSS of a process and all its descendants, sampled every 20 ms (Linux /proc)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.available = Path("/proc/self/status").exists()

    def __enter__(self) -> "TreeMemory":
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()

    def _tree(self) -> list[int]:
        parents: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                parents.setdefault(int(fields[1]), []).append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(parents.get(pid, []))
        return found

    @staticmethod
    def _field(path: str, name: bytes) -> int:
        try:
            with open(path, "rb") as handle:
                for line in handle:
                    if line.startswith(name):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = self._tree()
            rss = sum(self._field(f"/proc/{p}/status", b"VmRSS:") for p in pids)
            pss = sum(self._field(f"/proc/{p}/smaps_rollup", b"Pss:") for p in pids)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self._stop.wait(0.02)


@dataclass
class Run:
    label: str
    files: int
    wall: float
    cpu: float
    peak_rss_mb: float
    peak_pss_mb: float
    exit_code: int


def _finished(command: list[str], code: int) -> bool:
    """Whether the tool ran to the end: cfn-lint's exit code is a bit mask of the severities found (a
    crash is 1); slens-lint's is 0-3 (3: some rule or cfn-lint failed on a template, reported)."""
    if command[: len(CFN_LINT)] == CFN_LINT:
        return code % 2 == 0 and code < 32
    return code in (0, 1, 2, 3)


def run_command(label: str, command: list[str], files: int, cwd: Path, sample_memory: bool = False) -> Run:
    """One run in a fresh process: wall time from the clock; CPU time and the peak RSS of its largest
    process from the kernel (wait4). With `sample_memory`, the process tree is also sampled for the peak
    RSS and PSS of all its processes together: a separate run, because the sampler takes CPU time and
    would slow a run that keeps both cores busy (the `--jobs` run most)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        with TreeMemory(process.pid) if sample_memory else contextlib.nullcontext() as memory:
            _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        code = process.returncode = os.waitstatus_to_exitcode(status)
        if not _finished(command, code):
            err.seek(0)
            raise SystemExit(f"{label} failed with exit code {code}:\n{err.read().decode(errors='replace')[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    rss = pss = usage.ru_maxrss  # KB on Linux
    if memory is not None and memory.available:
        rss, pss = memory.peak_rss_kb, memory.peak_pss_kb
    return Run(label, files, wall, cpu, rss / 1024, pss / 1024, code)


def interleaved(commands: dict[str, tuple[list[str], int, Path]], repeat: int, repeat_of: Optional[dict[str, int]] = None, what: str = "whole run") -> dict[str, Run]:
    """Each command `repeat` times (or `repeat_of[label]` times), interleaved (A, B, C, then again), so
    that a busy machine slows every tool alike; the median run of each. Commands: label -> (command line,
    number of files, working folder)."""
    runs: dict[str, list[Run]] = {label: [] for label in commands}
    for index in range(repeat):
        for label, (command, count, cwd) in commands.items():
            if index >= (repeat_of or {}).get(label, repeat):
                continue
            log(f"{what} {index + 1}/{repeat}: {label}")
            runs[label].append(run_command(label, command, count, cwd))
    return {label: median_run(found) for label, found in runs.items() if found}


def median_run(runs: list[Run]) -> Run:
    walls = sorted(runs, key=lambda r: r.wall)
    middle = walls[len(walls) // 2]
    return Run(
        middle.label,
        middle.files,
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_rss_mb for r in runs),
        max(r.peak_pss_mb for r in runs),
        middle.exit_code,
    )


# ---- per-template cost, in one warm process ---------------------------------------------------


def latency_worker(tool: str, list_file: str, out_file: str) -> None:
    """Time each template with one tool, warm (rules built, schemas loaded), in this process."""
    files = [line for line in Path(list_file).read_text().splitlines() if line]
    if tool == "cfn-lint":
        from cfnlint.config import ConfigMixIn
        from cfnlint.runner import run_template_by_file_path
        from cfnlint.runner.cli import Runner

        runner = Runner(ConfigMixIn([]))

        def lint(path: str) -> None:
            list(run_template_by_file_path(path, runner.config, runner.rules, False))

    else:
        from slens_lint.engine import Engine, EngineOptions, LintTarget

        engine = Engine(EngineOptions(cfn_lint=tool == "slens-lint --cfn-lint"))
        engine.warm_up()

        def lint(path: str) -> None:
            engine.lint_file(LintTarget(Path(path), path, explicit=True))

    times: dict[str, float] = {}
    failed: dict[str, str] = {}
    for path in files:
        started = time.perf_counter()
        try:
            lint(path)
        except Exception as exc:  # noqa: BLE001 - recorded: a file the tool cannot lint is left out
            failed[path] = f"{type(exc).__name__}: {exc}"[:200]
            continue
        times[path] = time.perf_counter() - started
    Path(out_file).write_text(json.dumps({"times": times, "failed": failed}))


def latencies(tool: str, files: list[str], cwd: Path, work: Path) -> dict:
    list_file = work / "files.txt"
    list_file.write_text("\n".join(files))
    out_file = work / f"latency-{tool.replace(' ', '_')}.json"
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "_latency", tool, str(list_file), str(out_file)],
        cwd=cwd,
        check=True,
    )
    return json.loads(out_file.read_text())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# ---- the benchmark -----------------------------------------------------------------------------


@dataclass
class Results:
    mode: str
    machine: dict
    corpus_files: int = 0
    compared_files: int = 0
    excluded: dict = field(default_factory=dict)
    runs: dict = field(default_factory=dict)
    latency: dict = field(default_factory=dict)
    scaling: dict = field(default_factory=dict)
    large: dict = field(default_factory=dict)
    startup: dict = field(default_factory=dict)
    bad_inputs: dict = field(default_factory=dict)
    issue15: dict = field(default_factory=dict)
    ratios: dict = field(default_factory=dict)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def corpus_files(corpus: Path) -> list[str]:
    """The templates of the corpus: every file with a template suffix, except those in a slens-lint cache
    or a git folder. A `.slens-lint-cache/` left in the corpus by a run with the cache on holds hundreds
    of `.json` entries that are not templates; other hidden folders stay (the corpus has one real template
    under `.aws-composer/`, in every past measurement)."""
    found = []
    for path in corpus.rglob("*"):
        relative = path.relative_to(corpus)
        if path.suffix in SUFFIXES and not NOT_TEMPLATES.intersection(relative.parts[:-1]) and path.is_file():
            found.append(relative.as_posix())
    return sorted(found)


NOT_TEMPLATES = {".slens-lint-cache", ".git"}


def check(*arguments: str) -> list[str]:
    """`slens-lint check --no-cache ...`. Every run that is not about the cache passes --no-cache: with the
    cache on, every run after the first would be served the first one's results, and the cache would be
    written at the project root, which for a corpus run is the corpus folder (shared, read-only for us)."""
    return SLENS + ["check", "--no-cache", *arguments]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="slens-lint and cfn-lint side by side (see benchmarks/README.md)")
    parser.add_argument("--quick", action="store_true", help="about 60 corpus files; skips cfn-lint on the 5 MB template and the issue 15 rows")
    parser.add_argument("--issue15", action="store_true", help="only the rows of issue 15 (16,000 findings in each output format, small templates, cache cold and warm, --jobs 2, LSP re-lint): a few minutes")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of templates (default: ../shared/corpus or $SLENS_CORPUS)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="workers for the --jobs run (default: CPU count)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each slens-lint measurement (median reported)")
    parser.add_argument("--json", type=Path, help="also write all results to this file")
    args = parser.parse_args(argv)

    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        parser.error(f"corpus not found at {corpus} (use --corpus or set SLENS_CORPUS)")
    compile_bytecode()
    sys.path.insert(0, str(ROOT / "scripts"))

    results = Results(
        mode=("quick" if args.quick else "full") + (", issue 15 rows only" if args.issue15 else ""),
        machine={
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_before": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "cfn_lint": _version(CFN_LINT),
            "slens_lint": _version(SLENS),
        },
    )
    everything = corpus_files(corpus)
    results.corpus_files = len(everything)
    files = everything[:: max(1, len(everything) // 60)] if args.quick else everything
    slow_repeat = 1 if not args.quick else args.repeat

    with tempfile.TemporaryDirectory(prefix="slens-bench-") as tmp:
        work = Path(tmp)
        if args.issue15:
            # The files cfn-lint raises on are left out of the corpus rows: one warm cfn-lint process finds them.
            log(f"files cfn-lint cannot lint: cfn-lint, one process ({len(files)} files)")
            failed = latencies("cfn-lint", files, corpus, work)["failed"]
            results.excluded = dict(failed)
            common = [f for f in files if f not in failed]
            results.compared_files = len(common)
        else:
            common = general(results, args, corpus, files, work, slow_repeat)
        if args.issue15 or not args.quick:
            results.issue15 = issue15(results, args, corpus, common, work, slow_repeat)

    results.machine["load_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    results.ratios = ratios(results, args.jobs)
    report(results, args.jobs)
    if args.json:
        args.json.write_text(json.dumps(asdict(results), indent=2, default=str))
    return 0


def general(results: Results, args: argparse.Namespace, corpus: Path, files: list[str], work: Path, slow_repeat: int) -> list[str]:
    """Sections 1 to 6 (issue 6): per-template cost, whole runs, scaling, the 5 MB template, start-up,
    bad inputs. Returns the corpus files both tools can lint."""
    import make_bad_inputs

    # 1. Per-template cost in one warm process; also finds the files cfn-lint cannot lint.
    for tool in ("slens-lint", "slens-lint --cfn-lint", "cfn-lint"):
        log(f"per-template cost: {tool} ({len(files)} files)")
        results.latency[tool] = latencies(tool, files, corpus, work)
    failed = set(results.latency["cfn-lint"]["failed"])
    results.excluded = {path: reason for path, reason in results.latency["cfn-lint"]["failed"].items()}
    common = [f for f in files if f not in failed]
    results.compared_files = len(common)
    for tool, data in results.latency.items():
        times = [t for path, t in data["times"].items() if path not in failed]
        data["p50_ms"] = percentile(times, 0.5) * 1000
        data["p95_ms"] = percentile(times, 0.95) * 1000
        data["total_s"] = sum(times)
        data.pop("times")

    # 2. Whole runs of the command line, interleaved.
    n = len(common)
    commands = {
        "slens-lint (1 process)": (check("-f", "json", "-o", str(work / "a.json"), "--jobs", "1", *common), n, corpus),
        f"slens-lint --jobs {args.jobs}": (check("-f", "json", "-o", str(work / "b.json"), "--jobs", str(args.jobs), *common), n, corpus),
        "slens-lint --cfn-lint (1 process)": (check("--cfn-lint", "-f", "json", "-o", str(work / "c.json"), "--jobs", "1", *common), n, corpus),
        "cfn-lint (alone)": (CFN_LINT + ["--format", "json", "--", *common], n, corpus),
    }
    measured = interleaved(commands, args.repeat, {label: slow_repeat for label in commands if "cfn-lint" in label})
    results.runs = {label: asdict(run) for label, run in measured.items()}
    # Memory of the whole process tree, in one more run of each slens-lint command (cfn-lint is
    # one process: its peak comes from the timed run).
    for label, (command, count, cwd) in commands.items():
        if label.startswith("slens-lint"):
            log(f"memory of the process tree: {label}")
            sampled = run_command(label, command, count, cwd, sample_memory=True)
            # Sampling every 20 ms can miss a short peak the kernel saw (one process: its own peak).
            results.runs[label]["peak_rss_mb"] = max(sampled.peak_rss_mb, results.runs[label]["peak_rss_mb"])
            results.runs[label]["peak_pss_mb"] = sampled.peak_pss_mb

    # 3. Scaling: the same tools on the first 1, 10, 100 files (all: the whole runs above).
    for label, base in (("slens-lint (1 process)", check("-f", "json", "--jobs", "1")), ("cfn-lint (alone)", CFN_LINT + ["--format", "json", "--"])):
        series = {}
        for count in (1, 10, 100):
            if count >= len(common):
                continue
            repeat = args.repeat if label.startswith("slens") else slow_repeat
            log(f"scaling: {label} on {count} files")
            found = [run_command(label, base + common[:count], count, corpus) for _ in range(repeat)]
            series[count] = median_run(found).wall
        series[len(common)] = results.runs[label]["wall"]
        results.scaling[label] = series

    # 4. The 5 MB, 2,000-resource template.
    large = work / "large-template.yaml"
    large.write_text(make_bad_inputs.large_template(), encoding="utf-8")
    log("5 MB template: slens-lint")
    found = [run_command("slens-lint", check("-f", "json", str(large)), 1, work) for _ in range(args.repeat)]
    results.large["bytes"] = large.stat().st_size
    results.large["slens-lint"] = asdict(median_run(found))
    if not args.quick:
        log("5 MB template: cfn-lint (about a minute)")
        results.large["cfn-lint"] = asdict(run_command("cfn-lint", CFN_LINT + ["--format", "json", "--", str(large)], 1, work))

    # 5. Start-up: commands that must not import cfn-lint.
    for label, command in (("--version", SLENS + ["--version"]), ("rules", SLENS + ["rules"])):
        walls = [run_command(label, command, 0, work).wall for _ in range(7)]
        results.startup[label] = statistics.median(walls)

    # 6. Every bad input, each in its own run.
    bad = work / "bad"
    make_bad_inputs.write(bad, {**make_bad_inputs.SMALL, **make_bad_inputs.LARGE})
    for name in sorted(os.listdir(bad)):
        if name == "large-template.yaml":
            continue
        run = run_command(name, check("-f", "json", name), 1, bad)
        results.bad_inputs[name] = {"wall": run.wall, "exit_code": run.exit_code, "peak_rss_mb": run.peak_rss_mb}
    return common


# ---- issue 15: 16,000 findings in every format, small templates, the cache, --jobs 2, the LSP -----

FORMATS = ("text", "json", "sarif", "github", "parseable", "junit")
SMALL_REPEAT = 7
LSP_RUNS = 30


def count_findings(path: Path, fmt: str) -> Optional[int]:
    """Findings in a report, counted in the report itself (16,000 must come out in every format)."""
    import re

    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    if fmt == "json":
        return len(json.loads(text)["findings"])
    if fmt == "sarif":
        return sum(len(run.get("results", [])) for run in json.loads(text)["runs"])
    if fmt == "github":
        return len(re.findall(r"(?m)^::(?:error|warning|notice) ", text))
    # text, parseable, junit: one `file:line:col` per finding
    return len(re.findall(r"many-findings\.yaml:\d+:\d+[ :]", text))


def cache_entries(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*.json") if p.is_file()) if folder.is_dir() else 0


def _small_template_row(name: str, path: Path, repeat: int) -> dict:
    """A small template, each tool in a fresh process, `repeat` times interleaved: the medians."""
    commands = {
        "slens-lint": (check(path.name), 1, path.parent),
        "cfn-lint": (CFN_LINT + ["--", path.name], 1, path.parent),
    }
    measured = interleaved(commands, repeat, what=name)
    counted = subprocess.run(check("-f", "json", path.name), cwd=path.parent, capture_output=True, text=True)
    return {
        "lines": path.read_text().count("\n"),
        "findings": len(json.loads(counted.stdout)["findings"]) if counted.stdout.strip() else None,
        "runs": repeat,
        **{label: asdict(run) for label, run in measured.items()},
    }


def lsp_template(corpus: Path) -> Optional[Path]:
    """The corpus template closest to 500 lines: corpus_files() leaves out hidden folders (a cache's
    .json entries are not templates), and a file must have a Resources section to count."""
    best: Optional[tuple[int, str, Path]] = None
    for relative in corpus_files(corpus):
        path = corpus / relative
        text = path.read_text(encoding="utf-8", errors="replace")
        if '"Resources"' not in text and "Resources:" not in text:
            continue
        key = (abs(text.count("\n") - 500), relative, path)
        best = min(best, key) if best else key
    return best[2] if best else None


def issue15(results: Results, args: argparse.Namespace, corpus: Path, common: list[str], work: Path, slow_repeat: int) -> dict:
    import make_bad_inputs

    out: dict = {}
    repeat = args.repeat

    # a. 2,000 resources, 16,000 findings, every output format (info findings shown), and one rule selected.
    many = work / "many-findings.yaml"
    many.write_text(make_bad_inputs.many_findings_template(), encoding="utf-8")
    commands = {
        fmt: (check("--min-severity", "info", "-f", fmt, "-o", str(work / f"many.{fmt}"), many.name), 1, work) for fmt in FORMATS
    }
    commands["--select SL211"] = (check("--min-severity", "info", "--select", "SL211", "-f", "json", "-o", str(work / "many.select.json"), many.name), 1, work)
    if not args.quick:
        commands["cfn-lint"] = (CFN_LINT + ["--format", "json", "--", many.name], 1, work)
    measured = interleaved(commands, repeat, {"cfn-lint": slow_repeat}, what="2,000 resources, 16,000 findings")
    out["many_findings"] = {
        "bytes": many.stat().st_size,
        "formats": {fmt: {**asdict(measured[fmt]), "findings": count_findings(work / f"many.{fmt}", fmt)} for fmt in FORMATS},
        "select_sl211": {**asdict(measured["--select SL211"]), "findings": count_findings(work / "many.select.json", "json")},
        "cfn-lint": asdict(measured["cfn-lint"]) if "cfn-lint" in measured else None,
    }

    # b. Small templates: three lines, one finding; a typical one-function SAM template.
    small = work / "small"
    (small / "sam-function" / "src").mkdir(parents=True)
    (small / "three-lines.yaml").write_text(make_bad_inputs.THREE_LINES)
    (small / "sam-function" / "template.yaml").write_text(make_bad_inputs.ONE_FUNCTION)
    (small / "sam-function" / "src" / "app.py").write_text("def handler(event, context):\n    return {'statusCode': 200}\n")
    small_repeat = max(SMALL_REPEAT, repeat)
    out["three_line"] = _small_template_row("three-line template", small / "three-lines.yaml", small_repeat)
    out["sam_function"] = _small_template_row("one-function SAM template", small / "sam-function" / "template.yaml", small_repeat)

    # c. The same unchanged corpus linted twice: cold cache, then warm. The cache lives under the
    # temporary folder (`cache-dir` of a temporary project's pyproject.toml, passed with --config; the
    # run's working folder is that project too), never in the corpus. cfn-lint has no cache: it pays the
    # full cost both times (run twice, in the first round).
    project = work / "cache-project"
    project.mkdir()
    config = project / "pyproject.toml"
    paths = [str(corpus / f) for f in common]
    n = len(common)
    cfn_corpus = CFN_LINT + ["--", *common]
    cold: list[Run] = []
    warm: list[Run] = []
    cfn: list[Run] = []
    misses: list[int] = []
    for index in range(repeat):
        cache_dir = work / f"cache-{index}"
        config.write_text(f'[tool.slens-lint]\ncache-dir = "{cache_dir.as_posix()}"\n', encoding="utf-8")
        command = SLENS + ["check", "--config", str(config), *paths]
        log(f"corpus, cache {index + 1}/{repeat}: slens-lint, cold cache")
        cold.append(run_command("slens-lint, cold cache", command, n, project))
        written = cache_entries(cache_dir)
        if written == 0:
            raise SystemExit(f"the cold run wrote no cache entry under {cache_dir}: is `cache-dir` still the configuration key?")
        if index == 0:
            log("corpus, cache: cfn-lint, first time")
            cfn.append(run_command("cfn-lint, first time", cfn_corpus, n, corpus))
        log(f"corpus, cache {index + 1}/{repeat}: slens-lint, warm cache")
        warm.append(run_command("slens-lint, warm cache", command, n, project))
        # An entry written by the warm run is a file it linted again: the product code changed between
        # the two runs (the cache key holds the modules' sizes and times).
        misses.append(cache_entries(cache_dir) - written)
        if index == 0:
            log("corpus, cache: cfn-lint, second time")
            cfn.append(run_command("cfn-lint, second time", cfn_corpus, n, corpus))
    # A warm run that re-linted files (the code changed between its pair's two runs) measures no warm
    # cache: left out of the median while any clean one is left.
    clean = [run for run, missed in zip(warm, misses) if missed == 0]
    out["cache"] = {
        "files": n,
        "entries": written,
        "cold": asdict(median_run(cold)),
        "warm": asdict(median_run(clean or warm)),
        "warm_all": [asdict(run) for run in warm],
        "warm_relinted": misses,
        "cfn-lint first": asdict(cfn[0]),
        "cfn-lint second": asdict(cfn[1]),
    }

    # d. --jobs 2 against one process on the corpus, no cache (the whole runs of section 2 when they were
    # made with --jobs 2).
    if results.runs and args.jobs == 2:
        one, two = results.runs["slens-lint (1 process)"], results.runs["slens-lint --jobs 2"]
    else:
        commands = {
            "slens-lint (1 process)": (check("-f", "json", "-o", str(work / "j1.json"), "--jobs", "1", *common), n, corpus),
            "slens-lint --jobs 2": (check("-f", "json", "-o", str(work / "j2.json"), "--jobs", "2", *common), n, corpus),
        }
        measured = interleaved(commands, repeat, what="corpus, no cache")
        one, two = asdict(measured["slens-lint (1 process)"]), asdict(measured["slens-lint --jobs 2"])
    out["jobs"] = {"files": n, "one": one, "two": two, "speedup": one["wall"] / two["wall"], "cpu_one": one["cpu"], "cpu_two": two["cpu"]}

    # e. LSP: time from a one-line edit (didChange) to its diagnostics, with benchmarks/lsp_latency.py's
    # client; the template is picked here (corpus_files leaves out non-templates).
    import asyncio

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import lsp_latency

    out["lsp"] = {}
    template = lsp_template(corpus)
    cases = []
    if template is not None:
        cases.append(("corpus", template.relative_to(corpus).as_posix(), template.read_text(encoding="utf-8"), template.suffix))
    cases.append(("generated", "generated, 500 lines, a finding on every function", lsp_latency.generated_template(500), ".yaml"))
    for key, name, text, suffix in cases:
        log(f"LSP re-lint: {name} ({LSP_RUNS} edits)")
        samples, cpu = asyncio.run(lsp_latency.measure_server(text, suffix, LSP_RUNS))
        ordered = sorted(samples)
        out["lsp"][key] = {
            "template": name,
            "lines": text.count("\n"),
            "runs": LSP_RUNS,
            "median_ms": statistics.median(ordered),
            "p90_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))],
            "max_ms": ordered[-1],
            "server_cpu_ms": cpu,
        }
    return out


def compile_bytecode() -> None:
    """Measure slens-lint as installed: pip writes bytecode at install time, but an editable checkout
    run with PYTHONDONTWRITEBYTECODE set (common in containers) recompiles every module on every run,
    about 0.1 s of start-up that is not the tool's."""
    import importlib.util

    spec = importlib.util.find_spec("slens_lint")
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            subprocess.run([sys.executable, "-m", "compileall", "-q", location], check=False, capture_output=True)


def _version(command: list[str]) -> str:
    done = subprocess.run(command + ["--version"], capture_output=True, text=True)
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"


def ratios(results: Results, jobs: int) -> dict:
    found: dict = {}
    runs = results.runs
    if runs:
        one = runs["slens-lint (1 process)"]
        many = runs[f"slens-lint --jobs {jobs}"]
        cfn_route = runs["slens-lint --cfn-lint (1 process)"]
        alone = runs["cfn-lint (alone)"]
        slowest_bad = max((v["wall"] for v in results.bad_inputs.values()), default=0.0)
        # Amdahl: a one-file run is almost all start-up (interpreter, imports of cfn-lint and the rules),
        # which every run pays once, before any worker can start; only the rest can be shared by N workers.
        startup = results.scaling.get("slens-lint (1 process)", {}).get(1, 0.0)
        parallel = max(one["wall"] - startup, 1e-9)
        found.update({
            "default_vs_cfn_lint": alone["wall"] / one["wall"],
            "jobs_speedup": one["wall"] / many["wall"],
            "cfn_lint_route_overhead": cfn_route["wall"] / alone["wall"],
            "large_template_seconds": results.large["slens-lint"]["wall"],
            "startup_seconds": max(results.startup.values()),
            "peak_memory_mb": max(one["peak_rss_mb"], many["peak_pss_mb"]),
            "bad_input_seconds": slowest_bad,
            "startup_one_file": startup,
            "jobs_speedup_bound": one["wall"] / (startup + parallel / jobs),
            "jobs_parallel_efficiency": parallel / (jobs * max(many["wall"] - startup, 1e-9)),
            # The same ratios in CPU seconds: what they would be on an idle machine.
            "cpu_default_vs_cfn_lint": alone["cpu"] / one["cpu"],
            "cpu_cfn_lint_route_overhead": cfn_route["cpu"] / alone["cpu"],
        })
    i15 = results.issue15
    if i15:
        found.update({
            "many_findings_seconds": max(v["wall"] for v in i15["many_findings"]["formats"].values()),
            "three_line_seconds": i15["three_line"]["slens-lint"]["wall"],
            "sam_function_seconds": i15["sam_function"]["slens-lint"]["wall"],
            "warm_cache_seconds": i15["cache"]["warm"]["wall"],
            "jobs2_speedup": i15["jobs"]["speedup"],
        })
        if "corpus" in i15["lsp"]:
            found["lsp_relint_ms"] = i15["lsp"]["corpus"]["median_ms"]
    return found


HIGHER_IS_BETTER = ("default_vs_cfn_lint", "jobs_speedup", "jobs2_speedup")


def _met(name: str, value: float) -> bool:
    target = TARGETS[name]
    return value >= target if name in HIGHER_IS_BETTER else value <= target


def _check(name: str, value: float) -> str:
    return "PASS" if _met(name, value) else "MISS"


def report(results: Results, jobs: int) -> None:
    out = []
    m = results.machine
    out.append(f"## slens-lint benchmark ({results.mode} mode)\n")
    out.append(f"{m['slens_lint']}, {m['cfn_lint']}, Python {m['python']}, {m['cpus']} CPUs, {m['platform']}")
    out.append(f"load average before {m['load_before']}, after {m['load_after']}")
    out.append(
        f"{results.compared_files} of {results.corpus_files} corpus files compared"
        + (f"; {len(results.excluded)} left out because cfn-lint raises on them: {', '.join(sorted(results.excluded))}" if results.excluded else "")
        + "\n"
    )
    if results.runs:
        general_report(results, jobs, out)
    if results.issue15:
        issue15_report(results, out)
    out.append("\n| target | measured | goal | |")
    out.append("|---|---:|---:|---|")
    names = {
        "default_vs_cfn_lint": ("cfn-lint alone / slens-lint, one process (x)", ">="),
        "jobs_speedup": (f"one process / --jobs {jobs} (x)", ">="),
        "cfn_lint_route_overhead": ("slens-lint --cfn-lint / cfn-lint alone (x)", "<="),
        "large_template_seconds": ("5 MB template, default rules (s)", "<="),
        "startup_seconds": ("--version and rules, slowest (s)", "<="),
        "peak_memory_mb": ("peak memory, default corpus run (MB)", "<="),
        "bad_input_seconds": ("slowest bad input, fresh process (s)", "<="),
        "many_findings_seconds": ("16,000 findings, slowest of the 6 formats (s)", "<="),
        "three_line_seconds": ("three-line template, median (s)", "<="),
        "sam_function_seconds": ("one-function SAM template, median (s)", "<="),
        "warm_cache_seconds": ("corpus, warm cache (s)", "<="),
        "jobs2_speedup": ("corpus, no cache: one process / --jobs 2 (x)", ">="),
        "lsp_relint_ms": ("LSP re-lint after a one-line edit, ~500-line template, median (ms)", "<="),
    }
    if "jobs_speedup" in results.ratios and jobs == 2:
        names.pop("jobs2_speedup")  # the same runs as "one process / --jobs 2" above
    for key, (title, sense) in names.items():
        if key not in results.ratios:
            continue
        value = results.ratios[key]
        out.append(f"| {title} | {value:.2f} | {sense} {TARGETS[key]} | {_check(key, value)} |")
    if results.runs:
        out.append(
            f"\n--jobs {jobs}: a one-file run takes {results.ratios['startup_one_file']:.2f} s (start-up, paid once before any "
            f"worker starts), so {results.ratios['jobs_speedup_bound']:.2f}x is the most {jobs} workers can give on this run (Amdahl); "
            f"the linting itself ran at {results.ratios['jobs_parallel_efficiency']:.0%} parallel efficiency."
        )
        out.append(
            f"In CPU seconds (what an idle machine would show): cfn-lint / slens-lint {results.ratios['cpu_default_vs_cfn_lint']:.1f}x, "
            f"--cfn-lint / cfn-lint {results.ratios['cpu_cfn_lint_route_overhead']:.2f}x."
        )
    if not results.issue15:
        out.append("\nThe issue 15 rows (16,000 findings, small templates, cache, --jobs 2, LSP) are not run in quick mode: add --issue15.")
    print("\n".join(out))


def general_report(results: Results, jobs: int, out: list[str]) -> None:
    out.append("| run | files | wall s | CPU s | peak RSS MB | peak PSS MB | per template p50 / p95 ms |")
    out.append("|---|---:|---:|---:|---:|---:|---:|")
    per_tool = {
        "slens-lint (1 process)": "slens-lint",
        f"slens-lint --jobs {jobs}": None,
        "slens-lint --cfn-lint (1 process)": "slens-lint --cfn-lint",
        "cfn-lint (alone)": "cfn-lint",
    }
    for label, run in results.runs.items():
        tool = per_tool.get(label)
        latency = results.latency.get(tool) if tool else None
        cost = f"{latency['p50_ms']:.1f} / {latency['p95_ms']:.1f}" if latency else ""
        out.append(
            f"| {label} | {run['files']} | {run['wall']:.2f} | {run['cpu']:.2f} | {run['peak_rss_mb']:.0f} | {run['peak_pss_mb']:.0f} | {cost} |"
        )
    out.append("\nScaling (wall seconds by number of files; the marginal cost per file should stay flat):\n")
    counts = sorted({c for series in results.scaling.values() for c in series})
    out.append("| tool | " + " | ".join(str(c) for c in counts) + " | s per extra file, 10 to all |")
    out.append("|---|" + "---:|" * (len(counts) + 1))
    for label, series in results.scaling.items():
        cells = [f"{series[c]:.2f}" if c in series else "" for c in counts]
        marginal = ""
        if 10 in series and counts[-1] in series and counts[-1] > 10:
            marginal = f"{(series[counts[-1]] - series[10]) / (counts[-1] - 10):.4f}"
        out.append(f"| {label} | " + " | ".join(cells) + f" | {marginal} |")
    large = results.large
    out.append(f"\n5 MB template ({large['bytes']:,} bytes, 2,000 resources): slens-lint {large['slens-lint']['wall']:.2f} s "
               f"(peak {large['slens-lint']['peak_rss_mb']:.0f} MB)"
               + (f", cfn-lint {large['cfn-lint']['wall']:.1f} s" if "cfn-lint" in large else ", cfn-lint not run in quick mode"))
    out.append("Start-up: " + ", ".join(f"`slens-lint {k}` {v:.3f} s" for k, v in results.startup.items()))
    slow = {k: v for k, v in results.bad_inputs.items() if v["wall"] > TARGETS["bad_input_seconds"]}
    out.append(f"Bad inputs: {len(results.bad_inputs)} files, slowest {max(v['wall'] for v in results.bad_inputs.values()):.2f} s"
               + (f"; over {TARGETS['bad_input_seconds']} s: {', '.join(slow)}" if slow else ""))


def _s(run: Optional[dict], cpu: bool = True) -> str:
    if not run:
        return "not run"
    return f"{run['wall']:.2f} s" + (f" (CPU {run['cpu']:.2f})" if cpu else "")


def issue15_report(results: Results, out: list[str]) -> None:
    i15 = results.issue15
    mf = i15["many_findings"]
    cfn_many = mf["cfn-lint"]
    out.append("\n### Issue 15 (wall seconds, median; CPU seconds in brackets)\n")
    out.append("| case | slens-lint | cfn-lint | target | |")
    out.append("|---|---:|---:|---|---|")

    def row(case: str, slens: str, cfn: str, target: str, verdict: str = "") -> None:
        out.append(f"| {case} | {slens} | {cfn} | {target} | {verdict} |")

    def verdict(key: str, value: float) -> str:
        return "met" if _met(key, value) else "MISSED"

    goal = TARGETS["many_findings_seconds"]
    for fmt, run in mf["formats"].items():
        findings = f"{run['findings']:,}" if run["findings"] is not None else "?"
        row(f"2,000 resources, `--min-severity info -f {fmt}` ({findings} findings out)", _s(run),
            _s(cfn_many) + " (`--format json`)" if cfn_many else "not run (quick)", f"< {goal:g} s", verdict("many_findings_seconds", run["wall"]))
    sel = mf["select_sl211"]
    row(f"same file, `--select SL211 -f json` ({sel['findings']:,} findings)", _s(sel), _s(cfn_many) if cfn_many else "not run (quick)", "(report)")
    for key, title, target in (("three_line", "three-line template", "three_line_seconds"), ("sam_function", "one-function SAM template (HttpApi event)", "sam_function_seconds")):
        data = i15[key]
        row(f"{title}, {data['findings']} finding(s), median of {data['runs']}", _s(data["slens-lint"]), _s(data["cfn-lint"]),
            f"< {TARGETS[target]:g} s", verdict(target, data["slens-lint"]["wall"]))
    cache = i15["cache"]
    spoilt = [m for m in cache["warm_relinted"] if m]
    runs = len(cache["warm_relinted"])
    if not spoilt:
        note = f" (median of {runs})"
    elif len(spoilt) < runs:
        note = f" (median of {runs - len(spoilt)}: {len(spoilt)} of {runs} warm runs re-linted {max(spoilt)} files, the code having changed between the two runs, left out)"
    else:
        note = f" (every warm run re-linted files, up to {max(spoilt)}: the code changed between the runs; not a warm-cache time)"
    row(f"corpus ({cache['files']} files), first run, cold cache (median of {runs})", _s(cache["cold"]), _s(cache["cfn-lint first"]), "(report)")
    row("same corpus unchanged, second run, warm cache" + note,
        _s(cache["warm"]), _s(cache["cfn-lint second"]), f"< {TARGETS['warm_cache_seconds']:g} s", verdict("warm_cache_seconds", cache["warm"]["wall"]))
    jobs = i15["jobs"]
    row(f"corpus ({jobs['files']} files), `--no-cache`: one process / `--jobs 2`",
        f"{jobs['one']['wall']:.2f} / {jobs['two']['wall']:.2f} s = {jobs['speedup']:.2f}x (CPU {jobs['cpu_one']:.2f} / {jobs['cpu_two']:.2f})",
        _s(cache["cfn-lint first"]) + " (one process)", f">= {TARGETS['jobs2_speedup']:g}x", verdict("jobs2_speedup", jobs["speedup"]))
    for key, lsp in i15["lsp"].items():
        cpu = f", server CPU {lsp['server_cpu_ms']:.0f} ms" if lsp["server_cpu_ms"] is not None else ""
        cell = f"median {lsp['median_ms']:.1f} ms (p90 {lsp['p90_ms']:.1f}{cpu})"
        if key == "corpus":
            row(f"LSP re-lint after a one-line edit, {lsp['template']} ({lsp['lines']} lines), {lsp['runs']} edits", cell, "n/a (no server)",
                f"< {TARGETS['lsp_relint_ms']:g} ms", verdict("lsp_relint_ms", lsp["median_ms"]))
        else:
            row(f"LSP re-lint, {lsp['template']} ({lsp['lines']} lines), {lsp['runs']} edits", cell, "n/a (no server)", "(report)")
    out.append(
        "\nCommands: `slens-lint check --no-cache --min-severity info -f FORMAT -o FILE many-findings.yaml`, "
        "`cfn-lint --format json -- many-findings.yaml`; small templates: `slens-lint check --no-cache FILE`, `cfn-lint -- FILE`; "
        "cache: `slens-lint check --config TMP/pyproject.toml FILES...` (cache-dir under a temporary folder, default --jobs), "
        "`cfn-lint -- FILES...`; jobs: `slens-lint check --no-cache -f json -o FILE --jobs 1|2 FILES...`."
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "_latency":
        latency_worker(sys.argv[2], sys.argv[3], sys.argv[4])
        sys.exit(0)
    sys.exit(main())
