"""`--format sarif`: one SARIF 2.1.0 run for GitHub code scanning (see docs/github.md).

Built with sarif-om objects and serialized as `jschema_to_python.to_json` does (`sarif_json`, without
its per-object deep copies), leaving out every property equal to sarif-om's default (`level: "warning"`, `kind: "fail"`). A reader then takes a
result's level from its rule's `defaultConfiguration`, so a result whose level differs from its
rule's default must keep it explicitly (`_keep_explicit_levels`).

Paths are repo-relative URIs under `%SRCROOT%` (the `--sarif-root`, else the git top level, else the
current folder); a file outside that root cannot become an alert, so its results are left out and a
notification says so. Suppressed findings never reach this module: the engine drops them in every
format, and code scanning then simply has no alert for them.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

import sarif_om

from slens_lint import __version__
from slens_lint.findings import PARSE_ERROR_ID, ExternalRule, FileError, Finding, Pillar, Report, RuleInfo, Severity, rule_info
from slens_lint.output import OutputOptions
from slens_lint.output.sarif_context import add_context, logical_locations
from slens_lint.output.json_text import indented_json
from slens_lint.output.sarif_json import to_data
from slens_lint.output.sarif_results import fixes, identity, parse_error_findings

TOOL_NAME = "slens-lint"
INFORMATION_URI = "https://github.com/slens-lint/slens-lint"
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "slensFinding/v1"

# GitHub code scanning's upload limits (docs: "SARIF support for code scanning", "Upload limits").
MAX_RESULTS = 25_000
# 10 MB gzipped; counted in decimal megabytes and at zlib's default level (what the upload action
# uses) so that the file is under the limit whichever way GitHub counts.
MAX_GZIP_BYTES = 10_000_000

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}
# GitHub buckets security-severity: >= 7.0 high, >= 4.0 medium, > 0 low.
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.5", Severity.INFO: "3.0"}
# GitHub keeps the first 10 tags of a rule.
MAX_TAGS = 10


# ---- paths -------------------------------------------------------------------------------------


def source_root(options: OutputOptions, cwd: Optional[Path] = None) -> Path:
    """The folder `%SRCROOT%` stands for: --sarif-root, else the git top level, else the current folder."""
    cwd = Path(os.path.abspath(cwd or Path.cwd()))
    if options.sarif_root:
        return Path(os.path.abspath(cwd / options.sarif_root))
    # `.git` is a folder in a clone and a file in a worktree or submodule; either marks the top level.
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    return cwd


def repo_path(file: str, root: Path, cwd: Optional[Path] = None) -> Optional[str]:
    """`file` relative to `root` as a POSIX path, or None when it lies outside `root`.

    Tried on the paths as written first (a symlinked file inside the repository stays where it is
    linked), then with symlinks resolved (a root given through a symlinked folder).
    """
    cwd = cwd or Path.cwd()
    absolute = os.path.join(cwd, file)
    for target, base in ((os.path.abspath(absolute), os.path.abspath(root)), (os.path.realpath(absolute), os.path.realpath(root))):
        try:
            relative = os.path.relpath(target, base)
        except ValueError:  # another drive on Windows
            continue
        relative = Path(relative).as_posix()
        if relative not in (".", "..") and not relative.startswith("../"):
            return relative
    return None


def _uri(relative: str) -> str:
    # Percent-encode what a URI reference cannot hold (spaces, '#', '%', a ':' that would read as a scheme).
    return quote(relative, safe="/")


# ---- rules -------------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    """`text` ending with a period: SARIF viewers (and the Multitool) expect whole sentences."""
    text = text.strip()
    if text.endswith(":"):
        text = text[:-1]
    return text if text.endswith((".", "!", "?")) else text + "."


def _help_text(rule: RuleInfo) -> str:
    parts = [rule.rationale, f"How to fix: {rule.fix}"]
    if rule.use_instead:
        parts.append(f"When it does not apply: {rule.use_instead}")
    parts.append(f"Documentation: {rule.docs_url}")
    return "\n\n".join(parts)


def rule_descriptor(rule: RuleInfo) -> Any:
    """The SARIF reportingDescriptor of a slens-lint rule, all from its class (as its docs page)."""
    tags = [rule.pillar.value, "serverless-lens", rule.service]
    is_security = rule.pillar is Pillar.SECURITY
    if is_security and "security" not in tags:
        tags.append("security")
    properties = sarif_om.PropertyBag(tags=tags[:MAX_TAGS])
    setattr(properties, "precision", rule.precision)
    setattr(properties, "problem.severity", PROBLEM_SEVERITY[rule.severity])
    if is_security:
        setattr(properties, "security-severity", SECURITY_SEVERITY[rule.severity])
    return sarif_om.ReportingDescriptor(
        id=rule.id,
        name=rule.slug,
        short_description=sarif_om.MultiformatMessageString(text=_sentence(rule.title)),
        full_description=sarif_om.MultiformatMessageString(text=_sentence(rule.rationale)),
        help=sarif_om.MultiformatMessageString(text=_help_text(rule), markdown=rule.help_markdown),
        help_uri=rule.docs_url,
        default_configuration=sarif_om.ReportingConfiguration(level=LEVEL[rule.severity]),
        properties=properties,
    )


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def _cfn_lint_severity(rule_id: str) -> Severity:
    return Severity.from_letter(rule_id[0]) if rule_id[:1] in ("E", "W", "I") else Severity.ERROR


def _cfn_lint_descriptor(rule_id: str, cfn_rule: Optional[ExternalRule]) -> Any:
    severity = _cfn_lint_severity(rule_id)
    description = cfn_rule.description if cfn_rule else ""
    shortdesc = (cfn_rule.short_description if cfn_rule else "") or rule_id
    source_url = cfn_rule.source_url if cfn_rule else ""
    tags = ["cfn-lint"] + [t for t in (cfn_rule.tags if cfn_rule else []) if t != "cfn-lint"]
    properties = sarif_om.PropertyBag(tags=tags[:MAX_TAGS])
    setattr(properties, "problem.severity", PROBLEM_SEVERITY[severity])
    markdown = _sentence(description or shortdesc)
    if source_url.startswith("http"):
        markdown += f"\n\nSee [{source_url}]({source_url})."
    return sarif_om.ReportingDescriptor(
        id=rule_id,
        name=_kebab(cfn_rule.name) if cfn_rule is not None else rule_id.lower(),
        short_description=sarif_om.MultiformatMessageString(text=_sentence(shortdesc)),
        full_description=sarif_om.MultiformatMessageString(text=_sentence(description or shortdesc)),
        help=sarif_om.MultiformatMessageString(text=_sentence(description or shortdesc), markdown=markdown),
        help_uri=source_url if source_url.startswith("http") else None,
        default_configuration=sarif_om.ReportingConfiguration(level=LEVEL[severity]),
        properties=properties,
    )


def _parse_error_descriptor() -> Any:
    # The engine reports unparseable files under cfn-lint's parse-error id, with or without --cfn-lint.
    text = (
        "The file is not valid YAML or JSON (or repeats a key), so none of its resources could be "
        "checked. Fix the syntax at the reported line; until then the template is not linted at all."
    )
    properties = sarif_om.PropertyBag(tags=["cfn-lint", "serverless-lens"])
    setattr(properties, "problem.severity", "error")
    return sarif_om.ReportingDescriptor(
        id=PARSE_ERROR_ID,
        name="parse-error",
        short_description=sarif_om.MultiformatMessageString(text="Template could not be parsed."),
        full_description=sarif_om.MultiformatMessageString(text=text),
        help=sarif_om.MultiformatMessageString(text=text, markdown=text),
        help_uri="https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md",
        default_configuration=sarif_om.ReportingConfiguration(level="error"),
        properties=properties,
    )


def _descriptors(report: Report) -> tuple[list[Any], dict[str, int], dict[str, Severity]]:
    """Every rule that ran, in the run's order, then the parse-error rule, then any other id a
    finding carries; with each id's index and default severity."""
    ids = list(dict.fromkeys(report.rule_ids))
    if PARSE_ERROR_ID not in ids:
        ids.append(PARSE_ERROR_ID)
    ids += sorted({f.rule_id for f in report.findings} - set(ids))
    descriptors, index, defaults = [], {}, {}
    for rule_id in ids:
        info = rule_info(rule_id)
        if info is not None:
            descriptor, default = rule_descriptor(info), info.severity
        elif rule_id == PARSE_ERROR_ID:
            descriptor, default = _parse_error_descriptor(), Severity.ERROR
        else:
            descriptor, default = _cfn_lint_descriptor(rule_id, report.external_rules.get(rule_id)), _cfn_lint_severity(rule_id)
        index[rule_id] = len(descriptors)
        defaults[rule_id] = default
        descriptors.append(descriptor)
    return descriptors, index, defaults


