"""Membership and composition over time: the census of the scenario's roots on many dates.

The dates are the first day, every step's and every figure's date, and each 1 January,
up to the end of the replay. Counts are shown at full size (divided by the replay's
scale); shares are shares. Published figures that count the whole organization become
the points drawn over the lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.census import service as census
from orgburo.scenarios.schema import Figure, Scenario

Line = tuple[str, list[tuple[date, float]]]
DIMENSION = "social_situation"
STATUS_LABELS = {None: "Members and candidates", "full": "Full members", "candidate": "Candidates"}


@dataclass(frozen=True)
class Point:
    """The census of the roots on one date, at the replay's scale."""

    on: date
    full: int
    candidates: int
    by_value: dict[str, int]

    @property
    def total(self) -> int:
        """Members and candidates."""
        return self.full + self.candidates


@dataclass(frozen=True)
class Series:
    """A scenario's census over time, from one replay."""

    scenario: Scenario
    scale: Fraction
    points: list[Point]

    def membership(self) -> list[Line]:
        """Members, full members and candidates over time, at full size."""
        counts = {
            None: [p.total for p in self.points],
            "full": [p.full for p in self.points],
            "candidate": [p.candidates for p in self.points],
        }
        dates = [p.on for p in self.points]
        return [
            (
                STATUS_LABELS[status],
                [(d, float(n / self.scale)) for d, n in zip(dates, ns, strict=True)],
            )
            for status, ns in counts.items()
        ]

    def composition(self) -> list[Line]:
        """The share of each social situation over time."""
        values = sorted({v for p in self.points for v in p.by_value}, key=_value_order)
        counted = [p for p in self.points if p.total]
        return [
            (v or "unknown", [(p.on, p.by_value.get(v, 0) / p.total) for p in counted])
            for v in values
        ]

    def published_membership(self) -> list[Line]:
        """Published counts of the whole organization, as points."""
        lines: dict[str, list[tuple[date, float]]] = {}
        for f in self._whole(share=False):
            label = f"Published: {STATUS_LABELS[f.measure.status].lower()}"
            lines.setdefault(label, []).append((f.on, f.published))
        return list(lines.items())

    def published_composition(self) -> list[Line]:
        """Published shares of the whole organization by social situation, as points."""
        lines: dict[str, list[tuple[date, float]]] = {}
        for f in self._whole(share=True):
            if f.measure.dimension == DIMENSION:
                lines.setdefault(f"Published: {f.measure.value}", []).append((f.on, f.published))
        return list(lines.items())

    def _whole(self, *, share: bool) -> list[Figure]:
        roots = roots_of(self.scenario)
        last = self.points[-1].on if self.points else self.scenario.end
        return [
            f
            for f in self.scenario.figures
            if f.measure.bodies == roots
            and not f.measure.groups
            and f.is_share == share
            and f.on <= last
            and f.range is None
        ]


def _value_order(value: str) -> tuple[int, str]:
    order = ("worker", "peasant", "employee", "other")
    return (order.index(value), value) if value in order else (len(order), value)


def roots_of(scenario: Scenario) -> list[str]:
    """Codes of the bodies without a parent on the first day."""
    return [b.code for b in scenario.organization.bodies if b.parent is None]


def sample_dates(scenario: Scenario, until: date | None) -> list[date]:
    """The dates the series reports: first day, steps, figures, each 1 January, the end."""
    last = until or scenario.end
    first = scenario.organization.on
    dates = {first, last, *(s.on for s in scenario.timeline), *(f.on for f in scenario.figures)}
    dates |= {date(y, 1, 1) for y in range(first.year + 1, last.year + 1)}
    return sorted(d for d in dates if first <= d <= last)


def series(
    session: Session, scenario: Scenario, *, scale: Fraction, until: date | None, actor: Actor
) -> Series:
    """The census of the scenario's roots on every sample date."""
    points = [_point(session, scenario, on, actor) for on in sample_dates(scenario, until)]
    return Series(scenario, scale, points)


def _point(session: Session, scenario: Scenario, on: date, actor: Actor) -> Point:
    full = candidates = 0
    by_value: dict[str, int] = {}
    for code in roots_of(scenario):
        composition = census.census(
            session, body_code=code, by=["status", DIMENSION], at=on, actor=actor
        )
        for cell in composition.cells:
            status, value = cell.values
            full += cell.count if status == "full" else 0
            candidates += cell.count if status == "candidate" else 0
            by_value[value] = by_value.get(value, 0) + cell.count
    return Point(on, full, candidates, by_value)
