"""Admitting, confirming, transferring, changing and ending memberships.

Every change is a dated record appended to the history; current values on `Person` and
the open spell are a convenience kept in step in the same transaction, together with
the census tallies and the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.census import tallies
from orgburo.core.attributes import (
    CORE_ATTRIBUTES,
    STATUSES,
    AttributeValue,
    check_birth_year,
    tally_key,
)
from orgburo.core.dates import check_not_before, check_not_future
from orgburo.errors import Conflict, Invalid, NotFound
from orgburo.members.attributes import catalog, parse_attributes
from orgburo.members.models import MemberEvent, Membership, Person, name_key

END_REASONS = ("left", "expelled", "died", "not_confirmed")

# The member page's statements, built once (architecture.md, "Statements built once").
_BY_EXTERNAL_ID = select(Person).where(Person.external_id == bindparam("external_id"))
_VIEWED = select(Person, access.HOME_BODY_OF_PERSON).where(
    Person.external_id == bindparam("external_id")
)
_CURRENT_SPELL = select(Membership).where(
    Membership.person_id == bindparam("person_id"), Membership.ended_on.is_(None)
)
_SPELLS = (
    select(Membership, Body)
    .join(Body, Body.id == Membership.body_id)
    .where(Membership.person_id == bindparam("person_id"))
    .order_by(Membership.started_on, Membership.id)
)
_EVENTS = (
    select(MemberEvent)
    .where(MemberEvent.person_id == bindparam("person_id"))
    .order_by(MemberEvent.on, MemberEvent.id)
)


def get(session: Session, external_id: str) -> Person | None:
    """The person with this registry id, if any."""
    return session.scalar(_BY_EXTERNAL_ID, {"external_id": external_id})


def get_or_raise(session: Session, external_id: str, field: str = "id") -> Person:
    """The person with this registry id, or NotFound naming the field."""
    person = get(session, external_id)
    if person is None:
        raise _nobody(external_id, field)
    return person


def _nobody(external_id: str, field: str) -> NotFound:
    return NotFound(f"{field}: nobody has the registry id {external_id!r}")


def view(session: Session, *, external_id: str, actor: Actor) -> Person:
    """The person with this registry id, if the actor may see their record."""
    found = session.execute(_VIEWED, {"external_id": external_id}).first()
    if found is None:
        raise _nobody(external_id, "id")
    person: Person = found[0]
    access.remember_home(session, person.id, found[1])
    access.require_read_person(session, actor, person)
    return person


def current_spell(session: Session, person: Person) -> Membership | None:
    """The person's open membership spell, if they are a member now."""
    return session.scalar(_CURRENT_SPELL, {"person_id": person.id})


def describe(person: Person) -> dict[str, Any]:
    """The person's current values, as the audit trail records them."""
    values = {name: getattr(person, name) for name in CORE_ATTRIBUTES}
    return {"id": person.external_id, "name": person.name, **values, **(person.extra or {})}


def admit(
    session: Session,
    *,
    external_id: str,
    name: str,
    body_code: str,
    on: date,
    actor: Actor,
    status: str = "candidate",
    attributes: Mapping[str, Any] | None = None,
) -> Person:
    """Admit a person (new, or a former member) to a body as candidate or full member."""
    access.require_change_body(session, actor, bodies.get_or_raise(session, body_code))
    _check_status(status)
    body = _open_body(session, body_code, on)
    person = get(session, external_id)
    if person is None:
        person = _new_person(session, external_id, name, attributes or {}, on)
    else:
        _check_readmission(session, person, on)
    spell = _open_spell(session, person, body, status, on, "admitted")
    _audit(
        session, actor, "member.admitted", person, None, {**describe(person), **_spell(spell, body)}
    )
    return person


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise Invalid.one("status", f"{status!r} is not one of {', '.join(STATUSES)}")


def _open_body(session: Session, code: str, on: date) -> Body:
    body = bodies.get_or_raise(session, code)
    if body.closed_on is not None and body.closed_on <= on:
        raise Invalid.one("body", f"{code!r} was closed on {body.closed_on}")
    check_not_before("on", on, body.opened_on, f"the opening of {code!r}")
    return body


