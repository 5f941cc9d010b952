"""Recommendations named in an applications file (`recommenders`: `R1; R2`).

They are split into (row, recommender) pairs while the file is staged, then checked in
SQL: the recommender is in the registry, is not the applicant, is named once, and on
the application date has the campaign's standing: whole months of unbroken full
membership, computed from the spells with window functions (full spells joined end to
start form one run; standing counts from the run's first day), exactly as
`core.enrollment.standing_since` and `whole_months` do one person at a time.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Integer,
    String,
    Subquery,
    Table,
    and_,
    case,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from orgburo.bulk import insert_arrow
from orgburo.errors import Problem
from orgburo.members.models import Membership, Person

from .columns import analyze, months_between, temporary
from .models import Recommendation

if TYPE_CHECKING:
    from .application_staging import ApplicationStaging


def create_table(session: Session) -> Table:
    """The staging table of (row, recommender, date) pairs."""
    columns: list[Column[Any]] = [
        Column("row", BigInteger),
        Column("recommender_id", String),
        Column("given_on", Date),
    ]
    return temporary(session, f"staging_recommenders_{uuid.uuid4().hex[:8]}", columns)


def stage(
    session: Session, table: Table, rows: pa.Array, cells: pa.Array, received: pa.Array
) -> None:
    """Split cells like `R1; R2` into one staged pair per recommender."""
    lists = pc.split_pattern(pc.fill_null(cells, ""), ";")
    parents = pc.list_parent_indices(lists)
    names = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    keep = pc.not_equal(names, "")
    batch = pa.RecordBatch.from_arrays(
        [rows.take(parents).filter(keep), names.filter(keep), received.take(parents).filter(keep)],
        names=["row", "recommender_id", "given_on"],
    )
    insert_arrow(session, table, batch)


def problems(session: Session, staging: ApplicationStaging, limit: int) -> list[Problem]:
    """Unknown recommenders, applicants recommending themselves, repeats, short standing."""
    pairs = _pairs(staging)
    found = _plain_problems(session, staging, pairs, limit)
    if found:
        return found
    required = staging.campaign.recommender_standing_months
    rows = computed(session, staging).c
    query = select(rows.row, rows.recommender_id, rows.given_on, rows.since, rows.months).where(
        or_(rows.since.is_(None), rows.months < required)
    )
    return [
        Problem("recommenders", _short(who, on, since, months, required), row)
        for row, who, on, since, months in session.execute(query.order_by(rows.row).limit(limit))
    ]


def computed(session: Session, staging: ApplicationStaging) -> Table:
    """Each staged pair's standing, computed once into a table of its own."""
    if staging.standings is None:
        columns: list[Column[Any]] = [
            Column("row", BigInteger),
            Column("recommender_id", String),
            Column("person_id", BigInteger),
            Column("given_on", Date),
            Column("since", Date),
            Column("months", Integer),
        ]
        table = temporary(session, f"{staging.recommenders.name}_standing", columns)
        rows = standing(session, _pairs(staging))
        session.execute(insert(table).from_select([c.name for c in columns], select(rows)))
        analyze(session, table)
        staging.standings = table
    return staging.standings


def _short(who: str, on: Any, since: Any, months: int | None, required: int) -> str:
    if since is None:
        return f"{who!r} is not a full member on {on}"
    return (
        f"{who!r} has {months} months' standing as a full member on {on}; "
        f"the campaign requires {required}"
    )


def _pairs(staging: ApplicationStaging) -> Subquery:
    recs, s = staging.recommenders.c, staging.table.c
    return (
        select(recs.row, recs.recommender_id, recs.given_on, s.registry_id.label("applicant"))
        .join(staging.table, s.row == recs.row)
        .where(~s.existing)
        .subquery()
    )


def _plain_problems(
    session: Session, staging: ApplicationStaging, pairs: Subquery, limit: int
) -> list[Problem]:
    unknown = (
        select(pairs.c.row, pairs.c.recommender_id)
        .outerjoin(Person, Person.external_id == pairs.c.recommender_id)
        .where(Person.id.is_(None))
    )
    found = [
        Problem("recommenders", f"{who!r} is not in the registry", row)
        for row, who in session.execute(unknown.order_by(pairs.c.row).limit(limit))
    ]
    themselves = select(pairs.c.row).where(pairs.c.recommender_id == pairs.c.applicant)
    found += [
        Problem("recommenders", "an applicant cannot recommend themselves", row)
        for (row,) in session.execute(themselves.order_by(pairs.c.row).limit(limit))
    ]
    twice = (
        select(pairs.c.row, pairs.c.recommender_id)
        .group_by(pairs.c.row, pairs.c.recommender_id)
        .having(func.count() > 1)
    )
    found += [
        Problem("recommenders", f"{who!r} is named twice", row)
        for row, who in session.execute(twice.order_by(pairs.c.row).limit(limit))
    ]
    return found


def standing(session: Session, pairs: Subquery) -> Subquery:
    """(row, recommender_id, person_id, given_on, since, months) for every pair."""
    persons = select(Person.id).where(Person.external_id.in_(select(pairs.c.recommender_id)))
    order = (Membership.started_on, Membership.id)
    full = (
        select(
            Membership.id,
            Membership.person_id,
            Membership.started_on,
            Membership.ended_on,
            func.lag(Membership.ended_on)
            .over(partition_by=Membership.person_id, order_by=order)
            .label("previous_end"),
        )
        .where(Membership.status == "full", Membership.person_id.in_(persons))
        .subquery()
    )
    new_run = case((full.c.previous_end == full.c.started_on, 0), else_=1)
    runs = select(
        full,
        func.sum(new_run)
        .over(
            partition_by=full.c.person_id,
            order_by=(full.c.started_on, full.c.id),
            rows=(None, 0),
        )
        .label("run"),
    ).subquery()
    chained = select(
        runs.c.person_id,
        runs.c.started_on,
        runs.c.ended_on,
        func.min(runs.c.started_on)
        .over(partition_by=(runs.c.person_id, runs.c.run))
        .label("since"),
    ).subquery()
    covering = and_(
        chained.c.person_id == Person.id,
        chained.c.started_on <= pairs.c.given_on,
        or_(chained.c.ended_on.is_(None), chained.c.ended_on > pairs.c.given_on),
    )
    return (
        select(
            pairs.c.row,
            pairs.c.recommender_id,
            Person.id.label("person_id"),
            pairs.c.given_on,
            chained.c.since,
            months_between(chained.c.since, pairs.c.given_on).label("months"),
        )
        .join(Person, Person.external_id == pairs.c.recommender_id)
        .outerjoin(chained, covering)
        .subquery()
    )


def register(session: Session, staging: ApplicationStaging, base: int) -> int:
    """Write the staged recommendations of the new applications; how many were written."""
    rows = computed(session, staging).c
    written = select(literal(base) + rows.row, rows.person_id, rows.given_on, rows.months)
    session.execute(
        insert(Recommendation).from_select(
            ["application_id", "recommender_id", "given_on", "standing_months"], written
        )
    )
    query = select(func.count()).where(Recommendation.application_id > base)
    return session.scalar(query) or 0
