"""HTTP API of mobilizations: destinations and roles, decrees, their quotas, selection,
assignment, tracking and fulfilment. Each route calls one service, which checks access."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.errors import ERRORS

from . import (
    assignment,
    catalogs,
    decrees,
    fulfilment,
    quotas,
    reads,
    selection,
    swaps,
    tracking,
)
from . import (
    call_up as call_ups,
)
from .faces import (
    apportioned_read,
    assigned_read,
    called_up_read,
    decree_read,
    entry_read,
    explanation_read,
    fulfilment_csv,
    fulfilment_read,
    method_of,
    proposed_read,
)
from .schemas import (
    ApportionedRead,
    ApportionIn,
    AssignedRead,
    BulkMoveIn,
    CalledUpRead,
    CallUpIn,
    DecreeCreate,
    DecreeRead,
    DestinationCreate,
    DestinationRead,
    EndingCreate,
    EndingRead,
    EntriesPage,
    EntryRead,
    ExplanationRead,
    FulfilmentRead,
    MovedRead,
    MoveIn,
    ProposedRead,
    RoleCreate,
    RoleRead,
    SelectIn,
    SwapIn,
)

router = APIRouter(prefix="/api/mobilizations", tags=["mobilizations"], responses=ERRORS)
DECREE = "/decrees/{code}"
MEMBER = DECREE + "/members/{id}"
BODY = Query(None, max_length=64, description="A body's code (default the decree's scope).")


@router.get("/destinations", response_model=list[DestinationRead])
def list_destinations(session: SessionDep, actor: ActorDep) -> list[DestinationRead]:
    """Every front and sector of the labour front."""
    return [DestinationRead.model_validate(d) for d in catalogs.destinations(session)]


@router.post("/destinations", response_model=DestinationRead, status_code=201)
def add_destination(
    payload: DestinationCreate, session: SessionDep, actor: ActorDep
) -> DestinationRead:
    """Add a destination (administrators)."""
    made = catalogs.add_destination(session, **payload.model_dump(), actor=actor)
    return DestinationRead.model_validate(made)


@router.get("/roles", response_model=list[RoleRead])
def list_roles(session: SessionDep, actor: ActorDep) -> list[RoleRead]:
    """Every role type."""
    return [RoleRead.model_validate(r) for r in catalogs.roles(session)]


@router.post("/roles", response_model=RoleRead, status_code=201)
def add_role(payload: RoleCreate, session: SessionDep, actor: ActorDep) -> RoleRead:
    """Add a role type (administrators)."""
    return RoleRead.model_validate(catalogs.add_role(session, **payload.model_dump(), actor=actor))


@router.get("/decrees", response_model=list[DecreeRead])
def list_decrees(session: SessionDep, actor: ActorDep) -> list[DecreeRead]:
    """The decrees whose scope the caller reads, the latest first."""
    return [decree_read(v) for v in decrees.list_decrees(session, actor=actor)]


@router.post("/decrees", response_model=DecreeRead, status_code=201)
def issue_decree(payload: DecreeCreate, session: SessionDep, actor: ActorDep) -> DecreeRead:
    """Issue a decree; every rule, role and destination is checked, all problems at once."""
    made = decrees.issue(session, spec=payload.spec(), actor=actor)
    return _shown(session, actor, made.code, None)


@router.get(DECREE, response_model=DecreeRead)
def get_decree(
    code: str, session: SessionDep, actor: ActorDep, body: str | None = BODY
) -> DecreeRead:
    """A decree, the quota of `body` (default its scope) and the quotas of its sub-bodies."""
    return _shown(session, actor, code, body)


def _shown(session: Session, actor: Actor, code: str, body: str | None) -> DecreeRead:
    table = reads.quota_table(session, code=code, actor=actor, body_code=body)
    return decree_read(table.decree, table)


@router.post("/endings", response_model=EndingRead, status_code=201)
def end_kind(payload: EndingCreate, session: SessionDep, actor: ActorDep) -> EndingRead:
    """End a kind of mobilization in a body's subtree from a date."""
    ending = decrees.end_kind(
        session,
        body_code=payload.body,
        from_on=payload.from_on,
        destination=payload.destination,
        destination_kind=payload.destination_kind,
        basis=payload.basis,
        note=payload.note,
        actor=actor,
    )
    kind = decrees.describe_kind(session, ending)
    return EndingRead(body=payload.body, from_on=ending.from_on, kind=kind, note=ending.note)


