"""Writing many rows at once: COPY on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import (
    ARRAY,
    Column,
    ColumnElement,
    Constraint,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    Table,
    UniqueConstraint,
    any_,
    bindparam,
    cast,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex
from sqlalchemy.sql import Select


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Append `rows` (tuples in `columns` order) to `table` in this session's transaction."""
    if not rows:
        return
    if is_postgres(session):
        _copy_rows(session, table, columns, rows)
    else:
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def insert_arrow(session: Session, table: Table, batch: pa.RecordBatch) -> None:
    """Append an Arrow batch whose column names are `table`'s column names."""
    if batch.num_rows == 0:
        return
    if is_postgres(session):
        _copy_csv(session, table, batch)
    else:
        _executemany(session, table, batch.schema.names, zip(*_columns(batch), strict=True))


SQLITE_IN_LIST = 10_000
"""Values per IN list on SQLite, under its limit of 32,766 parameters a statement."""


def any_of(session: Session, column: Any, values: Sequence[Any]) -> Iterator[ColumnElement[bool]]:
    """Conditions that `column` is one of `values`, to run one query each.

    PostgreSQL takes the values as one array parameter (`= ANY(...)`), which uses the
    column's index whatever the count; SQLite gets IN lists of SQLITE_IN_LIST values.
    """
    if is_postgres(session):
        yield column == any_(bindparam("values", list(values), type_=ARRAY(column.type)))
        return
    for start in range(0, len(values), SQLITE_IN_LIST):
        yield column.in_(list(values[start : start + SQLITE_IN_LIST]))


def analyze(session: Session, *tables: Table) -> None:
    """On PostgreSQL, fresh planner statistics for tables just written in this transaction.

    Temporary tables are never analyzed automatically, and a table loaded in this
    transaction keeps its statistics of before: without them the planner takes millions
    of rows for a handful, or the reverse, and picks nested loops over millions.
    """
    if is_postgres(session):
        session.flush()  # rows the session still holds are part of what is analyzed
        for table in tables:
            session.execute(text(f'ANALYZE "{table.name}"'))


def estimated_rows(session: Session, table: Table) -> int | None:
    """The planner's estimate of a table's rows (PostgreSQL; None elsewhere or when the
    table was never analyzed): free to read, where counting millions takes seconds."""
    if not is_postgres(session):
        return None
    query = text("SELECT reltuples FROM pg_class WHERE oid = CAST(:name AS regclass)")
    found = session.scalar(query, {"name": table.name})
    return int(found) if found is not None and found >= 0 else None


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


def read_integers(
    session: Session, query: Select[*tuple[Any, ...]]
) -> dict[str, npt.NDArray[np.int64]]:
    """The rows of `query`, whose columns are all 32-bit integers and never NULL, as one
    int64 array per column (by label).

    On PostgreSQL the rows come by `COPY ... TO STDOUT` in the binary format, read by
    NumPy in one pass over the bytes, with no Python object per value. Measured on the
    scored pool of a call-up at a million members (889,967 rows, 7 columns): 1.5 to
    1.8 s, against 2.5 to 3.4 s fetched as tuples, most of either being the query.
    """
    names = [c.name for c in query.selected_columns]
    if not is_postgres(session):
        rows = session.execute(query).all()
        for i, name in enumerate(names):
            if any(row[i] is None for row in rows):
                raise _has_nulls(name)
        table = np.array(rows, dtype=np.int64).reshape(len(rows), len(names))
        return {name: table[:, i] for i, name in enumerate(names)}
    inner = query.subquery()
    fixed = select(*(cast(inner.c[name], Integer).label(name) for name in names))
    compiled = fixed.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    data = bytearray()
    with (
        _raw_cursor(session) as cursor,
        cursor.copy(f"COPY ({compiled}) TO STDOUT (FORMAT binary)", compiled.params) as copy,
    ):
        for block in copy:
            data += block
    return _binary_integers(data, names)


_BINARY_HEADER = 19  # signature (11 bytes), flags (4), extension length (4, always 0 here)
_BINARY_TRAILER = 2  # a field count of -1


def _binary_integers(data: bytearray, names: Sequence[str]) -> dict[str, npt.NDArray[np.int64]]:
    """Rows of int4 fields in COPY's binary format: per row a field count, then per
    field its length (4) and the value, all big-endian."""
    fields: list[tuple[str, str]] = [("count", ">i2")]
    for i in range(len(names)):
        fields += [(f"length{i}", ">i4"), (f"value{i}", ">i4")]
    body = memoryview(data)[_BINARY_HEADER : len(data) - _BINARY_TRAILER]
    row = np.dtype(fields)
    if len(body) % row.itemsize:  # a NULL has no value bytes: the rows are not all alike
        raise _has_nulls(names[_first_null(body, len(names))])
    rows = np.frombuffer(body, dtype=row)
    for i, name in enumerate(names):
        if (rows[f"length{i}"] != 4).any():
            raise _has_nulls(name)
    return {name: rows[f"value{i}"].astype(np.int64) for i, name in enumerate(names)}


def _first_null(body: memoryview, columns: int) -> int:
    """The column of the first NULL, walking the rows field by field."""
    at = 0
    while at < len(body):
        at += 2
        for column in range(columns):
            length = int.from_bytes(body[at : at + 4], "big", signed=True)
            if length < 0:
                return column
            at += 4 + length
    raise ValueError("no NULL found")


