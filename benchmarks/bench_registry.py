"""Registry benchmarks: bulk import and census latency, against plain peers.

Run in one process:  python benchmarks/bench_registry.py [--members 1000000] [--bodies 400000]
                     [--backend postgresql|sqlite|both] [--repeat 20]

For each backend it generates an organization to a CSV file, then prints:
- import rows/s of `members import` against the store's raw bulk load of the same rows
  into a bare table (COPY on PostgreSQL, executemany on SQLite);
- census latency (median of --repeat runs) for the whole tree, a region and a district,
  today, on a recent past date and on a distant one, against a plain GROUP BY over the
  members table for the same date.
PostgreSQL: a database `orgburo_bench` (or ORGBURO_BENCH_DATABASE) is created (and dropped)
on ORGBURO_TEST_POSTGRES_URL. Census snapshots are built after the import (timed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Engine, create_engine, func, select, text

from orgburo.actors import SYSTEM
from orgburo.bodies import importer as bodies_importer
from orgburo.bodies.models import Body, BodyLink
from orgburo.census import service as census
from orgburo.census import snapshots
from orgburo.db import make_engine, unit_of_work
from orgburo.generate import service as generator
from orgburo.generate.shape import tree_shape
from orgburo.members import importer as members_importer
from orgburo.migrations import upgrade

DATABASE = os.environ.get("ORGBURO_BENCH_DATABASE", "orgburo_bench")
ADMIN_URL = os.environ.get(
    "ORGBURO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
RECENT = date(1923, 6, 1)  # the last half year of the generated history changed since
DISTANT = date(1920, 1, 1)  # most of it changed since
MID_MONTH = date(1921, 8, 19)  # as far from a census snapshot (the 15th, 22nd) as dates get
DATES = (("today", None), ("recent", RECENT), ("distant", DISTANT), ("mid-month", MID_MONTH))


def main() -> None:
    """Parse options and run the chosen backends."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--backend", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        members_csv, bodies_rows = write_organization(Path(folder), args.members, args.bodies)
        backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
        for backend in backends:
            engine = fresh_store(backend, Path(folder))
            try:
                run_backend(backend, engine, members_csv, bodies_rows, args.repeat)
            finally:
                engine.dispose()
                drop_store(backend)


def write_organization(
    folder: Path, members: int, bodies: int
) -> tuple[Path, list[dict[str, object]]]:
    """The generator's bodies as rows and its members as a CSV file."""
    import numpy as np

    rng = np.random.default_rng(1)
    shape = tree_shape(bodies, rng)
    rows: list[dict[str, object]] = [
        {
            "code": c,
            "name": c,
            "parent": shape.codes[p] if p >= 0 else None,
            "kind": k,
            "level": lvl,
            "zone": None,
            "opened": "1917-01-01",
        }
        for c, p, k, lvl in zip(shape.codes, shape.parents, shape.kinds, shape.levels, strict=True)
    ]
    cells = [shape.codes[i] for i in shape.cells]
    path = folder / "members.csv"
    mix = generator.read_mix()
    with pacsv.CSVWriter(path, schema=_schema()) as writer:
        for batch in generator._member_batches(members, cells, mix, rng, None):
            writer.write_batch(batch)
    return path, rows


def _schema() -> pa.Schema:
    names = [
        "id",
        "name",
        "body",
        "status",
        "joined",
        "birth_year",
        "social_situation",
        "occupation",
        "sex",
        "nationality",
        "industry",
        "komsomol",
        "red_army",
        "trade_union",
        "responsible_position",
        "party_schooling",
    ]
    return pa.schema([(n, pa.string()) for n in names])


