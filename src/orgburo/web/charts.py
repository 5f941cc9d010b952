"""Charts as inline SVG, drawn on the server: they need no script and print as they show."""

from __future__ import annotations

from collections.abc import Sequence
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


def _svg(title: str, width: float, height: float, content: str) -> Markup:
    return Markup(
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" style="max-width:{width:.0f}px" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="13"><title>{escape(title)}</title>'
        f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>{content}</svg>'
    )