# ---- results -----------------------------------------------------------------------------------


def _message(finding: Finding) -> str:
    """The risk first, as the finding words it (its first sentence stands alone in alert lists), then
    the first line of the fix hint; the template fragment of the hint is in the rule's help."""
    text = _sentence(finding.labelled())
    if finding.fix:
        first = finding.fix.strip().splitlines()[0].strip()
        if first:
            text += f" Fix: {_sentence(first)}"
    return text


def _physical_location(uri: str, start_line: int, start_column: int, end_line: int, end_column: int) -> Any:
    end_line = max(end_line, start_line)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    return sarif_om.PhysicalLocation(
        artifact_location=sarif_om.ArtifactLocation(uri=uri, uri_base_id=SRCROOT),
        region=sarif_om.Region(start_line=start_line, start_column=start_column, end_line=end_line, end_column=end_column),
    )


def _result(finding: Finding, uri: str, partial_fingerprint: str, rule_index: int, generated_uri: Optional[str] = None) -> Any:
    r = finding.range
    location = sarif_om.Location(
        physical_location=_physical_location(uri, r.start_line, r.start_column, r.end_line, r.end_column),
        logical_locations=logical_locations(finding),
    )
    result = sarif_om.Result(
        rule_id=finding.rule_id,
        rule_index=rule_index,
        level=LEVEL[finding.severity],
        message=sarif_om.Message(text=_message(finding)),
        locations=[location],
        partial_fingerprints={FINGERPRINT_KEY: partial_fingerprint},
    )
    add_context(result, finding, generated_uri, _physical_location)
    result.fixes = fixes(finding, uri, SRCROOT)
    return result


