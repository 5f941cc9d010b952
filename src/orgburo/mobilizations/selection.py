"""Proposing whom each body sends: the eligible members of bodies with room are scored
once into a temporary table, then each sub-quota and the rest of the quota is filled from
it by one window-function query (ROW_NUMBER() OVER (PARTITION BY body ORDER BY score DESC,
person id)), written straight into the entries by INSERT ... SELECT.

Scoring once matters: the pool is a join of every current membership with its person and
a dozen rules per row, and evaluating it once per fill cost 2 s for the sub-quota and 10 s
for the rest at a million members; the table costs one pass and is then read in
tenths of a second.

A body proposes up to its own part of the quota, less the entries that already fill it
(proposed up to returned); refused, exempted and replaced entries make room, so running
the selection again tops every body up. Sub-quotas pick first (core.selection).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    Table,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.orm import Session

from orgburo import audit, bulk
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import BodyLink
from orgburo.errors import Invalid
from orgburo.members.models import Membership, Person

from . import decrees, quotas
from .models import COUNTED, PROPOSED, Decree, Entry, Quota
from .planning import keys_checked_after, large_statements
from .pool import Pool, eligible, pool_of
from .scoring import score_columns

ENTRY_COLUMNS = (
    "decree_id",
    "person_id",
    "body_id",
    "subquota_id",
    "status",
    "rank",
    "score_roles",
    "score_standing",
    "score_training",
    "score_age",
    "score",
    "proposed_on",
    "status_on",
)


@dataclass(frozen=True)
class Proposed:
    """How many members were proposed, for sub-quotas and in all."""

    decree: str
    proposed: int
    by_subquota: tuple[tuple[str, int], ...]


def propose(
    session: Session, *, code: str, on: date, actor: Actor, body_code: str | None = None
) -> Proposed:
    """Propose members for every body of the decree (or of `body_code`'s subtree)."""
    decree = decrees.get_or_raise(session, code)
    decrees.require_change(session, actor, decree)
    if not quotas.apportioned(session, decree):
        raise Invalid.one("decree", f"{code!r} has not been apportioned yet")
    within = _subtree(session, body_code) if body_code else None
    pool = pool_of(session, decree)
    by_sub, rest = fill_all(session, pool, on, within=within)
    result = Proposed(decree.code, sum(n for _, n in by_sub) + rest, by_sub)
    audit.record(
        session,
        actor=actor,
        action="mobilization.proposed",
        target=("decree", decree.code),
        after={"on": on, "body": body_code, **vars(result)},
        body_id=decree.scope_body_id,
    )
    return result


def _subtree(session: Session, body_code: str) -> Select[Any]:
    body = bodies.get_or_raise(session, body_code)
    return select(BodyLink.descendant_id).where(
        BodyLink.ancestor_id == body.id, BodyLink.valid_to.is_(None)
    )


def fill_all(
    session: Session, pool: Pool, on: date, *, within: Select[Any] | None = None
) -> tuple[tuple[tuple[str, int], ...], int]:
    """Fill every sub-quota, then the rest of the quota: (name, proposed) of each
    sub-quota, and how many the rest proposed."""
    large_statements(session)
    scored = _scored_table(pool)
    scored.create(session.connection())
    try:
        _score(session, pool, scored, within)
        entries: Table = Entry.__table__  # type: ignore[assignment]
        with keys_checked_after(session, entries, _room_left(session, pool)):
            by_sub = tuple(
                (sub.name, _fill(session, pool, scored, on, sub.id, f"s{k}"))
                for k, (sub, _) in enumerate(pool.rules.subquotas)
            )
            return by_sub, _fill(session, pool, scored, on, None, None)
    finally:
        scored.drop(session.connection())


def _room_left(session: Session, pool: Pool) -> int:
    """Room left in the whole quota: as many entries as the selection may write."""
    room = _room(pool.decree, None).subquery()
    return int(session.scalar(select(func.coalesce(func.sum(room.c.room), 0))) or 0)


def _scored_table(pool: Pool) -> Table:
    """The temporary table of the scored pool; s0, s1, ... say who passes each sub-quota."""
    columns = [Column(name, Integer) for name in ("person_id", "body_id", *SCORE_COLUMNS)]
    flags = [Column(f"s{k}", Boolean) for k in range(len(pool.rules.subquotas))]
    return Table("mobilization_scored", MetaData(), *columns, *flags, prefixes=["TEMPORARY"])


SCORE_COLUMNS = (
    "score_roles",
    "score_standing",
    "score_training",
    "score_age",
    "score",
)


def _score(session: Session, pool: Pool, scored: Table, within: Select[Any] | None) -> None:
    """Eligible members of bodies with room, not in the decree yet, scored, into `scored`."""
    decree = pool.decree
    room = _room(decree, None).subquery()
    score = score_columns(pool, decree.issued_on)
    flags = [pool.passes(rule).label(f"s{k}") for k, (_, rule) in enumerate(pool.rules.subquotas)]
    parts = eligible(pool, Membership.person_id, Membership.body_id, *score.parts(), *flags).join(
        room, room.c.body_id == Membership.body_id
    )
    if _entries(session, decree):
        parts = parts.where(~_in_decree(decree, Person.id))  # probed per member: only if any
    if within is not None:
        parts = parts.where(Membership.body_id.in_(within))
    # OFFSET 0 keeps PostgreSQL from inlining the parts into every place the total is
    # used, which would evaluate each rule several times per member.
    each = parts.offset(0).subquery()
    total = each.c.score_roles + each.c.score_standing + each.c.score_training + each.c.score_age
    rows = select(*(total if c.name == "score" else each.c[c.name] for c in scored.c))
    session.execute(insert(scored).from_select([c.name for c in scored.c], rows))
    bulk.analyze(session, scored)


def _fill(
    session: Session,
    pool: Pool,
    scored: Table,
    on: date,
    subquota_id: int | None,
    flag: str | None,
) -> int:
    """Propose the best-ranked scored members into the room each body has left."""
    decree = pool.decree
    chosen = _ranked(pool, scored, subquota_id, flag)
    rows = select(
        literal(decree.id),
        chosen.c.person_id,
        chosen.c.body_id,
        literal(subquota_id),
        literal(PROPOSED),
        chosen.c.rank,
        *(chosen.c[name] for name in SCORE_COLUMNS[:4]),
        chosen.c.score,
        literal(on),
        literal(on),
    ).where(chosen.c.rank <= chosen.c.room)
    before = _entries(session, decree)
    session.execute(insert(Entry).from_select(ENTRY_COLUMNS, rows))
    bulk.analyze(session, Entry.__table__)  # type: ignore[arg-type]
    return _entries(session, decree) - before


def _entries(session: Session, decree: Decree) -> int:
    # The driver's rowcount of INSERT ... SELECT is not reliable on every backend.
    return session.scalar(select(func.count()).where(Entry.decree_id == decree.id)) or 0


def _ranked(pool: Pool, scored: Table, subquota_id: int | None, flag: str | None) -> Any:
    """Scored members of bodies with room (in the sub-quota too), not proposed meanwhile,
    ranked within their body."""
    room = _room(pool.decree, subquota_id).subquery()
    rank = func.row_number().over(
        partition_by=scored.c.body_id, order_by=(scored.c.score.desc(), scored.c.person_id)
    )
    query = (
        select(scored, room.c.room, rank.label("rank"))
        .join(room, room.c.body_id == scored.c.body_id)
        .where(~_in_decree(pool.decree, scored.c.person_id))
    )
    if flag is not None:
        query = query.where(scored.c[flag])
    return query.subquery()


def _in_decree(decree: Decree, person_id: Any) -> ColumnElement[bool]:
    return exists().where(Entry.decree_id == decree.id, Entry.person_id == person_id)


def _room(decree: Decree, subquota_id: int | None) -> Select[Any, Any]:
    """Bodies with room left: their own part of the quota less the entries filling it.

    A sub-quota's room is also bounded by the room left in the body's whole quota.
    """
    whole = _room_for(decree, None).subquery()
    if subquota_id is None:
        return select(whole.c.body_id, whole.c.room).where(whole.c.room > 0)
    part = _room_for(decree, subquota_id).subquery()
    least = case((part.c.room < whole.c.room, part.c.room), else_=whole.c.room)
    return (
        select(part.c.body_id, least.label("room"))
        .join(whole, whole.c.body_id == part.c.body_id)
        .where(part.c.room > 0, whole.c.room > 0)
    )


def _room_for(decree: Decree, subquota_id: int | None) -> Select[Any, Any]:
    counted = select(Entry.body_id, func.count().label("n")).where(
        Entry.decree_id == decree.id, Entry.status.in_(COUNTED)
    )
    same_quota: ColumnElement[bool] = Quota.subquota_id.is_(None)
    if subquota_id is not None:
        counted = counted.where(Entry.subquota_id == subquota_id)
        same_quota = Quota.subquota_id == subquota_id
    taken = counted.group_by(Entry.body_id).subquery()
    room: Select[Any, Any] = (
        select(Quota.body_id, (Quota.own_demanded - func.coalesce(taken.c.n, 0)).label("room"))
        .outerjoin(taken, taken.c.body_id == Quota.body_id)
        .where(and_(Quota.decree_id == decree.id, same_quota, Quota.own_demanded > 0))
    )
    return room
