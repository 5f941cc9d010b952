"""The dated line chart the scenario pages draw."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from orgburo.web.charts import time_chart

LINE = (
    "Members",
    [(date(1917, 1, 1), 100.0), (date(1917, 12, 31), 300.0), (date(1919, 12, 31), 350.0)],
)


def test_points_are_placed_by_date_not_by_order() -> None:
    svg = str(time_chart([LINE], "Members"))
    [points] = re.findall(r'<polyline points="([^"]+)"', svg)
    xs = [float(p.split(",")[0]) for p in points.split()]
    assert xs[1] - xs[0] < (xs[2] - xs[1]) / 1.5


def test_published_values_are_open_circles_with_their_value() -> None:
    svg = str(time_chart([LINE], "Members", points=[("Published", [(date(1918, 6, 1), 320.0)])]))
    assert 'fill="none" stroke="#1d1d1f"' in svg
    assert "Published, 1918-06-01: 320" in svg


def test_the_y_axis_ends_at_a_round_number() -> None:
    svg = str(time_chart([LINE], "Members"))
    assert ">400</text>" in svg


def test_shares_are_drawn_from_zero_to_one_hundred_percent() -> None:
    svg = str(time_chart([("Workers", [(date(1917, 1, 1), 0.44)])], "Workers", percent=True))
    assert ">100%</text>" in svg
    ET.fromstring(svg)
