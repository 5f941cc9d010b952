"""HTTP API of offices (holders and terms, who held an office on a date) and organ seats."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.elections.models import Election
from orgburo.members import service as members
from orgburo.members.models import Person
from orgburo.offices import seats
from orgburo.offices import service as offices
from orgburo.offices.models import Office, OfficeTerm, OrganSeat
from orgburo.offices.schemas import (
    Ending,
    HoldingRead,
    OfficeCreate,
    OfficeRead,
    SeatRead,
    TermCreate,
    TermRead,
)
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.errors import ERRORS

router = APIRouter(prefix="/api", tags=["offices"], responses=ERRORS)


def read(session: Session, office: Office) -> OfficeRead:
    """The API view of an office."""
    body = session.get(Body, office.body_id) if office.body_id else None
    return OfficeRead(
        code=office.code, title=office.title, body=body.code if body else None, note=office.note
    )


def term_read(session: Session, term: OfficeTerm) -> TermRead:
    """The API view of a term."""
    person = session.get(Person, term.person_id) if term.person_id else None
    election = session.get(Election, term.election_id) if term.election_id else None
    return TermRead(
        holder=term.holder_name,
        registry_id=person.external_id if person else None,
        title=term.title,
        started_on=term.started_on,
        start_precision=term.start_precision,
        ended_on=term.ended_on,
        end_precision=term.end_precision,
        end_reason=term.end_reason,
        source=term.source,
        note=term.note,
        election=election.code if election else None,
    )


def seat_read(session: Session, organ: Body, seat: OrganSeat) -> SeatRead:
    """The API view of a seat."""
    person = session.get(Person, seat.person_id)
    election = session.get(Election, seat.election_id) if seat.election_id else None
    return SeatRead(
        organ=organ.code,
        person=person.external_id if person else "",
        name=person.name if person else "",
        kind=seat.kind,
        started_on=seat.started_on,
        ended_on=seat.ended_on,
        end_reason=seat.end_reason,
        election=election.code if election else None,
    )


@router.get("/offices", response_model=list[OfficeRead])
def list_offices(session: SessionDep, actor: ActorDep) -> list[OfficeRead]:
    """Every office."""
    return [read(session, o) for o in offices.all_offices(session)]


@router.post("/offices", response_model=OfficeRead, status_code=201)
def create_office(payload: OfficeCreate, session: SessionDep, actor: ActorDep) -> OfficeRead:
    """Create an office."""
    office = offices.create(
        session,
        code=payload.code,
        title=payload.title,
        body_code=payload.body,
        note=payload.note,
        actor=actor,
    )
    return read(session, office)


@router.get("/offices/{code}/terms", response_model=list[TermRead])
def list_terms(code: str, session: SessionDep, actor: ActorDep) -> list[TermRead]:
    """Every term of the office, in order."""
    office = offices.get_or_raise(session, code)
    return [term_read(session, t) for t in offices.terms(session, office)]


@router.post("/offices/{code}/terms", response_model=TermRead, status_code=201)
def start_term(code: str, payload: TermCreate, session: SessionDep, actor: ActorDep) -> TermRead:
    """Start a term; by default the terms still open end that day."""
    office = offices.get_or_raise(session, code)
    person = members.get(session, payload.holder)
    start = offices.TermStart(
        holder_name=person.name if person else payload.holder,
        person=person,
        started_on=payload.started_on,
        title=payload.title,
        source=payload.source,
    )
    term = offices.start_term(
        session, office=office, start=start, actor=actor, succeed=payload.succeed
    )
    return term_read(session, term)


@router.post("/offices/{code}/end", response_model=list[TermRead])
def end_terms(code: str, payload: Ending, session: SessionDep, actor: ActorDep) -> list[TermRead]:
    """End every open term of the office (it is then vacant)."""
    office = offices.get_or_raise(session, code)
    offices.vacate(session, office=office, ended_on=payload.on, reason=payload.reason, actor=actor)
    return [term_read(session, t) for t in offices.terms(session, office)]


@router.get("/offices/{code}/holders", response_model=list[HoldingRead])
def holders(
    code: str,
    session: SessionDep,
    actor: ActorDep,
    on: date = Query(..., description="The date asked about."),
) -> list[HoldingRead]:
    """Who held the office on a date: certain holders first, then possible ones."""
    office = offices.get_or_raise(session, code)
    return [
        HoldingRead(**term_read(session, h.term).model_dump(), certain=h.certain)
        for h in offices.holders_on(session, office, on)
    ]


@router.get("/organs/{code}/seats", response_model=list[SeatRead])
def organ_seats(
    code: str,
    session: SessionDep,
    actor: ActorDep,
    on: date | None = Query(None, description="Seats held on this date (default: today)."),
) -> list[SeatRead]:
    """The holders of an organ's seats on a date."""
    organ = bodies.get_or_raise(session, code, "organ")
    return [seat_read(session, organ, s) for s in seats.holders_on(session, organ, on)]


@router.post("/organs/{code}/seats/{person}/vacate", response_model=SeatRead)
def vacate_seat(
    code: str, person: str, payload: Ending, session: SessionDep, actor: ActorDep
) -> SeatRead:
    """End a person's seat on an elected organ (resigned, removed, died)."""
    organ = bodies.get_or_raise(session, code, "organ")
    seat = seats.vacate(
        session,
        organ=organ,
        person=members.get_or_raise(session, person, "person"),
        on=payload.on,
        reason=payload.reason,
        actor=actor,
    )
    return seat_read(session, organ, seat)
