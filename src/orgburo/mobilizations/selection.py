"""Proposing whom each body sends: the eligible members of bodies with room are scored by
one query (`scoring`), read as arrays, and every sub-quota and the rest of the quota is
filled from them at once by `core.selection.propose_all`; the proposals are written by
one bulk insert.

Scoring once matters: the pool is a join of every current membership with its person and
a dozen rules per row, and evaluating it once per fill cost 2 s for the sub-quota and 10 s
for the rest at a million members. Choosing in NumPy rather than by window functions
over a temporary table saves writing the scored pool and sorting it once per fill
(measured at a million members: the selection took 4.5 s before, 3.3 s after).

A body proposes up to its own part of the quota, less the entries that already fill it
(proposed up to returned); refused, exempted and replaced entries make room, so running
the selection again tops every body up. Sub-quotas pick first (core.selection).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    case,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Label

from orgburo import audit, bulk
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import BodyLink
from orgburo.core.selection import Ints, Picks, Rooms, propose_all
from orgburo.errors import Invalid
from orgburo.members.models import Membership, Person

from . import decrees, quotas
from .models import COUNTED, PROPOSED, Decree, Entry, Quota
from .planning import keys_checked_after, large_statements
from .pool import Pool, eligible, pool_of
from .scoring import part_maxima, score_columns


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
    result = fill_all(session, pool, on, within=within)
    record(session, actor, decree, result, on=on, body_code=body_code)
    return result


def record(
    session: Session,
    actor: Actor,
    decree: Decree,
    result: Proposed,
    *,
    on: date,
    body_code: str | None = None,
) -> None:
    """The proposals in the audit trail."""
    audit.record(
        session,
        actor=actor,
        action="mobilization.proposed",
        target=("decree", decree.code),
        after={"on": on, "body": body_code, **vars(result)},
        body_id=decree.scope_body_id,
    )


def _subtree(session: Session, body_code: str) -> Select[Any]:
    body = bodies.get_or_raise(session, body_code)
    return select(BodyLink.descendant_id).where(
        BodyLink.ancestor_id == body.id, BodyLink.valid_to.is_(None)
    )


def fill_all(
    session: Session, pool: Pool, on: date, *, within: Select[Any] | None = None
) -> Proposed:
    """Fill every sub-quota, then the rest of the quota."""
    large_statements(session)
    rooms = room_left(session, pool)
    if not len(rooms.bodies):
        nothing = tuple((sub.name, 0) for sub, _ in pool.rules.subquotas)
        return Proposed(pool.decree.code, 0, nothing)
    scored = read_scored(session, pool, within=within, with_room=True)
    picks = scored.picks(rooms)
    write_proposals(session, pool, on, scored, picks)
    return tallies(pool, picks)


@dataclass(frozen=True)
class Scored:
    """The scored pool as arrays, one row per eligible member: body_id, person_id and the
    score parts by name, the score, and whether they meet each sub-quota."""

    columns: dict[str, Ints]
    total: Ints
    meets: npt.NDArray[np.bool_]

    def picks(self, rooms: Rooms) -> Picks:
        """Whom every body with room proposes (`core.selection.propose_all`)."""
        return propose_all(
            self.columns["body_id"], self.columns["person_id"], self.total, self.meets, rooms
        )


def read_scored(
    session: Session,
    pool: Pool,
    *,
    within: Select[Any] | None = None,
    with_room: bool,
    bodies: Sequence[int] | None = None,
) -> Scored:
    """The scored pool (`_scored`), read as arrays (`bulk.read_integers`), the score
    parts and sub-quota flags packed into one column when they fit (`Packing`)."""
    packing = Packing.of(pool)
    with bulk.settings(session, **_persons_merged(session)):
        query = _scored(session, pool, within, with_room, bodies, packing)
        columns = bulk.read_integers(session, query)
    if packing is not None:
        columns.update(packing.unpacked(columns.pop(PACKED)))
    meets = np.zeros((len(columns["person_id"]), len(pool.rules.subquotas)), dtype=np.bool_)
    for k in range(meets.shape[1]):
        meets[:, k] = columns[f"s{k}"] > 0
    total = sum((columns[name] for name in SCORE_COLUMNS[:4]), np.zeros_like(columns["body_id"]))
    return Scored(columns, total, meets)


@dataclass(frozen=True)
class Packing:
    """Small non-negative columns packed into one 32-bit integer: (name, bits) of each,
    from the lowest bits up.

    Every column of a `COPY` costs the server a call to its output function and four
    bytes of length a row: the score's four parts and a flag per sub-quota sent as one
    value instead of five or more took the scoring read of 18 million members from
    27–29 s to 26–27 s.
    """

    fields: tuple[tuple[str, int], ...]

    @staticmethod
    def of(pool: Pool) -> Packing | None:
        """The packing of a decree's score parts and flags; None if they do not fit."""
        maxima = {**part_maxima(pool), **{f"s{k}": 1 for k in range(len(pool.rules.subquotas))}}
        fields = tuple((name, top.bit_length()) for name, top in maxima.items())
        return Packing(fields) if sum(bits for _, bits in fields) <= 31 else None

    def packed(self, values: dict[str, ColumnElement[int]]) -> ColumnElement[int]:
        """The columns as one SQL value."""
        total: ColumnElement[int] = literal(0)
        shift = 0
        for name, bits in self.fields:
            total = total + values[name] * (1 << shift)
            shift += bits
        return total

    def unpacked(self, packed: Ints) -> dict[str, Ints]:
        """The columns again, from the packed values."""
        columns: dict[str, Ints] = {}
        shift = 0
        for name, bits in self.fields:
            columns[name] = (packed >> shift) & ((1 << bits) - 1)
            shift += bits
        return columns


