"""`slens-lint review` as a user runs it: the Markdown and JSON of a small repository pinned in reviewed
snapshots (`SLENS_UPDATE_SNAPSHOTS=1` rewrites them), the JSON against its documented schema, the text
summary first, `--compare` and `--per-template`, exit codes, and the HTML page's promises that can be
read from its source (the browser test opens it)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import run_cli
from slens_lint import __version__

ROOT = Path(__file__).resolve().parent.parent
REPO = "fixtures/review/repo"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "review"
SCHEMA = json.loads((ROOT / "fixtures" / "review" / "review-v1.schema.json").read_text(encoding="utf-8"))
UPDATE = os.environ.get("SLENS_UPDATE_SNAPSHOTS") == "1"


def review(*args: str, cwd: Path = ROOT):
    return run_cli("review", *args, cwd=cwd)


def review_json(*args: str, cwd: Path = ROOT) -> dict:
    done = review("--format", "json", *args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    jsonschema.validate(document, SCHEMA)
    return document


def assert_snapshot(name: str, text: str) -> None:
    text = text.replace(__version__, "VERSION")
    path = SNAPSHOTS / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: run with SLENS_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"the review changed: review the difference, then SLENS_UPDATE_SNAPSHOTS=1 ({name})"


def test_markdown_snapshot():
    done = review("--format", "markdown", REPO)
    assert done.returncode == 0, done.stderr
    assert_snapshot("repo.md", done.stdout)


def test_json_snapshot_and_schema():
    document = review_json(REPO)
    assert document["tool_version"] == __version__
    assert_snapshot("repo.json", json.dumps(document, indent=2) + "\n")
    [only] = document["reviews"]
    assert only["name"] == "repository"
    assert only["files"] == [f"{REPO}/orders/template.yaml", f"{REPO}/payments/template.json"]
    assert sum(only["summary"]["risk"].values()) == 9


def test_per_template_json_has_one_review_per_stack():
    document = review_json("--per-template", REPO)
    assert document["scope"] == "per-template"
    assert [r["name"] for r in document["reviews"]] == [f"{REPO}/orders/template.yaml", f"{REPO}/payments/template.json"]
    payments = document["reviews"][1]
    risks = {q["label"]: q["risk"] for q in payments["questions"]}
    # No API in the payments stack: nothing to throttle.
    assert risks["REL 1"] == "not-applicable" and risks["SEC 1"] == "not-applicable"
    assert risks["SEC 2"] == "high"  # dynamodb:* on its role


def test_text_puts_a_one_screen_summary_first():
    done = review("--no-color", REPO)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Serverless Lens review: repository (2 templates)"
    assert lines[1] == "Questions by risk: 4 high, 2 medium, 3 none, 0 not applicable"
    first_detail = next(i for i, line in enumerate(lines) if line.startswith("OPS 1  How do you evaluate"))
    summary = lines[:first_detail]
    assert len(summary) <= 40
    assert any(line.split()[:2] == ["Operational", "excellence"] for line in summary)
    assert any(re.match(r"\s*Overall\s+4\s+2\s+3\s+0\s*$", line) for line in summary)
    assert all(f" {label} " in "\n".join(summary) or label in "\n".join(summary) for label in ("OPS 1", "SEC 3", "COST 1"))
    # Details: evidence with its place, accepted reasons, what hides an undecidable value.
    text = done.stdout
    assert "fixtures/review/repo/orders/template.yaml:28:9 SL301" in text
    assert "accepted because: an account-wide subscription sets retention on new log groups" in text
    assert "parameter 'Architecture' has no default" in text


def _copy_repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(ROOT / REPO, target)
    return target


def test_compare_shows_what_changed_since_the_previous_review(tmp_path):
    repo = _copy_repo(tmp_path)
    before = review("--format", "json", "--output", "before.json", "repo", cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    # The team throttles the API: REL 1 goes down, and the practice is newly met.
    orders = repo / "orders" / "template.yaml"
    orders.write_text(
        orders.read_text(encoding="utf-8").replace(
            "Globals:\n",
            'Globals:\n  Api:\n    MethodSettings:\n      - HttpMethod: "*"\n        ResourcePath: "/*"\n'
            "        ThrottlingRateLimit: 100\n        ThrottlingBurstLimit: 50\n",
        ),
        encoding="utf-8",
    )
    document = review_json("--compare", "before.json", "repo", cwd=tmp_path)
    changes = document["reviews"][0]["changes"]
    assert changes["found"] and changes["previous"] == "before.json"
    assert changes["counts_before"] == {"high": 4, "medium": 2, "none": 3, "not-applicable": 0}
    assert changes["questions"] == [
        {
            "id": "rel1_request_rates",
            "label": "REL 1",
            "risk_before": "high",
            "risk_after": "none",
            "direction": "down",
            "gained": ["Use throttling to control inbound request rates"],
            "lost": [],
        }
    ]
    markdown = review("--format", "markdown", "--compare", "before.json", "repo", cwd=tmp_path).stdout
    assert "### Since the last review" in markdown
    assert "| REL 1 | High | None (down) | Use throttling to control inbound request rates | - |" in markdown
    # And back: the risk goes up and the practice is lost.
    after = review("--format", "json", "--output", "after.json", "repo", cwd=tmp_path)
    assert after.returncode == 0
    shutil.copy(ROOT / REPO / "orders" / "template.yaml", orders)
    back = review_json("--compare", "after.json", "repo", cwd=tmp_path)["reviews"][0]["changes"]["questions"]
    assert [(q["label"], q["direction"], q["lost"]) for q in back] == [("REL 1", "up", ["Use throttling to control inbound request rates"])]


def test_compare_refuses_a_file_that_is_no_review(tmp_path):
    (tmp_path / "findings.json").write_text(json.dumps({"version": 1, "findings": []}), encoding="utf-8")
    done = review("--compare", str(tmp_path / "findings.json"), REPO)
    assert done.returncode == 2
    assert "is not a review" in done.stderr


def test_exit_codes(tmp_path):
    assert review(REPO).returncode == 0
    assert review("--fail-on", "high", REPO).returncode == 1
    assert review("--fail-on", "high", "fixtures/review/risk/rel1-none.yaml").returncode == 0
    assert review("--fail-on", "medium", "fixtures/review/risk/rel1-none.yaml").returncode == 1
    missing = review("no/such/template.yaml")
    assert missing.returncode == 2
    assert review("--select", "SL999", REPO).returncode == 2


def test_wa_lens_needs_no_templates(tmp_path):
    done = review("--format", "wa-lens", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["schemaVersion"] == "2021-11-01"


def test_html_is_self_contained(tmp_path):
    out = tmp_path / "review.html"
    done = review("--format", "html", "--output", str(out), REPO)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "@import" not in page and "url(" not in page
    assert re.search(r'<meta http-equiv="Content-Security-Policy" content="default-src \'none\';', page)
    assert not re.findall(r'\bsrc="', page)
    assert page.count('<details class="question') == 9
    assert page.count("<svg") == 1
    # File links are relative to where the page is written.
    relative = os.path.relpath(ROOT / REPO / "orders" / "template.yaml", tmp_path).replace(os.sep, "/")
    assert f'href="{relative}#L28"' in page
    based = review("--format", "html", "--link-base", "https://example.com/org/repo/blob/abc/", REPO).stdout
    assert 'href="https://example.com/org/repo/blob/abc/fixtures/review/repo/orders/template.yaml#L28"' in based


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json", "wa-answers"])
def test_every_format_renders_a_review_of_nothing(tmp_path, fmt):
    done = review("--format", fmt, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_baselined_findings_are_accepted_risks(tmp_path):
    shutil.copy(ROOT / "fixtures" / "review" / "status" / "not-met.yaml", tmp_path / "template.yaml")
    written = run_cli("check", "--write-baseline", "baseline.json", "--select", "SL503", "--min-severity", "info", "template.yaml", cwd=tmp_path)
    assert (tmp_path / "baseline.json").is_file(), written.stderr
    document = review_json("--baseline", "baseline.json", "template.yaml", cwd=tmp_path)
    choices = {c["id"]: c for q in document["reviews"][0]["questions"] for c in q["choices"]}
    assert choices["cost1_function_config"]["status"] == "accepted"
    assert choices["cost1_function_config"]["reasons"] == ["not reported by the run: baselined, or ignored for this file in the configuration"]
    # Without the baseline the same gap is open.
    plain = review_json("template.yaml", cwd=tmp_path)
    assert next(c for q in plain["reviews"][0]["questions"] for c in q["choices"] if c["id"] == "cost1_function_config")["status"] == "not-met"
