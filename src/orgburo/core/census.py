"""Compositions: counts by one or two dimensions, their shares, and change between dates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

UNKNOWN = ""
AGE_BANDS = (
    (0, 19, "under 20"),
    (20, 29, "20-29"),
    (30, 39, "30-39"),
    (40, 49, "40-49"),
    (50, 59, "50-59"),
    (60, 200, "60 and over"),
)

Key = tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    """Members with these values of the composition's dimensions."""

    values: Key
    count: int
    share: Fraction


@dataclass(frozen=True)
class Composition:
    """Who a subtree holds on a date, broken down by up to two dimensions."""

    body: str
    at: date
    dimensions: tuple[str, ...]
    cells: tuple[Cell, ...]
    total: int

    def count(self, *values: str) -> int:
        """Members with exactly these values (0 when none)."""
        return next((c.count for c in self.cells if c.values == values), 0)


def compose(
    body: str, at: date, dimensions: tuple[str, ...], counts: Iterable[tuple[Key, int]]
) -> Composition:
    """A composition from (values, count) pairs; equal keys are added together.

    Cells are ordered by count, largest first, then by values, so output is stable.
    """
    merged: dict[Key, int] = defaultdict(int)
    for key, n in counts:
        if n:
            merged[key] += n
    total = sum(merged.values())
    cells = tuple(
        Cell(key, n, Fraction(n, total) if total else Fraction(0))
        for key, n in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return Composition(body, at, dimensions, cells, total)


def age_band(birth_year_key: str, at: date) -> str:
    """The age band of someone born in `birth_year_key` on `at` (by calendar year)."""
    if birth_year_key == UNKNOWN:
        return UNKNOWN
    age = at.year - int(birth_year_key)
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), UNKNOWN)


@dataclass(frozen=True)
class CellChange:
    """How one cell moved between two dates."""

    values: Key
    before: int
    after: int
    share_before: Fraction
    share_after: Fraction

    @property
    def difference(self) -> int:
        """Members gained (negative: lost)."""
        return self.after - self.before


@dataclass(frozen=True)
class CompositionChange:
    """Two compositions of the same subtree and dimensions, cell by cell."""

    before: Composition
    after: Composition
    cells: tuple[CellChange, ...]


def compare(before: Composition, after: Composition) -> CompositionChange:
    """Cell-by-cell change; a cell present on only one date counts 0 on the other."""
    old = {c.values: c for c in before.cells}
    new = {c.values: c for c in after.cells}
    keys = sorted(old.keys() | new.keys(), key=lambda k: (-(new[k].count if k in new else 0), k))
    zero = Fraction(0)
    cells = tuple(
        CellChange(
            k,
            old[k].count if k in old else 0,
            new[k].count if k in new else 0,
            old[k].share if k in old else zero,
            new[k].share if k in new else zero,
        )
        for k in keys
    )
    return CompositionChange(before, after, cells)
