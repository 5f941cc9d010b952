"""Vectorized checks of enrollment files, and the SQL pieces their bulk paths share.

Each check turns a text column into typed values and reports every bad cell with its
row, column and reason, as the registry's own checks (`members.checks`) do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    case,
    cast,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from orgburo.core.attributes import BOOLEAN, INTEGER, Attribute
from orgburo.errors import Invalid, Problem
from orgburo.members.checks import BatchCheck

SQL_TYPES = {BOOLEAN: Boolean, INTEGER: BigInteger}


def check_header(columns: Sequence[str], required: Sequence[str], optional: Sequence[str]) -> None:
    """Every required column is there, none is repeated, and every other one is known."""
    problems = [Problem(c, "required column is missing") for c in required if c not in columns]
    problems += [
        Problem(c, "is not a known column or attribute; declare it with `orgburo attributes add`")
        for c in columns
        if c not in required and c not in optional
    ]
    repeated = sorted({c for c in columns if list(columns).count(c) > 1})
    problems += [Problem(c, "appears more than once in the header") for c in repeated]
    if problems:
        raise Invalid(problems)


def dates(check: BatchCheck, name: str, today: date) -> pa.Array:
    """A required ISO date column (no 30 February), not in the future."""
    values = check.text(name)
    shaped = pc.match_substring_regex(values, r"^\d{4}-\d{2}-\d{2}$")
    stamps = pc.strptime(
        pc.if_else(shaped, values, None), format="%Y-%m-%d", unit="s", error_is_null=True
    )
    exists = pc.fill_null(pc.equal(pc.strftime(stamps, format="%Y-%m-%d"), values), False)
    check.fail(pc.is_null(values), name, lambda _: "must not be empty", values)
    check.fail(
        pc.and_(pc.is_valid(values), pc.invert(exists)),
        name,
        lambda v: f"{v!r} is not a date in the form YYYY-MM-DD",
        values,
    )
    parsed = pc.if_else(exists, pc.cast(stamps, pa.date32()), pa.scalar(None, pa.date32()))
    check.fail(
        pc.greater(parsed, pa.scalar(today, pa.date32())),
        name,
        lambda v: f"{v} is in the future (today is {today.isoformat()})",
        values,
    )
    return parsed


def within(check: BatchCheck, name: str, values: pa.Array, first: date, last: date) -> None:
    """Dates between `first` and `last`, both included."""
    outside = pc.or_(
        pc.less(values, pa.scalar(first, pa.date32())),
        pc.greater(values, pa.scalar(last, pa.date32())),
    )
    check.fail(
        outside, name, lambda v: f"{v} is outside the campaign period {first} to {last}", values
    )


def counts(check: BatchCheck, name: str, required: bool = True) -> pa.Array:
    """A column of whole numbers from 0; an empty optional cell counts 0."""
    values = check.text(name) if name in check.batch.schema.names else _empty(check)
    if required:
        check.fail(pc.is_null(values), name, lambda _: "must not be empty", values)
    shaped = pc.match_substring_regex(values, r"^\d{1,9}$")
    check.fail(
        pc.and_(pc.is_valid(values), pc.invert(shaped)),
        name,
        lambda v: f"{v!r} is not a whole number from 0",
        values,
    )
    return pc.fill_null(pc.cast(pc.if_else(shaped, values, None), pa.int64()), 0)


def choice(check: BatchCheck, name: str, allowed: Sequence[str], default: str) -> pa.Array:
    """One of `allowed`; an empty cell (or a missing column) means `default`."""
    values = check.text(name) if name in check.batch.schema.names else _empty(check)
    wrong = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, pa.array(list(allowed)))))
    check.fail(wrong, name, lambda v: f"{v!r} is not one of {', '.join(allowed)}", values)
    return pc.fill_null(values, default)


def optional(check: BatchCheck, name: str, limit: int = 300) -> pa.Array:
    """Free text, possibly empty or missing, at most `limit` characters."""
    if name not in check.batch.schema.names:
        return _empty(check)
    values = check.text(name)
    check.fail(
        pc.greater(pc.utf8_length(values), limit),
        name,
        lambda v: f"is longer than {limit} characters",
        values,
    )
    return values


def _empty(check: BatchCheck) -> pa.Array:
    return pa.nulls(check.batch.num_rows, pa.string())


# SQL shared by the bulk paths ---------------------------------------------------------


def temporary(session: Session, name: str, columns: list[Column[Any]]) -> Table:
    """A temporary table on the session's connection, dropped with it."""
    table = Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])
    table.create(session.connection())
    return table


