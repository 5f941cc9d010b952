"""A past census as today's tallies minus what changed since.

Counting every spell of a large subtree for a past date reads every member. But only
the people whose records changed after that date count differently then and now:
census(date) = tallies today − those people as they are today + the same people as
they were on the date. When they are few (a census of last year), this reads a small
fraction of the registry. When most of the registry changed since (a census of the
distant past), or a body moved since (the tallies cannot be rewound through a move),
the spells are counted in full.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Subquery, func, select, union
from sqlalchemy.orm import Session

from orgburo.bodies.models import Body, BodyEvent
from orgburo.census.counting import from_spells, from_tallies
from orgburo.core.census import Key
from orgburo.members.models import MemberEvent, Membership

FULL_COUNT_SHARE = 0.3


def counts_at(
    session: Session, body: Body, wanted: tuple[str, ...], at: date
) -> Iterable[tuple[Key, int]]:
    """Counts of a tallied body's subtree on a past date `at`."""
    today = _summed(from_tallies(session, body, wanted))
    limit = int(FULL_COUNT_SHARE * sum(today.values()))
    if _moved_since(session, at) or _changed_count(session, at, limit) > limit:
        return from_spells(session, body, wanted, at)
    changed = _changed_since(at)
    today.subtract(_summed(from_spells(session, body, wanted, None, among=changed)))
    today.update(_summed(from_spells(session, body, wanted, at, among=changed)))
    return today.items()


def _summed(counts: Iterable[tuple[Key, int]]) -> Counter[Key]:
    total: Counter[Key] = Counter()
    for key, n in counts:
        total[key] += n
    return total


def _moved_since(session: Session, at: date) -> bool:
    query = select(BodyEvent.id).where(BodyEvent.kind == "moved", BodyEvent.on > at).limit(1)
    return session.scalar(query) is not None


def _changed_since(at: date) -> Subquery:
    """Persons with a spell that began or ended, or an event recorded, after `at`."""
    return union(
        select(Membership.person_id).where(Membership.started_on > at),
        select(Membership.person_id).where(Membership.ended_on > at),
        select(MemberEvent.person_id).where(MemberEvent.on > at),
    ).subquery()


def _changed_count(session: Session, at: date, limit: int) -> int:
    """The people changed since `at`, counted only up to `limit` (an upper bound).

    Counting stops at the limit, so deciding to count in full costs little even when
    most of the registry changed since.
    """
    total = 0
    for query in (
        select(Membership.id).where(Membership.started_on > at),
        select(Membership.id).where(Membership.ended_on > at),
        select(MemberEvent.id).where(MemberEvent.on > at),
    ):
        capped = select(func.count()).select_from(query.limit(limit - total + 1).subquery())
        total += session.scalar(capped) or 0
        if total > limit:
            break
    return total
