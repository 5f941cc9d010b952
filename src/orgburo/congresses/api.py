"""HTTP API of sittings: convene, apportion delegates, register them, check credentials;
and of the electoral chain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from fastapi import APIRouter
from sqlalchemy.orm import Session

from orgburo.bodies.models import Body
from orgburo.congresses import chain, delegates
from orgburo.congresses import service as congresses
from orgburo.congresses.models import Congress, Delegate
from orgburo.congresses.schemas import (
    Apportioning,
    ChainLoad,
    CongressCreate,
    CongressRead,
    DelegateCreate,
    DelegateRead,
    LinkRead,
    QuotaRead,
)
from orgburo.core.delegates import Norm
from orgburo.members.models import Person
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.errors import ERRORS

router = APIRouter(prefix="/api", tags=["congresses"], responses=ERRORS)


def read(session: Session, congress: Congress) -> CongressRead:
    """The API view of a sitting."""
    body = session.get(Body, congress.body_id)
    norm = congresses.norm_of(congress)
    return CongressRead(
        code=congress.code,
        name=congress.name,
        kind=congress.kind,
        body=body.code if body else "",
        opens_on=congress.opens_on,
        closes_on=congress.closes_on,
        norm=norm.describe() if norm else None,
        census_on=congress.census_on,
    )


def quota_reads(session: Session, congress: Congress) -> list[QuotaRead]:
    """The congress's quotas, by organization."""
    return [
        QuotaRead(
            organization=body.code,
            full_members=q.full_members,
            candidates=q.candidates,
            voting=q.voting,
            consultative=q.consultative,
        )
        for q, body in congresses.quotas(session, congress)
    ]


def delegate_reads(session: Session, congress: Congress) -> list[DelegateRead]:
    """The congress's delegates, in order of registration."""
    return _delegate_reads(delegates.listing(session, congress))


def _delegate_reads(listed: Sequence[tuple[Delegate, Person, Body]]) -> list[DelegateRead]:
    return [
        DelegateRead(
            person=person.external_id,
            name=person.name,
            organization=body.code,
            vote=d.vote,
            credentials=d.credentials,
            reason=d.reason,
        )
        for d, person, body in listed
    ]


@router.get("/congresses", response_model=list[CongressRead])
def list_congresses(session: SessionDep, actor: ActorDep) -> list[CongressRead]:
    """Every sitting, latest first."""
    return [read(session, c) for c in congresses.all_sittings(session)]


@router.post("/congresses", response_model=CongressRead, status_code=201)
def convene(payload: CongressCreate, session: SessionDep, actor: ActorDep) -> CongressRead:
    """Convene a congress or conference of a body, or a plenum of an organ."""
    norm = Norm(payload.norm, payload.voting or 0, payload.method) if payload.norm else None
    congress = congresses.create(
        session,
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        body_code=payload.body,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        norm=norm,
        consultative_norm=payload.consultative,
        actor=actor,
    )
    return read(session, congress)


@router.get("/congresses/{code}", response_model=CongressRead)
def get_congress(code: str, session: SessionDep, actor: ActorDep) -> CongressRead:
    """A sitting."""
    return read(session, congresses.get_or_raise(session, code))


@router.post("/congresses/{code}/apportion", response_model=list[QuotaRead])
def apportion(
    code: str, payload: Apportioning, session: SessionDep, actor: ActorDep
) -> list[QuotaRead]:
    """Set each lower organization's delegates by the norm, from the census."""
    congresses.apportion(session, code=code, census_on=payload.census_on, actor=actor)
    return quota_reads(session, congresses.get_or_raise(session, code))


@router.get("/congresses/{code}/quotas", response_model=list[QuotaRead])
def list_quotas(code: str, session: SessionDep, actor: ActorDep) -> list[QuotaRead]:
    """Each organization's delegates and the members they stand for."""
    return quota_reads(session, congresses.get_or_raise(session, code))


@router.get("/congresses/{code}/delegates", response_model=list[DelegateRead])
def list_delegates(code: str, session: SessionDep, actor: ActorDep) -> list[DelegateRead]:
    """The delegates and their credentials."""
    return _delegate_reads(delegates.roll(session, code=code, actor=actor))


@router.post("/congresses/{code}/delegates", response_model=DelegateRead, status_code=201)
def add_delegate(
    code: str, payload: DelegateCreate, session: SessionDep, actor: ActorDep
) -> DelegateRead:
    """Register a delegate, pending the credentials check."""
    delegates.add(
        session,
        code=code,
        person_id=payload.person,
        organization=payload.organization,
        vote=payload.vote,
        actor=actor,
    )
    listed = delegate_reads(session, congresses.get_or_raise(session, code))
    return next(d for d in listed if d.person == payload.person)


@router.post("/congresses/{code}/credentials", response_model=list[DelegateRead])
def check_credentials(code: str, session: SessionDep, actor: ActorDep) -> list[DelegateRead]:
    """Accept or reject every delegate, each with the reason."""
    delegates.check_credentials(session, code=code, actor=actor)
    return delegate_reads(session, congresses.get_or_raise(session, code))


@router.post("/chain", response_model=list[LinkRead], status_code=201)
def load_chain(payload: ChainLoad, session: SessionDep, actor: ActorDep) -> list[LinkRead]:
    """Load an electoral chain for a body: organs, offices, and which elects which."""
    data = payload.chain if payload.chain is not None else chain.read(chain.TEMPLATE)
    chain.load(
        session,
        data=data,
        body_code=payload.body,
        opened_on=payload.opened_on or date.today(),
        actor=actor,
    )
    return links(session, actor)


@router.get("/chain", response_model=list[LinkRead])
def links(session: SessionDep, actor: ActorDep) -> list[LinkRead]:
    """Every link of the electoral chain."""
    return [
        LinkRead(
            elector=view.elector.code,
            sitting=view.link.sitting,
            elects=view.elects,
            seat_kind=view.link.seat_kind,
            seats=view.link.seats,
            method=view.link.method,
            mode=view.link.mode,
        )
        for view in chain.describe_all(session)
    ]
