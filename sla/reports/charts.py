"""Server-side SVG charts for the reports page: no script, no remote library, no style attributes.

Each chart is inline SVG with presentation attributes only (fill=, stroke=), so it renders under
the console's strict Content-Security-Policy and without JavaScript. Every text comes through
`escape`, each chart has a <title> and an aria-label, and the numbers are also in the page's tables.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from sla.reports.report import BACKLOG_LABELS, Report

WIDTH = 720
BAR = "#2b6cb0"
LATE = "#c53030"
GRID = "#d0d7de"
INK = "#24292f"
AGE_COLOURS = ("#38a169", "#d69e2e", "#dd6b20", "#c53030")
FONT_PX = 12
_LABEL = 190  # room for queue names left of horizontal bars


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup


def _svg(title: str, height: int, body: list[str], css_class: str) -> Chart:
    label = escape(title)
    return Chart(title, Markup(
        f'<svg class="chart {css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{label}"><title>{label}</title>'
        + "".join(body) + "</svg>"))


def _text(x: float, y: float, content: object, anchor: str = "start") -> str:
    """Chart text, never smaller than 12 px: the charts are drawn at their width, never scaled down."""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{FONT_PX}" fill="{INK}" '
            f'font-family="sans-serif">{escape(str(content))}</text>')


def _rect(x: float, y: float, width: float, height: float, fill: str, tip: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height:.1f}" fill="{fill}">'
            f'<title>{escape(tip)}</title></rect>')


def compliance_by_week(report: Report) -> Chart:
    """Share of replies on time per week, one bar per week, the count of replies under it."""
    height, top, base = 230, 20, 180
    weeks = report.weeks
    slot = (WIDTH - 50) / max(len(weeks), 1)
    body = [f'<line x1="40" y1="{y}" x2="{WIDTH}" y2="{y}" stroke="{GRID}"/>' + _text(34, y + 4, f"{p}%", "end")
            for p, y in ((100, top), (50, (top + base) / 2), (0, base))]
    for i, week in enumerate(weeks):
        x = 50 + i * slot
        replies = week.on_time + week.late
        if week.percent is not None:
            h = (base - top) * week.percent / 100
            body.append(_rect(x + slot * 0.15, base - h, slot * 0.7, h, BAR,
                              f"week of {week.monday:%d %b}: {week.percent:.1f}% of {replies} replies on time"))
            body.append(_text(x + slot / 2, base - h - 4, f"{week.percent:.0f}%", "middle"))
        body.append(_text(x + slot / 2, base + 16, f"{week.monday:%d %b}", "middle"))
        body.append(_text(x + slot / 2, base + 30, f"{replies} replies", "middle"))
    return _svg("Replies on time, by week", height, body, "chart-weeks")


def first_reply_by_queue(report: Report) -> Chart:
    """Median time to first reply per queue (bar) with its 90th percentile (red tick)."""
    rows = [line for line in report.queues if line.figures.first_reply.count]
    row, top = 26, 10
    height = top + row * max(len(rows), 1) + 24
    longest = max([line.figures.first_reply.p90 or 0.0 for line in rows] + [1.0])
    scale = (WIDTH - _LABEL - 110) / longest
    body = [] if rows else [_text(_LABEL, top + 16, "No first replies in this period.")]
    for i, line in enumerate(rows):
        times, y = line.figures.first_reply, top + i * row
        median, p90 = times.median or 0.0, times.p90 or 0.0
        body.append(_text(_LABEL - 8, y + 15, line.title, "end"))
        body.append(_rect(_LABEL, y + 3, median * scale, row - 8, BAR,
                          f"{line.queue}: median {median:.1f} h, p90 {p90:.1f} h, {times.count} tickets"))
        body.append(f'<line x1="{_LABEL + p90 * scale:.1f}" y1="{y + 1}" x2="{_LABEL + p90 * scale:.1f}" '
                    f'y2="{y + row - 3}" stroke="{LATE}" stroke-width="3"/>')
        body.append(_text(_LABEL + p90 * scale + 8, y + 15, f"{median:.1f} h / p90 {p90:.1f} h"))
    body.append(_text(8, height - 6, "business hours from receipt to the first reply (bar: median, "
                                     "red: 90th percentile)"))
    return _svg("Time to first reply by queue", height, body, "chart-first-reply")


def backlog_by_age(report: Report) -> Chart:
    """Open tickets per queue, split by working days since receipt."""
    rows = [line for line in report.backlog if line.total]
    row, top = 26, 34
    height = top + row * max(len(rows), 1) + 10
    scale = (WIDTH - _LABEL - 60) / max([line.total for line in rows] + [1])
    titles = {line.queue: line.title for line in report.queues}
    body = _legend(BACKLOG_LABELS, AGE_COLOURS)
    if not rows:
        body.append(_text(_LABEL, top + 16, "No open tickets."))
    for i, line in enumerate(rows):
        y, x = top + i * row, float(_LABEL)
        body.append(_text(_LABEL - 8, y + 15, titles.get(line.queue, line.queue), "end"))
        for label, count, colour in zip(BACKLOG_LABELS, line.counts, AGE_COLOURS):
            body.append(_rect(x, y + 3, count * scale, row - 8, colour,
                              f"{line.queue}: {count} open for {label} working days"))
            x += count * scale
        body.append(_text(x + 6, y + 15, line.total))
    return _svg("Open tickets by age in working days", height, body, "chart-backlog")


def _legend(labels: Sequence[str], colours: Sequence[str]) -> list[str]:
    items = []
    for i, (label, colour) in enumerate(zip(labels, colours)):
        x = _LABEL + i * 120
        items.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
        items.append(_text(x + 16, 16, f"{label} wd"))
    return items
