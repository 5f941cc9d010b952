"""Charts as inline SVG, drawn on the server: they need no script and print as they show."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

PALETTE = ("#b22222", "#3b6ea5", "#d8a31a", "#4f8a4f", "#7a5195", "#ef5675", "#5a5a5a", "#ff764a")
ROW, LABEL_WIDTH, BAR_WIDTH = 26, 130, 300


def bar_chart(items: Sequence[tuple[str, int]], title: str) -> Markup:
    """Horizontal bars, one per (label, count), with the count and share written beside."""
    total = sum(n for _, n in items) or 1
    top = max((n for _, n in items), default=0) or 1
    height = ROW * len(items) + 30
    rows = []
    for i, (label, n) in enumerate(items):
        y = 24 + i * ROW
        width = BAR_WIDTH * n / top
        rows.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{ROW - 6}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 14}">{n:,} ({n / total:.1%})</text>'
        )
    return _svg(title, LABEL_WIDTH + BAR_WIDTH + 140, height, "".join(rows))


def stacked_chart(rows: Sequence[tuple[str, Sequence[tuple[str, int]]]], title: str) -> Markup:
    """One bar per row label, split into coloured parts (the second dimension), with a legend."""
    parts = list(dict.fromkeys(part for _, split in rows for part, _ in split))
    colour = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(parts)}
    top = max((sum(n for _, n in split) for _, split in rows), default=0) or 1
    body = []
    for i, (label, split) in enumerate(rows):
        y, x = 24 + i * ROW, float(LABEL_WIDTH)
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
        )
        for part, n in split:
            width = BAR_WIDTH * n / top
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{ROW - 6}" '
                f'fill="{colour[part]}"><title>{escape(part)}: {n:,}</title></rect>'
            )
            x += width
        body.append(f'<text x="{x + 6:.1f}" y="{y + 14}">{sum(n for _, n in split):,}</text>')
    legend_y = 30 + len(rows) * ROW
    for i, part in enumerate(parts):
        x = LABEL_WIDTH + (i % 4) * 120
        y = legend_y + (i // 4) * 20
        body.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour[part]}"/>'
            f'<text x="{x + 16}" y="{y + 11}">{escape(part)}</text>'
        )
    height = legend_y + 20 * ((len(parts) + 3) // 4) + 10
    return _svg(title, LABEL_WIDTH + BAR_WIDTH + 120, height, "".join(body))


def line_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], title: str
) -> Markup:
    """One line per series over the labelled points (dates), with a y axis and a legend."""
    width, left, top, plot_w, plot_h = 660, 70, 28, 520, 200
    peak = max((n for _, values in series for n in values), default=0) or 1
    step = plot_w / max(len(labels) - 1, 1)
    body = [_y_axis(peak, left, top, plot_w, plot_h)]
    for i, label in enumerate(labels):
        x = left + i * step
        body.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{escape(label)}</text>'
        )
    for k, (name, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = [(left + i * step, top + plot_h * (1 - n / peak), n) for i, n in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        body.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
            f"<title>{escape(name)}, {escape(labels[i])}: {n:,}</title></circle>"
            for i, (x, y, n) in enumerate(points)
        )
        lx, ly = left + (k % 4) * 130, top + plot_h + 36 + (k // 4) * 18
        body.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="{ly + 11}">{escape(name)}</text>'
        )
    height = top + plot_h + 44 + 18 * ((len(series) + 3) // 4)
    return _svg(title, width, height, "".join(body))


def _y_axis(peak: int, left: int, top: int, plot_w: int, plot_h: int) -> str:
    ticks = []
    for i in range(5):
        value = peak * i / 4
        y = top + plot_h * (1 - i / 4)
        ticks.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:,.0f}</text>'
        )
    return "".join(ticks)


def _svg(title: str, width: float, height: float, content: str) -> Markup:
    return Markup(
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" style="max-width:{width:.0f}px" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="13"><title>{escape(title)}</title>'
        f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>{content}</svg>'
    )


DatedLine = tuple[str, Sequence[tuple[date, float]]]
TIME_LEFT, TIME_TOP, TIME_WIDTH, TIME_HEIGHT = 80, 28, 520, 220


@dataclass(frozen=True)
class _TimeScale:
    """Where a (date, value) falls in the plot: dates by time, values from 0 to `peak`."""

    first: date
    last: date
    peak: float

    def __call__(self, on: date, value: float) -> tuple[float, float]:
        span = max((self.last - self.first).days, 1)
        x = TIME_LEFT + TIME_WIDTH * (on - self.first).days / span
        return x, TIME_TOP + TIME_HEIGHT * (1 - value / self.peak)


def time_chart(
    lines: Sequence[DatedLine],
    title: str,
    *,
    points: Sequence[DatedLine] = (),
    percent: bool = False,
) -> Markup:
    """Lines over dates placed by time, published values as open circles, and a legend."""
    values = [pair for _, pairs in (*lines, *points) for pair in pairs]
    if not values:
        return _svg(title, TIME_LEFT + TIME_WIDTH + 20, 60, "")
    peak = 1.0 if percent else _nice_top(max(v for _, v in values))
    at = _TimeScale(min(d for d, _ in values), max(d for d, _ in values), peak)
    body = [_time_axes(at, percent)]
    for k, (_, pairs) in enumerate(lines):
        path = " ".join("{:.1f},{:.1f}".format(*at(d, v)) for d, v in pairs)
        colour = PALETTE[k % len(PALETTE)]
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for name, pairs in points:
        body.extend(_marker(name, d, v, at(d, v), percent) for d, v in pairs)
    legend = [(n, PALETTE[k % len(PALETTE)]) for k, (n, _) in enumerate(lines)]
    legend += [(n, "none") for n, _ in points]
    body.append(_legend(legend))
    height = TIME_TOP + TIME_HEIGHT + 44 + 18 * ((len(legend) + 1) // 2)
    return _svg(title, TIME_LEFT + TIME_WIDTH + 20, height, "".join(body))


def _nice_top(peak: float) -> float:
    """The top of the y axis: four equal steps of a round number (1 to 7.5 times 10^k)."""
    if peak <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(peak / 4))
    step = next(m * power for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10) if m * power * 4 >= peak)
    return float(step * 4)


def _time_axes(at: _TimeScale, percent: bool) -> str:
    parts = []
    for i in range(5):
        value = at.peak * i / 4
        _, y = at(at.first, value)
        label = f"{value:.0%}" if percent else f"{value:,.0f}"
        parts.append(
            f'<line x1="{TIME_LEFT}" y1="{y:.1f}" x2="{TIME_LEFT + TIME_WIDTH}" y2="{y:.1f}" '
            f'stroke="#ddd"/><text x="{TIME_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{label}</text>"
        )
    first_january = at.first.year + (at.first.month > 1 or at.first.day > 1)
    for year in range(first_january, at.last.year + 1):
        x, _ = at(date(year, 1, 1), 0)
        y = TIME_TOP + TIME_HEIGHT + 18
        parts.append(f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{year}</text>')
    return "".join(parts)


def _marker(name: str, on: date, value: float, xy: tuple[float, float], percent: bool) -> str:
    shown = f"{value:.1%}" if percent else f"{value:,.0f}"
    return (
        f'<circle cx="{xy[0]:.1f}" cy="{xy[1]:.1f}" r="4" fill="none" stroke="#1d1d1f" '
        f'stroke-width="1.5"><title>{escape(name)}, {on}: {shown}</title></circle>'
    )


def _legend(entries: Sequence[tuple[str, str]]) -> str:
    parts = []
    for k, (name, colour) in enumerate(entries):
        x, y = TIME_LEFT + (k % 2) * 260, TIME_TOP + TIME_HEIGHT + 32 + (k // 2) * 18
        mark = (
            f'<circle cx="{x + 6}" cy="{y + 6}" r="4" fill="none" stroke="#1d1d1f"/>'
            if colour == "none"
            else f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(f'{mark}<text x="{x + 16}" y="{y + 11}">{escape(name)}</text>')
    return "".join(parts)
