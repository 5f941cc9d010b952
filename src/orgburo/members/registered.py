"""Which rows of an import name people already registered, and whether they agree.

A batch's ids are looked up in one indexed query; the people found come back with what
an import could have set (name, core attributes, body and status of the open spell,
date first joined) and are compared with their rows in Arrow. The same data: the row
is skipped, so a re-import changes nothing. Other data: the row is reported, since
changes go through `orgburo members update`. An id found among the persons this very
import created (ids above its base) is an id repeated in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo.bodies.models import Body
from orgburo.bulk import any_of
from orgburo.core.attributes import CORE_ATTRIBUTES
from orgburo.errors import Problem
from orgburo.members.checks import BatchCheck
from orgburo.members.models import Membership, Person

COMPARED = ["name", *CORE_ATTRIBUTES, "body", "status", "joined"]
"""What an import sets, in the order a difference is reported."""
_BATCH_NAMES = {"body": "body_code"}


@dataclass(frozen=True)
class Known:
    """Registered people named by a batch: `position` in the batch, `id` and their data."""

    table: pa.Table

    def found_mask(self, rows: int) -> np.ndarray:
        """Rows of the batch whose id is registered."""
        mask = np.zeros(rows, dtype=bool)
        mask[self.table.column("position").to_numpy()] = True
        return mask


def fail_repeats_in_batch(check: BatchCheck, ids: pa.Array) -> None:
    """Fail each row whose id an earlier row of the same batch already has."""
    first = pc.index_in(ids, value_set=ids, skip_nulls=True)
    later = pc.not_equal(first, pa.array(np.arange(len(ids)), pa.int32()))
    if not pc.any(later).as_py():
        return
    rows = pc.add(first.cast(pa.int64()), check.first_row)
    said = pc.binary_join_element_wise(
        _quoted(ids), pa.scalar(" also appears on row "), rows.cast(pa.string()), ""
    )
    check.fail(later, "id", str, said)


def _quoted(ids: pa.Array) -> pa.Array:
    return pa.array([repr(i) if i is not None else None for i in ids.to_pylist()], pa.string())


def lookup(session: Session, ids: pa.Array, bad: np.ndarray) -> Known:
    """The registered people among the batch's clean rows, with what an import sets."""
    clean = pc.drop_null(ids.filter(pa.array(~bad)))
    found: list[Any] = []
    for condition in any_of(session, Person.external_id, clean.to_pylist()):
        found += session.execute(_registered().where(condition)).all()
    schema = _schema()
    columns: list[Any] = list(zip(*found, strict=True)) if found else [() for _ in schema]
    table = pa.Table.from_arrays(
        [pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)], schema=schema
    )
    positions = pc.index_in(table.column("external_id"), value_set=ids)
    return Known(table.append_column("position", positions.cast(pa.int64())))


def _registered() -> Any:
    spell = Membership.__table__.alias("spell")
    first = (
        select(func.min(Membership.started_on))
        .where(Membership.person_id == Person.id)
        .scalar_subquery()
    )
    return (
        select(
            Person.id.label("id"),
            Person.external_id.label("external_id"),
            Person.name.label("name"),
            *[getattr(Person, n).label(n) for n in CORE_ATTRIBUTES],
            Body.code.label("body"),
            spell.c.status.label("status"),
            first.label("joined"),
        )
        .outerjoin(spell, (spell.c.person_id == Person.id) & spell.c.ended_on.is_(None))
        .outerjoin(Body, Body.id == spell.c.body_id)
    )


def _schema() -> pa.schema:
    types = {bool: pa.bool_(), int: pa.int64()}
    core = [
        (n, types.get(Person.__table__.c[n].type.python_type, pa.string())) for n in CORE_ATTRIBUTES
    ]
    return pa.schema(
        [
            ("id", pa.int64()),
            ("external_id", pa.string()),
            ("name", pa.string()),
            *core,
            ("body", pa.string()),
            ("status", pa.string()),
            ("joined", pa.date32()),
        ]
    )


def fail_repeats_and_conflicts(
    check: BatchCheck, columns: dict[str, pa.Array], known: Known, base: int
) -> None:
    """Fail rows repeating an id this import registered, or differing from the registry."""
    table = known.table
    if table.num_rows == 0:
        return
    positions = table.column("position").to_numpy()
    rows = len(check.bad)
    repeated = table.column("id").to_numpy() > base
    said = [
        f"{eid!r} also appears on row {pid - base}" if again else None
        for eid, pid, again in zip(
            table.column("external_id").to_pylist(),
            table.column("id").to_pylist(),
            repeated.tolist(),
            strict=True,
        )
    ]
    check.fail(_spread(positions[repeated], rows), "id", str, _at(positions, said, rows))
    _fail_conflicts(check, columns, table.filter(pa.array(~repeated)))


def _fail_conflicts(check: BatchCheck, columns: dict[str, pa.Array], table: pa.Table) -> None:
    positions = table.column("position")
    rows = len(check.bad)
    undecided = np.ones(table.num_rows, dtype=bool)
    ids = columns["external_id"]
    for name in COMPARED:
        mine = _column(columns, name, rows, table.schema.field(name).type).take(positions)
        differs = undecided & _distinct(mine, table.column(name))
        undecided &= ~differs
        check.fail(_spread(positions.to_numpy()[differs], rows), name, _conflict(name), ids)


def _conflict(name: str) -> Callable[[object], str]:
    def reason(external_id: object) -> str:
        return (
            f"{external_id!r} is already registered with another {name}; "
            "change it with `orgburo members update`, not by import"
        )

    return reason


def _column(columns: dict[str, pa.Array], name: str, rows: int, kind: pa.DataType) -> pa.Array:
    value = columns.get(_BATCH_NAMES.get(name, name))
    return pa.nulls(rows, kind) if value is None else value


def _distinct(mine: pa.Array, theirs: pa.ChunkedArray) -> np.ndarray:
    """IS DISTINCT FROM: unequal, or exactly one of the two unknown."""
    equal = pc.equal(mine, theirs.combine_chunks().cast(mine.type))
    both_null = pc.and_(pc.is_null(mine), pc.is_null(theirs))
    same = pc.if_else(pc.is_null(equal), both_null, equal)
    return np.asarray(pc.invert(same).to_numpy(zero_copy_only=False), dtype=bool)


def _spread(positions: np.ndarray, rows: int) -> np.ndarray:
    mask = np.zeros(rows, dtype=bool)
    mask[positions] = True
    return mask


def _at(positions: np.ndarray, values: list[str | None], rows: int) -> pa.Array:
    spread: list[str | None] = [None] * rows
    for position, value in zip(positions.tolist(), values, strict=True):
        spread[position] = value
    return pa.array(spread, pa.string())


def repeated_ids(session: Session, base: int, limit: int) -> list[Problem]:
    """Ids given to more than one of the persons created above `base`, by row."""
    query = (
        select(Person.external_id, func.min(Person.id), func.max(Person.id))
        .where(Person.id > base)
        .group_by(Person.external_id)
        .having(func.count() > 1)
        .order_by(func.min(Person.id))
        .limit(limit)
    )
    return [
        Problem("id", f"{eid!r} also appears on row {first - base}", last - base)
        for eid, first, last in session.execute(query)
    ]
