"""The per-pillar risk chart of the HTML review: inline SVG, one stacked bar per pillar (its questions
by risk), a legend, and a text alternative for screen readers. Colours come from the page's CSS
classes (`bar high`...)."""

from __future__ import annotations

from html import escape

from slens_lint.output.review_formats import RISK_LABEL, RISK_ORDER

LABEL_WIDTH = 190
BAR_WIDTH = 420
ROW = 30
BAR_HEIGHT = 22
LEGEND = 34


def risk_chart(pillar_counts: dict, chart_id: str) -> str:
    rows = list(pillar_counts.items())
    most = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    unit = BAR_WIDTH / most
    height = len(rows) * ROW + LEGEND
    width = LABEL_WIDTH + BAR_WIDTH + 20
    summary = "; ".join(
        f"{pillar.title}: " + ", ".join(f"{counts[r.value]} {RISK_LABEL[r].lower()}" for r in RISK_ORDER if counts[r.value])
        for pillar, counts in rows
    )
    out = [
        f'<svg class="chart" id="{escape(chart_id)}" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">Questions by risk per pillar. {escape(summary)}</title>',
    ]
    for row, (pillar, counts) in enumerate(rows):
        y = row * ROW
        out.append(f'<text x="0" y="{y + BAR_HEIGHT * 0.72:.1f}">{escape(pillar.title)}</text>')
        x = float(LABEL_WIDTH)
        for risk in RISK_ORDER:
            n = counts[risk.value]
            if not n:
                continue
            w = n * unit
            out.append(
                f'<rect class="bar {risk.value}" data-pillar="{pillar.value}" data-risk="{risk.value}" x="{x:.1f}" y="{y}" '
                f'width="{w - 2:.1f}" height="{BAR_HEIGHT}" rx="3"><title>{escape(pillar.title)}: {n} {RISK_LABEL[risk].lower()}</title></rect>'
            )
            out.append(f'<text class="count" x="{x + w / 2 - 1:.1f}" y="{y + BAR_HEIGHT * 0.72:.1f}" text-anchor="middle">{n}</text>')
            x += w
    y = len(rows) * ROW + 10
    x = float(LABEL_WIDTH)
    for risk in RISK_ORDER:
        out.append(f'<rect class="bar {risk.value}" x="{x:.1f}" y="{y}" width="14" height="14" rx="2"/>')
        out.append(f'<text x="{x + 20:.1f}" y="{y + 12}">{RISK_LABEL[risk]}</text>')
        x += 100
    out.append("</svg>")
    return "\n".join(out)
