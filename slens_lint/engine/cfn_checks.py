"""cfn-lint's own checks in a slens-lint run: the built-ins the Lens lists (default), or cfn-lint's whole
rule set (`--cfn-lint`). Built on first need: a template with none of the resources the built-ins
read never imports cfn-lint. cfn-lint's matches become findings here, at the edge.
"""

from __future__ import annotations

import traceback
from typing import Any, Sequence

from slens_lint.findings import ExternalRule, FileError, Finding, Range, Severity
from slens_lint.rules import registry
from slens_lint.rules.builtin import BuiltinRule

RULE_ERROR_ID = "E0002"


class CfnChecks:
    def __init__(self, options: Any, builtins: Sequence[type[BuiltinRule]], skip: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        """`skip`: cfn-lint rules slens-lint judges itself (the runtime built-ins), never registered."""
        from slens_lint.compat.cfnlint import DEFAULT_RULESDIR, Rules
        from slens_lint.compat.runner import Config

        self.options = options
        self.builtins = list(builtins)
        rules = Rules()
        self.rule_ids: list[str] = []
        if options.cfn_lint:
            for rule in Rules.create_from_directory(DEFAULT_RULESDIR).values():
                if rule.id in skip:
                    continue
                if options.select and not rule.id.startswith(tuple(options.select)):
                    continue
                if options.ignore and rule.id.startswith(tuple(options.ignore)):
                    continue
                rules.register(rule)
                self.rule_ids.append(rule.id)
        else:
            from slens_lint.compat.builtins import lens_builtins

            for rule in lens_builtins(self.builtins):
                rules.register(rule)
        self.rules = rules
        self.config = Config([], regions=list(options.regions), include_checks=["I"], configure_rules={})

    def descriptions(self) -> dict[str, ExternalRule]:
        """cfn-lint's rules of a `--cfn-lint` run, described for the outputs."""
        described = {}
        for rule_id in self.rule_ids:
            rule = self.rules[rule_id] if rule_id in self.rules else None
            if rule is None:
                continue
            described[rule_id] = ExternalRule(
                id=rule_id,
                name=type(rule).__name__,
                short_description=str(getattr(rule, "shortdesc", "") or ""),
                description=str(getattr(rule, "description", "") or ""),
                source_url=str(getattr(rule, "source_url", "") or ""),
                tags=[str(t) for t in (getattr(rule, "tags", None) or [])],
            )
        return described

    def run(self, tree: dict[str, Any], text: str, display: str, debug: bool) -> tuple[list[tuple[Finding, tuple[str, ...]]], list[FileError]]:
        from slens_lint.compat import runner as cfn_runner
        from slens_lint.compat.convert import to_cfnlint

        try:
            # cfn-lint reads its own node types, and merges SAM Globals in place: on a converted copy.
            matches = cfn_runner.run(to_cfnlint(tree, text), self.config, self.rules, lean=not self.options.cfn_lint)
        except RecursionError:
            return [], [FileError(file=display, reason="template nesting too deep to lint", kind="internal")]
        except Exception as exc:  # noqa: BLE001 - cfn-lint is third-party; guard every call per file
            reason = f"cfn-lint failed on this template ({type(exc).__name__}: {_one_line(exc)})"
            if debug:
                reason += "\n" + traceback.format_exc()
            return [], [FileError(file=display, reason=reason, kind="internal")]
        findings: list[tuple[Finding, tuple[str, ...]]] = []
        errors: list[FileError] = []
        for match in matches:
            converted = _convert(match, display, debug)
            if isinstance(converted, FileError):
                errors.append(converted)
            else:
                findings.append(converted)
        return findings, errors


def _convert(match: Any, display: str, debug: bool) -> tuple[Finding, tuple[str, ...]] | FileError:
    rng = Range(
        start_line=max(int(getattr(match, "linenumber", 1) or 1), 1),
        start_column=max(int(getattr(match, "columnnumber", 1) or 1), 1),
        end_line=max(int(getattr(match, "linenumberend", 1) or 1), 1),
        end_column=max(int(getattr(match, "columnnumberend", 1) or 1), 1),
    )
    internal = getattr(match, "slens_internal_error", None)
    if internal is not None or match.rule.id == RULE_ERROR_ID:
        rule = getattr(match, "slens_rule", None) or match.rule.id
        reason = match.message
        if debug and internal:
            reason = f"{reason}\n{internal}"
        return FileError(file=display, reason=f"[{rule}] {reason}", kind="internal")
    path = tuple(getattr(match, "path", ()) or ())
    resource = str(path[1]) if len(path) >= 2 and path[0] == "Resources" else None
    letter = (match.rule.id or "E")[0]
    finding = Finding(
        rule_id=match.rule.id,
        cfn_lint_id=match.rule.id,
        severity=Severity.from_letter(letter if letter in "EWI" else "E"),
        file=display,
        range=rng,
        resource=resource,
        path=path,
        message=match.message,
        # A built-in the Lens lists carries our fix hint, with or without --cfn-lint.
        fix=getattr(registry.get_builtin(match.rule.id), "fix", None),
    )
    checked = getattr(match, "slens_checked", None)
    owners = tuple(o for o in (resource, checked) if o)
    return finding, owners


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no detail"
