"""Helping PostgreSQL plan the set-based statements of a large call-up.

Tables written a moment ago (a decree's quota rows, its first proposals) have no
statistics yet, and the planner then takes them for nearly empty and may join them by
nested loops, which at a million rows cost minutes. They are analyzed before they are
read again; sorts for the rankings get the memory to stay off disk, and JIT compilation
is turned off. SQLite needs none of it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import ForeignKeyConstraint, Table, UniqueConstraint, func, select
from sqlalchemy.orm import Session

from orgburo import bulk


def large_statements(session: Session) -> None:
    """Roomy sorts, and no JIT compilation, for this transaction (PostgreSQL).

    JIT compiles each large statement for a second or more that a statement reading a
    million rows never earns back: its expressions are simple CASEs over plain columns.
    """
    bulk.for_transaction(session, **bulk.LOAD_SETTINGS)


@contextmanager
def keys_checked_after(
    session: Session,
    table: Table,
    new: int,
    columns: Sequence[str] | None = None,
    indexes: bool = False,
) -> Iterator[None]:
    """Around writing about `new` rows to `table`: when that is many (KEYS_CHECKED_AFTER)
    and a quarter of what it holds, its foreign keys are dropped and checked again after,
    by one join each, instead of by a trigger per row (PostgreSQL). An UPDATE names the
    `columns` it writes: the keys on other columns fire no trigger and stay. With
    `indexes`, for writes that do not read the table as they go, its secondary indexes
    are built again after too (measured at 20 million members: 1.3 million entries took
    12 s to insert with their four indexes kept up row by row).

    Measured at a million members: the five foreign keys of 65,000 entries cost 5 to 7 s
    of row triggers (20 to 35 us a check, each locking the row it finds), more than the
    rest of the selection; the three of 40,000 quota rows 0.7 to 0.9 s of a 1.2 s
    insert. Checked after, by one join each: 0.4 s, nearly all for persons. The table is
    analyzed before the checks: with the statistics of before the writes (a column all
    NULL) the planner took a nested loop that compared every entry with every role line.
    The checks are planned with the cost of a random read near a sequential one
    (PROBED_KEYS): otherwise the planner hashes the whole referred table, all 20 million
    persons for 1.3 million entries (8.4 s), rather than probe its primary key for each
    entry (5.0 s); small tables are still hashed. The table is locked until the
    transaction ends, and the tables it refers to against writers, as in any bulk load.
    """
    if new < KEYS_CHECKED_AFTER:
        yield
        return
    existing = session.scalar(select(func.count()).select_from(table)) or 0
    if new * bulk.REBUILD_SHARE < existing:
        yield
        return
    kept: list[str] = []
    if not indexes:
        kept += [str(i.name) for i in table.indexes]
        kept += [str(c.name) for c in table.constraints if isinstance(c, UniqueConstraint)]
    if columns is not None:
        kept += [
            str(c.name)
            for c in table.constraints
            if isinstance(c, ForeignKeyConstraint) and not set(c.column_keys) & set(columns)
        ]
    with bulk.indexes_rebuilt(session, [table], keep=kept, checked_with=PROBED_KEYS):
        yield
        bulk.analyze(session, table)


PROBED_KEYS = {"random_page_cost": "1.1"}
"""The referred tables' primary keys are read often and stay in memory."""

KEYS_CHECKED_AFTER = 10_000
"""Rows written from which foreign keys are checked after rather than row by row: lower
than `bulk.BULK_THRESHOLD`, which weighs index rebuilds; checking a key again is one
join (measured: under 50 ms for 40,000 quota rows, against 0.7 s or more of triggers)."""
