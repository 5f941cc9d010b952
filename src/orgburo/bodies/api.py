"""HTTP API of the tree of bodies."""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.bodies.schemas import (
    BodyChange,
    BodyClose,
    BodyCreate,
    BodyDetail,
    BodyEventRead,
    BodyMove,
    BodyRead,
)
from orgburo.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/bodies", tags=["bodies"])


def read(session: Session, body: Body) -> BodyRead:
    """The API view of a body."""
    parent = session.get(Body, body.parent_id) if body.parent_id else None
    return BodyRead.model_validate(body).model_copy(
        update={"parent": parent.code if parent else None}
    )


def detail(session: Session, body: Body) -> BodyDetail:
    """A body with its ancestors and direct sub-bodies."""
    return BodyDetail(
        **read(session, body).model_dump(),
        ancestors=[a.code for a in bodies.ancestors(session, body.id)],
        children=[
            BodyRead.model_validate(c).model_copy(update={"parent": body.code})
            for c in bodies.children(session, body.id)
        ],
    )


@router.get("", response_model=list[BodyRead])
def list_bodies(
    session: SessionDep,
    actor: ActorDep,
    parent: str | None = Query(
        None, description="Parent code; without it, the tops of the tree you may see."
    ),
) -> list[BodyRead]:
    """Direct sub-bodies of `parent`, or the tops of the tree the caller may see."""
    found = bodies.visible_children(session, parent_code=parent, actor=actor)
    return [read(session, b) for b in found]


@router.post("", response_model=BodyDetail, status_code=201)
def create_body(payload: BodyCreate, session: SessionDep, actor: ActorDep) -> BodyDetail:
    """Open a body."""
    body = bodies.create(
        session,
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        parent_code=payload.parent,
        level=payload.level,
        zone=payload.zone,
        opened_on=payload.opened_on,
        actor=actor,
    )
    return detail(session, body)


@router.get("/{code}", response_model=BodyDetail)
def get_body(code: str, session: SessionDep, actor: ActorDep) -> BodyDetail:
    """A body, its ancestors and sub-bodies."""
    return detail(session, bodies.view(session, code=code, actor=actor))


@router.get("/{code}/history", response_model=list[BodyEventRead])
def body_history(code: str, session: SessionDep, actor: ActorDep) -> list[BodyEventRead]:
    """Every dated change to a body."""
    body = bodies.view(session, code=code, actor=actor)
    return [BodyEventRead.model_validate(e) for e in bodies.history(session, body, actor=actor)]


@router.post("/{code}/move", response_model=BodyDetail)
def move_body(code: str, payload: BodyMove, session: SessionDep, actor: ActorDep) -> BodyDetail:
    """Move a body and its subtree under a new parent."""
    body = bodies.move(
        session, code=code, new_parent_code=payload.parent, on=payload.on, actor=actor
    )
    return detail(session, body)


@router.post("/{code}/change", response_model=BodyDetail)
def change_body(code: str, payload: BodyChange, session: SessionDep, actor: ActorDep) -> BodyDetail:
    """Rename a body or change its level or zone."""
    body = bodies.change(
        session,
        code=code,
        on=payload.on,
        name=payload.name,
        level=payload.level,
        zone=payload.zone,
        actor=actor,
    )
    return detail(session, body)


@router.post("/{code}/close", response_model=BodyDetail)
def close_body(code: str, payload: BodyClose, session: SessionDep, actor: ActorDep) -> BodyDetail:
    """Close an empty body."""
    return detail(session, bodies.close(session, code=code, on=payload.on, actor=actor))
