"""HTTP API of elections: create, nominate, open, close, count, and read the result.

Changes need a signed-in actor; what an election is and its result are public.
Casting, the published box and receipts are in `ballots_api`.
"""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from orgburo.bodies.models import Body
from orgburo.congresses.models import Congress
from orgburo.elections import counting, credentials
from orgburo.elections import service as elections
from orgburo.elections.models import Election
from orgburo.elections.schemas import (
    ChainElections,
    CredentialRead,
    ElectionCreate,
    ElectionRead,
    Nominee,
    ResultRead,
    quorum_of,
)
from orgburo.errors import NotFound
from orgburo.offices.models import Office
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.errors import ERRORS

router = APIRouter(prefix="/api/elections", tags=["elections"], responses=ERRORS)


def read(session: Session, election: Election) -> ElectionRead:
    """The API view of an election."""
    congress = session.get(Congress, election.congress_id)
    organ = session.get(Body, election.organ_id) if election.organ_id else None
    office = session.get(Office, election.office_id) if election.office_id else None
    voted, electorate = elections.turnout(session, election)
    return ElectionRead(
        code=election.code,
        title=election.title,
        congress=congress.code if congress else "",
        method=election.method,
        seats=election.seats,
        mode=election.mode,
        organ=organ.code if organ else None,
        office=office.code if office else None,
        seat_kind=election.seat_kind,
        quorum=f"{election.quorum_num}/{election.quorum_den}",
        seed=election.seed,
        held_on=election.held_on,
        closes_at=election.closes_at,
        status=election.status,
        candidates=[n.label for n in elections.nominations(session, election)],
        voted=voted,
        electorate=electorate,
    )


def result_read(session: Session, election: Election) -> ResultRead:
    """The stored count of an election, or NotFound before it is counted."""
    result = counting.result_of(session, election)
    if result is None:
        raise NotFound(f"election: {election.code!r} has not been counted")
    return ResultRead(
        election=election.code,
        electorate=result.electorate,
        cast=result.cast,
        spoiled=result.spoiled,
        blank=result.blank,
        quorum_met=result.quorum_met,
        elected=list(result.elected),
        sheet=result.sheet,
    )


def _issued(issued: list[credentials.Issued]) -> list[CredentialRead]:
    return [
        CredentialRead(person=i.person.external_id, name=i.person.name, credential=i.credential)
        for i in issued
    ]


@router.get("", response_model=list[ElectionRead])
def list_elections(session: SessionDep) -> list[ElectionRead]:
    """Every election, latest first."""
    return [read(session, e) for e in elections.all_elections(session)]


@router.post("", response_model=ElectionRead, status_code=201)
def create_election(payload: ElectionCreate, session: SessionDep, actor: ActorDep) -> ElectionRead:
    """Create an election at a sitting; nominations are open until the poll opens."""
    terms = elections.Terms(
        method=payload.method,
        seats=payload.seats,
        mode=payload.mode,
        organ_code=payload.organ,
        office_code=payload.office,
        seat_kind=payload.seat_kind,
        quorum=quorum_of(payload.quorum),
        seed=payload.seed,
        held_on=payload.held_on,
        closes_at=payload.closes_at,
    )
    election = elections.create(
        session,
        code=payload.code,
        title=payload.title,
        congress_code=payload.congress,
        terms=terms,
        actor=actor,
    )
    return read(session, election)


@router.post("/from-chain", response_model=list[ElectionRead], status_code=201)
def elections_from_chain(
    payload: ChainElections, session: SessionDep, actor: ActorDep
) -> list[ElectionRead]:
    """Create the elections the electoral chain gives a sitting."""
    made = elections.from_chain(session, congress_code=payload.congress, actor=actor)
    return [read(session, e) for e in made]


@router.get("/{code}", response_model=ElectionRead)
def get_election(code: str, session: SessionDep) -> ElectionRead:
    """An election: rules, ballot paper, status and turnout."""
    return read(session, elections.get_or_raise(session, code))


@router.post("/{code}/nominations", response_model=ElectionRead, status_code=201)
def nominate(code: str, payload: Nominee, session: SessionDep, actor: ActorDep) -> ElectionRead:
    """Put a person on the ballot paper."""
    elections.nominate(session, code=code, person_id=payload.person, actor=actor)
    return read(session, elections.get_or_raise(session, code))


@router.delete("/{code}/nominations/{person}", response_model=ElectionRead)
def withdraw(code: str, person: str, session: SessionDep, actor: ActorDep) -> ElectionRead:
    """Take a candidate off the ballot paper before the poll opens."""
    elections.withdraw(session, code=code, person_id=person, actor=actor)
    return read(session, elections.get_or_raise(session, code))


@router.post("/{code}/open", response_model=list[CredentialRead])
def open_poll(code: str, session: SessionDep, actor: ActorDep) -> list[CredentialRead]:
    """Open the poll: one credential per voter, returned this once to be handed over."""
    return _issued(elections.open_poll(session, code=code, actor=actor))


@router.post("/{code}/credentials/{person}/reissue", response_model=CredentialRead)
def reissue(code: str, person: str, session: SessionDep, actor: ActorDep) -> CredentialRead:
    """Replace a voter's lost, unused credential."""
    election = elections.get_or_raise(session, code)
    issued = credentials.reissue(session, election=election, person_id=person, actor=actor)
    return _issued([issued])[0]


@router.post("/{code}/close", response_model=ElectionRead)
def close_poll(code: str, session: SessionDep, actor: ActorDep) -> ElectionRead:
    """Close the poll and seal the box; the box is then published."""
    elections.close_poll(session, code=code, actor=actor)
    return read(session, elections.get_or_raise(session, code))


@router.post("/{code}/count", response_model=ResultRead)
def count(code: str, session: SessionDep, actor: ActorDep) -> ResultRead:
    """Count the closed poll, store the count sheet and seat the elected."""
    counting.count(session, code=code, actor=actor)
    return result_read(session, elections.get_or_raise(session, code))


@router.get("/{code}/result", response_model=ResultRead)
def result(code: str, session: SessionDep) -> ResultRead:
    """The count: turnout, quorum, the elected and every stage of the count sheet."""
    return result_read(session, elections.get_or_raise(session, code))
