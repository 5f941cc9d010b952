"""HTTP API of the registry."""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from orgburo.bodies.models import Body
from orgburo.members import attributes
from orgburo.members import service as members
from orgburo.members.history import history
from orgburo.members.models import Person
from orgburo.members.roster import roster, where_pairs
from orgburo.members.schemas import (
    Admission,
    AttributeChange,
    AttributeCreate,
    AttributeRead,
    DatedChange,
    Ending,
    HistoryEntryRead,
    MemberRead,
    RosterRead,
    Transfer,
)
from orgburo.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api", tags=["members"])


def read(session: Session, person: Person) -> MemberRead:
    """The API view of a person."""
    spell = members.current_spell(session, person)
    body = session.get(Body, spell.body_id) if spell else None
    values = {k: v for k, v in members.describe(person).items() if k not in ("id", "name")}
    return MemberRead(
        id=person.external_id,
        name=person.name,
        body=body.code if body else None,
        status=spell.status if spell else None,
        attributes=values,
        died_on=person.died_on,
    )


@router.get("/bodies/{code}/members", response_model=RosterRead)
def list_members(
    code: str,
    session: SessionDep,
    actor: ActorDep,
    q: str | None = Query(None, max_length=200, description="Registry id or name prefix."),
    where: list[str] = Query(
        [], description="Core attribute filter NAME=VALUE (e.g. sex=female); repeat."
    ),
    after: str | None = Query(
        None, max_length=2000, description="`next_after` of the previous page."
    ),
    limit: int = Query(50, ge=1, le=1000),
) -> RosterRead:
    """Current members of a body's subtree by name, matching a name prefix or an id."""
    page = roster(
        session,
        body_code=code,
        actor=actor,
        q=q,
        filters=where_pairs(where),
        after=after,
        limit=limit,
    )
    return RosterRead(
        members=[read(session, e.person) for e in page.entries],
        limit=page.limit,
        next_after=page.next_after,
    )


@router.post("/members", response_model=MemberRead, status_code=201)
def admit(payload: Admission, session: SessionDep, actor: ActorDep) -> MemberRead:
    """Admit a person to a body."""
    person = members.admit(
        session,
        external_id=payload.id,
        name=payload.name,
        body_code=payload.body,
        on=payload.on,
        status=payload.status,
        attributes=payload.attributes,
        actor=actor,
    )
    return read(session, person)


@router.get("/members/{id}", response_model=MemberRead)
def get_member(id: str, session: SessionDep, actor: ActorDep) -> MemberRead:
    """A person and their current membership."""
    return read(session, members.view(session, external_id=id, actor=actor))


@router.get("/members/{id}/history", response_model=list[HistoryEntryRead])
def member_history(id: str, session: SessionDep, actor: ActorDep) -> list[HistoryEntryRead]:
    """Everything that happened to a member, oldest first."""
    person = members.view(session, external_id=id, actor=actor)
    return [HistoryEntryRead(**vars(e)) for e in history(session, person, actor=actor)]


@router.post("/members/{id}/confirm", response_model=MemberRead)
def confirm(id: str, payload: DatedChange, session: SessionDep, actor: ActorDep) -> MemberRead:
    """Confirm a candidate as a full member."""
    return read(session, members.confirm(session, external_id=id, on=payload.on, actor=actor))


@router.post("/members/{id}/transfer", response_model=MemberRead)
def transfer(id: str, payload: Transfer, session: SessionDep, actor: ActorDep) -> MemberRead:
    """Transfer a member to another body."""
    person = members.transfer(
        session, external_id=id, to_body_code=payload.to, on=payload.on, actor=actor
    )
    return read(session, person)


@router.post("/members/{id}/attributes", response_model=MemberRead)
def change_attributes(
    id: str, payload: AttributeChange, session: SessionDep, actor: ActorDep
) -> MemberRead:
    """Record new attribute values."""
    person = members.change_attributes(
        session, external_id=id, changes=payload.attributes, on=payload.on, actor=actor
    )
    return read(session, person)


@router.post("/members/{id}/end", response_model=MemberRead)
def end(id: str, payload: Ending, session: SessionDep, actor: ActorDep) -> MemberRead:
    """End a membership: left, expelled or died."""
    person = members.end(
        session,
        external_id=id,
        reason=payload.reason,
        on=payload.on,
        note=payload.note,
        actor=actor,
    )
    return read(session, person)


@router.get("/attributes", response_model=list[AttributeRead])
def list_attributes(session: SessionDep, actor: ActorDep) -> list[AttributeRead]:
    """Every attribute members can carry."""
    return [
        AttributeRead(name=a.name, type=a.type, choices=list(a.choices), core=a.core, label=a.label)
        for a in attributes.catalog(session).values()
    ]


@router.post("/attributes", response_model=AttributeRead, status_code=201)
def declare_attribute(
    payload: AttributeCreate, session: SessionDep, actor: ActorDep
) -> AttributeRead:
    """Declare an organization-specific attribute."""
    d = attributes.declare(
        session,
        name=payload.name,
        type=payload.type,
        choices=payload.choices,
        label=payload.label,
        actor=actor,
    )
    return AttributeRead(
        name=d.name, type=d.type, choices=list(d.choices), core=False, label=d.label
    )
