"""Pages of the tree: the tree browser and a body's page."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from orgburo.bodies import service as bodies
from orgburo.census import service as census
from orgburo.census.views import chart_for
from orgburo.members.roster import roster
from orgburo.web.deps import SessionDep
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)
SHOWN_CHILDREN = 200


def _children(session: SessionDep, body_id: int | None) -> dict[str, object]:
    kids = list(bodies.children(session, body_id))
    return {"children": kids[:SHOWN_CHILDREN], "more": max(0, len(kids) - SHOWN_CHILDREN)}


@router.get("/")
def home() -> Response:
    """The tree is where a secretary starts."""
    return RedirectResponse("/bodies", status_code=303)


@router.get("/bodies", response_class=HTMLResponse)
def tree_page(request: Request, session: SessionDep) -> Response:
    """The roots of the tree, each branch opening in place."""
    return render(request, "bodies/tree.html", _children(session, None))


@router.get("/bodies/{code}/children", response_class=HTMLResponse)
def children_fragment(code: str, request: Request, session: SessionDep) -> Response:
    """The sub-bodies of one body, as a fragment for the tree browser."""
    body = bodies.get_or_raise(session, code)
    return render(request, "bodies/_children.html", _children(session, body.id))


@router.get("/bodies/{code}", response_class=HTMLResponse)
def body_page(
    code: str,
    request: Request,
    session: SessionDep,
    by: str = Query("social_situation", max_length=80),
) -> Response:
    """A body: its place, composition chart, sub-bodies, members and history."""
    body = bodies.get_or_raise(session, code)
    dimensions = census.dimensions(session)
    by = by if by in dimensions else "social_situation"
    composition = census.census(session, body_code=code, by=[by])
    context = {
        "body": body,
        "ancestors": bodies.ancestors(session, body.id),
        "by": by,
        "dimensions": dimensions,
        "composition": composition,
        "chart": chart_for(composition),
        "events": bodies.history(session, body),
        "page": roster(session, body_code=code, limit=25),
        "q": "",
        **_children(session, body.id),
    }
    return render(request, "bodies/body.html", context)
