"""Scenarios: what the command line, the HTTP API and the pages call.

Reading a scenario checks it; replaying it writes through the registry's services
into a store; figures and series are read back from a store that holds a replay (the
audit trail says which scenario, at what scale). Figures and series are cached per
store until its audit trail grows, since a past census of the whole organization reads
every spell; each read still checks that the caller may read the scenario's roots.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.audit import AuditEntry
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.db import make_engine, unit_of_work
from orgburo.errors import Conflict
from orgburo.migrations import upgrade
from orgburo.mobilizations import fulfilment
from orgburo.mobilizations.fulfilment import ChartSeries
from orgburo.scenarios import figures as figures_
from orgburo.scenarios import loader
from orgburo.scenarios import series as series_
from orgburo.scenarios.figures import FigureValue
from orgburo.scenarios.loader import Loaded
from orgburo.scenarios.replay import Progress, ReplayRecord, last_replay, replay
from orgburo.scenarios.series import Series

__all__ = ["Loaded", "ReplayRecord", "load", "load_with", "replay"]

REFERENCE = "rcpb_1917_1926"
"""The reference scenario: the one the demo replays and docs/figures.md describes."""

load = loader.load
load_with = loader.load_with
_CACHE: dict[tuple[str, str, str, int], Any] = {}
T = TypeVar("T")


@dataclass(frozen=True)
class Summary:
    """A scenario as lists show it."""

    name: str
    title: str
    start: date
    end: date
    steps: int
    figures: int


def catalog() -> list[Summary]:
    """Every scenario shipped with Orgburo."""
    summaries = []
    for path in loader.available():
        scenario = loader.load(str(path)).scenario
        summaries.append(
            Summary(
                scenario.name,
                scenario.title,
                scenario.organization.on,
                scenario.end,
                len(scenario.timeline),
                len(scenario.figures),
            )
        )
    return summaries


def check_empty(session: Session) -> None:
    """A replay needs a store without bodies: its codes would clash."""
    count = session.scalar(select(func.count()).select_from(Body)) or 0
    if count:
        raise Conflict(
            f"database: the store already holds {count} bodies; replay into an empty store"
        )


def replay_into_file(
    path: Path,
    loaded: Loaded,
    *,
    scale: Fraction,
    actor: Actor,
    seed: int | None = None,
    until: date | None = None,
    progress: Progress | None = None,
) -> tuple[Engine, ReplayRecord]:
    """Replay into a new SQLite file at `path` (any file there is replaced)."""
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with unit_of_work(engine) as session:
        record = replay(
            session, loaded, scale=scale, actor=actor, seed=seed, until=until, progress=progress
        )
    return engine, record


def replayed(session: Session, name: str) -> ReplayRecord | None:
    """The replay of scenario `name` this store holds, if any."""
    return last_replay(session, name)


def figures(
    session: Session, loaded: Loaded, actor: Actor
) -> tuple[ReplayRecord, list[FigureValue]] | None:
    """The scenario's figures measured in this store, if it holds a replay of it."""
    record = replayed(session, loaded.scenario.name)
    if record is None:
        return None
    _check_roots(session, loaded, actor)
    values = _cached(
        "figures",
        session,
        loaded,
        lambda: figures_.measure(session, loaded.scenario, record.scale, actor),
    )
    return record, values


def may_measure(session: Session, loaded: Loaded, actor: Actor) -> bool:
    """Whether the actor may read the census of the scenario's roots (its figures need it)."""
    roots = [bodies.get(session, code) for code in series_.roots_of(loaded.scenario)]
    return all(b is not None and access.may_read_body(session, actor, b.id) for b in roots)


def figure_table(session: Session, loaded: Loaded, actor: Actor) -> str | None:
    """The figure table as Markdown, if the store holds a replay of the scenario."""
    found = figures(session, loaded, actor)
    if found is None:
        return None
    record, values = found
    return figures_.markdown(values, scenario=loaded.scenario, scale=record.scale, seed=record.seed)


def series(session: Session, loaded: Loaded, actor: Actor) -> Series | None:
    """Membership and composition over time in this store, if it holds a replay."""
    record = replayed(session, loaded.scenario.name)
    if record is None:
        return None
    _check_roots(session, loaded, actor)
    return _cached(
        "series",
        session,
        loaded,
        lambda: series_.series(
            session, loaded.scenario, scale=record.scale, until=record.until, actor=actor
        ),
    )


def callups(session: Session, loaded: Loaded, actor: Actor) -> ChartSeries | None:
    """Decreed, sent and arrived by month over the scenario's call-ups, at full size, if
    the store holds a replay with any."""
    record = replayed(session, loaded.scenario.name)
    if record is None or not loaded.calls:
        return None
    report = fulfilment.fulfilment(session, by="month", actor=actor)
    return callup_series(report, record.scale)


def callup_series(report: fulfilment.Fulfilment, scale: Fraction) -> ChartSeries:
    """Every month from the first call-up to the last, empty months included, at full size;
    only January and July are labelled, so the axis stays legible."""
    found = {r.key: r for r in report.rows}
    months = _months(min(found), max(found)) if found else []
    empty = fulfilment.FulfilmentRow("", "", 0, 0, 0)
    rows = [found.get(m, empty) for m in months]
    series = tuple(
        (name, tuple(round(getattr(r, name) / scale) for r in rows))
        for name in ("decreed", "sent", "arrived")
    )
    labels = tuple(m if m.endswith(("-01", "-07")) else "" for m in months)
    return ChartSeries("Call-ups by month: decreed, sent and arrived", labels, series)


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _check_roots(session: Session, loaded: Loaded, actor: Actor) -> None:
    for code in series_.roots_of(loaded.scenario):
        bodies.view(session, code=code, actor=actor)


def _cached(kind: str, session: Session, loaded: Loaded, compute: Callable[[], T]) -> T:
    """`compute()`, remembered until the store's audit trail grows (any change adds a row)."""
    head = session.scalar(select(func.max(AuditEntry.id))) or 0
    key = (kind, str(session.get_bind().engine.url), loaded.digest, head)
    if key not in _CACHE:
        if len(_CACHE) >= 8:
            _CACHE.clear()
        _CACHE[key] = compute()
    value: T = _CACHE[key]
    return value
