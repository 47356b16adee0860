"""docs/review.md shows the Lens map as lens.py holds it (generated between markers; with
SLENS_UPDATE_SNAPSHOTS=1 the test rewrites it), and the README and docs/github.md document the command
and the action's input."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from slens_lint.output.review_markdown import lens_map
from slens_lint.review.build import build

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "review.md"
SECTION = re.compile(r"(<!-- lens-map:start[^\n]*-->\n)(.*?)(<!-- lens-map:end -->)", re.S)


def test_the_lens_map_in_the_docs_is_the_one_in_the_code():
    text = DOC.read_text(encoding="utf-8")
    match = SECTION.search(text)
    assert match, "docs/review.md lost its lens-map markers"
    generated = "\n" + lens_map(build([], [], "docs")) + "\n"
    if os.environ.get("SLENS_UPDATE_SNAPSHOTS") == "1":
        text = text[: match.start(2)] + generated + text[match.end(2) :]
        DOC.write_text(text, encoding="utf-8")
        match = SECTION.search(text)
    assert match.group(2) == generated, "the Lens map changed: SLENS_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_review_docs.py"
    for rule_link in re.findall(r"\]\(\.\./rules/([A-Z0-9]+)\.md\)", match.group(2)):
        assert (ROOT / "rules" / f"{rule_link}.md").is_file()


def test_the_readme_has_a_review_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Review\n", 1)[1].split("\n## ", 1)[0]
    assert "slens-lint review" in section and "docs/review.md" in section
    for fmt in ("text", "markdown", "html", "json", "wa-lens", "wa-answers"):
        assert fmt in section


def test_the_action_input_is_documented():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    github = (ROOT / "docs" / "github.md").read_text(encoding="utf-8")
    assert "review-summary" in action["inputs"]
    assert "| `review-summary` | `false` |" in github
