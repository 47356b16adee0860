"""slens-lint and cfn-lint side by side, in one run, on the same files.

    python benchmarks/benchmark.py --quick      # about 60 corpus files, a couple of minutes
    python benchmarks/benchmark.py              # the whole corpus, 10 minutes or so
    python benchmarks/benchmark.py --corpus PATH --jobs 2 --repeat 3 --json results.json

What it measures (see benchmarks/README.md):
- whole runs of the command line, each in a fresh process: slens-lint (default rules) in one process
  and with `--jobs N`, `slens-lint --cfn-lint`, and `cfn-lint` alone: wall time, CPU time, and the peak
  memory of the process and its workers (RSS, and PSS, which counts pages shared by forked workers once);
- the cost of each template (p50, p95) with each tool, warm, in one process;
- a scaling series (1, 10, 100, all files) for slens-lint and cfn-lint;
- the generated 5 MB, 2,000-resource template; `--version` and `rules`; every bad input.

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
    ratios: dict = field(default_factory=dict)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def corpus_files(corpus: Path) -> list[str]:
    return sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file() and p.suffix in SUFFIXES)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="slens-lint and cfn-lint side by side (see benchmarks/README.md)")
    parser.add_argument("--quick", action="store_true", help="about 60 corpus files; skips cfn-lint on the 5 MB template")
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
    import make_bad_inputs

    results = Results(
        mode="quick" if args.quick else "full",
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
        commands = {
            "slens-lint (1 process)": SLENS + ["check", "-f", "json", "-o", str(work / "a.json"), "--jobs", "1", *common],
            f"slens-lint --jobs {args.jobs}": SLENS + ["check", "-f", "json", "-o", str(work / "b.json"), "--jobs", str(args.jobs), *common],
            "slens-lint --cfn-lint (1 process)": SLENS + ["check", "--cfn-lint", "-f", "json", "-o", str(work / "c.json"), "--jobs", "1", *common],
            "cfn-lint (alone)": CFN_LINT + ["--format", "json", "--", *common],
        }
        runs: dict[str, list[Run]] = {label: [] for label in commands}
        for index in range(args.repeat):
            for label, command in commands.items():
                slow = "cfn-lint" in label
                if slow and index >= slow_repeat:
                    continue
                log(f"whole run {index + 1}/{args.repeat}: {label}")
                runs[label].append(run_command(label, command, len(common), corpus))
        results.runs = {label: asdict(median_run(found)) for label, found in runs.items()}
        # Memory of the whole process tree, in one more run of each slens-lint command (cfn-lint is
        # one process: its peak comes from the timed run).
        for label, command in commands.items():
            if label.startswith("slens-lint"):
                log(f"memory of the process tree: {label}")
                sampled = run_command(label, command, len(common), corpus, sample_memory=True)
                # Sampling every 20 ms can miss a short peak the kernel saw (one process: its own peak).
                results.runs[label]["peak_rss_mb"] = max(sampled.peak_rss_mb, results.runs[label]["peak_rss_mb"])
                results.runs[label]["peak_pss_mb"] = sampled.peak_pss_mb

        # 3. Scaling: the same tools on the first 1, 10, 100 files (all: the whole runs above).
        for label, base in (("slens-lint (1 process)", SLENS + ["check", "-f", "json", "--jobs", "1"]), ("cfn-lint (alone)", CFN_LINT + ["--format", "json", "--"])):
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
        found = [run_command("slens-lint", SLENS + ["check", "-f", "json", str(large)], 1, work) for _ in range(args.repeat)]
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
            run = run_command(name, SLENS + ["check", "-f", "json", name], 1, bad)
            results.bad_inputs[name] = {"wall": run.wall, "exit_code": run.exit_code, "peak_rss_mb": run.peak_rss_mb}

    results.machine["load_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    results.ratios = ratios(results, args.jobs)
    report(results, args.jobs)
    if args.json:
        args.json.write_text(json.dumps(asdict(results), indent=2, default=str))
    return 0


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
    runs = results.runs
    one = runs["slens-lint (1 process)"]
    many = runs[f"slens-lint --jobs {jobs}"]
    cfn_route = runs["slens-lint --cfn-lint (1 process)"]
    alone = runs["cfn-lint (alone)"]
    slowest_bad = max((v["wall"] for v in results.bad_inputs.values()), default=0.0)
    # Amdahl: a one-file run is almost all start-up (interpreter, imports of cfn-lint and the rules),
    # which every run pays once, before any worker can start; only the rest can be shared by N workers.
    startup = results.scaling.get("slens-lint (1 process)", {}).get(1, 0.0)
    parallel = max(one["wall"] - startup, 1e-9)
    return {
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
    }


def _check(name: str, value: float) -> str:
    target = TARGETS[name]
    higher_is_better = name in ("default_vs_cfn_lint", "jobs_speedup")
    ok = value >= target if higher_is_better else value <= target
    return "PASS" if ok else "MISS"


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
    }
    for key, (title, sense) in names.items():
        value = results.ratios[key]
        out.append(f"| {title} | {value:.2f} | {sense} {TARGETS[key]} | {_check(key, value)} |")
    out.append(
        f"\n--jobs {jobs}: a one-file run takes {results.ratios['startup_one_file']:.2f} s (start-up, paid once before any "
        f"worker starts), so {results.ratios['jobs_speedup_bound']:.2f}x is the most {jobs} workers can give on this run (Amdahl); "
        f"the linting itself ran at {results.ratios['jobs_parallel_efficiency']:.0%} parallel efficiency."
    )
    out.append(
        f"In CPU seconds (what an idle machine would show): cfn-lint / slens-lint {results.ratios['cpu_default_vs_cfn_lint']:.1f}x, "
        f"--cfn-lint / cfn-lint {results.ratios['cpu_cfn_lint_route_overhead']:.2f}x."
    )
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "_latency":
        latency_worker(sys.argv[2], sys.argv[3], sys.argv[4])
        sys.exit(0)
    sys.exit(main())
