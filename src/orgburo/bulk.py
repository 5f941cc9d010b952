"""Writing many rows at once: COPY on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


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
        session.execute(insert(table), batch.to_pylist())


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
