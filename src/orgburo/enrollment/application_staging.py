"""The staging table of an applications import: store checks in SQL, then one insert.

Rows that passed the column checks wait here. Checks that need the store run as SQL
over the whole file: unknown, closed or out-of-scope bodies; references, registry ids
and (name, year of birth, body) repeated in the file or already in the campaign;
applicants who are members already; joint applications that disagree; recommenders.
Only a clean file is written: applications, their groups and recommendations, each by
one INSERT ... SELECT, with ids assigned while staging.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    String,
    Table,
    and_,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from orgburo.bodies.models import Body, BodyLink
from orgburo.bulk import insert_arrow
from orgburo.core.attributes import Attribute
from orgburo.errors import Problem
from orgburo.members.models import Membership, Person

from . import bulk_recommendations
from .columns import (
    analyze,
    attribute_columns,
    temporary,
)
from .models import (
    Application,
    Campaign,
    CampaignGroup,
    JointApplication,
)

APPLICATIONS: Table = Application.__table__  # type: ignore[assignment]


@dataclass
class ApplicationStaging:
    """Checked application rows of one import, on the session's connection."""

    session: Session
    campaign: Campaign
    table: Table
    attributes: list[Attribute]
    groups: Sequence[CampaignGroup]
    recommenders: Table
    standings: Table | None = None

    @classmethod
    def create(
        cls,
        session: Session,
        campaign: Campaign,
        attributes: list[Attribute],
        groups: Sequence[CampaignGroup],
    ) -> ApplicationStaging:
        """An empty staging table for these attribute columns and groups."""
        columns: list[Column[Any]] = [
            Column("row", BigInteger, primary_key=True),
            Column("ref", String),
            Column("name", String),
            Column("body_code", String),
            Column("received", Date),
            Column("registry_id", String),
            Column("joint_ref", String),
            Column("birth_year", BigInteger),
            Column("priority", Boolean),
            Column("existing", Boolean),
            *[Column(f"g_{i}", Boolean) for i in range(len(groups))],
            *attribute_columns(attributes),
        ]
        table = temporary(session, f"staging_applications_{uuid.uuid4().hex[:8]}", columns)
        recommenders = bulk_recommendations.create_table(session)
        return cls(session, campaign, table, attributes, groups, recommenders)

    def add(self, columns: dict[str, pa.Array], bad: np.ndarray) -> None:
        """Stage the rows of a checked batch that had no problems."""
        names = [c.name for c in self.table.columns]
        batch = pa.RecordBatch.from_arrays(
            [columns.get(n, pa.nulls(len(bad), _arrow(self.table.c[n]))) for n in names],
            names=names,
        )
        good = pa.array(~bad)
        insert_arrow(self.session, self.table, batch.filter(good))
        bulk_recommendations.stage(
            self.session,
            self.recommenders,
            columns["row"].filter(good),
            columns["recommenders"].filter(good),
            columns["received"].filter(good),
        )

    # Checks --------------------------------------------------------------------------

    def problems(self, limit: int) -> list[Problem]:
        """Every problem only the store can see, each kind up to `limit`."""
        analyze(self.session, self.table, self.recommenders)
        found = self._bodies(limit) + self._repeats(limit)
        found += self._existing(limit) + self._in_store(limit) + self._joints(limit)
        if not found:
            found += bulk_recommendations.problems(self.session, self, limit)
        return found

    def _bodies(self, limit: int) -> list[Problem]:
        s = self.table.c
        inside = and_(
            BodyLink.ancestor_id == self.campaign.body_id,
            BodyLink.descendant_id == Body.id,
            BodyLink.valid_from <= s.received,
            or_(BodyLink.valid_to.is_(None), BodyLink.valid_to > s.received),
        )
        query = (
            select(s.row, s.body_code, Body.id, Body.closed_on <= s.received, Body.closed_on)
            .outerjoin(Body, Body.code == s.body_code)
            .outerjoin(BodyLink, inside)
            .where(
                or_(
                    Body.id.is_(None),
                    and_(Body.closed_on.is_not(None), Body.closed_on <= s.received),
                    BodyLink.id.is_(None),
                )
            )
            .order_by(s.row)
            .limit(limit)
        )
        owner = self.session.get_one(Body, self.campaign.body_id).code
        return [
            Problem("body", _body_reason(code, found, closed_on if closed else None, owner), row)
            for row, code, found, closed, closed_on in self.session.execute(query)
        ]

    def _repeats(self, limit: int) -> list[Problem]:
        s = self.table.c
        found = [
            Problem("ref", f"{key[0]!r} also appears on row {first}", row)
            for row, first, key in self.repeated([s.ref], limit)
        ]
        found += [
            Problem("registry_id", f"{key[0]!r} also appears on row {first}", row)
            for row, first, key in self.repeated([s.registry_id], limit)
        ]
        found += [
            Problem(
                "name", f"{key[0]!r}{_born(key[1])} also applies to {key[2]!r} on row {first}", row
            )
            for row, first, key in self.repeated(
                [s.name, func.coalesce(s.birth_year, 0), s.body_code], limit
            )
        ]
        return found

    def repeated(self, keys: list[Any], limit: int) -> list[tuple[int, int, tuple[Any, ...]]]:
        """(row, first row, key) for each row whose key an earlier row already had.

        Keys that occur more than once are found by grouping (one hash aggregate); only
        their rows are ranked. Keys must not be null (coalesce nullable parts).
        """
        named = [k.label(f"k{i}") for i, k in enumerate(keys)]
        twice = (
            select(*named)
            .where(keys[0].is_not(None))
            .group_by(*keys)
            .having(func.count() > 1)
            .subquery()
        )
        ranked = (
            select(
                self.table.c.row,
                func.min(self.table.c.row).over(partition_by=keys).label("first"),
                *named,
            )
            .join(twice, and_(*[k == twice.c[f"k{i}"] for i, k in enumerate(keys)]))
            .subquery()
        )
        query = (
            select(ranked).where(ranked.c.row != ranked.c.first).order_by(ranked.c.row).limit(limit)
        )
        return [(r[0], r[1], tuple(r[2:])) for r in self.session.execute(query)]

    def _existing(self, limit: int) -> list[Problem]:
        """Rows already imported with the same data are skipped; other data is a problem."""
        s = self.table.c
        stored = (
            select(Application.ref)
            .join(Body, Body.id == Application.body_id)
            .where(Application.campaign_id == self.campaign.id, Application.ref == s.ref)
        )
        same = stored.where(
            Application.name == s.name,
            Body.code == s.body_code,
            Application.received_on == s.received,
        )
        if not self.session.scalar(select(stored.exists())):
            return []  # a first import: nothing to compare
        self.session.execute(update(self.table).values(existing=same.exists()))
        query = select(s.row, s.ref).where(stored.exists(), ~s.existing).order_by(s.row)
        return [
            Problem("ref", f"{ref!r} already exists in this campaign with other data", row)
            for row, ref in self.session.execute(query.limit(limit))
        ]

    def _in_store(self, limit: int) -> list[Problem]:
        s = self.table.c
        ours = and_(Application.campaign_id == self.campaign.id, Application.ref != s.ref)
        same_id = (
            select(s.row, s.registry_id, Application.ref)
            .join(Application, and_(ours, Application.registry_id == s.registry_id))
            .where(~s.existing)
        )
        found = [
            Problem(
                "registry_id",
                f"{rid!r} already applied in this campaign (application {ref!r})",
                row,
            )
            for row, rid, ref in self.session.execute(same_id.order_by(s.row).limit(limit))
        ]
        same_person = (
            select(s.row, s.name, s.birth_year, s.body_code, Application.ref)
            .join(Body, Body.code == s.body_code)
            .join(
                Application,
                and_(
                    ours,
                    Application.body_id == Body.id,
                    Application.name == s.name,
                    Application.birth_year.is_not_distinct_from(s.birth_year),
                ),
            )
            .where(~s.existing)
        )
        found += [
            Problem(
                "name",
                f"{n!r}{_born(y)} already applied to {b!r} in this campaign (application {ref!r})",
                row,
            )
            for row, n, y, b, ref in self.session.execute(same_person.order_by(s.row).limit(limit))
        ]
        return found + self._members(limit)

    def _members(self, limit: int) -> list[Problem]:
        s = self.table.c
        current = exists().where(Membership.person_id == Person.id, Membership.ended_on.is_(None))
        query = (
            select(s.row, s.registry_id, current, Person.died_on)
            .join(Person, Person.external_id == s.registry_id)
            .where(~s.existing, or_(current, Person.died_on.is_not(None)))
            .order_by(s.row)
            .limit(limit)
        )
        return [
            Problem(
                "registry_id",
                f"{rid!r} is already a member" if member else f"{rid!r} died on {died}",
                row,
            )
            for row, rid, member, died in self.session.execute(query)
        ]

    def _joints(self, limit: int) -> list[Problem]:
        """A joint application is made to one body: in the file, and as stored."""
        s = self.table.c
        ranked = (
            select(
                s.row,
                s.joint_ref,
                func.min(s.row).over(partition_by=s.joint_ref).label("first"),
                func.min(s.body_code).over(partition_by=s.joint_ref).label("low"),
                func.max(s.body_code).over(partition_by=s.joint_ref).label("high"),
            )
            .where(s.joint_ref.is_not(None))
            .subquery()
        )
        query = select(ranked.c.row, ranked.c.joint_ref, ranked.c.first).where(
            ranked.c.low != ranked.c.high, ranked.c.row != ranked.c.first
        )
        found = [
            Problem("joint", f"joint application {ref!r} names another body on row {first}", row)
            for row, ref, first in self.session.execute(query.order_by(ranked.c.row).limit(limit))
        ]
        stored = (
            select(s.row, s.joint_ref)
            .join(
                JointApplication,
                and_(
                    JointApplication.campaign_id == self.campaign.id,
                    JointApplication.ref == s.joint_ref,
                ),
            )
            .join(Body, Body.id == JointApplication.body_id)
            .where(Body.code != s.body_code)
        )
        found += [
            Problem("joint", f"joint application {ref!r} was made to another body", row)
            for row, ref in self.session.execute(stored.order_by(s.row).limit(limit))
        ]
        return found


def _body_reason(code: str, found: int | None, closed: Any, owner: str) -> str:
    if found is None:
        return f"no body has the code {code!r}"
    if closed is not None:
        return f"{code!r} was closed on {closed}"
    return f"{code!r} is not in the subtree of {owner!r}, which proclaimed the campaign"


def _born(year: int | None) -> str:
    return f", born {year}," if year else ""


def _arrow(column: Column[Any]) -> pa.DataType:
    if isinstance(column.type, Boolean):
        return pa.bool_()
    if isinstance(column.type, BigInteger):
        return pa.int64()
    if isinstance(column.type, Date):
        return pa.date32()
    return pa.string()
