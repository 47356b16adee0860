"""`--format github`: GitHub Actions workflow commands, one annotation per finding, for repositories
without code scanning:

    ::warning file=templates/app.yaml,line=12,endLine=12,col=5,endColumn=20,title=SL501::Function 'X' ...

Files that could not be read get an `::error` of their own (a parse error is already a finding).
Paths are relative to the same root as SARIF's, so the annotation lands on the pull request's diff.
"""

from __future__ import annotations

from slens_lint.findings import Report, Severity, rule_info
from slens_lint.output import OutputOptions
from slens_lint.output.sarif import repo_path, source_root

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """A command's message: GitHub decodes %25, %0D and %0A (actions/toolkit `escapeData`)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A property value: also ':' and ',', which would end the value (actions/toolkit `escapeProperty`)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{kind} {props}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


def render(report: Report, options: OutputOptions) -> str:
    root = source_root(options)
    paths: dict[str, str] = {}

    def path_of(file: str) -> str:
        if file not in paths:
            paths[file] = repo_path(file, root) or file
        return paths[file]

    lines = []
    for f in report.findings:
        r = f.range
        message = f.labelled()
        for label, text in f.context():
            message += f"\n{label.capitalize()}: {text}"
        if f.fix:
            message += f"\nFix: {f.fix}"
        rule = rule_info(f.rule_id)
        if rule is not None:
            message += f"\nSee {rule.docs_url}"
        lines.append(
            command(
                COMMAND[f.severity],
                message,
                file=path_of(f.file),
                line=r.start_line,
                endLine=r.end_line,
                col=r.start_column,
                endColumn=r.end_column,
                title=f.rule_id,
            )
        )
    for error in report.errors:
        if error.kind == "parse":
            continue
        lines.append(command("error", error.reason, file=path_of(error.file), line=error.line, title="slens-lint"))
    return "".join(line + "\n" for line in lines)
