"""Pages of the tree: the home page, the tree browser and a body's dashboard."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.census import service as census
from orgburo.census.formats import label
from orgburo.census.views import chart_for
from orgburo.core.census import Composition
from orgburo.core.dates import parse_date
from orgburo.members.models import Person
from orgburo.members.roster import roster
from orgburo.members.views import FILTERS
from orgburo.trail import service as trail
from orgburo.trail.views import changes
from orgburo.web.charts import line_chart
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)
SHOWN_CHILDREN = 200
TREND_POINTS = 7
TREND_LINES = 6


def _children(kids: list[Body]) -> dict[str, object]:
    return {"children": kids[:SHOWN_CHILDREN], "more": max(0, len(kids) - SHOWN_CHILDREN)}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Where each user starts: their body's dashboard, or their own record."""
    tops = access.top_bodies(session, actor)
    if len(tops) == 1:
        return RedirectResponse(f"/bodies/{tops[0].code}", status_code=303)
    person = session.get(Person, actor.person_id) if actor.person_id else None
    if not tops and person is not None:
        return RedirectResponse(f"/members/{person.external_id}", status_code=303)
    return render(request, "bodies/home.html", {"tops": tops})


@router.get("/bodies", response_class=HTMLResponse)
def tree_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The tops of the tree the actor may see, each branch opening in place."""
    kids = list(bodies.visible_children(session, parent_code=None, actor=actor))
    return render(request, "bodies/tree.html", _children(kids))


@router.get("/bodies/{code}/children", response_class=HTMLResponse)
def children_fragment(
    code: str, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """The sub-bodies of one body, as a fragment for the tree browser."""
    kids = list(bodies.visible_children(session, parent_code=code, actor=actor))
    return render(request, "bodies/_children.html", _children(kids))


@router.get("/bodies/{code}", response_class=HTMLResponse)
def body_page(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    by: str = Query("social_situation", max_length=80),
) -> Response:
    """A body's dashboard: composition, its trend, sub-bodies, members and recent changes."""
    body = bodies.view(session, code=code, actor=actor)
    dimensions = census.dimensions(session)
    by = by if by in dimensions else "social_situation"
    composition = census.census(session, body_code=code, by=[by], actor=actor)
    context = {
        "body": body,
        "ancestors": [
            (a, access.may_read_body(session, actor, a.id))
            for a in bodies.ancestors(session, body.id)
        ],
        "by": by,
        "dimensions": dimensions,
        "composition": composition,
        "chart": chart_for(composition),
        "events": bodies.history(session, body, actor=actor),
        "recent": trail.for_body(session, body_code=code, actor=actor, limit=8),
        "changes": changes,
        "may_change": access.may_change_body(session, actor, body.id),
        **_roster_context(session, code, actor),
        **_children(list(bodies.children(session, body.id))),
    }
    return render(request, "bodies/body.html", context)


def _roster_context(session: Session, code: str, actor: Actor) -> dict[str, Any]:
    page = roster(session, body_code=code, actor=actor, limit=25)
    return {"page": page, "q": "", "filters": {}, "choices": FILTERS, "base_query": "q="}


@router.get("/bodies/{code}/trend", response_class=HTMLResponse)
def trend(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    by: str = Query("status", max_length=80),
    start: str = Query("", alias="from", max_length=10),
    end: str = Query("", alias="to", max_length=10),
) -> Response:
    """Composition over time: the census on evenly spaced dates, as lines (a fragment for
    the dashboard under htmx, a page of its own otherwise)."""
    body = bodies.view(session, code=code, actor=actor)
    first = parse_date("from", start) if start else body.opened_on
    last = parse_date("to", end) if end else date.today()
    dates = census.spaced_dates(first, last, TREND_POINTS)
    counted = census.trend(session, body_code=code, by=[by], dates=dates, actor=actor)
    context = {"body": body, "chart": trend_chart(counted), "by": by, "start": first, "end": last}
    template = "bodies/_trend.html" if request.headers.get("HX-Request") else "bodies/trend.html"
    return render(request, template, context)


def trend_chart(counted: list[Composition]) -> Markup:
    """Lines of the most common values (and the total) over the census dates."""
    totals: dict[str, int] = {}
    for composition in counted:
        for cell in composition.cells:
            key = label(cell.values[0])
            totals[key] = totals.get(key, 0) + cell.count
    shown = sorted(totals, key=lambda k: -totals[k])[:TREND_LINES]
    series = [("all members", [c.total for c in counted])]
    for key in shown:
        series.append(
            (key, [sum(x.count for x in c.cells if label(x.values[0]) == key) for c in counted])
        )
    dims = counted[0].dimensions if counted else ("",)
    labels = [c.at.isoformat() for c in counted]
    return line_chart(labels, series, f"Members of {counted[0].body} by {dims[0]} over time")
