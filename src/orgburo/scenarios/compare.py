"""What if: a scenario and its fork replayed into two stores and compared date by date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

from orgburo.actors import Actor
from orgburo.db import unit_of_work
from orgburo.scenarios import series as series_
from orgburo.scenarios.loader import Loaded
from orgburo.scenarios.replay import Progress
from orgburo.scenarios.series import Series
from orgburo.scenarios.service import replay_into_file


@dataclass(frozen=True)
class Row:
    """One date of a comparison, at full size."""

    on: date
    base: float
    fork: float
    base_workers: float
    fork_workers: float

    @property
    def difference(self) -> float:
        """Members in the fork minus members in the base."""
        return self.fork - self.base


@dataclass(frozen=True)
class Comparison:
    """Two replays of the same timeline but for the overlay's steps."""

    base: Series
    fork: Series
    rows: list[Row]
    stores: tuple[Path, Path]


def compare(
    base: Loaded,
    fork: Loaded,
    *,
    scale: Fraction,
    actor: Actor,
    folder: Path,
    seed: int | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Replay both into SQLite files in `folder` and pair their series by date."""
    folder.mkdir(parents=True, exist_ok=True)
    stores = (folder / f"{base.scenario.name}.sqlite3", folder / f"{fork.scenario.name}.sqlite3")
    results = [
        _replayed(loaded, store, scale, actor, seed, progress)
        for loaded, store in zip((base, fork), stores, strict=True)
    ]
    return Comparison(results[0], results[1], _rows(results[0], results[1]), stores)


def _replayed(
    loaded: Loaded,
    store: Path,
    scale: Fraction,
    actor: Actor,
    seed: int | None,
    progress: Progress | None,
) -> Series:
    engine, record = replay_into_file(
        store, loaded, scale=scale, actor=actor, seed=seed, progress=progress
    )
    try:
        with unit_of_work(engine) as session:
            return series_.series(
                session, loaded.scenario, scale=record.scale, until=record.until, actor=actor
            )
    finally:
        engine.dispose()


def _rows(base: Series, fork: Series) -> list[Row]:
    fork_points = {p.on: p for p in fork.points}
    rows = []
    for point in base.points:
        other = fork_points.get(point.on)
        if other is None:
            continue
        rows.append(
            Row(
                point.on,
                float(point.total / base.scale),
                float(other.total / fork.scale),
                _workers(point),
                _workers(other),
            )
        )
    return rows


def _workers(point: series_.Point) -> float:
    return point.by_value.get("worker", 0) / point.total if point.total else 0.0