PACKED = "packed"


def write_proposals(
    session: Session,
    pool: Pool,
    on: date,
    scored: Scored,
    picks: Picks,
    seats: dict[str, pa.Array] | None = None,
) -> None:
    """The picks as proposed entries, by one bulk insert; with `seats` (role line, fit
    and class of each pick), assigned as they are written."""
    entries: Table = Entry.__table__  # type: ignore[assignment]
    rows = _entry_rows(pool, on, scored, picks, seats or {})
    with keys_checked_after(session, entries, len(picks.index), indexes=True):
        bulk.insert_arrow(session, entries, rows)
    bulk.analyze(session, entries)


def _persons_merged(session: Session) -> dict[str, str]:
    """Planner settings that join memberships with persons by merging the two in person
    order, not by hashing every person, when there are too many persons to hash in
    memory (PostgreSQL).

    A `COPY` runs on one process, and its planner hashes the persons: at 20 million, 18
    million eligible persons spilled to disk in 4 batches (458 MB each, about 100 bytes
    a person, against the 512 MB a hash may hold with `LOAD_SETTINGS`), and the read
    took 40.6 s. Merged (both read by their person-id indexes), then sorted by body for
    the subtree's closure rows: 30.0 s. Memoizing the closure rows instead took 33.4 s.
    """
    persons = bulk.estimated_rows(session, Person.__table__)  # type: ignore[arg-type]
    if persons is None or persons < MERGED_FROM:
        return {}
    return {"enable_hashjoin": "off", "enable_memoize": "off"}


MERGED_FROM = 5_000_000
"""Persons from which the hash of the eligible ones would no longer fit in memory."""


def tallies(pool: Pool, picks: Picks) -> Proposed:
    """How many the picks propose, in all and for each sub-quota."""
    by_sub = tuple(
        (sub.name, int((picks.subquota == k).sum()))
        for k, (sub, _) in enumerate(pool.rules.subquotas)
    )
    return Proposed(pool.decree.code, len(picks.index), by_sub)


SCORE_COLUMNS = (
    "score_roles",
    "score_standing",
    "score_training",
    "score_age",
    "score",
)


def room_left(session: Session, pool: Pool) -> Rooms:
    """Each body's room left in the whole quota and in each sub-quota."""
    whole = {int(b): int(n) for b, n in session.execute(_room(pool.decree, None))}
    bodies = np.array(sorted(whole), dtype=np.int64)
    parts = np.zeros((len(bodies), len(pool.rules.subquotas)), dtype=np.int64)
    for k, (sub, _) in enumerate(pool.rules.subquotas):
        part = {int(b): int(n) for b, n in session.execute(_room_for(pool.decree, sub.id))}
        parts[:, k] = [max(part.get(int(b), 0), 0) for b in bodies]
    room = np.array([whole[int(b)] for b in bodies], dtype=np.int64)
    return Rooms(bodies, room, parts)


def _scored(
    session: Session,
    pool: Pool,
    within: Select[Any] | None,
    with_room: bool,
    bodies: Sequence[int] | None = None,
    packing: Packing | None = None,
) -> Select[Any]:
    """Eligible members not in the decree yet (of bodies with room, `with_room`): their
    score parts, and 1 or 0 for whether they meet each sub-quota (s0, s1, ...), or all
    of these packed into one column by `packing`. The scope's `bodies`, when known, as
    `pool.eligible` takes them."""
    decree = pool.decree
    score = score_columns(pool, decree.issued_on)
    flags = [
        case((pool.passes(rule), 1), else_=0).label(f"s{k}")
        for k, (_, rule) in enumerate(pool.rules.subquotas)
    ]
    values: list[Label[int]] = [*score.parts(), *flags]
    if packing is not None:
        values = [packing.packed({v.name: v.element for v in values}).label(PACKED)]
    query = eligible(pool, Membership.person_id, Membership.body_id, *values, bodies=bodies)
    if with_room:
        room = _room(decree, None).subquery()
        query = query.join(room, room.c.body_id == Membership.body_id)
    if _entries(session, decree):
        query = query.where(~_in_decree(decree, Person.id))  # probed per member: only if any
    if within is not None:
        query = query.where(Membership.body_id.in_(within))
    return query


def _entry_rows(
    pool: Pool, on: date, scored: Scored, picks: Picks, seats: dict[str, pa.Array]
) -> pa.RecordBatch:
    """The proposals as entry rows, sub-quota picks first, in each fill's rank order."""
    n = len(picks.index)
    sub_ids = np.array([sub.id for sub, _ in pool.rules.subquotas] + [0], dtype=np.int64)
    subquota = pa.array(sub_ids[picks.subquota], mask=picks.subquota < 0)
    chosen = scored.columns
    columns = {
        "decree_id": pa.array(np.full(n, pool.decree.id, dtype=np.int64)),
        "person_id": pa.array(chosen["person_id"][picks.index]),
        "body_id": pa.array(chosen["body_id"][picks.index]),
        "subquota_id": subquota,
        "status": pa.array([PROPOSED] * n, type=pa.string()),
        "rank": pa.array(picks.rank),
        **{name: pa.array(chosen[name][picks.index]) for name in SCORE_COLUMNS[:4]},
        "score": pa.array(scored.total[picks.index]),
        "proposed_on": pa.array([on] * n, type=pa.date32()),
        "status_on": pa.array([on] * n, type=pa.date32()),
        **seats,
    }
    return pa.RecordBatch.from_pydict(columns)


def _entries(session: Session, decree: Decree) -> int:
    return session.scalar(select(func.count()).where(Entry.decree_id == decree.id)) or 0


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
