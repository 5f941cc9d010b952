"""Enrollment benchmark: 350,000 applications taken through to decisions on PostgreSQL.

Run:  python benchmarks/bench_enrollment.py [--applications 350000] [--members 446089]
                                            [--bodies 20000] [--admitted 241600]

A database `orgburo_bench_enrollment` is created (and dropped) on ORGBURO_TEST_POSTGRES_URL.
Set-up, not timed: a generated organization of --members members (joined 1917-1923) in
--bodies bodies, and a campaign of its root for 15 Feb-15 May 1924 with an eligibility
rule, three groups (a target, a ceiling and a priority) and two recommenders of a year's
standing required. Then two files are written: the applications (85% with two
recommenders from their own cell, the rest without) and the meeting outcomes (a
workers' general meeting supporting each applicant without recommendations, then each
applicant decided at the weekly open meeting of their cell, with a quorum).

Timed: `import_applications` and `import_outcomes`, each in its own transaction, as
`orgburo enrollment import-applications` / `import-outcomes` run them (every check,
recommenders' standing, quorum, ceilings, and admissions through the registry's bulk
path), then the campaign's figures and the census before and after. The target is
under 60 s for the two imports together.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Engine, create_engine, select, text

from orgburo.actors import SYSTEM
from orgburo.bodies.models import Body
from orgburo.db import make_engine, unit_of_work
from orgburo.enrollment import campaigns, figures, importer, outcomes
from orgburo.enrollment.campaigns import CampaignSpec, GroupSpec
from orgburo.generate import service as generator
from orgburo.members.models import Membership, Person
from orgburo.migrations import upgrade

ADMIN_URL = os.environ.get(
    "ORGBURO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DATABASE = "orgburo_bench_enrollment"
OPENS, CLOSES = date(1924, 2, 15), date(1924, 5, 15)
STANDING = date(1923, 2, 15)  # joined by then: a year's standing on the opening day
PEASANT_SHARE = 0.08
CEILING = 20_000


def main() -> None:
    """Parse options, set up, time the two imports and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=350_000)
    parser.add_argument("--members", type=int, default=446_089)
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--admitted", type=int, default=241_600)
    args = parser.parse_args()
    engine = fresh_store()
    try:
        with tempfile.TemporaryDirectory() as folder:
            run(engine, Path(folder), args)
    finally:
        engine.dispose()
        drop_store()


def run(engine: Engine, folder: Path, args: argparse.Namespace) -> None:
    """Set up, then the timed imports, then figures."""
    seconds = timed(lambda: organization(engine, args.members, args.bodies))
    print(
        f"set-up: {args.members:,} members in {args.bodies:,} bodies generated in {seconds:.1f} s"
    )
    cells = cell_rolls(engine)
    apps, outs = write_files(folder, cells, args.applications, args.admitted)
    print(f"files: {args.applications:,} applications, {outs:,} outcome rows")
    took_apps = timed(lambda: import_file(engine, importer.import_applications, apps))
    took_outs = timed(
        lambda: import_file(engine, outcomes.import_outcomes, folder / "outcomes.csv")
    )
    total = took_apps + took_outs
    print(f"import applications: {took_apps:6.1f} s  ({args.applications / took_apps:,.0f} rows/s)")
    print(f"import outcomes:     {took_outs:6.1f} s  ({outs / took_outs:,.0f} rows/s)")
    verdict = "within" if total < 60 else "over"
    print(f"applications through to decisions: {total:.1f} s, {verdict} the 60 s target")
    report(engine)


def timed(work: Callable[[], object]) -> float:
    """Wall seconds of `work`."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def fresh_store() -> Engine:
    """An empty, migrated PostgreSQL database of our own."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    engine = make_engine(admin.url.set(database=DATABASE).render_as_string(hide_password=False))
    upgrade(engine)
    return engine