def _new_person(
    session: Session, external_id: str, name: str, raw: Mapping[str, Any], on: date
) -> Person:
    check_not_future("on", on, date.today())
    if not external_id.strip() or not name.strip():
        raise Invalid.one("id" if not external_id.strip() else "name", "must not be empty")
    values = parse_attributes(catalog(session), raw)
    check_birth_year(_int_or_none(values.get("birth_year")), date.today())
    _check_born_by(_int_or_none(values.get("birth_year")), on)
    core = {k: v for k, v in values.items() if k in CORE_ATTRIBUTES}
    extra = {k: v for k, v in values.items() if k not in CORE_ATTRIBUTES and v is not None}
    person = Person(
        external_id=external_id.strip(),
        name=name.strip(),
        name_key=name_key(name),
        extra=extra,
        **core,
    )
    session.add(person)
    session.flush()
    return person


def _int_or_none(value: AttributeValue) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_born_by(birth_year: int | None, on: date) -> None:
    if birth_year is not None and on.year < birth_year:
        raise Invalid.one("on", f"{on.isoformat()} is before the person's birth ({birth_year})")


def _check_readmission(session: Session, person: Person, on: date) -> None:
    if person.died_on is not None:
        raise Invalid.one("id", f"{person.external_id!r} died on {person.died_on}")
    if current_spell(session, person) is not None:
        raise Conflict(f"id: {person.external_id!r} is already a member")
    _check_change_date(session, person, on)


def _check_change_date(session: Session, person: Person, on: date) -> None:
    check_not_future("on", on, date.today())
    check_not_before(
        "on", on, last_change_date(session, person), "the person's last recorded change"
    )
    _check_born_by(person.birth_year, on)


def last_change_date(session: Session, person: Person) -> date:
    """The latest date in the person's history; new records may not predate it."""
    spells = select(func.max(func.coalesce(Membership.ended_on, Membership.started_on))).where(
        Membership.person_id == person.id
    )
    events = select(func.max(MemberEvent.on)).where(MemberEvent.person_id == person.id)
    dates = [d for d in (session.scalar(spells), session.scalar(events)) if d is not None]
    return max(dates, default=date.min)


def _open_spell(
    session: Session, person: Person, body: Body, status: str, on: date, reason: str
) -> Membership:
    spell = Membership(
        person_id=person.id,
        body_id=body.id,
        status=status,
        started_on=on,
        start_reason=reason,
        name_key=person.name_key,
    )
    session.add(spell)
    session.flush()
    tallies.add_member(session, body.id, status, tallies.tallied_values(person))
    return spell


def _close_spell(
    session: Session, person: Person, spell: Membership, on: date, reason: str
) -> None:
    spell.ended_on = on
    spell.end_reason = reason
    session.flush()
    tallies.remove_member(session, spell.body_id, spell.status, tallies.tallied_values(person))


def _spell(spell: Membership, body: Body) -> dict[str, Any]:
    return {"body": body.code, "status": spell.status, "since": spell.started_on}


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    person: Person,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    spell = current_spell(session, person)
    body_id = spell.body_id if spell else None
    audit.record(
        session,
        actor=actor,
        action=action,
        target=("person", person.external_id),
        before=before,
        after=after,
        body_id=body_id,
        person_id=person.id,
    )


def _member_now(
    session: Session, external_id: str, on: date, actor: Actor
) -> tuple[Person, Membership]:
    person = get_or_raise(session, external_id)
    access.require_change_person(session, actor, person)
    spell = current_spell(session, person)
    if spell is None:
        raise Invalid.one("id", f"{external_id!r} is not a member now")
    _check_change_date(session, person, on)
    return person, spell


def confirm(session: Session, *, external_id: str, on: date, actor: Actor) -> Person:
    """Make a candidate a full member from `on`."""
    person, spell = _member_now(session, external_id, on, actor)
    if spell.status != "candidate":
        raise Invalid.one("status", f"{external_id!r} is already a full member")
    body = session.get_one(Body, spell.body_id)
    before = _spell(spell, body)
    _close_spell(session, person, spell, on, "confirmed")
    new = _open_spell(session, person, body, "full", on, "confirmed")
    _audit(session, actor, "member.confirmed", person, before, _spell(new, body))
    return person


