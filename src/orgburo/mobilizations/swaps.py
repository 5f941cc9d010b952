"""An officer replaces a proposed (or accepted) member with another member of the body."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import Actor
from orgburo.bodies.models import Body
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members
from orgburo.members.models import MemberEvent, Membership, Person

from . import decrees
from .models import ACCEPTED, PROPOSED, REPLACED, Decree, Entry, describe_entry
from .pool import Pool, eligible, pool_of
from .scoring import score_columns
from .tracking import entry_of, notes_default


def swap(
    session: Session,
    *,
    code: str,
    external_id: str,
    replacement_id: str,
    on: date,
    actor: Actor,
    reason: str | None = None,
) -> Entry:
    """Replace one member's proposal with another eligible member of the same body."""
    decree = decrees.get_or_raise(session, code)
    entry, person = entry_of(session, decree, external_id)
    body = session.get_one(Body, entry.body_id)
    decrees.require_change(session, actor, decree, body)
    if entry.status not in (PROPOSED, ACCEPTED):
        raise Conflict(
            f"status: {external_id!r} is {entry.status}; only proposed or accepted "
            "members can be swapped"
        )
    other = members.get_or_raise(session, replacement_id, "with")
    pool = pool_of(session, decree)
    _check_replacement(session, pool, entry, other, body)
    before = describe_entry(entry)
    made = _entry_for(session, pool, entry, other, on)
    note = f"replaced by {other.external_id}" + (f": {reason.strip()}" if reason else "")
    entry.status, entry.status_on, entry.reason = REPLACED, on, note[:500]
    _events(session, decree, entry, made, on, person)
    audit.record(
        session,
        actor=actor,
        action="mobilization.swapped",
        target=("decree", decree.code),
        before={"id": person.external_id, **before},
        after={"id": other.external_id, "replaces": person.external_id, "status": made.status},
        body_id=body.id,
        person_id=other.id,
    )
    return made


def _check_replacement(
    session: Session, pool: Pool, entry: Entry, other: Person, body: Body
) -> None:
    taken = session.scalar(
        select(Entry.status).where(Entry.decree_id == entry.decree_id, Entry.person_id == other.id)
    )
    if taken is not None:
        raise Conflict(f"with: {other.external_id!r} is already {taken} under this decree")
    member_here = session.scalar(
        select(Membership.id).where(
            Membership.person_id == other.id,
            Membership.body_id == body.id,
            Membership.ended_on.is_(None),
        )
    )
    if member_here is None:
        raise Invalid.one("with", f"{other.external_id!r} is not a member of {body.code!r}")
    query = eligible(pool, Person.id).where(Person.id == other.id, Membership.body_id == body.id)
    if entry.subquota_id is not None:
        rule = next(r for sub, r in pool.rules.subquotas if sub.id == entry.subquota_id)
        query = query.where(pool.condition(rule))
    if session.scalar(query.limit(1)) is None:
        reason = (
            f"{other.external_id!r} does not qualify: the decree's criteria (or the sub-quota "
            "the replaced member fills) are not met, the member is exempt, or already mobilized"
        )
        raise Invalid.one("with", reason)


def _entry_for(session: Session, pool: Pool, entry: Entry, other: Person, on: date) -> Entry:
    score = score_columns(pool, pool.decree.issued_on)
    parts = session.execute(
        eligible(pool, *score.labelled()).where(
            Person.id == other.id, Membership.body_id == entry.body_id
        )
    ).one()
    made = Entry(
        decree_id=entry.decree_id,
        person_id=other.id,
        body_id=entry.body_id,
        subquota_id=entry.subquota_id,
        status=entry.status,
        rank=entry.rank,
        score_roles=parts[0],
        score_standing=parts[1],
        score_training=parts[2],
        score_age=parts[3],
        score=parts[4],
        proposed_on=on,
        status_on=on,
    )
    session.add(made)
    session.flush()
    return made


def _events(
    session: Session, decree: Decree, entry: Entry, made: Entry, on: date, person: Person
) -> None:
    where = notes_default(session, decree, None)
    replacement = session.get_one(Person, made.person_id)
    session.add_all(
        [
            MemberEvent(
                person_id=person.id,
                kind=f"mobilization.{REPLACED}",
                on=on,
                note=f"{where}; replaced by {replacement.external_id}"[:500],
            ),
            MemberEvent(
                person_id=made.person_id,
                kind=f"mobilization.{made.status}",
                on=on,
                note=f"{where}; in place of {person.external_id}"[:500],
            ),
        ]
    )
    session.flush()
