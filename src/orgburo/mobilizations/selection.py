"""Proposing whom each body sends, by one window-function query per sub-quota and one for
the rest of the quota (ROW_NUMBER() OVER (PARTITION BY body ORDER BY score DESC, person
id)), each written straight into the entries by INSERT ... SELECT.

A body proposes up to its own part of the quota, less the entries that already fill it
(proposed up to returned); refused, exempted and replaced entries make room, so running
the selection again tops every body up. Sub-quotas pick first (core.selection).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, insert, literal, select
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import BodyLink
from orgburo.errors import Invalid
from orgburo.members.models import Membership, Person

from . import decrees, quotas
from .models import COUNTED, PROPOSED, Decree, Entry, Quota
from .planning import analyzed, roomy_sorts
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
    roomy_sorts(session)
    by_sub = tuple(
        (sub.name, fill(session, pool, on, subquota_id=sub.id, within=within))
        for sub, _ in pool.rules.subquotas
    )
    total = sum(n for _, n in by_sub) + fill(session, pool, on, within=within)
    result = Proposed(decree.code, total, by_sub)
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


def fill(
    session: Session,
    pool: Pool,
    on: date,
    *,
    subquota_id: int | None = None,
    within: Select[Any] | None = None,
) -> int:
    """Propose the best-ranked eligible members into the room each body has left."""
    decree = pool.decree
    chosen = _ranked(pool, subquota_id, within)
    rows = select(
        literal(decree.id),
        chosen.c.person_id,
        chosen.c.body_id,
        literal(subquota_id),
        literal(PROPOSED),
        chosen.c.rank,
        chosen.c.score_roles,
        chosen.c.score_standing,
        chosen.c.score_training,
        chosen.c.score_age,
        chosen.c.score,
        literal(on),
        literal(on),
    ).where(chosen.c.rank <= chosen.c.room)
    before = _entries(session, decree)
    session.execute(insert(Entry).from_select(ENTRY_COLUMNS, rows))
    analyzed(session, Entry.__table__)  # type: ignore[arg-type]
    return _entries(session, decree) - before


def _entries(session: Session, decree: Decree) -> int:
    # The driver's rowcount of INSERT ... SELECT is not reliable on every backend.
    return session.scalar(select(func.count()).where(Entry.decree_id == decree.id)) or 0


def _ranked(pool: Pool, subquota_id: int | None, within: Select[Any] | None) -> Any:
    """Eligible members of bodies with room, scored, ranked within their body."""
    decree = pool.decree
    room = _room(decree, subquota_id).subquery()
    score = score_columns(pool, decree.issued_on)
    parts = (
        eligible(pool, Membership.person_id, Membership.body_id, *score.parts(), room.c.room)
        .join(room, room.c.body_id == Membership.body_id)
        .where(~_in_decree(decree), *_sub_condition(pool, subquota_id))
    )
    if within is not None:
        parts = parts.where(Membership.body_id.in_(within))
    # OFFSET 0 keeps PostgreSQL from inlining the parts into every place the total is
    # used, which would evaluate each rule several times per member.
    scored = parts.offset(0).subquery()
    total = (
        scored.c.score_roles
        + scored.c.score_standing
        + scored.c.score_training
        + scored.c.score_age
    )
    rank = func.row_number().over(
        partition_by=scored.c.body_id, order_by=(total.desc(), scored.c.person_id)
    )
    return select(*scored.c, total.label("score"), rank.label("rank")).subquery()


def _in_decree(decree: Decree) -> ColumnElement[bool]:
    return exists().where(Entry.decree_id == decree.id, Entry.person_id == Person.id)


def _sub_condition(pool: Pool, subquota_id: int | None) -> list[ColumnElement[bool]]:
    if subquota_id is None:
        return []
    rule = next(r for sub, r in pool.rules.subquotas if sub.id == subquota_id)
    return [pool.condition(rule)]


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
