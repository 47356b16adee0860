"""The HTML review opened in a real headless Chromium (Debian's, driven by Playwright): no console
error, no request but the page itself, the per-pillar chart drawn to scale, every question rendered and
expandable to its evidence with working file links. The screenshot is kept in tests/artifacts/
(git-ignored) for a person to look at."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("SLENS_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PATHS = ("fixtures/review/repo", "fixtures/samples")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright (pip install -e '.[test]') drives the browser")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (.ci/run does as root) or set SLENS_CHROMIUM")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def test_the_html_review_in_chromium(browser, tmp_path):
    page_file = tmp_path / "review.html"
    done = run_cli("review", "--format", "html", "--output", str(page_file), *PATHS, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    expected = json.loads(run_cli("review", "--format", "json", *PATHS, cwd=ROOT).stdout)["reviews"][0]

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems, requests = [], []
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}") if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri(), wait_until="load")

    # The chart: one bar per pillar and risk with questions, drawn to scale, with its count.
    pillars = expected["summary"]["pillars"]
    bars = page.locator("svg.chart rect.bar[data-pillar]")
    drawn = {}
    for i in range(bars.count()):
        bar = bars.nth(i)
        box = bar.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
        drawn[(bar.get_attribute("data-pillar"), bar.get_attribute("data-risk"))] = box["width"] + 2
    assert drawn.keys() == {(p, r) for p, counts in pillars.items() for r, n in counts.items() if n}
    per_question = {round(width / pillars[p][r], 1) for (p, r), width in drawn.items()}
    assert max(per_question) - min(per_question) < 1.0, per_question
    fill = page.locator('svg.chart rect.bar.high[data-pillar]').first.evaluate("e => getComputedStyle(e).fill")
    assert fill == "rgb(198, 40, 40)"

    # Every question, rendered, with its risk; collapsed until opened.
    questions = page.locator("details.question")
    assert questions.count() == len(expected["questions"]) == 9
    for i, question in enumerate(expected["questions"]):
        details = questions.nth(i)
        assert details.get_attribute("data-question") == question["id"]
        summary = details.locator("summary").first
        assert summary.is_visible() and question["label"] in summary.inner_text()
        assert details.locator(f"span.badge.{question['risk']}").first.is_visible()
        assert not details.locator("table.choices").is_visible()
    # Opened: the best practices and, one level down, the evidence with a link to its line.
    first_high = next(i for i, q in enumerate(expected["questions"]) if q["risk"] == "high")
    opened = questions.nth(first_high)
    opened.locator("summary").first.click()
    assert opened.locator("table.choices").is_visible()
    gap = next(c for c in expected["questions"][first_high]["choices"] if c["evidence"])
    choice = opened.locator(f'details.choice[data-choice="{gap["id"]}"]')
    choice.locator("summary").click()
    link = choice.locator("ul.evidence a").first
    assert link.is_visible()
    evidence = gap["evidence"][0]
    assert link.inner_text() == f"{evidence['file']}:{evidence['line']}:{evidence['column']}"
    target = (tmp_path / link.get_attribute("href").split("#")[0]).resolve()
    assert target == (ROOT / evidence["file"]).resolve() and target.is_file()

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "review.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()

    assert problems == []
    assert requests == [page_file.as_uri()], "the page must request nothing but itself"
