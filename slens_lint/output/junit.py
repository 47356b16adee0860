"""`--format junit`: JUnit XML, which CI systems (GitLab, Jenkins, Azure Pipelines) show as test results.

One test suite per file; in it one test case per rule that ran, failed when the rule reported something
in the file (the failure lists every finding, one per line, with its position), passed otherwise (a
finding below `--min-severity` is not reported, so its rule's case passes); a file that could not be
linted is one test case in error.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree

from slens_lint.findings import Finding, Report
from slens_lint.output import OutputOptions


def _case(suite: ElementTree.Element, rule_id: str, file: str, findings: list[Finding]) -> None:
    case = ElementTree.SubElement(suite, "testcase", classname=f"slens-lint.{rule_id}", name=f"{rule_id} {file}", file=file)
    if not findings:
        return
    worst = max(findings, key=lambda f: f.severity.rank)
    failure = ElementTree.SubElement(
        case,
        "failure",
        type=worst.severity.value,
        message=f"{len(findings)} finding{'s' if len(findings) != 1 else ''} of {rule_id}: {findings[0].message}",
    )
    failure.text = "\n".join(
        f"{f.file}:{f.range.start_line}:{f.range.start_column} {f.severity.value} {f.labelled()}" for f in findings
    )


def render(report: Report, options: OutputOptions) -> str:
    root = ElementTree.Element("testsuites", name="slens-lint")
    total = failures = errors = 0
    for result in report.files:
        if result.skipped:
            continue
        by_rule: dict[str, list[Finding]] = defaultdict(list)
        for finding in result.findings:
            by_rule[finding.rule_id].append(finding)
        rule_ids = list(dict.fromkeys([*report.rule_ids, *by_rule]))
        suite = ElementTree.SubElement(root, "testsuite", name=result.file)
        if result.errors:
            case = ElementTree.SubElement(suite, "testcase", classname="slens-lint", name=f"lint {result.file}", file=result.file)
            for error in result.errors:
                ElementTree.SubElement(case, "error", type=error.kind, message=error.one_line())
            suite.set("tests", "1")
            suite.set("failures", "0")
            suite.set("errors", str(len(result.errors)))
            total += 1
            errors += 1
            continue
        for rule_id in rule_ids:
            _case(suite, rule_id, result.file, by_rule.get(rule_id, []))
        failed = sum(1 for rule_id in rule_ids if by_rule.get(rule_id))
        suite.set("tests", str(len(rule_ids)))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        total += len(rule_ids)
        failures += failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"
