"""The typed model against the one before it: what building the model costs, and the corpus run.

    python benchmarks/model_cost.py                  # against 1cd05b3, the last commit of the old model
    python benchmarks/model_cost.py --before REV --corpus PATH --repeat 5

Both versions run from this checkout's virtual environment (same cfn-lint, pydantic, Python): the
earlier revision is extracted with `git archive` into a temporary folder and put first on
`PYTHONPATH` (the script checks that its modules are the ones imported).

Rows (see benchmarks/README.md):
- **Model in a run**: `slens-lint check --jobs 1` run in one process on every file of a set, timing
  the outermost calls that build the model: `Template(...)` in both versions, and in the typed
  model also what it builds on first use (a resource's `props`, `Props.read`, `reading.read`). The
  old model validated every resource's properties in `Template(...)`, its pydantic validators built
  on first use; the typed one reads a resource's properties when a rule first asks. One run each,
  best of `--repeat`; the share is of the whole run.
- **Model built in full**: every template decoded once by cfn-lint's decoder (the same trees for
  both versions, not timed), then `Template(tree)` built and every resource's typed properties read,
  explicit and SAM-generated, after a warm-up pass: the steady cost of the whole model, which the
  typed model pays only when every property of every resource is read. Best of `--repeat` passes.
  Both rows on the corpus and on this checkout's `fixtures/`.
- **Corpus run**: `slens-lint check CORPUS` as a user types it, `--jobs 1` and the default, each in a
  fresh process, interleaved with the other version and with `cfn-lint` on the same files; medians.
  This checkout runs with `--no-cache` (the earlier revision had no cache; a warm cache would not be a
  comparison). Nothing is written into the corpus: it is copied first.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("SLENS_CORPUS", ROOT.parent / "shared" / "corpus"))
OLD_MODEL = "1cd05b3"  # the last commit before the typed model (issue 11)
SUFFIXES = (".yaml", ".yml", ".json", ".template")


def templates(folder: Path) -> list[str]:
    return sorted(
        str(p) for p in folder.rglob("*")
        if p.suffix in SUFFIXES and p.is_file() and not {".git", ".slens-lint-cache"} & set(p.parts)
    )


def model_worker(list_file: str, repeat: int) -> None:
    """Runs inside one version (PYTHONPATH): prints the seconds the model of every file takes."""
    import cfnlint.decode

    import slens_lint
    from slens_lint.template.model import Template

    trees = []
    for name in Path(list_file).read_text().split("\n"):
        if not name:
            continue
        try:
            tree, _ = cfnlint.decode.decode(name)
        except Exception:  # noqa: BLE001 - a file cfn-lint cannot decode has no model in either version
            continue
        if isinstance(tree, dict):
            trees.append((name, tree))

    def build_all() -> int:
        count = 0
        for name, tree in trees:
            fmt = "json" if name.endswith(".json") else "yaml"
            model = Template(tree, fmt, name)
            for resource in [*model.resources.values(), *model.implicit.values()]:
                resource.props  # the old model validated these in Template(); the new one on first use
                count += 1
        return count

    build_all()  # first use builds pydantic validators and reading plans: not the model's steady cost
    passes = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        resources = build_all()
        passes.append(time.perf_counter() - start)
    print(json.dumps({"module": slens_lint.__file__, "files": len(trees), "resources": resources, "seconds": min(passes)}))


def in_run_worker(list_file: str) -> None:
    """Runs inside one version: lints every file in this process, timing the model's outermost calls."""
    import functools

    import slens_lint

    files = [name for name in Path(list_file).read_text().split("\n") if name]
    state = {"depth": 0, "seconds": 0.0, "start": 0.0}

    def timed(function):  # type: ignore[no-untyped-def]
        @functools.wraps(function)
        def outermost(*args, **kwargs):  # type: ignore[no-untyped-def]
            if state["depth"] == 0:
                state["start"] = time.perf_counter()
            state["depth"] += 1
            try:
                return function(*args, **kwargs)
            finally:
                state["depth"] -= 1
                if state["depth"] == 0:
                    state["seconds"] += time.perf_counter() - state["start"]

        return outermost

    typed = (Path(slens_lint.__file__).parent / "template" / "reading.py").exists()
    if typed:
        # Patched before anything imports `read` by name, so every reader calls the timed one.
        from slens_lint.template import reading

        reading.read = timed(reading.read)
        from slens_lint.template.resources import base

        props = base.Resource.__dict__["props"]
        props.func = timed(props.func)
        base.Props.read = classmethod(timed(base.Props.read.__func__))
    from slens_lint.template import model

    model.Template.__init__ = timed(model.Template.__init__)
    from slens_lint.cli import app

    options = ["--no-cache", "--min-severity", "info"] if typed else []
    start = time.perf_counter()
    try:
        app(["check", "--jobs", "1", "-f", "json", "-o", os.devnull, "--fail-on", "never", *options, *files], standalone_mode=False)
    except SystemExit:
        pass
    total = time.perf_counter() - start
    print(json.dumps({"module": slens_lint.__file__, "files": len(files), "seconds": state["seconds"], "total": total}))


