"""HTTP API of the audit trail."""

from __future__ import annotations

from fastapi import APIRouter, Query

from orgburo.trail import service as trail
from orgburo.trail.schemas import AuditEntryRead, TrailRead
from orgburo.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api", tags=["audit"])
BEFORE = Query(None, ge=1, le=2**62, description="Continue with entries older than this id.")
LIMIT = Query(50, ge=1, le=500)


def as_read(page: trail.TrailPage) -> TrailRead:
    """The API view of a page of the trail."""
    return TrailRead(
        entries=[AuditEntryRead.model_validate(e) for e in page.entries],
        next_before=page.next_before,
    )


@router.get("/bodies/{code}/audit", response_model=TrailRead)
def body_trail(
    code: str, session: SessionDep, actor: ActorDep, before: int | None = BEFORE, limit: int = LIMIT
) -> TrailRead:
    """Changes to the body and its subtree, newest first."""
    page = trail.for_body(session, body_code=code, actor=actor, before=before, limit=limit)
    return as_read(page)


@router.get("/members/{id}/audit", response_model=TrailRead)
def member_trail(
    id: str, session: SessionDep, actor: ActorDep, before: int | None = BEFORE, limit: int = LIMIT
) -> TrailRead:
    """Changes to one member's record, newest first."""
    page = trail.for_person(session, external_id=id, actor=actor, before=before, limit=limit)
    return as_read(page)