def drop_store() -> None:
    """Remove the benchmark database."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
    admin.dispose()


def organization(engine: Engine, members: int, bodies: int) -> None:
    """A generated organization and the campaign of its root."""
    with unit_of_work(engine) as session:
        generator.generate(session, members=members, bodies=bodies, seed=1, actor=SYSTEM)
        root = session.scalar(select(Body.code).where(Body.parent_id.is_(None)))
        spec = CampaignSpec(
            code="BENCH",
            name="Benchmark enrollment",
            body_code=root or "ROOT",
            opens_on=OPENS,
            closes_on=CLOSES,
            eligibility='(occupation == "worker" and age >= 16) or social_situation == "peasant"',
            groups=(
                GroupSpec("workers", 'occupation == "worker"', target=100_000),
                GroupSpec(
                    "peasants", 'social_situation == "peasant"', target=CEILING, ceiling=True
                ),
                GroupSpec("youth league", "komsomol", priority=True),
            ),
        )
        campaigns.create(session, spec=spec, actor=SYSTEM)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def cell_rolls(engine: Engine) -> dict[str, Any]:
    """Leaf bodies with their full members and those of a year's standing, as arrays."""
    with unit_of_work(engine) as session:
        rows = session.execute(
            select(Body.code, Person.external_id, Membership.started_on <= STANDING)
            .join(Membership, Membership.body_id == Body.id)
            .join(Person, Person.id == Membership.person_id)
            .where(~Body.has_children, Membership.status == "full", Membership.ended_on.is_(None))
            .order_by(Body.code)
        ).all()
    table = pa.table(
        {
            "cell": [r[0] for r in rows],
            "member": [r[1] for r in rows],
            "senior": [bool(r[2]) for r in rows],
        }
    )
    return {"table": table}


def write_files(
    folder: Path, cells: dict[str, Any], applications: int, admitted: int
) -> tuple[Path, int]:
    """The applications and outcomes files; returns the first path and outcome rows."""
    rng = np.random.default_rng(7)
    roll = cells["table"]
    codes, on_roll = np.unique(
        np.asarray(roll["cell"].to_pylist(), dtype=object), return_counts=True
    )
    seniors = roll.filter(roll["senior"])
    senior_cells = np.asarray(seniors["cell"].to_pylist(), dtype=object)
    senior_ids = np.asarray(seniors["member"].to_pylist(), dtype=object)
    start = np.searchsorted(senior_cells, codes)
    count = np.searchsorted(senior_cells, codes, side="right") - start
    cell = rng.choice(len(codes), size=applications, p=on_roll / on_roll.sum())
    days = rng.integers(0, (CLOSES - OPENS).days - 8, applications)
    received = np.datetime64(OPENS) + days.astype("timedelta64[D]")
    recommended = (count[cell] >= 2) & (rng.random(applications) < 0.85)
    peasant = rng.random(applications) < PEASANT_SHARE
    refs = np.char.add("A", np.arange(1, applications + 1).astype(str))
    apps = applications_table(rng, refs, codes[cell], received, peasant)
    pair = recommenders(rng, start[cell], count[cell], senior_ids, recommended)
    apps = apps.append_column("recommenders", pa.array(pair))
    pacsv.write_csv(apps, folder / "applications.csv")
    carried = admissions(rng, peasant, admitted)
    outs = outcomes_table(rng, refs, cell, on_roll, received, recommended, carried)
    pacsv.write_csv(outs, folder / "outcomes.csv")
    return folder / "applications.csv", outs.num_rows


def recommenders(
    rng: np.random.Generator,
    start: np.ndarray,
    count: np.ndarray,
    ids: np.ndarray,
    wanted: np.ndarray,
) -> np.ndarray:
    """Two different members of a year's standing from each applicant's own cell."""
    size = np.maximum(count, 2)
    first = (rng.random(len(start)) * size).astype(int)
    second = (first + 1 + (rng.random(len(start)) * (size - 1)).astype(int)) % size
    last = max(len(ids) - 1, 0)
    one = ids[np.minimum(start + first, last)].astype(str)
    other = ids[np.minimum(start + second, last)].astype(str)
    return np.where(wanted, np.char.add(np.char.add(one, ";"), other), "")


def applications_table(
    rng: np.random.Generator,
    refs: np.ndarray,
    cells: np.ndarray,
    received: np.ndarray,
    peasant: np.ndarray,
) -> pa.Table:
    """Identity and attributes of each applicant; names are unique."""
    n = len(refs)
    given = np.array(["Ivan", "Pyotr", "Nikolai", "Anna", "Maria", "Sergei", "Fyodor", "Olga"])
    family = np.array(["Ivanov", "Petrov", "Sidorov", "Smirnov", "Kuznetsov", "Popov"])
    names = np.char.add(
        np.char.add(given[rng.integers(0, len(given), n)], " "),
        family[rng.integers(0, len(family), n)],
    )
    return pa.table(
        {
            "ref": refs,
            "name": np.char.add(np.char.add(names, " "), refs),
            "body": cells.astype(str),
            "received": received.astype(str),
            "occupation": np.where(peasant, "peasant", "worker"),
            "social_situation": np.where(peasant, "peasant", "worker"),
            "sex": np.where(rng.random(n) < 0.85, "male", "female"),
            "birth_year": rng.integers(1880, 1906, n).astype(str),
            "nationality": np.where(rng.random(n) < 0.7, "A", "B"),
            "industry": rng.choice(["metal", "textile", "mining", "transport"], n),
            "komsomol": np.where(rng.random(n) < 0.1, "true", "false"),
            "red_army": np.where(rng.random(n) < 0.5, "true", "false"),
            "trade_union": np.where(rng.random(n) < 0.7, "true", "false"),
        }
    )


