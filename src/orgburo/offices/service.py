"""Offices and their terms: create an office, start and end terms, ask who held it when.

Services add and flush; the caller's unit of work commits. Every change is audited.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.core.tree import check_code
from orgburo.errors import Conflict, Invalid, NotFound
from orgburo.members.models import Person
from orgburo.offices.models import PRECISIONS, Office, OfficeTerm


@dataclass(frozen=True)
class Holding:
    """A term in force on a date; `certain` is False when an imprecise date leaves doubt."""

    term: OfficeTerm
    certain: bool


def get(session: Session, code: str) -> Office | None:
    """The office with this code, if any."""
    return session.scalar(select(Office).where(Office.code == code))


def get_or_raise(session: Session, code: str, field: str = "office") -> Office:
    """The office with this code, or NotFound naming the field."""
    office = get(session, code)
    if office is None:
        raise NotFound(f"{field}: no office has the code {code!r}")
    return office


def all_offices(session: Session) -> Sequence[Office]:
    """Every office, by code."""
    return session.scalars(select(Office).order_by(Office.code)).all()


def create(
    session: Session,
    *,
    code: str,
    title: str,
    actor: Actor,
    body_code: str | None = None,
    note: str | None = None,
) -> Office:
    """A new office, optionally of a body (the organization or organ it belongs to)."""
    body = bodies.get_or_raise(session, body_code) if body_code else None
    _require_change(session, actor, body)
    check_code(code)
    if not title.strip():
        raise Invalid.one("title", "must not be empty")
    if get(session, code) is not None:
        raise Conflict(f"code: an office with the code {code!r} already exists")
    office = Office(code=code, title=title.strip(), body_id=body.id if body else None, note=note)
    session.add(office)
    session.flush()
    _audit(session, actor, "office.created", office, {"title": office.title, "note": note})
    return office


def require_change(session: Session, actor: Actor, office: Office) -> None:
    """PermissionDenied unless the actor may change the office's body (administrators
    only for an office of no body)."""
    _require_change(session, actor, session.get(Body, office.body_id) if office.body_id else None)


def _require_change(session: Session, actor: Actor, body: Body | None) -> None:
    if body is None:
        access.require_admin(actor, "change an office of no body")
    else:
        access.require_change_body(session, actor, body)


def terms(session: Session, office: Office) -> Sequence[OfficeTerm]:
    """Every term of the office, in order of start."""
    query = select(OfficeTerm).where(OfficeTerm.office_id == office.id)
    return session.scalars(query.order_by(OfficeTerm.started_on, OfficeTerm.id)).all()


def current_terms(session: Session, office: Office) -> Sequence[OfficeTerm]:
    """Terms not yet ended."""
    query = select(OfficeTerm).where(
        OfficeTerm.office_id == office.id, OfficeTerm.ended_on.is_(None)
    )
    return session.scalars(query.order_by(OfficeTerm.started_on, OfficeTerm.id)).all()


def holders_on(session: Session, office: Office, on: date) -> list[Holding]:
    """Who held the office on `on`: certain holders first, then those imprecise dates allow."""
    query = select(OfficeTerm).where(
        OfficeTerm.office_id == office.id,
        OfficeTerm.started_on <= on,
        # an end known only to the year is stored as 1 January: filter loosely, then exactly
        or_(OfficeTerm.ended_on.is_(None), OfficeTerm.ended_on >= date(on.year, 1, 1)),
    )
    found = []
    for term in session.scalars(query.order_by(OfficeTerm.started_on, OfficeTerm.id)):
        if not _may_hold(term, on):
            continue
        found.append(Holding(term, _surely_holds(term, on)))
    return sorted(found, key=lambda h: (not h.certain, h.term.started_on))


def _may_hold(term: OfficeTerm, on: date) -> bool:
    """Started on or before `on` at the earliest, and ended after it at the latest.

    An end known to the day is the first day out of office (the day of the handover);
    an end known to the month or year may fall anywhere in it.
    """
    if term.ended_on is None:
        return True
    if term.end_precision == "day":
        return on < term.ended_on
    return on <= last_day(term.ended_on, term.end_precision)


def _surely_holds(term: OfficeTerm, on: date) -> bool:
    if last_day(term.started_on, term.start_precision) > on:
        return False
    return term.ended_on is None or on < term.ended_on


def last_day(start: date, precision: str) -> date:
    """The last day a date of this precision may stand for."""
    if precision == "year":
        return date(start.year, 12, 31)
    if precision == "month":
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


@dataclass(frozen=True)
class TermStart:
    """Who starts a term, under which title, from when, and on what evidence."""

    holder_name: str
    started_on: date
    title: str | None = None
    person: Person | None = None
    start_precision: str = "day"
    election_id: int | None = None
    source: str | None = None
    note: str | None = None


def start_term(
    session: Session, *, office: Office, start: TermStart, actor: Actor, succeed: bool = True
) -> OfficeTerm:
    """A new term; with `succeed`, the terms still open end on its first day (`succeeded`)."""
    require_change(session, actor, office)
    _check_precision("start_precision", start.start_precision)
    if succeed:
        for term in current_terms(session, office):
            _close(term, start.started_on, "day", "succeeded")
    term = OfficeTerm(
        office_id=office.id,
        person_id=start.person.id if start.person else None,
        holder_name=start.holder_name,
        title=start.title or office.title,
        started_on=start.started_on,
        start_precision=start.start_precision,
        election_id=start.election_id,
        source=start.source,
        note=start.note,
    )
    session.add(term)
    session.flush()
    _audit(session, actor, "office.term_started", office, _term_facts(term))
    return term


def end_term(
    session: Session,
    *,
    term: OfficeTerm,
    ended_on: date,
    reason: str,
    actor: Actor,
    precision: str = "day",
) -> OfficeTerm:
    """End a term on `ended_on` (the first day out of office) for `reason`."""
    office = session.get(Office, term.office_id)
    assert office is not None
    require_change(session, actor, office)
    _check_precision("end_precision", precision)
    _close(term, ended_on, precision, reason)
    session.flush()
    _audit(session, actor, "office.term_ended", office, _term_facts(term))
    return term


def vacate(session: Session, *, office: Office, ended_on: date, reason: str, actor: Actor) -> int:
    """End every open term of the office on `ended_on`; returns how many ended."""
    require_change(session, actor, office)
    open_terms = current_terms(session, office)
    if not open_terms:
        raise Conflict(f"office: {office.code!r} has no holder to remove")
    for term in open_terms:
        end_term(session, term=term, ended_on=ended_on, reason=reason, actor=actor)
    return len(open_terms)


def _close(term: OfficeTerm, on: date, precision: str, reason: str) -> None:
    if on < term.started_on:
        raise Invalid.one("ended_on", f"{on} is before the term's start ({term.started_on})")
    term.ended_on, term.end_precision, term.end_reason = on, precision, reason


def _check_precision(field: str, precision: str) -> None:
    if precision not in PRECISIONS:
        raise Invalid.one(field, f"{precision!r} is not one of {', '.join(PRECISIONS)}")


def _term_facts(term: OfficeTerm) -> dict[str, object]:
    return {
        "holder": term.holder_name,
        "title": term.title,
        "from": term.started_on,
        "to": term.ended_on,
        "end_reason": term.end_reason,
        "election_id": term.election_id,
    }


def _audit(
    session: Session, actor: Actor, action: str, office: Office, after: dict[str, object]
) -> None:
    audit.record(session, actor=actor, action=action, target=("office", office.code), after=after)
