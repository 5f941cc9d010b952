"""The staging table an import fills before anything reaches the registry."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Subquery,
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
    text,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from orgburo.bodies.models import Body, BodyLink
from orgburo.bulk import insert_arrow, rebuilt_if_large
from orgburo.census import tallies
from orgburo.core.attributes import BOOLEAN, CORE_ATTRIBUTES, INTEGER, Attribute
from orgburo.db import JsonDocument
from orgburo.errors import Problem
from orgburo.members.models import Membership, Person

_SQL_TYPES = {BOOLEAN: Boolean, INTEGER: BigInteger}
PERSONS: Table = Person.__table__  # type: ignore[assignment]
MEMBERSHIPS: Table = Membership.__table__  # type: ignore[assignment]
CORE = list(CORE_ATTRIBUTES.values())


@dataclass
class Staging:
    """A temporary table of checked rows, dropped with the transaction's connection."""

    session: Session
    table: Table
    first_id: int

    @classmethod
    def create(cls, session: Session, custom: list[Attribute]) -> Staging:
        """An empty staging table on the session's connection."""
        columns: list[Column[Any]] = [
            Column("row", BigInteger, primary_key=True),
            Column("external_id", String),
            Column("name", String),
            Column("name_key", String),
            Column("body_code", String),
            Column("status", String),
            Column("joined", Date),
            *[Column(a.name, _SQL_TYPES.get(a.type, String)()) for a in CORE],
            Column("extra", Text),
            Column("person_id", BigInteger),
        ]
        table = Table(
            f"staging_members_{uuid.uuid4().hex[:8]}", MetaData(), *columns, prefixes=["TEMPORARY"]
        )
        table.create(session.connection())
        if session.get_bind().dialect.name == "postgresql":
            # New persons get ids from the largest one now; no other writer may take them.
            session.execute(text("LOCK TABLE persons IN SHARE ROW EXCLUSIVE MODE"))
        base = session.scalar(select(func.coalesce(func.max(Person.id), 0))) or 0
        return cls(session, table, base)

    def add(self, columns: dict[str, pa.Array], bad: np.ndarray) -> None:
        """Stage the rows of a checked batch that had no problems."""
        names = [c.name for c in self.table.columns]
        rows = len(bad)
        ids = {"person_id": pc.add(columns["row"], self.first_id)}
        arrays = [
            columns.get(n, ids.get(n, pa.nulls(rows, _arrow_type(self.table.c[n])))) for n in names
        ]
        batch = pa.RecordBatch.from_arrays(arrays, names=names)
        insert_arrow(self.session, self.table, batch.filter(pa.array(~bad)))

    def problems_in_store(self, limit: int, within: Body | None = None) -> list[Problem]:
        """Problems only the store can see: unknown or closed bodies, repeats, conflicts,
        and (with `within`) bodies or people outside that body's subtree."""
        outside = self._outside(within, limit) if within is not None else []
        return (
            self._unknown_bodies(limit)
            + outside
            + self._repeated_ids(limit)
            + self._conflicts(limit)
        )

    def _outside(self, within: Body, limit: int) -> list[Problem]:
        s = self.table.c
        inside = exists().where(
            BodyLink.ancestor_id == within.id,
            BodyLink.valid_to.is_(None),
            BodyLink.descendant_id == Body.id,
        )
        query = (
            select(s.row, s.body_code)
            .join(Body, Body.code == s.body_code)
            .where(~inside)
            .order_by(s.row)
            .limit(limit)
        )
        return [
            Problem(
                "body", f"{code!r} is outside {within.code!r}, where this import may write", row
            )
            for row, code in self.session.execute(query)
        ]

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

    def register(self, counts: pa.Table) -> int:
        """Create persons and their memberships for the staged rows not yet registered.

        New persons get their ids as staged (the largest id so far plus the row number), so
        persons, memberships and tallies are three plain scans of the staging table
        instead of joins back through the registry. `counts` are the census counts of
        the staged rows, taken while they were checked; they are used when every staged
        row is new (otherwise the new rows are counted again in SQL).
        """
        s = self.table.c
        fresh = s.person_id.is_not(None)
        self._assign_ids()
        person_columns = ["id", "external_id", "name", "name_key", *CORE_ATTRIBUTES, "extra"]
        values = [
            s.person_id,
            s.external_id,
            s.name,
            s.name_key,
            *[s[n] for n in CORE_ATTRIBUTES],
            self._json(s.extra),
        ]
        with self._bulk_if_large():
            self.session.execute(
                insert(Person).from_select(person_columns, select(*values).where(fresh))
            )
            self.session.execute(
                insert(Membership).from_select(
                    ["person_id", "body_id", "status", "started_on", "start_reason"],
                    select(s.person_id, Body.id, s.status, s.joined, literal("admitted"))
                    .join(Body, Body.code == s.body_code)
                    .where(fresh),
                )
            )
        self._advance_sequence()
        created = self.session.scalar(select(func.count()).where(fresh)) or 0
        staged = self.session.scalar(select(func.count()).select_from(self.table)) or 0
        if created == staged:
            tallies.count_counted(self.session, self._counted(counts))
        else:
            members = (
                select(Body.id.label("body_id"), s.status, *[s[n] for n in tallies.TALLIED])
                .join(Body, Body.code == s.body_code)
                .where(fresh)
                .subquery()
            )
            tallies.count_members(self.session, members)
        return created

    def _counted(self, counts: pa.Table) -> Subquery:
        table = Table(
            f"{self.table.name}_counts",
            MetaData(),
            *[Column(n, String) for n in ("body_code", "status", "dimension", "value")],
            Column("n", BigInteger),
            prefixes=["TEMPORARY"],
        )
        table.create(self.session.connection())
        for batch in counts.to_batches():
            insert_arrow(self.session, table, batch)
        return (
            select(
                Body.id.label("body_id"),
                table.c.status,
                table.c.dimension,
                table.c.value,
                table.c.n,
            )
            .join(Body, Body.code == table.c.body_code)
            .subquery()
        )

    def _assign_ids(self) -> None:
        """Rows already registered (a re-import) get no new person."""
        s = self.table.c
        registered = exists().where(Person.external_id == s.external_id)
        self.session.execute(update(self.table).where(registered).values(person_id=None))

    def _bulk_if_large(self) -> AbstractContextManager[None]:
        """Rebuild the registry's indexes after a large load (`bulk.rebuilt_if_large`)."""
        s = self.table.c
        new = self.session.scalar(select(func.count()).where(s.person_id.is_not(None))) or 0
        existing = self.session.scalar(select(func.count()).select_from(Person)) or 0
        return rebuilt_if_large(self.session, [PERSONS, MEMBERSHIPS], new, existing)

    def _advance_sequence(self) -> None:
        if self._postgres:
            self.session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('persons', 'id'), "
                    "(SELECT COALESCE(MAX(id), 0) + 1 FROM persons), false)"
                )
            )

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _json(self, column: Any) -> Any:
        if self._postgres:
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