@router.post(DECREE + "/apportion", response_model=ApportionedRead)
def apportion(
    code: str, payload: ApportionIn, session: SessionDep, actor: ActorDep
) -> ApportionedRead:
    """Split the quota down the scope's tree; a shortfall is refused unless accepted."""
    done = quotas.apportion(
        session,
        code=code,
        method=method_of(payload.method),
        floor=payload.floor,
        accept_shortfall=payload.accept_shortfall,
        actor=actor,
    )
    return apportioned_read(done)


@router.post(DECREE + "/select", response_model=ProposedRead)
def propose(code: str, payload: SelectIn, session: SessionDep, actor: ActorDep) -> ProposedRead:
    """Propose the best-ranked eligible members into every body's room."""
    done = selection.propose(session, code=code, on=payload.on, body_code=payload.body, actor=actor)
    return proposed_read(done)


@router.post(DECREE + "/assign", response_model=AssignedRead)
def assign(code: str, session: SessionDep, actor: ActorDep) -> AssignedRead:
    """Assign proposed and accepted members to role lines: most seats, then best fit."""
    return assigned_read(assignment.assign(session, code=code, actor=actor))


@router.post(DECREE + "/call-up", response_model=CalledUpRead)
def call_up(code: str, payload: CallUpIn, session: SessionDep, actor: ActorDep) -> CalledUpRead:
    """Apportion, select and assign in one command, from one read of the eligible pool:
    the same outcome as the three steps one after the other."""
    done = call_ups.call_up(
        session,
        code=code,
        on=payload.on,
        method=method_of(payload.method),
        floor=payload.floor,
        accept_shortfall=payload.accept_shortfall,
        actor=actor,
    )
    return called_up_read(done)


@router.post(DECREE + "/status", response_model=MovedRead)
def move_many(code: str, payload: BulkMoveIn, session: SessionDep, actor: ActorDep) -> MovedRead:
    """Move every entry of a body's subtree that can move, or every member listed."""
    done = tracking.move_many(
        session,
        code=code,
        to=payload.to,
        on=payload.on,
        body_code=payload.body,
        external_ids=payload.ids,
        reason=payload.reason,
        actor=actor,
    )
    return MovedRead.model_validate(vars(done))


@router.get(DECREE + "/entries", response_model=EntriesPage)
def list_entries(
    code: str,
    session: SessionDep,
    actor: ActorDep,
    body: str | None = BODY,
    status: str | None = Query(None, max_length=20),
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(100, ge=1, le=1000),
) -> EntriesPage:
    """The decree's entries in a body's subtree, by body and rank."""
    found = reads.entries(
        session,
        code=code,
        body_code=body,
        status=status,
        offset=offset,
        limit=limit + 1,
        actor=actor,
    )
    return EntriesPage(
        entries=[entry_read(e) for e in found[:limit]],
        offset=offset,
        limit=limit,
        has_more=len(found) > limit,
    )


@router.get(MEMBER, response_model=ExplanationRead)
def explain(code: str, id: str, session: SessionDep, actor: ActorDep) -> ExplanationRead:
    """Why a member was proposed (score parts) and where they fit (every role line)."""
    return explanation_read(reads.explain(session, code=code, external_id=id, actor=actor))


@router.post(MEMBER + "/status", response_model=EntryRead)
def move(code: str, id: str, payload: MoveIn, session: SessionDep, actor: ActorDep) -> EntryRead:
    """Move one member to a status."""
    tracking.move(
        session,
        code=code,
        external_id=id,
        to=payload.to,
        on=payload.on,
        reason=payload.reason,
        actor=actor,
    )
    return explain(code, id, session, actor).entry


@router.post(MEMBER + "/swap", response_model=EntryRead)
def swap(code: str, id: str, payload: SwapIn, session: SessionDep, actor: ActorDep) -> EntryRead:
    """Replace a proposed or accepted member with another eligible member of the body."""
    swaps.swap(
        session,
        code=code,
        external_id=id,
        replacement_id=payload.replacement,
        on=payload.on,
        reason=payload.reason,
        actor=actor,
    )
    return explain(code, payload.replacement, session, actor).entry


@router.get(
    "/fulfilment",
    response_model=FulfilmentRead,
    responses={200: {"content": {"text/csv": {}}}},
)
def get_fulfilment(
    session: SessionDep,
    actor: ActorDep,
    by: str = Query("body", max_length=20, description="body, destination, role or month."),
    decree: list[str] = Query([], max_length=100, description="Decree codes (default all)."),
    body: str | None = Query(None, max_length=64, description="Group by its sub-bodies."),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> FulfilmentRead | Response:
    """Decreed, sent and arrived, by body, destination, role or month."""
    report = fulfilment.fulfilment(session, by=by, decree_codes=decree, body_code=body, actor=actor)
    if format == "csv":
        return PlainTextResponse(fulfilment_csv(report), media_type="text/csv")
    return fulfilment_read(report)
