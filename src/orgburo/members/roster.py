"""Finding members: a subtree's current members, filtered by name or id, a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.members.models import Membership, Person


@dataclass(frozen=True)
class RosterEntry:
    """A current member as lists show them."""

    person: Person
    body: str
    status: str


@dataclass(frozen=True)
class RosterPage:
    """One page of a roster and whether more follow."""

    entries: Sequence[RosterEntry]
    offset: int
    limit: int
    has_more: bool


def roster(
    session: Session, *, body_code: str, q: str | None = None, offset: int = 0, limit: int = 50
) -> RosterPage:
    """Current members of the subtree, by registry order, optionally matching `q`.

    `q` matches a registry id exactly or the start of a name (case-sensitive prefix,
    so the name index serves it).
    """
    body = bodies.get_or_raise(session, body_code)
    query = (
        select(Person, Body.code, Membership.status)
        .join(Membership, and_(Membership.person_id == Person.id, Membership.ended_on.is_(None)))
        .join(
            BodyLink,
            and_(
                BodyLink.descendant_id == Membership.body_id,
                BodyLink.ancestor_id == body.id,
                BodyLink.valid_to.is_(None),
            ),
        )
        .join(Body, Body.id == Membership.body_id)
    )
    if q and q.strip():
        text = q.strip()
        query = query.where(
            or_(
                Person.external_id == text,
                and_(Person.name >= text, Person.name < text + "\U0010ffff"),
            )
        )
    rows = session.execute(query.order_by(Person.id).offset(offset).limit(limit + 1)).all()
    entries = [RosterEntry(p, code, status) for p, code, status in rows[:limit]]
    return RosterPage(entries, offset, limit, len(rows) > limit)
