"""Pages of offices: the list, an office's history with "who held it on", organ seats."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from orgburo.bodies import service as bodies
from orgburo.core.dates import parse_date
from orgburo.errors import OrgburoError
from orgburo.members.models import Person
from orgburo.offices import seats
from orgburo.offices import service as offices
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.errors import field_errors
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/offices", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Every office and who holds it now."""
    held = [(o, offices.current_terms(session, o)) for o in offices.all_offices(session)]
    return render(request, "offices/list.html", {"offices": held})


@router.get("/offices/{code}", response_class=HTMLResponse)
def office_page(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    on: str = Query("", max_length=10, description="Who held the office on this date."),
) -> Response:
    """An office: every term with titles, dates, sources and conflicts; who held it on a date."""
    office = offices.get_or_raise(session, code)
    context: dict[str, object] = {
        "office": office,
        "terms": offices.terms(session, office),
        "on": on,
        "holders": None,
        "err": {},
    }
    if on:
        try:
            context["holders"] = offices.holders_on(session, office, parse_date("on", on))
        except OrgburoError as error:
            context["err"] = field_errors(error)
    return render(request, "offices/office.html", context)


@router.get("/organs/{code}", response_class=HTMLResponse)
def organ_page(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """An elected organ: who holds its seats now, and every seat it has had."""
    organ = bodies.get_or_raise(session, code, "organ")
    history = seats.history(session, organ)
    people = {p.id: p for p in _people(session, [s.person_id for s in history])}
    context = {
        "organ": organ,
        "current": seats.holders_on(session, organ),
        "history": history,
        "people": people,
    }
    return render(request, "offices/organ.html", context)


def _people(session: SessionDep, ids: list[int]) -> list[Person]:
    return [p for i in set(ids) if (p := session.get(Person, i)) is not None]
