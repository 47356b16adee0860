"""A fix is written only when it is verified: the edited text still decodes, every finding it fixes is
gone, no finding of slens-lint appears that was not there, no cfn-lint error appears, and a SAM
template still transforms (where the SAM translator, the `sam` extra, is installed)."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from slens_lint.findings import FileResult, Finding


@dataclass
class Check:
    ok: bool
    reason: str = ""
    after: Optional[FileResult] = None


def finding_key(finding: Finding) -> tuple[Any, ...]:
    """What makes a finding the same finding across an edit: its rule and subject (or, for a
    cfn-lint check, its rule, resource and message)."""
    if finding.subject:
        return (finding.rule_id, finding.subject)
    return (finding.rule_id, finding.resource, finding.message)


class Verifier:
    """Runs the checks of the module docstring; `lint(text)` lints a text as the run does."""

    def __init__(self, lint: Any, cfn_errors: Any, sam: bool = True) -> None:
        """`lint(text) -> FileResult` (the run's engine, edits included); `cfn_errors(text) ->
        set | None` (cfn-lint's error keys, None when it cannot run)."""
        self.lint = lint
        self._cfn_errors = cfn_errors
        self.sam = sam and _translator() is not None
        # Each pass checks its text "before" again: the text the last pass checked "after".
        self._seen_cfn: dict[str, Any] = {}
        self._seen_sam: dict[str, bool] = {}

    def cfn_errors(self, text: str) -> Any:
        if text not in self._seen_cfn:
            self._seen_cfn = {text: self._cfn_errors(text), **dict(list(self._seen_cfn.items())[-3:])}
        return self._seen_cfn[text]

    def transforms(self, text: str) -> bool:
        if text not in self._seen_sam:
            self._seen_sam = {text: sam_transforms(text), **dict(list(self._seen_sam.items())[-3:])}
        return self._seen_sam[text]

    def check(self, before_text: str, before: FileResult, after_text: str, fixing: Iterable[Finding]) -> Check:
        after = self.lint(after_text)
        if after.errors:
            return Check(False, f"the edited template does not lint cleanly ({after.errors[0].reason})")
        fixed = {finding_key(f) for f in fixing}
        remaining = {finding_key(f) for f in after.findings}
        if fixed & remaining:
            rule = sorted(fixed & remaining)[0][0]
            return Check(False, f"{rule} is still reported after the edit")
        known = {finding_key(f) for f in before.findings}
        new = sorted(remaining - known, key=str)
        if new:
            return Check(False, f"the edit would add {new[0][0]} on {new[0][1]}")
        errors_before = self.cfn_errors(before_text)
        if errors_before is not None:
            added = sorted((self.cfn_errors(after_text) or set()) - errors_before, key=str)
            if added:
                return Check(False, f"the edit would add cfn-lint {added[0][0]}")
        if self.sam and _is_sam(before_text) and self.transforms(before_text) and not self.transforms(after_text):
            return Check(False, "the SAM translator no longer transforms the edited template")
        return Check(True, after=after)


def _translator() -> Any:
    try:
        from samtranslator.translator import transform as module
    except ImportError:
        return None
    return module


def _is_sam(text: str) -> bool:
    return "AWS::Serverless" in text


class _AnyManagedPolicy(dict):  # type: ignore[type-arg]
    """Every managed policy name maps to its AWS ARN: the translator's own loader would call IAM."""

    def __missing__(self, key: str) -> str:
        return f"arn:aws:iam::aws:policy/{key}"

    def __contains__(self, key: object) -> bool:
        return True

    def get(self, key: str, default: Any = None) -> Any:  # noqa: ARG002 - every name is known
        return self[key]


class _Loader:
    def load(self) -> dict[str, str]:
        return _AnyManagedPolicy()


# Local paths `sam build`/`sam package` would upload; the translator wants them on S3 already.
_LOCAL_URIS = ("CodeUri", "ContentUri", "DefinitionUri")


def _packaged(tree: Any) -> Any:
    resources = tree.get("Resources") if isinstance(tree, dict) else None
    for resource in (resources or {}).values() if isinstance(resources, dict) else ():
        props = resource.get("Properties") if isinstance(resource, dict) else None
        if isinstance(props, dict):
            for key in _LOCAL_URIS:
                if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                    props[key] = "s3://slens-lint-verify/code.zip"
    functions = (tree.get("Globals") or {}).get("Function") if isinstance(tree.get("Globals"), dict) else None
    if isinstance(functions, dict) and isinstance(functions.get("CodeUri"), str) and not functions["CodeUri"].startswith("s3://"):
        functions["CodeUri"] = "s3://slens-lint-verify/code.zip"
    return tree


def sam_transforms(text: str) -> bool:
    """Whether the SAM translator transforms the template (local code paths packaged first)."""
    from slens_lint.template.decode import decode

    translator = _translator()
    tree, problems = decode(text)
    if translator is None or problems or not isinstance(tree, dict):
        return False
    plain = _packaged(json.loads(json.dumps(tree, default=str)))
    try:
        with _quiet_translator():
            translator.transform(plain, {}, _Loader())
    except Exception:  # noqa: BLE001 - any translator failure means "does not transform"
        return False
    return True


def _silence_translator_logs() -> None:
    """The translator's loggers are not ours to print: a refused fix says why itself. Its metrics
    object also warns from `__del__`, long after a call, so muting it during calls is not enough."""
    translator_log = logging.getLogger("samtranslator")
    if not translator_log.handlers:
        translator_log.addHandler(logging.NullHandler())
    translator_log.propagate = False


@contextlib.contextmanager
def _quiet_translator() -> Any:
    """The translator prints metrics and feature-toggle notes to stdout, stderr and its loggers;
    they would land in the middle of a SARIF or JSON report. It also asks boto3 for a region (it
    writes ARNs); one is set for the call only, and no call leaves the machine."""
    _silence_translator_logs()
    region = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = region or "us-east-1"
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        logging.disable(previous)
        if region is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
