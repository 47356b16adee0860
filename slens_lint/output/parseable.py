"""`--format parseable`: cfn-lint's parseable format, one finding a line, for editors and scripts:

    path:line:column:end line:end column:ID:message

The id is the cfn-lint form (`WSL501`), whose first letter is the severity, as cfn-lint's own. The
message starts with the finding's environments (`[dev, prod]`, with `--all-envs`) and ends with its
context in brackets (nested stack chain, CDK construct path).
"""

from __future__ import annotations

from slens_lint.findings import Report
from slens_lint.output import OutputOptions


def render(report: Report, options: OutputOptions) -> str:
    lines = []
    for f in report.findings:
        r = f.range
        message = " ".join(f.labelled().split())
        context = "; ".join(f"{label} {text}" for label, text in f.context() if label != "template")
        if context:
            message += f" [{context}]"
        lines.append(f"{f.file}:{r.start_line}:{r.start_column}:{r.end_line}:{r.end_column}:{f.cfn_lint_id}:{message}")
    return "".join(line + "\n" for line in lines)
