"""Pages of the registry: finding members, a member's page, and the forms that change it.

Each form posts to its own address and, when it succeeds, sends the browser back to the
member's page (post/redirect/get). When the service refuses, the page is shown again
with the reason beside the field it concerns and nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.core.attributes import CHOICE, CORE_ATTRIBUTES
from orgburo.core.dates import parse_date
from orgburo.errors import OrgburoError
from orgburo.members import service as members
from orgburo.members.attributes import catalog
from orgburo.members.history import timeline
from orgburo.members.roster import roster, where_pairs
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.errors import field_errors
from orgburo.web.forms import Text
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)
PAGE = 25
FILTERS = {n: a for n, a in CORE_ATTRIBUTES.items() if a.type == CHOICE}


def roster_query(q: str, filters: dict[str, str]) -> str:
    """The query string that repeats a search, for the next page's link."""
    return urlencode([("q", q), *[("where", f"{n}={v}") for n, v in filters.items()]])


@router.get("/bodies/{code}/members", response_class=HTMLResponse)
def roster_page(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    q: str = Query("", max_length=200),
    after: str = Query("", max_length=2000),
    where: list[str] = Query([]),
) -> Response:
    """Members of a subtree by name; htmx asks for the table alone."""
    filters = where_pairs(where)
    page = roster(
        session, body_code=code, actor=actor, q=q, filters=filters, after=after or None, limit=PAGE
    )
    context = {
        "body": page.body,
        "page": page,
        "q": q,
        "filters": filters,
        "choices": FILTERS,
        "base_query": roster_query(q, filters),
    }
    partial = request.headers.get("HX-Request") and request.headers.get("HX-Target") == "roster"
    template = "members/_roster.html" if partial else "members/roster.html"
    return render(request, template, context)


@router.get("/search")
def search(session: SessionDep, actor: ActorDep, q: str = Query("", max_length=200)) -> Response:
    """The search box of every page: the roster of the first body the actor oversees."""
    tops = access.top_bodies(session, actor)
    if not tops:
        return RedirectResponse("/", status_code=303)
    target = f"/bodies/{quote(tops[0].code)}/members?{urlencode({'q': q})}"
    return RedirectResponse(target, status_code=303)


@router.get("/members/{id}", response_class=HTMLResponse)
def member_page(id: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """A member: current standing, attributes, the history timeline and the forms."""
    return render(request, "members/member.html", member_context(session, id, actor))


def member_context(
    session: Session, id: str, actor: Actor, errors: dict[str, dict[str, str]] | None = None
) -> dict[str, Any]:
    """Everything the member page shows; `errors` by form, then by field."""
    person = members.view(session, external_id=id, actor=actor)  # checks read access
    # The open spell and its body are among the spells the history reads: two statements
    # fewer of the page's eight.
    spelled = members.spells(session, person)
    spell, body = next(((s, b) for s, b in spelled if s.ended_on is None), (None, None))
    known = catalog(session)
    return {
        "person": person,
        "spell": spell,
        "body": body,
        "values": members.describe(person),
        "entries": timeline(spelled, members.attribute_events(session, person)),
        "labels": {n: a.label or n for n, a in known.items()},
        "attributes": known,
        "may_change": access.may_change_person(session, actor, person),
        "errors": errors or {},
        "today": date.today().isoformat(),
    }


def _submit(
    request: Request,
    session: Session,
    actor: Actor,
    id: str,
    form: str,
    change: Callable[[], object],
) -> Response:
    try:
        change()
    except OrgburoError as error:
        session.rollback()
        context = member_context(session, id, actor, {form: field_errors(error)})
        return render(request, "members/member.html", context, status_code=error.http_status)
    return RedirectResponse(f"/members/{id}", status_code=303)


@router.post("/members/{id}/confirm", response_class=HTMLResponse)
def confirm(
    id: str, request: Request, session: SessionDep, actor: ActorDep, on: Text = ""
) -> Response:
    """Confirm a candidate as a full member."""
    return _submit(
        request,
        session,
        actor,
        id,
        "confirm",
        lambda: members.confirm(session, external_id=id, on=parse_date("on", on), actor=actor),
    )


@router.post("/members/{id}/transfer", response_class=HTMLResponse)
def transfer(
    id: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    to: Text = "",
    on: Text = "",
) -> Response:
    """Transfer a member to another body."""
    return _submit(
        request,
        session,
        actor,
        id,
        "transfer",
        lambda: members.transfer(
            session, external_id=id, to_body_code=to, on=parse_date("on", on), actor=actor
        ),
    )


@router.post("/members/{id}/update", response_class=HTMLResponse)
def update(
    id: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    attribute: Text = "",
    value: Text = "",
    on: Text = "",
) -> Response:
    """Record a new value of one attribute."""
    return _submit(
        request,
        session,
        actor,
        id,
        "update",
        lambda: members.change_attributes(
            session,
            external_id=id,
            changes={attribute or "attribute": value},
            on=parse_date("on", on),
            actor=actor,
        ),
    )


@router.post("/members/{id}/end", response_class=HTMLResponse)
def end(
    id: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    reason: Text = "",
    on: Text = "",
    note: Text = "",
) -> Response:
    """End a membership: left, expelled or died."""
    return _submit(
        request,
        session,
        actor,
        id,
        "end",
        lambda: members.end(
            session,
            external_id=id,
            reason=reason,
            on=parse_date("on", on),
            note=note or None,
            actor=actor,
        ),
    )
