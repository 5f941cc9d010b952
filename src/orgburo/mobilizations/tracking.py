"""Moving called-up members through their statuses, one at a time or in bulk.

proposed -> accepted -> ordered -> dispatched -> arrived -> returned; proposed, accepted
or ordered members may refuse, and proposed or accepted ones may be exempted (with a
reason; the body's next-ranked member is then proposed). Every move adds an event to
the member's history ("mobilization.dispatched", naming the decree, role and
destination) and an audit row: one per member moved alone, one per bulk command.
A member already dispatched or arrived under another decree cannot be dispatched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, insert, literal, select, update
from sqlalchemy.orm import Session, aliased

from orgburo import audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.errors import Conflict, Invalid, NotFound, Problem
from orgburo.members import service as members
from orgburo.members.models import MemberEvent, Person

from . import decrees
from .models import (
    ACCEPTED,
    ARRIVED,
    AWAY,
    DISPATCHED,
    EXEMPTED,
    ORDERED,
    PROPOSED,
    REFUSED,
    RETURNED,
    Decree,
    Destination,
    Entry,
    RoleLine,
    RoleType,
    describe_entry,
)
from .pool import pool_of
from .selection import fill_all

TRANSITIONS: dict[str, tuple[str, ...]] = {
    ACCEPTED: (PROPOSED,),
    ORDERED: (ACCEPTED,),
    DISPATCHED: (ORDERED,),
    ARRIVED: (DISPATCHED,),
    RETURNED: (DISPATCHED, ARRIVED),
    REFUSED: (PROPOSED, ACCEPTED, ORDERED),
    EXEMPTED: (PROPOSED, ACCEPTED),
}
NEEDS_REASON = (REFUSED, EXEMPTED)
DATED = {
    ORDERED: "ordered_on",
    DISPATCHED: "dispatched_on",
    ARRIVED: "arrived_on",
    RETURNED: "returned_on",
}
CHUNK = 1000


@dataclass(frozen=True)
class Moved:
    """How many members a bulk command moved, and to which status."""

    decree: str
    status: str
    moved: int
    replaced: int = 0


def entry_of(session: Session, decree: Decree, external_id: str) -> tuple[Entry, Person]:
    """A member's entry under a decree, or NotFound naming `id`."""
    person = members.get_or_raise(session, external_id)
    entry = session.scalar(
        select(Entry).where(Entry.decree_id == decree.id, Entry.person_id == person.id)
    )
    if entry is None:
        raise NotFound(f"id: {external_id!r} is not called up by decree {decree.code!r}")
    return entry, person


def move(
    session: Session,
    *,
    code: str,
    external_id: str,
    to: str,
    on: date,
    actor: Actor,
    reason: str | None = None,
) -> Entry:
    """Move one member's entry to status `to` on `on`."""
    decree = decrees.get_or_raise(session, code)
    entry, person = entry_of(session, decree, external_id)
    decrees.require_change(session, actor, decree, session.get_one(Body, entry.body_id))
    _check_move(to, reason)
    if entry.status not in TRANSITIONS[to]:
        raise Conflict(f"status: {external_id!r} is {entry.status}; {_allowed(to)}")
    if on < entry.status_on:
        raise Invalid.one(
            "on", f"{on} is before the last change of {external_id!r} ({entry.status_on})"
        )
    if to == DISPATCHED:
        _refuse_away(session, decree, [Entry.id == entry.id])
    before = describe_entry(entry)
    _add_events(session, decree, to, on, reason, [Entry.id == entry.id])
    _set_status(entry, to, on, reason)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"mobilization.{to}",
        target=("decree", decree.code),
        before=before,
        after=describe_entry(entry),
        body_id=entry.body_id,
        person_id=person.id,
    )
    if to == EXEMPTED:
        _replace(session, decree, on, [entry.body_id])
    return entry