def transfer(
    session: Session, *, external_id: str, to_body_code: str, on: date, actor: Actor
) -> Person:
    """Move a member to another body from `on`, keeping their status."""
    person, spell = _member_now(session, external_id, on, actor)
    access.require_change_body(session, actor, bodies.get_or_raise(session, to_body_code))
    target = _open_body(session, to_body_code, on)
    if target.id == spell.body_id:
        raise Invalid.one("body", f"{external_id!r} is already in {to_body_code!r}")
    before = _spell(spell, session.get_one(Body, spell.body_id))
    _close_spell(session, person, spell, on, "transferred")
    new = _open_spell(session, person, target, spell.status, on, "transferred")
    _audit(session, actor, "member.transferred", person, before, _spell(new, target))
    return person


def end(
    session: Session,
    *,
    external_id: str,
    reason: str,
    on: date,
    actor: Actor,
    note: str | None = None,
) -> Person:
    """End a membership: the member left, was expelled, or died."""
    person, spell = _member_now(session, external_id, on, actor)
    if reason not in END_REASONS:
        raise Invalid.one("reason", f"{reason!r} is not one of {', '.join(END_REASONS)}")
    before = _spell(spell, session.get_one(Body, spell.body_id))
    _audit(session, actor, f"member.{reason}", person, before, {"on": on, "note": note})
    _close_spell(session, person, spell, on, reason)
    spell.note = note
    if reason == "died":
        person.died_on = on
    return person


def note_event(
    session: Session, *, external_id: str, kind: str, on: date, note: str, actor: Actor
) -> MemberEvent:
    """Add a dated event to a current member's history (e.g. a candidate stage extended)."""
    person, _ = _member_now(session, external_id, on, actor)
    event = MemberEvent(person_id=person.id, kind=kind, on=on, note=note[:500])
    session.add(event)
    session.flush()
    _audit(session, actor, f"member.{kind}", person, None, {"on": on, "note": note})
    return event


def change_attributes(
    session: Session, *, external_id: str, changes: Mapping[str, Any], on: date, actor: Actor
) -> Person:
    """Record new attribute values from `on`; the old values stay in the history."""
    person = get_or_raise(session, external_id)
    access.require_change_person(session, actor, person)
    _check_change_date(session, person, on)
    values = parse_attributes(catalog(session), changes)
    spell = current_spell(session, person)
    before = describe(person)
    for name, value in values.items():
        _change_one(session, person, spell, name, value, on)
    _audit(session, actor, "member.attributes_changed", person, before, describe(person))
    return person


def _change_one(
    session: Session,
    person: Person,
    spell: Membership | None,
    name: str,
    value: AttributeValue,
    on: date,
) -> None:
    old = getattr(person, name) if name in CORE_ATTRIBUTES else (person.extra or {}).get(name)
    if old == value:
        return
    if name == "birth_year":
        check_birth_year(_int_or_none(value), date.today())
    session.add(
        MemberEvent(
            person_id=person.id,
            kind="attribute_changed",
            on=on,
            attribute=name,
            old_value=_stored(old),
            new_value=_stored(value),
        )
    )
    if name in CORE_ATTRIBUTES:
        setattr(person, name, value)
    else:
        person.extra = {**(person.extra or {}), name: value}
    if spell is not None:
        tallies.change_value(session, spell.body_id, spell.status, name, old, value)


def _stored(value: AttributeValue) -> str | None:
    return None if value is None else tally_key(value)


def spells(session: Session, person: Person) -> Sequence[tuple[Membership, Body]]:
    """The person's membership spells with their bodies, oldest first."""
    return [(m, b) for m, b in session.execute(_SPELLS, {"person_id": person.id})]


def attribute_events(session: Session, person: Person) -> Sequence[MemberEvent]:
    """The person's recorded attribute changes and other events, oldest first."""
    return session.scalars(_EVENTS, {"person_id": person.id}).all()