def admissions(rng: np.random.Generator, peasant: np.ndarray, admitted: int) -> np.ndarray:
    """Who is admitted: `admitted` in all, peasants below their ceiling."""
    order = rng.permutation(len(peasant))
    carried = np.zeros(len(peasant), dtype=bool)
    peasants_in = np.cumsum(peasant[order]) <= CEILING - 1
    chosen = order[(~peasant[order]) | peasants_in][:admitted]
    carried[chosen] = True
    return carried


def outcomes_table(
    rng: np.random.Generator,
    refs: np.ndarray,
    cell: np.ndarray,
    on_roll: np.ndarray,
    received: np.ndarray,
    recommended: np.ndarray,
    carried: np.ndarray,
) -> pa.Table:
    """Workers' meetings for those without recommenders, then each cell's weekly meeting."""
    day = (received - np.datetime64(OPENS)).astype(int)
    weekday = cell % 7
    held_day = day + 1 + (weekday - day - 1) % 7
    roll = on_roll[cell]
    quorum = roll // 2 + 1
    present = quorum + (cell * 31 + held_day * 17) % (roll - quorum + 1)
    against = np.where(carried, present // 4, present - present // 4)
    open_rows = pa.table(
        {
            "ref": refs,
            "held": (np.datetime64(OPENS) + held_day.astype("timedelta64[D]")).astype(str),
            "present": present.astype(str),
            "for": (present - against).astype(str),
            "against": against.astype(str),
            "abstained": np.zeros(len(refs), dtype=int).astype(str),
            "kind": np.full(len(refs), "open_meeting"),
            "non_party": np.full(len(refs), "0"),
            "reason": np.where(
                carried,
                "",
                rng.choice(
                    ["not from the bench", "did not attend", "the meeting voted against"], len(refs)
                ),
            ),
        }
    )
    w = ~recommended
    w_present = 1 + (cell[w] + day[w]) % 5
    non_party = 20 + (cell[w] * 7 + day[w]) % 100
    workers_rows = pa.table(
        {
            "ref": refs[w],
            "held": received[w].astype(str),
            "present": w_present.astype(str),
            "for": (w_present + non_party - 2).astype(str),
            "against": np.full(int(w.sum()), "2"),
            "abstained": np.full(int(w.sum()), "0"),
            "kind": np.full(int(w.sum()), "workers_meeting"),
            "non_party": non_party.astype(str),
            "reason": np.full(int(w.sum()), ""),
        }
    )
    return pa.concat_tables([workers_rows, open_rows])


def import_file(engine: Engine, load: Callable[..., Any], path: Path) -> None:
    """One import, in its own transaction, as the command runs it."""
    with unit_of_work(engine) as session:
        result = load(session, campaign_code="BENCH", path=path, actor=SYSTEM, batch_rows=100_000)
    print(f"  {path.name}: {vars(result)}")


def report(engine: Engine) -> None:
    """Figures and the census before and after, with their timings."""
    with unit_of_work(engine) as session:
        started = time.perf_counter()
        found = figures.figures(session, campaign_code="BENCH", actor=SYSTEM)
        took = time.perf_counter() - started
        started = time.perf_counter()
        change = figures.composition(session, campaign_code="BENCH", actor=SYSTEM)
        took_census = time.perf_counter() - started
    print(f"figures in {took * 1000:.0f} ms: {found.counts}; refusals {dict(found.refusals)}")
    for g in found.groups:
        target = f" of {g.target:,} ({float(g.progress or 0):.1%})" if g.target else ""
        print(f"  {g.name}: {g.admitted:,} admitted{target}")
    share = {c.values[0]: (float(c.share_before), float(c.share_after)) for c in change.cells}
    worker = share.get("worker", (0.0, 0.0))
    print(
        f"census before/after in {took_census * 1000:.0f} ms: {change.before.total:,} -> "
        f"{change.after.total:,} members; workers {worker[0]:.1%} -> {worker[1]:.1%}"
    )


if __name__ == "__main__":
    sys.exit(main())
