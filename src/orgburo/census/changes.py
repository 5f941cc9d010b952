"""Who may count differently on two dates: the people changed in between."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Subquery, func, or_, select, union
from sqlalchemy.orm import Session

from orgburo.bodies.models import BodyEvent, BodyLink
from orgburo.members.models import MemberEvent, Membership


def changed_between(low: date, high: date) -> Subquery:
    """Persons who may count differently on `low` and on `high` (person_id)."""
    return union(*_changes(low, high)).subquery()


def _changes(low: date, high: date) -> list[Any]:
    """Spells begun or ended, attributes changed, and spells in bodies moved in between."""
    movers = select(BodyEvent.body_id).where(
        BodyEvent.kind == "moved", BodyEvent.on > low, BodyEvent.on <= high
    )
    # Every body ever under a body that moved: a few more people than needed, never fewer.
    moved = select(BodyLink.descendant_id).where(BodyLink.ancestor_id.in_(movers))
    return [
        select(Membership.person_id).where(
            Membership.started_on > low, Membership.started_on <= high
        ),
        select(Membership.person_id).where(Membership.ended_on > low, Membership.ended_on <= high),
        select(MemberEvent.person_id).where(MemberEvent.on > low, MemberEvent.on <= high),
        select(Membership.person_id).where(
            Membership.body_id.in_(moved),
            Membership.started_on <= high,
            or_(Membership.ended_on.is_(None), Membership.ended_on > low),
        ),
    ]


def latest_change(session: Session, upto: date) -> date | None:
    """The date of the latest change on or before `upto` (one index lookup per kind)."""
    latest = [
        select(func.max(Membership.started_on)).where(Membership.started_on <= upto),
        select(func.max(Membership.ended_on)).where(Membership.ended_on <= upto),
        select(func.max(MemberEvent.on)).where(MemberEvent.on <= upto),
        select(func.max(BodyEvent.on)).where(BodyEvent.kind == "moved", BodyEvent.on <= upto),
    ]
    found = [day for query in latest if (day := session.scalar(query)) is not None]
    return max(found, default=None)


def changed_count(session: Session, low: date, high: date, limit: int) -> int:
    """Changes between the dates, counted only up to `limit` (an upper bound of the people).

    Counting stops at the limit, so deciding to count in full costs little even when
    most of the registry changed in between.
    """
    total = 0
    for query in _changes(low, high):
        capped = select(func.count()).select_from(query.limit(limit - total + 1).subquery())
        total += session.scalar(capped) or 0
        if total > limit:
            break
    return total
