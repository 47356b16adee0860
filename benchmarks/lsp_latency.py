"""Re-lint latency of the language server, as an editor sees it.

A real client starts `slens-lint lsp` over stdio (debounce off), opens a template, then changes the
buffer again and again; each sample is the time from sending `didChange` to receiving the
`publishDiagnostics` for that version. The engine's share (lint + conversion, in process) is measured
too, so the JSON-RPC overhead is visible.

    python benchmarks/lsp_latency.py                     # corpus templates + a generated stress case
    python benchmarks/lsp_latency.py --runs 50 path/to/template.yaml

The corpus is ../shared/corpus next to the repository, or $SLENS_CORPUS.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("SLENS_CORPUS", ROOT.parent / "shared" / "corpus"))
TARGET_MS = 100.0


def generated_template(lines: int = 500) -> str:
    """A SAM template of about `lines` lines: functions with API events, half of them with a log group
    (some without retention), so rules have findings to report."""
    head = [
        'AWSTemplateFormatVersion: "2010-09-09"',
        "Transform: AWS::Serverless-2016-10-31",
        "Globals:",
        "  Function:",
        "    Runtime: python3.12",
        "    Timeout: 10",
        "Resources:",
    ]
    body: list[str] = []
    i = 0
    while len(head) + len(body) < lines:
        body += [
            f"  Fn{i}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            f"      Handler: app{i}.handler",
            "      CodeUri: src/",
            "      Events:",
            "        Get:",
            "          Type: Api",
            "          Properties:",
            f"            Path: /items{i}",
            "            Method: get",
        ]
        if i % 2 == 0:
            body += [
                f"  Fn{i}Logs:",
                "    Type: AWS::Logs::LogGroup",
                "    Properties:",
                f"      LogGroupName: !Sub /aws/lambda/${{Fn{i}}}",
            ] + (["      RetentionInDays: 14"] if i % 4 == 0 else [])
        i += 1
    return "\n".join(head + body[: lines - len(head)]) + "\n"


def corpus_templates() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    # Templates only: a results cache or a git folder beside them holds JSON files too.
    return sorted(
        p
        for p in CORPUS.rglob("*")
        if p.suffix in (".yaml", ".yml", ".json", ".template")
        and p.is_file()
        and not {".slens-lint-cache", ".git"} & set(p.relative_to(CORPUS).parts)
    )


def _lines(path: Path) -> int:
    return path.read_text(encoding="utf-8", errors="replace").count("\n")


def corpus_cases() -> list[tuple[str, Path]]:
    """The real template closest to 500 lines, and the largest one (by size)."""
    files = corpus_templates()
    if not files:
        return []
    near_500 = min(files, key=lambda p: (abs(_lines(p) - 500), str(p)))
    largest = max(files, key=lambda p: p.stat().st_size)
    return [("corpus, closest to 500 lines", near_500), ("corpus, largest", largest)]


def server_command() -> list[str]:
    exe = shutil.which("slens-lint", path=str(Path(sys.executable).parent))
    return [exe, "lsp"] if exe else [sys.executable, "-m", "slens_lint", "lsp"]


def edit(text: str, suffix: str, n: int) -> str:
    """The template after keystroke `n`: a real change each time (nothing can be served from a cache
    keyed on the text), the same template otherwise."""
    if suffix == ".json":
        return text.rstrip() + " " * (n % 7 + 1) + "\n"
    return text.replace("Resources:", f"Resources:  # edit {n}", 1)


def process_cpu_ms(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), to tell work from waiting on a busy machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


async def measure_server(text: str, suffix: str, runs: int) -> tuple[list[float], float | None]:
    client = LanguageClient("lsp-latency", "1")
    published: dict[int, asyncio.Future] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        future = published.get(params.version)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    loop = asyncio.get_running_loop()
    command = server_command()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        uri = (root / f"template{suffix}").as_uri()
        await client.start_io(*command)
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=root.as_uri(),
                initialization_options={"debounceMs": 0},
            )
        )
        client.initialized(types.InitializedParams())
        published[1] = loop.create_future()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=suffix[1:], version=1, text=text))
        )
        await asyncio.wait_for(published[1], 60)

        samples = []
        pid = client._server.pid if client._server else 0
        cpu_before = process_cpu_ms(pid)
        for version in range(2, runs + 2):
            edited = edit(text, suffix, version)
            published[version] = loop.create_future()
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
                )
            )
            received = await asyncio.wait_for(published[version], 60)
            samples.append((received - sent) * 1000)
        cpu_after = process_cpu_ms(pid)
        cpu = (cpu_after - cpu_before) / runs if cpu_before is not None and cpu_after is not None else None

        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
    return samples, cpu


def measure_in_process(text: str, suffix: str, runs: int) -> tuple[list[float], list[float]]:
    from slens_lint.lsp.diagnostics import DocumentLinter, to_diagnostics

    linter = DocumentLinter()
    path = str(Path(tempfile.gettempdir()) / f"template{suffix}")
    linter.lint(text, path)
    wall, cpu = [], []
    for n in range(runs):
        edited = edit(text, suffix, n)
        start, start_cpu = time.perf_counter(), time.thread_time()
        outcome = linter.lint(edited, path)
        to_diagnostics(outcome.findings if outcome else [], edited)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return wall, cpu


def count_findings(text: str, suffix: str) -> int:
    from slens_lint.lsp.diagnostics import DocumentLinter

    outcome = DocumentLinter().lint(text, str(Path(tempfile.gettempdir()) / f"template{suffix}"))
    return len(outcome.findings) if outcome else 0


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"median {statistics.median(ordered):6.1f} ms   p90 {p90:6.1f} ms   max {ordered[-1]:6.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("templates", nargs="*", type=Path, help="Templates to measure (default: a generated 500-line one and the largest in the corpus).")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    cases: list[tuple[str, str, str]] = []
    if args.templates:
        cases = [(str(p), p.read_text(encoding="utf-8"), p.suffix) for p in args.templates]
    else:
        found = corpus_cases()
        if not found:
            print(f"(no corpus at {CORPUS}; set SLENS_CORPUS)")
        for label, path in found:
            cases.append((f"{label}: {path.relative_to(CORPUS)}", path.read_text(encoding="utf-8"), path.suffix))
        # A stress case rather than a typical one: nearly every rule fires on every function.
        cases.append(("generated, 500 lines, a finding on every function", generated_template(500), ".yaml"))

    slow = False
    for index, (name, text, suffix) in enumerate(cases):
        lines = text.count("\n") + (not text.endswith("\n"))
        print(f"{name} ({lines} lines, {len(text.encode()):,} bytes)")
        engine, engine_cpu = measure_in_process(text, suffix, args.runs)
        server, server_cpu = asyncio.run(measure_server(text, suffix, args.runs))
        print(f"  engine (lint + diagnostics, in process)  {summary(engine)}   CPU median {statistics.median(engine_cpu):6.1f} ms")
        print(f"  server (didChange -> publishDiagnostics) {summary(server)}", end="")
        print(f"   server CPU {server_cpu:6.1f} ms a re-lint" if server_cpu is not None else "")
        print(f"  findings: {count_findings(text, suffix)}")
        if args.templates or index < 2:
            slow |= statistics.median(server) > TARGET_MS
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} (wall-clock times grow with load; CPU times do not)")
    print(f"target (real templates): median re-lint under {TARGET_MS:.0f} ms -> {'MISSED' if slow else 'met'}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
