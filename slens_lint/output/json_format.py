"""`--format json`: a stable, documented object (see README, "JSON output").

    {"version": 1, "tool": "slens-lint", "tool_version": "...",
     "findings": [Finding...], "errors": [FileError...],
     "summary": {"files": N, "linted": N, "skipped": N, "failed": N,
                 "error": N, "warning": N, "info": N}}
"""

from __future__ import annotations

import json

from slens_lint import __version__
from slens_lint.findings import Report, Severity
from slens_lint.output import OutputOptions

SCHEMA_VERSION = 1


def render(report: Report, options: OutputOptions) -> str:
    counts = report.counts()
    document = {
        "version": SCHEMA_VERSION,
        "tool": "slens-lint",
        "tool_version": __version__,
        "findings": [f.model_dump(mode="json") for f in report.findings],
        "errors": [e.model_dump(mode="json") for e in report.errors],
        "summary": {
            "files": len(report.files),
            "linted": sum(1 for r in report.files if r.linted),
            "skipped": sum(1 for r in report.files if r.skipped),
            "failed": sum(1 for r in report.files if r.errors),
            **{s.value: counts[s] for s in Severity},
        },
    }
    return json.dumps(document, indent=2) + "\n"