def _check_move(to: str, reason: str | None) -> None:
    if to not in TRANSITIONS:
        raise Invalid.one("status", f"{to!r} is not one of {', '.join(TRANSITIONS)}")
    if to in NEEDS_REASON and not (reason or "").strip():
        raise Invalid.one("reason", f"is required to mark a member {to}")


def _allowed(to: str) -> str:
    return f"only {' or '.join(TRANSITIONS[to])} members can be {to}"


def _set_status(entry: Entry, to: str, on: date, reason: str | None) -> None:
    entry.status, entry.status_on = to, on
    if reason:
        entry.reason = reason.strip()[:500]
    if to in DATED:
        setattr(entry, DATED[to], on)


def move_many(
    session: Session,
    *,
    code: str,
    to: str,
    on: date,
    actor: Actor,
    body_code: str | None = None,
    external_ids: Sequence[str] | None = None,
    reason: str | None = None,
) -> Moved:
    """Move every entry of the decree that may move to `to`: of a body's subtree (default
    the decree's scope), or of the members listed (each must be able to move)."""
    decree = decrees.get_or_raise(session, code)
    body = (
        bodies.get_or_raise(session, body_code) if body_code else decrees.scope_of(session, decree)
    )
    decrees.require_change(session, actor, decree, body)
    _check_move(to, reason)
    if external_ids is not None:
        chunks = _listed_entries(session, decree, to, external_ids, body)
    else:
        chunks = [_in_subtree(decree, to, body)]
    if to == DISPATCHED:
        for where in chunks:
            _refuse_away(session, decree, where)
    moved, touched = 0, set()
    for where in chunks:
        touched |= set(session.scalars(select(Entry.body_id).where(*where).distinct()))
        _add_events(session, decree, to, on, reason, where)
        moved += _update(session, where, to, on, reason)
    replaced = _replace(session, decree, on, sorted(touched)) if to == EXEMPTED else 0
    result = Moved(decree.code, to, moved, replaced)
    audit.record(
        session,
        actor=actor,
        action=f"mobilization.bulk_{to}",
        target=("decree", decree.code),
        after={"on": on, "body": body.code, "listed": external_ids is not None, **vars(result)},
        body_id=body.id,
    )
    return result


def _in_subtree(decree: Decree, to: str, body: Body) -> list[ColumnElement[bool]]:
    subtree = select(BodyLink.descendant_id).where(
        BodyLink.ancestor_id == body.id, BodyLink.valid_to.is_(None)
    )
    return [
        Entry.decree_id == decree.id,
        Entry.status.in_(TRANSITIONS[to]),
        Entry.body_id.in_(subtree),
    ]


def _listed_entries(
    session: Session, decree: Decree, to: str, external_ids: Sequence[str], body: Body
) -> list[list[ColumnElement[bool]]]:
    """Entry ids of the listed members in chunks; every member that cannot move is named."""
    found: dict[str, tuple[int, str, bool]] = {}
    for start in range(0, len(external_ids), CHUNK):
        part = list(dict.fromkeys(external_ids[start : start + CHUNK]))
        found.update(_lookup(session, decree, body, part))
    problems = [
        problem
        for row, external_id in enumerate(external_ids, start=1)
        if (problem := _listed_problem(found.get(external_id), external_id, to, row)) is not None
    ]
    if problems:
        raise Invalid(problems)
    ids = sorted({found[e][0] for e in external_ids})
    return [[Entry.id.in_(ids[i : i + CHUNK])] for i in range(0, len(ids), CHUNK)]


def _lookup(
    session: Session, decree: Decree, body: Body, part: list[str]
) -> dict[str, tuple[int, str, bool]]:
    inside = exists().where(
        BodyLink.ancestor_id == body.id,
        BodyLink.descendant_id == Entry.body_id,
        BodyLink.valid_to.is_(None),
    )
    query = (
        select(Person.external_id, Entry.id, Entry.status, inside)
        .join(Entry, and_(Entry.person_id == Person.id, Entry.decree_id == decree.id))
        .where(Person.external_id.in_(part))
    )
    return {r[0]: (r[1], r[2], bool(r[3])) for r in session.execute(query)}