def attribute_columns(attributes: Sequence[Attribute]) -> list[Column[Any]]:
    """Typed staging columns for attributes, named `attr_<name>`."""
    return [Column(f"attr_{a.name}", SQL_TYPES.get(a.type, String)()) for a in attributes]


def json_of(session: Session, table: Table, attributes: Sequence[Attribute]) -> Any:
    """SQL building each row's attributes as a JSON object without its empty values."""
    if session.get_bind().dialect.name == "postgresql":
        return _postgres_json(table, attributes)
    pairs: list[Any] = []
    for a in attributes:
        column = table.c[f"attr_{a.name}"]
        value = (
            case((column, func.json("true")), (~column, func.json("false")))
            if a.type == BOOLEAN
            else column
        )
        pairs += [literal_column(f"'{a.name}'"), value]
    return func.json_patch("{}", func.json_object(*pairs))


def _postgres_json(table: Table, attributes: Sequence[Attribute]) -> Any:
    parts = []
    for start in range(0, max(len(attributes), 1), 40):
        chunk = attributes[start : start + 40]
        pairs: list[Any] = []
        for a in chunk:
            pairs += [literal_column(f"'{a.name}'"), table.c[f"attr_{a.name}"]]
        parts.append(func.jsonb_build_object(*pairs))
    joined: Any = parts[0]
    for part in parts[1:]:
        joined = joined.op("||")(part)
    return func.jsonb_strip_nulls(joined)


def reserve_ids(session: Session, table: Table) -> int:
    """The largest id in `table`; on PostgreSQL no other writer can take ids until commit."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f'LOCK TABLE "{table.name}" IN SHARE ROW EXCLUSIVE MODE'))
    return session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0


def advance_sequence(session: Session, table: Table) -> None:
    """On PostgreSQL, move the id sequence past ids written directly."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table.name}"), false)'
            )
        )


@contextmanager
def hash_joins(session: Session) -> Iterator[None]:
    """On PostgreSQL, no nested-loop joins while a bulk path runs, then as before.

    A bulk path joins a staging table of up to millions of rows with the store. When the
    planner underestimates a join (a temporary table, an outer join tested for null) it
    picks a nested loop, which at this size takes minutes instead of a second; hash and
    merge joins cost at most a scan of each side.
    """
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    before = session.scalar(text("SELECT current_setting('enable_nestloop')"))
    session.execute(text("SET LOCAL enable_nestloop = off"))
    yield  # on an error the transaction is rolled back, and the setting with it
    session.execute(text(f"SET LOCAL enable_nestloop = {'on' if before == 'on' else 'off'}"))


def analyze(session: Session, *tables: Table) -> None:
    """On PostgreSQL, fresh planner statistics for tables just loaded.

    Temporary tables are never analyzed automatically, and a table loaded in this
    transaction still has the statistics of before: without this the planner takes
    thousands of rows for a handful and loops over them.
    """
    if session.get_bind().dialect.name == "postgresql":
        for table in tables:
            session.execute(text(f'ANALYZE "{table.name}"'))


def months_between(start: Any, end: Any) -> Any:
    """SQL for `core.enrollment.whole_months(start, end)` (without the floor at 0)."""
    year, month, day = (
        func.extract(p, end) - func.extract(p, start) for p in ("year", "month", "day")
    )
    return cast(year * 12 + month - case((day < 0, 1), else_=0), Integer)