def _has_nulls(name: str) -> ValueError:
    return ValueError(f"column {name!r} has NULLs: only integers can be read as arrays")


def is_postgres(session: Session) -> bool:
    """Whether the session's store is PostgreSQL (bulk paths and planner hints differ)."""
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
def indexes_rebuilt(
    session: Session,
    tables: Sequence[Table],
    keep: Sequence[str] = (),
    primary_keys: bool = False,
    checked_with: Mapping[str, str] | None = None,
) -> Iterator[None]:
    """On PostgreSQL, drop the tables' secondary indexes and constraints, rebuild them after.

    A large load into an indexed table pays a per-row index insertion and foreign-key
    trigger; building the index afterwards by one sort and checking each foreign key by
    one join is several times faster (measured: 200k memberships 2.4 s with, 0.4 s + 0.25 s
    rebuild without). PostgreSQL DDL is transactional, so a failed load restores them.
    The tables are locked against other writers and readers until the transaction ends.
    Indexes and constraints named in `keep` stay (a load that looks rows up as it goes).
    With `primary_keys`, a primary key no foreign key refers to goes too: one more index
    kept up row by row (measured: half the time of a COPY into memberships), for a load
    that neither upserts nor looks rows up by it. `checked_with`: planner settings for
    the statements that check the foreign keys again.
    """
    if not is_postgres(session):
        yield
        return
    dropped = [
        c for t in tables for c in _secondary_constraints(t, primary_keys) if c.name not in keep
    ]
    indexes = [
        i
        for t in tables
        for i in sorted(t.indexes, key=lambda i: str(i.name))
        if i.name not in keep
    ]
    for constraint in dropped:
        session.execute(DropConstraint(constraint))
    for index in indexes:
        session.execute(DropIndex(index))
    yield
    # Each index is one sort, several times faster in memory than spilled to disk.
    with settings(session, maintenance_work_mem=REBUILD_MEMORY, **(checked_with or {})):
        for index in indexes:
            session.execute(CreateIndex(index))
        for constraint in dropped:
            session.execute(AddConstraint(constraint))


@contextmanager
def settings(session: Session, **values: str) -> Iterator[None]:
    """On PostgreSQL, planner and memory settings for the block, restored after it.

    They are set for the transaction only (`set_config(..., true)`): a failed block,
    rolled back, takes them with it.
    """
    if not is_postgres(session):
        yield
        return
    before = {n: session.scalar(text("SELECT current_setting(:n)"), {"n": n}) for n in values}
    for_transaction(session, **values)
    yield
    for_transaction(session, **before)


@contextmanager
def temporary_table(session: Session, name: str, *columns: Column[Any]) -> Iterator[Table]:
    """A temporary table on the session's connection for the block, dropped after it.

    Not dropped when the block fails: the rollback that follows takes it away (a DROP
    in a failed PostgreSQL transaction would only raise again, hiding the first error).
    """
    table = Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])
    table.create(session.connection())
    yield table
    table.drop(session.connection())


def for_transaction(session: Session, **values: str) -> None:
    """On PostgreSQL, settings for the rest of the transaction (`SET LOCAL`)."""
    if not is_postgres(session):
        return
    for name, value in values.items():
        session.execute(text("SELECT set_config(:n, :v, true)"), {"n": name, "v": value})


LOAD_SETTINGS = {"jit": "off", "work_mem": "256MB"}
"""For the statements of a bulk load: JIT compiles each large statement for seconds it
never earns back (measured: a 4 s roll-up took 9 s with it), and grouping or hashing
millions of rows in 256 MB stays in memory instead of spilling to disk in batches."""


def _secondary_constraints(table: Table, primary_key: bool) -> list[Constraint]:
    wanted = (ForeignKeyConstraint, UniqueConstraint)
    found = sorted(
        (c for c in table.constraints if isinstance(c, wanted)), key=lambda c: str(c.name)
    )
    primary = table.primary_key
    return found + ([primary] if primary_key and not _referenced(table) else [])


def _referenced(table: Table) -> bool:
    import orgburo.models  # noqa: F401  (every table, so that every foreign key is seen)

    return any(
        fk.column.table is table for t in table.metadata.tables.values() for fk in t.foreign_keys
    )


REBUILD_MEMORY = "512MB"
BULK_THRESHOLD = 50_000
REBUILD_SHARE = 4
"""Rebuild when the load adds at least a quarter of what the tables hold. Measured on
PostgreSQL: a row inserted under indexes and foreign keys costs about 10 us more than a
bare one, and a rebuild about 1.25 us per row held, so a rebuild pays off up to about
seven rows held per row added; a quarter keeps a margin."""


def is_large(new: int, existing: int) -> bool:
    """Whether a load of `new` rows into tables holding `existing` rebuilds their indexes:
    at least BULK_THRESHOLD rows, and a quarter of `existing`. The one rule every bulk
    path uses."""
    return new >= BULK_THRESHOLD and new * REBUILD_SHARE >= existing


def rebuilt_if_large(
    session: Session,
    tables: Sequence[Table],
    new: int,
    existing: int,
    keep: Sequence[str] = (),
    primary_keys: bool = False,
) -> AbstractContextManager[None]:
    """`indexes_rebuilt` around a load of `new` rows into tables holding `existing` when the
    load `is_large`; otherwise nothing."""
    if is_large(new, existing):
        return indexes_rebuilt(session, list(tables), keep, primary_keys)
    return nullcontext()
