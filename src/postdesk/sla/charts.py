"""Server-rendered SVG charts: no JavaScript, no charting library, printable, and readable by
screen readers (``role="img"`` with a title; every chart's numbers are also a table and a CSV).

Every label is escaped: department and topic names are typed by admins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# USWDS colours that stay apart for the common colour-vision deficiencies.
PALETTE = ("#005ea2", "#e5a000", "#00a91c", "#d83933", "#8168b3", "#0d7ea2", "#c05600", "#71767a")
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 46


@dataclass(frozen=True)
class Series:
    name: str
    values: list
    color: str


def series_from(names: list[str], columns: list[list], colors=PALETTE) -> list[Series]:
    return [Series(str(name), list(values), colors[index % len(colors)])
            for index, (name, values) in enumerate(zip(names, columns))]


def _nice_max(value: float, *, whole: bool = False) -> float:
    """The top of the y axis: four gridline steps of 1, 1.5, 2, 2.5, 3 or 5 times a power of
    ten, so every tick is a round number (and a whole one for counts)."""
    if value <= 0:
        return 4 if whole else 1
    quarter = value / 4
    exponent = 10 ** math.floor(math.log10(quarter))
    step = next(s * exponent for s in (1, 1.5, 2, 2.5, 3, 5, 10) if quarter <= s * exponent)
    if whole:
        step = max(1, math.ceil(step))
    return step * 4


def _number(value) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _frame(chart_id: str, title: str, body: list[str], *, width=WIDTH, height=HEIGHT) -> str:
    return (f'<svg class="pd-chart" id="{escape(chart_id)}" role="img" '
            f'aria-labelledby="{escape(chart_id)}-title" viewBox="0 0 {width} {height}" '
            f'preserveAspectRatio="xMinYMin meet" font-family="Source Sans Pro Web, sans-serif" '
            f'xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
            + "".join(body) + "</svg>")


def _legend(series: list[Series]) -> str:
    if len(series) < 2:
        return ""
    items = "".join(
        format_html('<li><span class="pd-legend__swatch" style="background-color:{}"></span>{}</li>',
                    s.color, s.name) for s in series)
    return f'<ul class="pd-legend">{items}</ul>'


def _empty(chart_id: str, title: str) -> SafeString:
    body = [f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="14" fill="#565c65">'
            f'{escape(_("No data for this period yet."))}</text>']
    return mark_safe(_frame(chart_id, title, body))


def _y_axis(maximum: float, unit: str) -> list[str]:
    plot_height = HEIGHT - TOP - BOTTOM
    parts = []
    for index in range(5):
        value = maximum * index / 4
        y = TOP + plot_height - plot_height * index / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#dfe1e2" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#1b1b1b">'
                     f'{escape(f"{round(value, 6):g}")}{escape(unit)}</text>')
    return parts


def _x_labels(categories: list[str], slot: float) -> list[str]:
    step = max(1, math.ceil(len(categories) / max(1, (WIDTH - LEFT - RIGHT) // 70)))
    parts = []
    for index, label in enumerate(categories):
        if index % step:
            continue
        x = LEFT + slot * (index + 0.5)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                     f'font-size="11" fill="#1b1b1b">{escape(label)}</text>')
    return parts


def bar_chart(*, chart_id: str, title: str, categories: list[str], series: list[Series],
              unit: str = "") -> SafeString:
    """Vertical bars, stacked when there are several series."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    if not categories or not any(totals):
        return _empty(chart_id, title)
    maximum = _nice_max(max(totals), whole=all(isinstance(t, int) for t in totals))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(categories)
    bar = max(slot * 0.7, 1)
    body = _y_axis(maximum, unit)
    for index, category in enumerate(categories):
        base = 0.0
        for s in series:
            value = s.values[index] or 0
            if not value:
                continue
            height = plot_height * value / maximum
            y = TOP + plot_height - plot_height * (base + value) / maximum
            x = LEFT + slot * index + (slot - bar) / 2
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                f'fill="{s.color}"><title>{escape(category)} · {escape(s.name)}: '
                f'{escape(_number(value))}{escape(unit)}</title></rect>')
            base += value
    body += _x_labels(categories, slot)
    return mark_safe(_frame(chart_id, title, body) + _legend(series))


