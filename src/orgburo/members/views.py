"""Pages of the registry: a body's roster and a member's page."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.members import service as members
from orgburo.members.attributes import catalog
from orgburo.members.history import history
from orgburo.members.roster import roster
from orgburo.web.deps import SessionDep
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/bodies/{code}/members", response_class=HTMLResponse)
def roster_page(
    code: str,
    request: Request,
    session: SessionDep,
    q: str = Query("", max_length=200),
    offset: int = Query(0, ge=0),
) -> Response:
    """Members of a subtree; htmx asks for the table alone."""
    body = bodies.get_or_raise(session, code)
    page = roster(session, body_code=code, q=q, offset=offset, limit=25)
    template = (
        "members/_roster.html" if request.headers.get("HX-Request") else "members/roster.html"
    )
    context = {"body": body, "page": page, "q": q}
    return render(request, template, context)


@router.get("/members/{id}", response_class=HTMLResponse)
def member_page(id: str, request: Request, session: SessionDep) -> Response:
    """A member: current standing, attributes and the history timeline."""
    person = members.get_or_raise(session, id)
    spell = members.current_spell(session, person)
    context = {
        "person": person,
        "spell": spell,
        "body": session.get(Body, spell.body_id) if spell else None,
        "values": members.describe(person),
        "entries": history(session, person),
        "labels": {n: a.label or n for n, a in catalog(session).items()},
    }
    return render(request, "members/member.html", context)
