"""The published figures a scenario reproduces, and Orgburo's value for each.

A figure's value is measured by the census on the figure's date, in the store that
holds a replay: the total of some bodies' subtrees (divided by the replay's scale to
compare with the published count), or the share of members with some value. A figure
is within tolerance when the difference is at most its tolerance plus its `slack` in
members at the replay's scale (rounding each typed-in number to the scale moves a total
by up to half a member per number: counts at 1:100 are known to +-50 at full size).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.census import service as census
from orgburo.mobilizations import fulfilment
from orgburo.scenarios import mobilization
from orgburo.scenarios.schema import Figure, Mobilized, Scenario


@dataclass(frozen=True)
class FigureValue:
    """Orgburo's value for a published figure, from one replay."""

    figure: Figure
    counted: int
    among: int
    value: float
    allowed: float

    @property
    def within(self) -> bool:
        """Whether Orgburo's value agrees with the published figure (a known gap never)."""
        if self.figure.gap is not None:
            return False
        return self.agrees

    @property
    def agrees(self) -> bool:
        """Whether the value lies within the range or the tolerance."""
        if self.figure.range is not None:
            low, high = self.figure.range
            return low <= self.value <= high
        return abs(self.value - self.figure.published) <= self.allowed + 1e-9


def measure(
    session: Session, scenario: Scenario, scale: Fraction, actor: Actor
) -> list[FigureValue]:
    """Every figure of the scenario, measured in the store (replayed at `scale`)."""
    return [_measure(session, scenario, f, scale, actor) for f in scenario.figures]


def _measure(
    session: Session, scenario: Scenario, figure: Figure, scale: Fraction, actor: Actor
) -> FigureValue:
    m = figure.measure
    codes = list(m.bodies) + [
        spec.code for spec in _specs(scenario) for g in m.groups if g in spec.groups
    ]
    by = [m.dimension] if m.dimension else ["status"]
    counted = among = 0
    for code in dict.fromkeys(codes):
        composition = census.census(session, body_code=code, by=by, at=figure.on, actor=actor)
        if m.dimension:
            counted += composition.count(m.value or "")
            among += composition.total
        else:
            counted += composition.count(m.status) if m.status else composition.total
    if m.mobilized is not None:
        counted, among = mobilized(session, m.mobilized, figure.on, actor), counted
    if figure.is_share:
        value = counted / among if among else 0.0
        allowed = figure.tolerance + (figure.slack / among if among else 1.0)
    else:
        value = float(counted / scale)
        allowed = figure.tolerance + float(figure.slack / scale)
    return FigureValue(figure, counted, among, value, allowed)


def mobilized(session: Session, measure: Mobilized, on: date, actor: Actor) -> int:
    """Members decreed, sent or arrived in the months from `since` to `on`, as the
    fulfilment report (by month) counts them."""
    if not measure.decrees and not mobilization.decree_codes(session):
        return 0
    report = fulfilment.fulfilment(session, by="month", actor=actor, decree_codes=measure.decrees)
    first = _month(measure.since) if measure.since else ""
    rows = [r for r in report.rows if first <= r.key <= _month(on)]
    return sum(getattr(r, measure.count) for r in rows)


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _specs(scenario: Scenario) -> list:  # type: ignore[type-arg]
    specs = list(scenario.organization.bodies)
    for step in scenario.timeline:
        specs += step.open or []
    return specs


def shown(figure: Figure) -> str:
    """The published figure as the table shows it."""
    if figure.shown:
        return figure.shown
    return _percent(figure.published) if figure.is_share else f"{figure.published:,.0f}"


def orgburo(value: FigureValue) -> str:
    """Orgburo's value as the table shows it."""
    if value.figure.is_share:
        return _percent(value.value, 1)
    return f"{value.value:,.0f}"


def tolerance(value: FigureValue) -> str:
    """The tolerance as the table shows it, at the replay's scale."""
    figure = value.figure
    if figure.range is not None:
        return _range(figure.range, figure.is_share)
    if figure.is_share:
        return f"±{value.allowed * 100:.1f} points"
    return f"±{value.allowed:,.0f}"


def _range(bounds: tuple[float, float], share: bool) -> str:
    low, high = (_percent(b) if share else f"{b:,.0f}" for b in bounds)
    if bounds[1] == math.inf or (share and bounds[1] >= 1):
        return f"at least {low}"
    return f"{low} to {high}"


def _percent(share: float, digits: int = 0) -> str:
    return f"{share * 100:.{digits}f}%"


def markdown(values: list[FigureValue], *, scenario: Scenario, scale: Fraction, seed: int) -> str:
    """The figure table as Markdown: inputs first, then derived figures."""
    header = (
        f"Orgburo's values: scenario `{scenario.name}` replayed at scale {_ratio(scale)}, "
        f"seed {seed}; counts shown at full size (the count at that scale divided by it).\n\n"
        "| Kind | Figure | Date | Source | Status | Published | Orgburo | Tolerance | Agrees |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = sorted(values, key=lambda v: (v.figure.kind != "input", v.figure.on))
    return header + "".join(_row(v) for v in rows)


def _row(value: FigureValue) -> str:
    f = value.figure
    cells = [
        f.kind,
        f.what,
        f.on.isoformat(),
        f.source,
        f.status,
        shown(f),
        orgburo(value),
        tolerance(value),
        agreement(value, "**no**"),
    ]
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |\n"


def agreement(value: FigureValue, no: str = "no") -> str:
    """Whether Orgburo agrees, as the tables say it: yes, no, or a known gap."""
    if value.figure.gap is not None:
        return "known gap"
    return "yes" if value.within else no


def _ratio(scale: Fraction) -> str:
    return "1:1 (full size)" if scale == 1 else f"1:{float(1 / scale):g}"