def horizontal_bar_chart(*, chart_id: str, title: str, categories: list[str],
                         series: list[Series]) -> SafeString:
    """One stacked bar per category (department, topic), labels on the left."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    if not categories or not any(totals):
        return _empty(chart_id, title)
    row, label_width = 26, 210
    height = TOP + row * len(categories) + 24
    maximum = _nice_max(max(totals))
    plot_width = WIDTH - label_width - RIGHT - 40
    body = []
    for index, category in enumerate(categories):
        y = TOP + row * index
        short = category if len(category) <= 30 else category[:29] + "…"
        body.append(f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" '
                    f'font-size="11" fill="#1b1b1b">{escape(short)}</text>')
        base = 0.0
        for s in series:
            value = s.values[index] or 0
            if not value:
                continue
            x = label_width + plot_width * base / maximum
            width = plot_width * value / maximum
            body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="{row - 8}" '
                        f'fill="{s.color}"><title>{escape(category)} · {escape(s.name)}: '
                        f'{escape(_number(value))}</title></rect>')
            base += value
        body.append(f'<text x="{label_width + plot_width * base / maximum + 6:.1f}" y="{y + 16}" '
                    f'font-size="11" fill="#1b1b1b">{escape(_number(totals[index]))}</text>')
    return mark_safe(_frame(chart_id, title, body, height=height) + _legend(series))


def line_chart(*, chart_id: str, title: str, categories: list[str], series: list[Series],
               maximum: float | None = None, unit: str = "") -> SafeString:
    """Lines over periods; a missing value (no data that period) breaks the line."""
    values = [v for s in series for v in s.values if v is not None]
    if not categories or not values:
        return _empty(chart_id, title)
    maximum = maximum or _nice_max(max(values))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(categories)
    body = _y_axis(maximum, unit)
    for s in series:
        segment: list[str] = []
        segments = [segment]
        for index, value in enumerate(s.values):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            x = LEFT + slot * (index + 0.5)
            y = TOP + plot_height - plot_height * min(value, maximum) / maximum
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{s.color}">'
                        f'<title>{escape(categories[index])} · {escape(s.name)}: '
                        f'{escape(_number(value))}{escape(unit)}</title></circle>')
        for points in segments:
            if len(points) > 1:
                body.append(f'<polyline points="{" ".join(points)}" fill="none" '
                            f'stroke="{s.color}" stroke-width="2"/>')
    body += _x_labels(categories, slot)
    return mark_safe(_frame(chart_id, title, body) + _legend(series))


# Backlog segments: on track, waiting on the customer, at risk, breached.
BACKLOG_COLORS = ("#00a91c", "#71767a", "#e5a000", "#b50909")


def chart_for(table) -> SafeString:
    """The chart that shows a dashboard table (``postdesk.sla.selectors.Table``)."""
    chart_id = f"chart-{table.name.replace('_', '-')}"
    rows = table.rows
    labels = [str(row[0]) for row in rows]

    def column(index):
        return [row[index] for row in rows]

    if table.name.startswith("backlog_"):
        open_, waiting, at_risk, breached = column(1), column(3), column(4), column(5)
        on_track = [max(o - w - r - b, 0) for o, w, r, b in zip(open_, waiting, at_risk, breached)]
        names = [_("On track"), _("Waiting on customer"), _("At risk"), _("Breached")]
        return horizontal_bar_chart(chart_id=chart_id, title=table.title, categories=labels,
                                    series=series_from(names, [on_track, waiting, at_risk, breached],
                                                       BACKLOG_COLORS))
    if table.name == "age":
        return bar_chart(chart_id=chart_id, title=table.title, categories=labels,
                         series=series_from([table.columns[1]], [column(1)]))
    if table.name == "attainment":
        return line_chart(chart_id=chart_id, title=table.title, categories=labels, maximum=100,
                          unit="%", series=series_from([_("First response"), _("Resolution")],
                                                       [column(3), column(6)]))
    if table.name == "response_times":
        return line_chart(chart_id=chart_id, title=table.title, categories=labels, unit=" h",
                          series=series_from([_("Median"), _("90th percentile")],
                                             [column(2), column(3)]))
    if table.name.startswith("volume_"):
        names = table.columns[1:]
        return bar_chart(chart_id=chart_id, title=table.title, categories=labels,
                         series=series_from(names, [column(i + 1) for i in range(len(names))]))
    if table.name == "csat":
        # The score distribution of the whole period; the table has it per period too.
        counts = table.total[4:9] if table.total else [0] * 5
        return bar_chart(chart_id=chart_id, title=table.title,
                         categories=["1", "2", "3", "4", "5"],
                         series=series_from([_("Ratings")], [counts]))
    raise ValueError(f"no chart for table {table.name!r}")
