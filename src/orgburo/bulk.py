"""Writing many rows at once: COPY on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Constraint, ForeignKeyConstraint, Table, UniqueConstraint, insert
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Append `rows` (tuples in `columns` order) to `table` in this session's transaction."""
    if not rows:
        return
    if _is_postgres(session):
        _copy_rows(session, table, columns, rows)
    else:
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def insert_arrow(session: Session, table: Table, batch: pa.RecordBatch) -> None:
    """Append an Arrow batch whose column names are `table`'s column names."""
    if batch.num_rows == 0:
        return
    if _is_postgres(session):
        _copy_csv(session, table, batch)
    else:
        _executemany(session, table, batch.schema.names, zip(*_columns(batch), strict=True))


def _columns(batch: pa.RecordBatch) -> list[list[Any]]:
    # SQLite stores dates as ISO text, which is what a date cast to text gives.
    return [
        (column.cast(pa.string()) if pa.types.is_date(column.type) else column).to_pylist()
        for column in batch.columns
    ]


def _executemany(session: Session, table: Table, names: Sequence[str], rows: Any) -> None:
    """The driver's own executemany: a plain tuple per row, no per-row dictionaries."""
    marks = ", ".join("?" for _ in names)
    columns = ", ".join(f'"{n}"' for n in names)
    cursor = _raw_cursor(session)
    try:
        cursor.executemany(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', rows)
    finally:
        cursor.close()


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _raw_cursor(session: Session) -> Any:
    return session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


def _copy_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    with (
        _raw_cursor(session) as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _copy_csv(session: Session, table: Table, batch: pa.RecordBatch) -> None:
    # Arrow writes CSV in C++ and PostgreSQL parses it in C: the fastest path we have.
    buffer = io.BytesIO()
    pacsv.write_csv(batch, buffer, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    names = ", ".join(f'"{c}"' for c in batch.schema.names)
    with (
        _raw_cursor(session) as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN WITH (FORMAT csv)') as copy,
    ):
        copy.write(buffer.getbuffer())


@contextmanager
def indexes_rebuilt(session: Session, tables: Sequence[Table]) -> Iterator[None]:
    """On PostgreSQL, drop the tables' secondary indexes and constraints, rebuild them after.

    A large load into an indexed table pays a per-row index insertion and foreign-key
    trigger; building the index afterwards by one sort and checking each foreign key by
    one join is several times faster (measured: 200k memberships 2.4 s with, 0.4 s + 0.25 s
    rebuild without). PostgreSQL DDL is transactional, so a failed load restores them.
    The tables are locked against other writers and readers until the transaction ends.
    """
    if not _is_postgres(session):
        yield
        return
    dropped = [(t, c) for t in tables for c in _secondary_constraints(t)]
    indexes = [i for t in tables for i in sorted(t.indexes, key=lambda i: str(i.name))]
    for _, constraint in dropped:
        session.execute(DropConstraint(constraint))
    for index in indexes:
        session.execute(DropIndex(index))
    yield
    for index in indexes:
        session.execute(CreateIndex(index))
    for _, constraint in dropped:
        session.execute(AddConstraint(constraint))


def _secondary_constraints(table: Table) -> list[Constraint]:
    wanted = (ForeignKeyConstraint, UniqueConstraint)
    return sorted(
        (c for c in table.constraints if isinstance(c, wanted)), key=lambda c: str(c.name)
    )


BULK_THRESHOLD = 50_000
REBUILD_SHARE = 4
"""Rebuild when the load adds at least a quarter of what the tables hold. Measured on
PostgreSQL: a row inserted under indexes and foreign keys costs about 10 us more than a
bare one, and a rebuild about 1.25 us per row held, so a rebuild pays off up to about
seven rows held per row added; a quarter keeps a margin."""


def rebuilt_if_large(
    session: Session, tables: Sequence[Table], new: int, existing: int
) -> AbstractContextManager[None]:
    """`indexes_rebuilt` around a load of `new` rows into tables holding `existing` when the
    load is large (at least BULK_THRESHOLD rows, and a quarter of `existing`); otherwise
    nothing. The one rule every bulk path uses."""
    if new >= BULK_THRESHOLD and new * REBUILD_SHARE >= existing:
        return indexes_rebuilt(session, list(tables))
    return nullcontext()