def _notification(error: FileError, relative: Optional[str], descriptor_index: dict[str, int]) -> Any:
    # The file is named in the text too: code scanning lists notifications without their locations.
    where = relative if relative is not None else error.file
    notification = sarif_om.Notification(
        message=sarif_om.Message(text=_sentence(f"{where}: {error.reason}")),
        level="error",
    )
    if relative is not None:
        region = sarif_om.Region(start_line=error.line) if error.line else None
        notification.locations = [
            sarif_om.Location(
                physical_location=sarif_om.PhysicalLocation(
                    artifact_location=sarif_om.ArtifactLocation(uri=_uri(relative), uri_base_id=SRCROOT), region=region
                )
            )
        ]
    if error.kind == "parse":
        notification.associated_rule = sarif_om.ReportingDescriptorReference(
            id=PARSE_ERROR_ID, index=descriptor_index[PARSE_ERROR_ID]
        )
    return notification


# ---- the document ------------------------------------------------------------------------------


def _automation_id(category: Optional[str]) -> str:
    category = (category or TOOL_NAME).strip() or TOOL_NAME
    return category if category.endswith("/") else category + "/"


def _keep_explicit_levels(document: dict, positions: list[int], level: str = "warning") -> dict:
    """Put back `level` on the results at `positions`: it was dropped as sarif-om's default, but
    their rule's default level differs, so the dropped value would change the result's meaning."""
    results = document["runs"][0]["results"] if positions else []
    for position in positions:
        results[position]["level"] = level
    return document


