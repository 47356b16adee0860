"""`review --format html`: one self-contained page (no script, font, image or request of any kind; a
Content-Security-Policy says so to the browser): per review a per-pillar risk chart (inline SVG), the
risk counts, and each question expandable (`<details>`) to its best practices and their evidence, with
links to the template lines."""

from __future__ import annotations

from html import escape

from slens_lint.output import review_formats as fmt
from slens_lint.output.review_formats import ReviewOptions
from slens_lint.output.review_svg import risk_chart
from slens_lint.review.model import REPOSITORY, Review, ReviewSet

EVIDENCE_SHOWN = 500
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
:root { --high: #c62828; --medium: #ef8f00; --none: #2e7d32; --na: #9e9e9e; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 21px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted, .why, .note { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; width: 6em; }
.badge { display: inline-block; border-radius: 10px; padding: 0 10px; font-size: 13px; font-weight: 600; color: #fff; }
.badge.high { background: var(--high); } .badge.medium { background: var(--medium); } .badge.none { background: var(--none); } .badge.not-applicable { background: var(--na); }
.status { font-weight: 600; white-space: nowrap; }
.status.met { color: var(--none); } .status.partly-met { color: var(--medium); } .status.not-met { color: var(--high); }
.status.accepted { color: #0277bd; } .status.undecidable { color: #6a1b9a; } .status.not-applicable, .status.not-visible { color: var(--na); }
details.question { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 0 12px; }
details.question > summary { cursor: pointer; padding: 8px 0; font-weight: 600; }
details.question[open] > summary { border-bottom: 1px solid var(--line); margin-bottom: 8px; }
details.choice { margin: 4px 0 8px 12px; } details.choice > summary { cursor: pointer; }
.label { display: inline-block; min-width: 4.5em; color: var(--muted); }
ul.evidence { margin: 4px 0; padding-left: 20px; } ul.evidence li { margin: 2px 0; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa; padding: 0 4px; border-radius: 4px; }
figure { margin: 12px 0; } .chart text { font: 13px system-ui, sans-serif; fill: var(--ink); }
.bar.high { fill: var(--high); } .bar.medium { fill: var(--medium); } .bar.none { fill: var(--none); } .bar.not-applicable { fill: var(--na); }
.chart text.count { fill: #fff; font-weight: 600; }
"""


def render(review_set: ReviewSet, options: ReviewOptions) -> str:
    e = escape
    body: list[str] = []
    many = len(review_set.reviews) > 1
    total_files = sum(len(r.files) for r in review_set.reviews)
    body.append("<header><h1>Serverless Lens review</h1>")
    body.append(
        f'<p class="muted">{e(_plural(total_files, "template"))} reviewed by slens-lint {e(review_set.tool_version)} '
        "against the AWS Well-Architected Serverless Lens. A question's risk comes from the risk rules beside the "
        "Lens map; practices no template can show are left to the team.</p></header>"
    )
    for index, review in enumerate(review_set.reviews):
        body.append(_review(review_set, review, index, many, options))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Serverless Lens review</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _review(review_set: ReviewSet, review: Review, index: int, many: bool, options: ReviewOptions) -> str:
    e = escape
    out = [f'<section class="review" id="review-{index}" data-review="{e(review.name)}">']
    name = "All templates" if review.name == REPOSITORY else review.name
    out.append(f"<h2>{e(name)}</h2>")
    out.append(f'<p>{e(fmt.scope_line(review_set, review).capitalize())}. Questions by risk: <strong>{e(fmt.risk_line(review.counts()))}</strong>.</p>')
    out.append(f'<figure class="chart">{risk_chart(review.pillar_counts(), f"chart-{index}")}</figure>')
    out.append("<table class=\"pillars\"><thead><tr><th>Pillar</th>" + "".join(f"<th>{fmt.RISK_LABEL[r]}</th>" for r in fmt.RISK_ORDER) + "</tr></thead><tbody>")
    for pillar, counts in review.pillar_counts().items():
        out.append(f"<tr><td>{e(pillar.title)}</td>" + "".join(f'<td class="n">{counts[r.value]}</td>' for r in fmt.RISK_ORDER) + "</tr>")
    total = review.counts()
    out.append("<tr><th>Overall</th>" + "".join(f'<th class="n">{total[r.value]}</th>' for r in fmt.RISK_ORDER) + "</tr></tbody></table>")
    if review.changes is not None:
        out.append(_changes(review))
    if review.errors:
        out.append(f'<p class="note">Not reviewed: {len(review.errors)} files could not be read or parsed.</p><ul>')
        out += [f"<li><code>{e(err)}</code></li>" for err in review.errors]
        out.append("</ul>")
    for q in review.questions:
        out.append(_question(q, index, options))
    out.append("</section>")
    return "\n".join(out)


def _changes(review: Review) -> str:
    e = escape
    changes = review.changes
    assert changes is not None
    if not changes.found:
        return f'<p class="note">No review named {e(review.name)} in {e(changes.previous)} to compare with.</p>'
    changed = changes.changed()
    if not changed:
        return f'<p class="note">No change since {e(changes.previous)}.</p>'
    rows = [f"<h3>Since {e(changes.previous)}</h3><table class=\"changes\"><thead><tr><th>Question</th><th>Risk before</th><th>Risk now</th><th>Newly met</th><th>Lost</th></tr></thead><tbody>"]
    for q in changed:
        before = fmt.RISK_LABEL[q.before] if q.before else "-"
        rows.append(
            f'<tr data-direction="{q.direction}"><td>{e(q.label)}</td><td>{before}</td><td>{fmt.RISK_LABEL[q.after]} ({q.direction})</td>'
            f"<td>{e('; '.join(q.gained)) or '-'}</td><td>{e('; '.join(q.lost)) or '-'}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _question(q, index: int, options: ReviewOptions) -> str:
    e = escape
    out = [
        f'<details class="question risk-{q.risk.value}" id="q{index}-{e(q.id)}" data-question="{e(q.id)}">',
        f'<summary><span class="label">{e(q.label)}</span> {e(q.title)} <span class="badge {q.risk.value}">{e(fmt.question_risk(q))}</span></summary>',
    ]
    before, condition, after = fmt.risk_rule_parts(q)
    rule = f"{e(before)}<code>{e(condition)}</code>{e(after)}" if condition else e(before)
    out.append(f'<p class="why">{rule} {e(q.why) if q.condition else ""}</p>')
    out.append("<table class=\"choices\"><thead><tr><th>Best practice</th><th>Status</th><th>Subjects</th></tr></thead><tbody>")
    for c in q.choices:
        out.append(
            f'<tr data-choice="{e(c.id)}"><td>{e(c.title)}</td><td><span class="status {c.status.value}">{fmt.STATUS_LABEL[c.status]}</span></td>'
            f"<td>{e(fmt.subjects_line(c)) or '-'}</td></tr>"
        )
    out.append("</tbody></table>")
    shown = fmt.evidence_limit(options, EVIDENCE_SHOWN)
    for c in q.choices:
        out.append(f'<details class="choice" data-choice="{e(c.id)}"><summary>{e(c.title)}: <span class="status {c.status.value}">{fmt.STATUS_LABEL[c.status]}</span></summary>')
        out.append(f'<p class="note">{"" if c.judged.startswith("Not visible") else "How templates show it: "}{e(c.judged)}</p>')
        out += [f'<p class="note">Note: {e(n)}</p>' for n in c.notes]
        out += [f'<p class="note">Accepted because: {e(r)}</p>' for r in c.reasons()]
        if c.evidence:
            out.append('<ul class="evidence">')
            for ev in c.evidence[:shown]:
                out.append(
                    f'<li class="{ev.status}"><a href="{e(fmt.href(ev.file, ev.line, options))}">{e(ev.location())}</a> '
                    f"<code>{e(ev.rule_id)}</code> {e(fmt.evidence_text(ev))}</li>"
                )
            if len(c.evidence) > shown:
                out.append(f"<li>... and {len(c.evidence) - shown} more (see the JSON review)</li>")
            out.append("</ul>")
        out.append("</details>")
    out.append("</details>")
    return "\n".join(out)
