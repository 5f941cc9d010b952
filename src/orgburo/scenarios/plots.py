"""Charts as files for a slide: PNG or SVG drawn with matplotlib's Agg backend.

Two panels: membership over time (lines from the census, published counts as points)
and the social composition (shares). A comparison draws two replays in the same panels,
the base solid and the what-if dashed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orgburo.errors import Invalid
from orgburo.scenarios.series import STATUS_LABELS, Line, Series
from orgburo.web.charts import PALETTE

SUFFIXES = (".png", ".svg")


def check_output(path: Path) -> None:
    """A chart file must end in .png or .svg."""
    if path.suffix.lower() not in SUFFIXES:
        raise Invalid.one("output", f"{path.name!r} must end in .png or .svg")


def draw(series: Series, path: Path) -> None:
    """Membership and composition of one replay, written to `path`."""
    check_output(path)
    figure, (top, bottom) = _panels(series.scenario.title)
    _lines(top, series.membership(), "-")
    _points(top, series.published_membership())
    _lines(bottom, series.composition(), "-")
    _points(bottom, series.published_composition())
    _finish(figure, top, bottom, path, f"replayed at scale {_ratio(series)}")


def draw_comparison(base: Series, fork: Series, path: Path) -> None:
    """Two replays in the same panels: the base solid, the what-if dashed."""
    check_output(path)
    figure, (top, bottom) = _panels(f"{base.scenario.title}: what if?")
    _lines(top, _named(base.membership()[:1], base), "-")
    _lines(top, _named(fork.membership()[:1], fork), "--", first_colour=1)
    _lines(bottom, _named(base.composition()[:1], base), "-")
    _lines(bottom, _named(fork.composition()[:1], fork), "--", first_colour=1)
    totals = f"Published: {STATUS_LABELS[None].lower()}"
    _points(top, [line for line in base.published_membership() if line[0] == totals])
    _finish(figure, top, bottom, path, f"scale {_ratio(base)}")


def _named(lines: list[Line], series: Series) -> list[Line]:
    return [(f"{label} ({series.scenario.name})", points) for label, points in lines]


def _panels(title: str) -> tuple[Any, tuple[Any, Any]]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(2, 1, figsize=(10, 7.5), sharex=True)
    figure.suptitle(title, fontsize=13, fontweight="bold")
    return figure, (axes[0], axes[1])


def _lines(axes: Any, lines: list[Line], style: str, first_colour: int = 0) -> None:
    for i, (label, points) in enumerate(lines, start=first_colour):
        xs, ys = zip(*points, strict=True) if points else ((), ())
        axes.plot(xs, ys, style, color=PALETTE[i % len(PALETTE)], label=label, linewidth=2)


def _points(axes: Any, lines: list[Line]) -> None:
    for label, points in lines:
        xs, ys = zip(*points, strict=True)
        axes.plot(xs, ys, "o", color="black", markersize=5, label=label, fillstyle="none")


def _finish(figure: Any, top: Any, bottom: Any, path: Path, note: str) -> None:
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    top.set_ylabel("members")
    top.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    bottom.set_ylabel("share of members")
    bottom.yaxis.set_major_formatter(PercentFormatter(1.0))
    bottom.set_ylim(0, 1)
    for axes in (top, bottom):
        axes.grid(True, color="#dddddd")
        axes.legend(fontsize=8, loc="upper left")
    figure.text(0.01, 0.01, f"Orgburo, {note}", fontsize=8, color="#666666")
    figure.tight_layout(rect=(0, 0.02, 1, 0.97))
    figure.savefig(path, dpi=150)
    pyplot.close(figure)


def _ratio(series: Series) -> str:
    return "1:1" if series.scale == 1 else f"1:{float(1 / series.scale):g}"
