"""Pages of the audit trail: a body's subtree's changes and one member's."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from orgburo.bodies import service as bodies
from orgburo.members import service as members
from orgburo.trail import service as trail
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)
PAGE = 50


def changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field whose value differs."""
    old, new = before or {}, after or {}
    return [
        (k, old.get(k), new.get(k)) for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)
    ]


@router.get("/bodies/{code}/audit", response_class=HTMLResponse)
def body_trail_page(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    before: int | None = Query(None, ge=1),
) -> Response:
    """Who changed what in the body's subtree, newest first."""
    page = trail.for_body(session, body_code=code, actor=actor, before=before, limit=PAGE)
    body = bodies.view(session, code=code, actor=actor)
    context = {"page": page, "changes": changes, "title": body.name, "back": f"/bodies/{code}"}
    return render(request, "trail/trail.html", {**context, "here": f"/bodies/{code}/audit"})


@router.get("/members/{id}/audit", response_class=HTMLResponse)
def member_trail_page(
    id: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    before: int | None = Query(None, ge=1),
) -> Response:
    """Who changed what in one member's record, newest first."""
    page = trail.for_person(session, external_id=id, actor=actor, before=before, limit=PAGE)
    person = members.view(session, external_id=id, actor=actor)
    context = {"page": page, "changes": changes, "title": person.name, "back": f"/members/{id}"}
    return render(request, "trail/trail.html", {**context, "here": f"/members/{id}/audit"})
