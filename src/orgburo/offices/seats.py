"""Seats on elected organs: filled by an election's result, ended by the next one.

A seat is held from the day of the election that filled it until the next election of
the same organ and kind of seat (`term ended`), or until it is vacated (`resigned`,
`removed`, `died`). Membership spells are not touched: a seat is a place on an organ,
not where a member belongs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies.models import Body
from orgburo.errors import Invalid, NotFound
from orgburo.members.models import Person
from orgburo.offices.models import SEAT_KINDS, OrganSeat

VACATING = ("resigned", "removed", "died")


def check_kind(kind: str) -> str:
    """`full` or `candidate`."""
    if kind not in SEAT_KINDS:
        raise Invalid.one("seat_kind", f"{kind!r} is not one of {', '.join(SEAT_KINDS)}")
    return kind


def holders_on(
    session: Session, organ: Body, on: date | None = None, kind: str | None = None
) -> Sequence[OrganSeat]:
    """Seats held on `on` (today's open seats when None), of one kind or both."""
    query = select(OrganSeat).where(OrganSeat.body_id == organ.id)
    if kind is not None:
        query = query.where(OrganSeat.kind == check_kind(kind))
    if on is None:
        query = query.where(OrganSeat.ended_on.is_(None))
    else:
        query = query.where(
            OrganSeat.started_on <= on, or_(OrganSeat.ended_on.is_(None), OrganSeat.ended_on > on)
        )
    return session.scalars(query.order_by(OrganSeat.kind.desc(), OrganSeat.id)).all()


def history(session: Session, organ: Body) -> Sequence[OrganSeat]:
    """Every seat the organ has had, in order of start."""
    query = select(OrganSeat).where(OrganSeat.body_id == organ.id)
    return session.scalars(query.order_by(OrganSeat.started_on, OrganSeat.id)).all()


def fill(
    session: Session,
    *,
    organ: Body,
    kind: str,
    people: Sequence[Person],
    on: date,
    actor: Actor,
    election_id: int | None = None,
) -> list[OrganSeat]:
    """End the organ's open seats of this kind on `on` and seat `people` from that day."""
    check_kind(kind)
    for seat in holders_on(session, organ, kind=kind):
        if on < seat.started_on:
            raise Invalid.one("on", f"{on} is before the seats it replaces ({seat.started_on})")
        seat.ended_on, seat.end_reason = on, "term ended"
    seats = [
        OrganSeat(
            body_id=organ.id, person_id=p.id, kind=kind, started_on=on, election_id=election_id
        )
        for p in people
    ]
    session.add_all(seats)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="organ.seats_filled",
        target=("body", organ.code),
        after={"kind": kind, "on": on, "holders": [p.external_id for p in people]},
        body_id=organ.id,
    )
    return seats


def vacate(
    session: Session, *, organ: Body, person: Person, on: date, reason: str, actor: Actor
) -> OrganSeat:
    """End a person's open seat on the organ for `reason` (resigned, removed, died)."""
    access.require_change_body(session, actor, organ, "organ")
    if reason not in VACATING:
        raise Invalid.one("reason", f"{reason!r} is not one of {', '.join(VACATING)}")
    query = select(OrganSeat).where(
        OrganSeat.body_id == organ.id,
        OrganSeat.person_id == person.id,
        OrganSeat.ended_on.is_(None),
    )
    seat = session.scalar(query)
    if seat is None:
        raise NotFound(f"person: {person.external_id!r} holds no seat on {organ.code!r}")
    if on < seat.started_on:
        raise Invalid.one("on", f"{on} is before the seat was taken ({seat.started_on})")
    seat.ended_on, seat.end_reason = on, reason
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="organ.seat_vacated",
        target=("body", organ.code),
        after={"person": person.external_id, "on": on, "reason": reason},
        body_id=organ.id,
        person_id=person.id,
    )
    return seat