def _worker(source: Path, mode: str, list_file: Path, repeat: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(source)}
    out = subprocess.run(
        [sys.executable, __file__, mode, str(list_file), "--repeat", str(repeat)],
        env=env, capture_output=True, text=True, check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["module"].startswith(str(source)):
        raise SystemExit(f"{source}: imported {result['module']} instead")
    return result


def run_model(source: Path, list_file: Path, repeat: int) -> dict:
    return _worker(source, "--model-worker", list_file, repeat)


def run_in_run(source: Path, list_file: Path, repeat: int) -> dict:
    return min((_worker(source, "--in-run-worker", list_file, 1) for _ in range(repeat)), key=lambda r: r["seconds"])


def timed(command: list[str], cwd: Path, pythonpath: Optional[Path]) -> float:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def cfn_lint_can_lint(files: list[str]) -> list[str]:
    """The files cfn-lint does not raise on: it fails on a template whose `Resources:` is empty (one
    such file stops its whole run), so they are left out of its row, as benchmark.py does."""
    import cfnlint.decode

    kept = []
    for name in files:
        try:
            tree, _ = cfnlint.decode.decode(name)
        except Exception:  # noqa: BLE001 - cfn-lint reports what it cannot decode: it stays
            tree = None
        if not isinstance(tree, dict) or isinstance(tree.get("Resources", {}), dict):
            kept.append(name)
    return kept


def corpus_runs(old: Path, corpus: Path, repeat: int) -> dict[str, float]:
    slens = [sys.executable, "-m", "slens_lint", "check", "corpus", "--format", "json", "--output", os.devnull]
    cfn = [str(Path(sys.executable).with_name("cfn-lint")), "--format", "json", "--", *cfn_lint_can_lint(templates(corpus))]
    commands = {
        "before, --jobs 1": (slens + ["--jobs", "1"], old),
        "now, --jobs 1": (slens + ["--jobs", "1", "--no-cache"], None),
        "before, default": (slens, old),
        "now, default": (slens + ["--no-cache"], None),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, (command, source) in commands.items():
            times[name].append(timed(command, corpus.parent, source))
    medians = {name: statistics.median(values) for name, values in times.items()}
    medians[f"cfn-lint (once; {len(cfn) - 4} files it does not raise on)"] = timed(cfn, corpus.parent, None)
    return medians


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="the typed model against an earlier revision (issue 11)")
    parser.add_argument("--before", default=OLD_MODEL, help=f"the earlier revision (default {OLD_MODEL})")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model-worker", help=argparse.SUPPRESS)
    parser.add_argument("--in-run-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.model_worker:
        model_worker(args.model_worker, args.repeat)
        return 0
    if args.in_run_worker:
        in_run_worker(args.in_run_worker)
        return 0
    if not args.corpus.is_dir():
        raise SystemExit(f"no corpus at {args.corpus}: pass --corpus or set SLENS_CORPUS")
    with tempfile.TemporaryDirectory(prefix="slens-model-cost-") as tmp:
        work = Path(tmp)
        old = work / "before"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus, ignore=shutil.ignore_patterns(".slens-lint-cache", ".git"))
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        print("| model | files | before | now | now / before |")
        print("|---|---:|---:|---:|---:|")
        for label, folder in (("corpus", corpus), ("fixtures/", ROOT / "fixtures")):
            list_file = work / f"{label.strip('/')}.txt"
            list_file.write_text("\n".join(templates(folder)) + "\n")
            before, now = run_in_run(old, list_file, args.repeat), run_in_run(ROOT, list_file, args.repeat)
            print(
                f"| {label}, in a run (share of the run) | {now['files']} "
                f"| {before['seconds']:.3f} s ({before['seconds'] / before['total']:.0%}) "
                f"| {now['seconds']:.3f} s ({now['seconds'] / now['total']:.0%}) | {now['seconds'] / before['seconds']:.2f} |"
            )
            before, now = run_model(old, list_file, args.repeat), run_model(ROOT, list_file, args.repeat)
            print(
                f"| {label}, built in full ({now['resources']} resources) | {now['files']} "
                f"| {before['seconds']:.3f} s | {now['seconds']:.3f} s | {now['seconds'] / before['seconds']:.2f} |"
            )
        runs = corpus_runs(old, corpus, args.repeat)
        print()
        print("| corpus run (wall, median) | seconds |")
        print("|---|---:|")
        for name, seconds in runs.items():
            print(f"| {name} | {seconds:.2f} |")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
