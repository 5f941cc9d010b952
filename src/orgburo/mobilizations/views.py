"""Pages of mobilizations: the decrees, the form that issues one and the kinds of
mobilization ended, a decree's quotas down the tree with its fulfilment chart, a body's
called-up members, and why one member was chosen. The forms these pages post are in
`work_views.py`."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.web.charts import line_chart
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.pages import render

from . import catalogs, decrees, fulfilment, reads
from .faces import METHODS
from .models import BASES, DESTINATION_KINDS, QUOTA_KINDS, STATUSES, TERMS
from .tracking import TRANSITIONS

router = APIRouter(include_in_schema=False)
PAGE = 100
BULK = ("ordered", "dispatched", "arrived", "returned")
Errors = dict[str, dict[str, str]]


@router.get("/mobilizations", response_class=HTMLResponse)
def decrees_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The decrees the actor reads, the form that issues one, and the kinds ended."""
    return render(request, "mobilizations/decrees.html", decrees_context(session, actor))


def decrees_context(
    session: Session,
    actor: Actor,
    errors: Errors | None = None,
    typed: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The decrees list page, its issue and end-a-kind forms (typed values kept after a
    refusal), the kinds ended, and the catalog forms for administrators."""
    return {
        "decrees": decrees.list_decrees(session, actor=actor),
        "endings": decrees.list_endings(session, actor=actor),
        "destinations": catalogs.destinations(session),
        "roles": catalogs.roles(session),
        "may_issue": access.changeable_scopes(actor) != [],
        "is_admin": actor.is_admin,
        "choices": {
            "basis": BASES,
            "term": TERMS,
            "quota_kind": QUOTA_KINDS,
            "kind": DESTINATION_KINDS,
        },
        "errors": errors or {},
        "typed": typed or {},
        "today": date.today().isoformat(),
    }


@router.get("/mobilizations/{code}", response_class=HTMLResponse)
def decree_page(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    body: str = Query("", max_length=64),
    by: str = Query("body", max_length=20),
) -> Response:
    """A decree: its terms, the quotas of a body and its sub-bodies, fulfilment and the
    forms that apportion, select and assign."""
    context = decree_context(session, actor, code, body, by)
    return render(request, "mobilizations/decree.html", context)


def decree_context(
    session: Session,
    actor: Actor,
    code: str,
    body: str = "",
    by: str = "body",
    errors: Errors | None = None,
) -> dict[str, Any]:
    """Everything the decree page shows, read as `actor`."""
    table = reads.quota_table(session, code=code, actor=actor, body_code=body or None)
    decree = table.decree.decree
    report = fulfilment.fulfilment(
        session,
        by=by,
        decree_codes=[code],
        body_code=(body or None) if by == "body" else None,
        actor=actor,
    )
    series = fulfilment.fulfilment_series(report)
    return {
        "shown": table.decree,
        "d": decree,
        "table": table,
        "body": body,
        "by": by,
        "bys": fulfilment.BY,
        "report": report,
        "chart": line_chart(series.labels, series.series, series.title),
        "may_change": access.may_change_body(session, actor, decree.scope_body_id),
        "methods": METHODS,
        "errors": errors or {},
        "today": date.today().isoformat(),
    }


@router.get("/mobilizations/{code}/work", response_class=HTMLResponse)
def work_page(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    body: str = Query("", max_length=64),
    status: str = Query("", max_length=20),
    on: str = Query("", max_length=10),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> Response:
    """A body's called-up members, with the forms that act on each and on all at once."""
    context = work_context(session, actor, code, body, status, on, offset)
    return render(request, "mobilizations/work.html", context)


def work_context(
    session: Session,
    actor: Actor,
    code: str,
    body: str = "",
    status: str = "",
    on: str = "",
    offset: int = 0,
    errors: Errors | None = None,
) -> dict[str, Any]:
    """The work page of a body (default the decree's scope), read as `actor`."""
    found = reads.entries(
        session,
        code=code,
        actor=actor,
        body_code=body or None,
        status=status or None,
        offset=offset,
        limit=PAGE + 1,
    )
    shown = decrees.view(session, code=code, actor=actor)
    place = bodies.get_or_raise(session, body) if body else decrees.scope_of(session, shown.decree)
    return {
        "shown": shown,
        "d": shown.decree,
        "place": place,
        "entries": found[:PAGE],
        "has_more": len(found) > PAGE,
        "offset": offset,
        "page": PAGE,
        "body": body,
        "status": status,
        "statuses": STATUSES,
        "on": on or date.today().isoformat(),
        "acceptable": TRANSITIONS["accepted"],
        "exemptable": TRANSITIONS["exempted"],
        "bulk": BULK,
        "may_change": access.may_change_body(session, actor, place.id),
        "errors": errors or {},
    }


@router.get("/mobilizations/{code}/members/{id}", response_class=HTMLResponse)
def member_page(
    code: str, id: str, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """Why a member was proposed (the score's parts) and where they fit (each role line)."""
    found = reads.explain(session, code=code, external_id=id, actor=actor)
    context = {"code": code, "x": found, "e": found.entry, "score": found.score}
    return render(request, "mobilizations/member.html", context)