def gzip_size(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8"), compresslevel=6))


class _Run:
    """What the document is made of; serialized again, with fewer results, when it is too large."""

    def __init__(self, report: Report, options: OutputOptions) -> None:
        self.options = options
        self.descriptors, self.index, self.defaults = _descriptors(report)
        root = source_root(options)
        relatives: dict[str, Optional[str]] = {}

        def relative_of(file: str) -> Optional[str]:
            if file not in relatives:
                relatives[file] = repo_path(file, root)
            return relatives[file]

        self.results: list[tuple[Finding, Any]] = []
        seen: dict[str, int] = {}
        outside: dict[str, int] = {}
        for finding in [*report.findings, *parse_error_findings(report)]:
            relative = relative_of(finding.file)
            if relative is None:
                outside[finding.file] = outside.get(finding.file, 0) + 1
                continue
            uri = _uri(relative)
            # Two findings of a rule on one node stay two alerts: an occurrence number, as GitHub's own hash has.
            # A nested template's finding per chain; a CDK one placed at the source, per construct.
            base = identity(finding, uri)
            seen[base] = seen.get(base, 0) + 1
            generated = relative_of(finding.generated.file) if finding.generated is not None else None
            result = _result(finding, uri, f"{base}:{seen[base]}", self.index[finding.rule_id], generated and _uri(generated))
            self.results.append((finding, result))

        self.notifications = [_notification(e, relative_of(e.file), self.index) for e in report.errors]
        for file, count in outside.items():
            message = (
                f"{file}: {count} result{'s' if count != 1 else ''} left out: the file is outside the SARIF root "
                f"(pass --sarif-root with a folder that holds it)."
            )
            self.notifications.append(sarif_om.Notification(message=sarif_om.Message(text=message), level="warning"))
        if outside:
            options.warnings.append(
                f"{sum(outside.values())} SARIF results in {len(outside)} files outside {root} were left out "
                f"(code scanning cannot place them); pass --sarif-root"
            )
        self.execution_ok = options.invocation_ok and not any(e.kind == "internal" for e in report.errors)

    def serialize(self, kept: list[tuple[Finding, Any]], extra_notes: list[str]) -> str:
        notifications = list(self.notifications) + [
            sarif_om.Notification(message=sarif_om.Message(text=note), level="warning") for note in extra_notes
        ]
        run = sarif_om.Run(
            tool=sarif_om.Tool(
                driver=sarif_om.ToolComponent(
                    name=TOOL_NAME,
                    semantic_version=__version__,
                    information_uri=INFORMATION_URI,
                    rules=self.descriptors,
                )
            ),
            automation_details=sarif_om.RunAutomationDetails(id=_automation_id(self.options.sarif_category)),
            invocations=[
                sarif_om.Invocation(
                    execution_successful=self.execution_ok,
                    tool_execution_notifications=notifications or None,
                )
            ],
            column_kind="unicodeCodePoints",
            results=[result for _, result in kept],
        )
        log = sarif_om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])
        explicit = [
            position
            for position, (finding, _) in enumerate(kept)
            if LEVEL[finding.severity] == "warning" and self.defaults[finding.rule_id] is not Severity.WARNING
        ]
        data = _keep_explicit_levels(to_data(log), explicit)
        return (indented_json(data) or json.dumps(data, indent=2)) + "\n"


def _most_severe(results: list[tuple[Finding, Any]], count: int) -> list[tuple[Finding, Any]]:
    """The `count` most severe results (earlier ones first among equals), in their original order."""
    ranked = sorted(range(len(results)), key=lambda i: (-results[i][0].severity.rank, i))
    keep = set(ranked[:count])
    return [item for i, item in enumerate(results) if i in keep]


def _truncation_note(kept: int, total: int, reason: str) -> str:
    return f"Only the {kept} most severe of {total} results are in this file: {reason}."


def render(report: Report, options: OutputOptions, max_results: int = MAX_RESULTS, max_gzip_bytes: int = MAX_GZIP_BYTES) -> str:
    run = _Run(report, options)
    results = run.results
    total = len(results)
    kept = results
    notes: list[str] = []
    if total > max_results:
        kept = _most_severe(results, max_results)
        notes = [_truncation_note(len(kept), total, f"GitHub code scanning accepts at most {max_results} results per run")]
    text = run.serialize(kept, notes)
    size = gzip_size(text)
    while size > max_gzip_bytes and kept:
        # Shrink in proportion to the excess (with a margin), then measure again.
        target = int(len(kept) * max_gzip_bytes / size * 0.95)
        kept = _most_severe(results, max(0, min(target, len(kept) - 1)))
        notes = [
            _truncation_note(
                len(kept), total, f"GitHub code scanning accepts SARIF files of at most {max_gzip_bytes} bytes gzipped"
            )
        ]
        text = run.serialize(kept, notes)
        size = gzip_size(text)
    for note in notes:
        options.warnings.append(note.rstrip(".") + " (the exit code still counts every finding)")
    return text