def _listed_problem(
    found: tuple[int, str, bool] | None, external_id: str, to: str, row: int
) -> Problem | None:
    if found is None:
        return Problem("id", f"{external_id!r} is not called up by this decree", row)
    if not found[2]:
        return Problem("id", f"{external_id!r} is outside the body given", row)
    if found[1] not in TRANSITIONS[to]:
        return Problem("id", f"{external_id!r} is {found[1]}; {_allowed(to)}", row)
    return None


def _refuse_away(session: Session, decree: Decree, where: list[ColumnElement[bool]]) -> None:
    """Conflict if any of these members is dispatched or arrived under another decree."""
    other = aliased(Entry)
    away = exists().where(
        other.person_id == Entry.person_id,
        other.decree_id != decree.id,
        other.status.in_(AWAY),
    )
    query = (
        select(Person.external_id)
        .join(Entry, Entry.person_id == Person.id)
        .where(*where, away)
        .order_by(Person.external_id)
        .limit(6)
    )
    found = session.scalars(query).all()
    if found:
        names = ", ".join(repr(f) for f in found[:5]) + (" and more" if len(found) > 5 else "")
        raise Conflict(f"id: {names} already dispatched under another decree; nothing changed")


def _update(
    session: Session, where: list[ColumnElement[bool]], to: str, on: date, reason: str | None
) -> int:
    values: dict[str, Any] = {"status": to, "status_on": on}
    if reason:
        values["reason"] = reason.strip()[:500]
    if to in DATED:
        values[DATED[to]] = on
    result = session.execute(
        update(Entry).where(*where).values(**values).execution_options(synchronize_session=False)
    )
    session.expire_all()
    return int(getattr(result, "rowcount", 0) or 0)


def _add_events(
    session: Session,
    decree: Decree,
    to: str,
    on: date,
    reason: str | None,
    where: list[ColumnElement[bool]],
) -> None:
    """One member event per entry moved, by INSERT ... SELECT."""
    notes = event_notes(session, decree, reason)
    default = notes_default(session, decree, reason)
    note = case(notes, value=Entry.role_line_id, else_=default) if notes else literal(default)
    rows = select(Entry.person_id, literal(f"mobilization.{to}"), literal(on), note).where(*where)
    session.execute(insert(MemberEvent).from_select(("person_id", "kind", "on", "note"), rows))


def event_notes(session: Session, decree: Decree, reason: str | None) -> dict[int, str]:
    """The history note for each role line of the decree: decree, role and destination."""
    query = (
        select(RoleLine.id, RoleType.name, Destination.name)
        .join(RoleType, RoleType.id == RoleLine.role_id)
        .join(Destination, Destination.id == RoleLine.destination_id)
        .where(RoleLine.decree_id == decree.id)
    )
    suffix = f" ({reason.strip()})" if reason and reason.strip() else ""
    return {
        line: f"decree {decree.code}: {role} to {where}{suffix}"[:500]
        for line, role, where in session.execute(query)
    }


def notes_default(session: Session, decree: Decree, reason: str | None) -> str:
    """The history note of a member not assigned to a role line."""
    where = session.get_one(Destination, decree.destination_id).name
    suffix = f" ({reason.strip()})" if reason and reason.strip() else ""
    return f"decree {decree.code}: to {where}{suffix}"[:500]


def _replace(session: Session, decree: Decree, on: date, body_ids: list[int]) -> int:
    """Propose the next-ranked members of these bodies in place of the exempted."""
    if not body_ids:
        return 0
    pool = pool_of(session, decree)
    within = select(Body.id).where(Body.id.in_(body_ids))
    return fill_all(session, pool, on, within=within).proposed
