"""`--format json`: a stable, documented object (see README, "JSON output").

    {"version": 1, "tool": "slens-lint", "tool_version": "...",
     "findings": [Finding...], "errors": [FileError...],
     "summary": {"files": N, "linted": N, "skipped": N, "failed": N,
                 "error": N, "warning": N, "info": N,
                 "hidden": {"info": N}, "baselined": N, "baseline_stale": N,
                 "fixed": N, "fix_refused": N}}

`hidden` counts findings below --min-severity by severity; `baselined` the findings a baseline held
back and `baseline_stale` its entries that matched nothing; `fixed` and `fix_refused` what --fix did.

A finding has `environments`, `stack` and `root`, `construct_path` and `generated` only when they apply
(`--all-envs`, a nested template, a CDK construct): a finding without them is written as before.
"""

from __future__ import annotations

import json

from slens_lint import __version__
from slens_lint.findings import Report, Severity
from slens_lint.output import OutputOptions
from slens_lint.output.json_text import indented_json

SCHEMA_VERSION = 1


def render(report: Report, options: OutputOptions) -> str:
    counts = report.counts()
    document = {
        "version": SCHEMA_VERSION,
        "tool": "slens-lint",
        "tool_version": __version__,
        "findings": report.findings,
        "errors": report.errors,
        "summary": {
            "files": len(report.files),
            "linted": sum(1 for r in report.files if r.linted),
            "skipped": sum(1 for r in report.files if r.skipped),
            "failed": sum(1 for r in report.files if r.errors),
            **{s.value: counts[s] for s in Severity},
            "hidden": dict(sorted(report.hidden.items())),
            "baselined": report.baselined,
            "baseline_stale": report.baseline_stale,
            "fixed": report.fixed,
            "fix_refused": report.fix_refused,
        },
    }
    text = indented_json(document)
    if text is None:
        document["findings"] = [f.model_dump(mode="json") for f in report.findings]
        document["errors"] = [e.model_dump(mode="json") for e in report.errors]
        text = json.dumps(document, indent=2)
    return text + "\n"