def fresh_store(backend: str, folder: Path) -> Engine:
    """An empty, migrated store."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
    else:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
        admin.dispose()
        engine = make_engine(admin.url.set(database=DATABASE).render_as_string(hide_password=False))
    upgrade(engine)
    return engine


def drop_store(backend: str) -> None:
    """Remove the benchmark database."""
    if backend == "postgresql":
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        admin.dispose()


def run_backend(
    backend: str,
    engine: Engine,
    members_csv: Path,
    bodies_rows: list[dict[str, object]],
    repeat: int,
) -> None:
    """Import, then census timings, printed as a table."""
    print(f"\n== {backend} ==")
    with unit_of_work(engine) as session:
        bodies_importer.load(session, bodies_rows, actor=SYSTEM)
    rows = sum(1 for _ in members_csv.open()) - 1
    started = time.perf_counter()
    with unit_of_work(engine) as session:
        members_importer.import_file(session, members_csv, actor=SYSTEM)
    ours = time.perf_counter() - started
    raw = raw_bulk_load(backend, engine, members_csv)
    analyze(engine)
    print(
        f"import {rows:,} members: orgburo {rows / ours:,.0f} rows/s ({ours:.1f} s); "
        f"raw bulk load {rows / raw:,.0f} rows/s ({raw:.1f} s); orgburo/raw time {ours / raw:.2f}x"
    )
    started = time.perf_counter()
    with unit_of_work(engine) as session:
        written = snapshots.build(session)
    print(f"census snapshots: {written:,} rows in {time.perf_counter() - started:.1f} s")
    analyze(engine)
    print(f"{'subtree':<12}{'members':>10}{'date':>12}{'orgburo':>12}{'plain':>12}{'speed-up':>10}")
    for label, code in targets(engine):
        report(engine, label, code, repeat)


def raw_bulk_load(backend: str, engine: Engine, members_csv: Path) -> float:
    """Seconds to load the same file into a bare table with the store's own bulk path."""
    columns = ", ".join(f'"{n}" text' for n in _schema().names)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS raw_members"))
        connection.execute(text(f"CREATE TABLE raw_members ({columns})"))
    started = time.perf_counter()
    with engine.begin() as connection:
        if backend == "postgresql":
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with (
                members_csv.open("rb") as handle,
                cursor.copy("COPY raw_members FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            ):
                while block := handle.read(1 << 20):
                    copy.write(block)
        else:
            table = pacsv.read_csv(
                members_csv,
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(_schema().names, pa.string())
                ),
            )
            marks = ", ".join("?" for _ in _schema().names)
            raw_connection = connection.connection.driver_connection
            raw_connection.executemany(
                f"INSERT INTO raw_members VALUES ({marks})",  # type: ignore[union-attr]
                zip(*[c.to_pylist() for c in table.columns], strict=True),
            )
    elapsed = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE raw_members"))
    return elapsed


def analyze(engine: Engine) -> None:
    """Fresh planner statistics, as after any bulk load."""
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def targets(engine: Engine) -> list[tuple[str, str]]:
    """The root, its largest region and the largest district of that region."""
    with unit_of_work(engine) as session:
        root = session.scalar(select(Body.code).where(Body.parent_id.is_(None)))
        region = _largest_child(session, root)
        district = _largest_child(session, region)
    return [("whole tree", root), ("region", region), ("district", district)]


def _largest_child(session, code):  # type: ignore[no-untyped-def]
    parent = session.scalar(select(Body.id).where(Body.code == code))
    sizes = (
        select(Body.code, func.count(BodyLink.id).label("n"))
        .join(BodyLink, BodyLink.ancestor_id == Body.id)
        .where(Body.parent_id == parent, BodyLink.valid_to.is_(None))
        .group_by(Body.code)
        .order_by(func.count(BodyLink.id).desc())
        .limit(1)
    )
    return session.execute(sizes).first()[0]


def report(engine: Engine, label: str, code: str, repeat: int) -> None:
    """Census timings for a subtree: today, a recent, a distant and a mid-month past date."""
    with unit_of_work(engine) as session:
        total = census.census(session, body_code=code, by=["status"], actor=SYSTEM).total
        for name, at in DATES:
            runs = repeat if at is None else max(3, repeat // 4)
            ours = median(
                runs,
                lambda at=at: census.census(
                    session, body_code=code, by=["social_situation"], at=at, actor=SYSTEM
                ),
            )
            plain = median(max(3, repeat // 4), lambda at=at: plain_group_by(session, code, at))
            print(
                f"{label:<12}{total:>10,}{name:>12}{ours * 1000:>10.1f}ms{plain * 1000:>10.1f}ms"
                f"{plain / ours:>9.1f}x"
            )


def plain_group_by(session, code: str, at: date | None) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """The peer: GROUP BY over members joined to the subtree, no pre-aggregation."""
    spell = (
        "m.ended_on IS NULL"
        if at is None
        else "m.started_on <= :at AND (m.ended_on IS NULL OR m.ended_on > :at)"
    )
    sql = text(f"""
        SELECT p.social_situation, count(*) FROM memberships m
        JOIN persons p ON p.id = m.person_id
        JOIN body_links l ON l.descendant_id = m.body_id AND l.valid_to IS NULL
        JOIN bodies b ON b.id = l.ancestor_id AND b.code = :code
        WHERE {spell} GROUP BY p.social_situation""")
    return list(session.execute(sql, {"code": code, "at": at}))


def median(times: int, work: Callable[[], object]) -> float:
    """Median wall time of `work` over `times` runs, after one warm-up run."""
    work()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


if __name__ == "__main__":
    sys.exit(main())
