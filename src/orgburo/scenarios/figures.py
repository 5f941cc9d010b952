"""The published figures a scenario reproduces, and Orgburo's value for each.

A figure's value is measured by the census on the figure's date, in the store that
holds a replay: the total of some bodies' subtrees (divided by the replay's scale to
compare with the published count), or the share of members with some value. A figure
is within tolerance when the difference is at most its tolerance plus its `slack` in
members at the replay's scale (rounding each typed-in number to the scale moves a total
by up to half a member per number: counts at 1:100 are known to +-50 at full size).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.census import service as census
from orgburo.scenarios.schema import Figure, Scenario


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
        """Whether Orgburo's value agrees with the published figure."""
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
    if figure.is_share:
        value = counted / among if among else 0.0
        allowed = figure.tolerance + (figure.slack / among if among else 1.0)
    else:
        value = float(counted / scale)
        allowed = figure.tolerance + float(figure.slack / scale)
    return FigureValue(figure, counted, among, value, allowed)


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
        return f"{figure.range[0]:,.0f} to {figure.range[1]:,.0f}"
    if figure.is_share:
        return f"±{value.allowed * 100:.1f} points"
    return f"±{value.allowed:,.0f}"


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
        "yes" if value.within else "**no**",
    ]
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |\n"


def _ratio(scale: Fraction) -> str:
    return "1:1 (full size)" if scale == 1 else f"1:{float(1 / scale):g}"
