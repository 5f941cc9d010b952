"""The staging table an import fills before anything reaches the registry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from orgburo.bodies.models import Body
from orgburo.bulk import insert_arrow
from orgburo.census import tallies
from orgburo.core.attributes import BOOLEAN, CORE_ATTRIBUTES, INTEGER, Attribute
from orgburo.db import JsonDocument
from orgburo.errors import Problem
from orgburo.members.models import Membership, Person

_SQL_TYPES = {BOOLEAN: Boolean, INTEGER: BigInteger}
CORE = list(CORE_ATTRIBUTES.values())


@dataclass
class Staging:
    """A temporary table of checked rows, dropped with the transaction's connection."""

    session: Session
    table: Table

    @classmethod
    def create(cls, session: Session, custom: list[Attribute]) -> Staging:
        """An empty staging table on the session's connection."""
        columns: list[Column[Any]] = [
            Column("row", BigInteger, primary_key=True),
            Column("external_id", String),
            Column("name", String),
            Column("body_code", String),
            Column("status", String),
            Column("joined", Date),
            *[Column(a.name, _SQL_TYPES.get(a.type, String)()) for a in CORE],
            Column("extra", Text),
        ]
        table = Table(
            f"staging_members_{uuid.uuid4().hex[:8]}", MetaData(), *columns, prefixes=["TEMPORARY"]
        )
        table.create(session.connection())
        return cls(session, table)

    def add(self, columns: dict[str, pa.Array], bad: np.ndarray) -> None:
        """Stage the rows of a checked batch that had no problems."""
        names = [c.name for c in self.table.columns]
        rows = len(bad)
        arrays = [columns.get(n, pa.nulls(rows, _arrow_type(self.table.c[n]))) for n in names]
        batch = pa.RecordBatch.from_arrays(arrays, names=names)
        insert_arrow(self.session, self.table, batch.filter(pa.array(~bad)))

    def problems_in_store(self, limit: int) -> list[Problem]:
        """Problems only the store can see: unknown or closed bodies, repeats, conflicts."""
        return self._unknown_bodies(limit) + self._repeated_ids(limit) + self._conflicts(limit)

    def _unknown_bodies(self, limit: int) -> list[Problem]:
        s = self.table.c
        query = (
            select(s.row, s.body_code, Body.closed_on)
            .outerjoin(Body, Body.code == s.body_code)
            .where(
                or_(
                    Body.id.is_(None), and_(Body.closed_on.is_not(None), Body.closed_on <= s.joined)
                )
            )
            .order_by(s.row)
            .limit(limit)
        )
        return [
            Problem(
                "body",
                f"no body has the code {code!r}"
                if closed is None
                else f"{code!r} was closed on {closed}",
                row,
            )
            for row, code, closed in self.session.execute(query)
        ]

    def _repeated_ids(self, limit: int) -> list[Problem]:
        s = self.table.c
        query = (
            select(s.external_id, func.min(s.row), func.max(s.row))
            .group_by(s.external_id)
            .having(func.count() > 1)
            .order_by(func.min(s.row))
            .limit(limit)
        )
        return [
            Problem("id", f"{eid!r} also appears on row {first}", last)
            for eid, first, last in self.session.execute(query)
        ]

    def _conflicts(self, limit: int) -> list[Problem]:
        s = self.table.c
        spell = select(Membership).where(Membership.ended_on.is_(None)).subquery()
        first = (
            select(Membership.person_id, func.min(Membership.started_on).label("joined"))
            .group_by(Membership.person_id)
            .subquery()
        )
        differs = [
            (n, getattr(Person, n).is_distinct_from(s[n])) for n in ("name", *CORE_ATTRIBUTES)
        ]
        differs += [
            ("body", Body.code.is_distinct_from(s.body_code)),
            ("status", spell.c.status.is_distinct_from(s.status)),
            ("joined", first.c.joined.is_distinct_from(s.joined)),
        ]
        column = case(*[(condition, literal(name)) for name, condition in differs], else_=None)
        query = (
            select(s.row, s.external_id, column.label("differs"))
            .join(Person, Person.external_id == s.external_id)
            .outerjoin(spell, spell.c.person_id == Person.id)
            .outerjoin(Body, Body.id == spell.c.body_id)
            .outerjoin(first, first.c.person_id == Person.id)
            .order_by(s.row)
        )
        candidates = query.subquery()
        found = select(candidates).where(candidates.c.differs.is_not(None)).limit(limit)
        return [
            Problem(
                name,
                f"{eid!r} is already registered with another {name}; "
                "change it with `orgburo members update`, not by import",
                row,
            )
            for row, eid, name in self.session.execute(found)
        ]

    def register(self) -> int:
        """Create persons and their memberships for the staged rows not yet registered."""
        s = self.table.c
        before = self.session.scalar(select(func.coalesce(func.max(Person.id), 0))) or 0
        fresh = ~exists().where(Person.external_id == s.external_id)
        person_columns = ["external_id", "name", *CORE_ATTRIBUTES, "extra"]
        values = [s.external_id, s.name, *[s[n] for n in CORE_ATTRIBUTES], self._json(s.extra)]
        self.session.execute(
            insert(Person).from_select(person_columns, select(*values).where(fresh))
        )
        new = Person.id > before
        self.session.execute(
            insert(Membership).from_select(
                ["person_id", "body_id", "status", "started_on", "start_reason"],
                select(Person.id, Body.id, s.status, s.joined, literal("admitted"))
                .join(Person, and_(Person.external_id == s.external_id, new))
                .join(Body, Body.code == s.body_code),
            )
        )
        created = self.session.scalar(select(func.count()).select_from(Person).where(new)) or 0
        tallies.count_current(self.session, Membership.person_id > before)
        return created

    def _json(self, column: Any) -> Any:
        if self.session.get_bind().dialect.name == "postgresql":
            return cast(column, JsonDocument)
        return type_coerce(column, JSON)


def _arrow_type(column: Column[Any]) -> pa.DataType:
    if isinstance(column.type, Boolean):
        return pa.bool_()
    if isinstance(column.type, BigInteger | Integer):
        return pa.int64()
    if isinstance(column.type, Date):
        return pa.date32()
    return pa.string()
