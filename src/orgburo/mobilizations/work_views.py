"""The forms of the mobilization pages: adding destinations and roles, issuing a decree,
ending a kind of mobilization, apportioning, selecting and assigning, and an officer's
moves of called-up members.

Each form posts to its own address and calls the same service the API calls; a refusal
draws the page again with the reasons beside the fields, and nothing is stored
(`web.forms.submit` rolls the request's transaction back).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.core.dates import parse_date
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.forms import Refused, Text, submit, whole_number
from orgburo.web.pages import render

from . import assignment, catalogs, decrees, quotas, selection, swaps, tracking
from . import call_up as call_ups
from .faces import method_of
from .form_specs import decree_spec
from .views import decree_context, decrees_context, work_context

router = APIRouter(include_in_schema=False)


class IssueForm(BaseModel):
    """The "issue a decree" form as typed: text, parsed by `form_specs.decree_spec`."""

    code: str = Field("", max_length=64)
    title: str = Field("", max_length=500)
    issuing_body: str = Field("", max_length=64)
    scope: str = Field("", max_length=64)
    excluded: str = Field("", max_length=2000)
    issued_on: str = Field("", max_length=20)
    basis: str = Field("", max_length=20)
    destination: str = Field("", max_length=64)
    term: str = Field("", max_length=20)
    term_months: str = Field("", max_length=20)
    quota_kind: str = Field("absolute", max_length=20)
    total: str = Field("", max_length=20)
    subquotas: str = Field("", max_length=20_000)
    zones: str = Field("", max_length=2000)
    congress: str = Field("", max_length=64)
    share: str = Field("", max_length=40)
    criteria: str = Field("", max_length=2000)
    exemptions: str = Field("", max_length=2000)
    roles: str = Field("", max_length=20_000)


# The decrees list page ---------------------------------------------------------------


def _list_again(
    request: Request, session: Session, actor: Actor, form: str, typed: dict[str, str]
) -> Refused:
    def draw(errors: dict[str, str], status: int) -> Response:
        context = decrees_context(session, actor, {form: errors}, typed)
        return render(request, "mobilizations/decrees.html", context, status_code=status)

    return draw


@router.post("/mobilizations", response_class=HTMLResponse)
def issue(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: Annotated[IssueForm, Form()],
) -> Response:
    """Issue a decree; every problem of the form and of the decree is shown at once."""
    typed = form.model_dump()
    return submit(
        session,
        lambda: decrees.issue(session, spec=decree_spec(typed), actor=actor),
        f"/mobilizations/{form.code.strip()}",
        _list_again(request, session, actor, "issue", typed),
    )


@router.post("/mobilizations/destinations", response_class=HTMLResponse)
def add_destination(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    code: Text = "",
    name: Text = "",
    kind: Text = "",
) -> Response:
    """Add a front or a sector of the labour front (administrators)."""
    typed = {"code": code, "name": name, "kind": kind}
    return submit(
        session,
        lambda: catalogs.add_destination(
            session, code=code.strip(), name=name, kind=kind, actor=actor
        ),
        "/mobilizations",
        _list_again(request, session, actor, "destination", typed),
    )


@router.post("/mobilizations/roles", response_class=HTMLResponse)
def add_role(
    request: Request, session: SessionDep, actor: ActorDep, code: Text = "", name: Text = ""
) -> Response:
    """Add a role type (administrators)."""
    return submit(
        session,
        lambda: catalogs.add_role(session, code=code.strip(), name=name, actor=actor),
        "/mobilizations",
        _list_again(request, session, actor, "role", {"code": code, "name": name}),
    )


@router.post("/mobilizations/endings", response_class=HTMLResponse)
def end_kind(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    body: Text = "",
    from_on: Text = "",
    destination: Text = "",
    destination_kind: Text = "",
    basis: Text = "",
    note: Text = "",
) -> Response:
    """End a kind of mobilization in a body's subtree from a date (officers of the body);
    an empty choice matches every destination, kind or basis."""
    typed = {
        "body": body,
        "from_on": from_on,
        "destination": destination,
        "destination_kind": destination_kind,
        "basis": basis,
        "note": note,
    }
    return submit(
        session,
        lambda: decrees.end_kind(
            session,
            body_code=body.strip(),
            from_on=parse_date("from_on", from_on),
            destination=destination.strip() or None,
            destination_kind=destination_kind or None,
            basis=basis or None,
            note=note,
            actor=actor,
        ),
        "/mobilizations#endings",
        _list_again(request, session, actor, "ending", typed),
    )


# A decree's page ---------------------------------------------------------------------


def _decree_again(
    request: Request, session: Session, actor: Actor, code: str, form: str
) -> Refused:
    def draw(errors: dict[str, str], status: int) -> Response:
        context = decree_context(session, actor, code, errors={form: errors})
        return render(request, "mobilizations/decree.html", context, status_code=status)

    return draw


@router.post("/mobilizations/{code}/apportion", response_class=HTMLResponse)
def apportion(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    method: Text = "hamilton",
    floor: Text = "",
    accept_shortfall: Text = "",
) -> Response:
    """Split the quota down the tree; a shortfall is refused unless accepted."""

    return submit(
        session,
        lambda: quotas.apportion(
            session, code=code, actor=actor, **_splitting(method, floor, accept_shortfall)
        ),
        f"/mobilizations/{code}",
        _decree_again(request, session, actor, code, "apportion"),
    )


def _splitting(method: str, floor: str, accept_shortfall: str) -> dict[str, Any]:
    """The apportion form's fields as the service's arguments."""
    return {
        "method": method_of(method),
        "floor": whole_number("floor", floor) or 0,
        "accept_shortfall": bool(accept_shortfall),
    }


@router.post("/mobilizations/{code}/select", response_class=HTMLResponse)
def propose(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    on: Text = "",
    body: Text = "",
) -> Response:
    """Propose the best-ranked eligible members into every body's room."""
    return submit(
        session,
        lambda: selection.propose(
            session,
            code=code,
            on=parse_date("on", on),
            body_code=body.strip() or None,
            actor=actor,
        ),
        f"/mobilizations/{code}",
        _decree_again(request, session, actor, code, "select"),
    )


@router.post("/mobilizations/{code}/assign", response_class=HTMLResponse)
def assign(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Assign proposed and accepted members to the decree's role lines."""
    return submit(
        session,
        lambda: assignment.assign(session, code=code, actor=actor),
        f"/mobilizations/{code}",
        _decree_again(request, session, actor, code, "assign"),
    )


@router.post("/mobilizations/{code}/call-up", response_class=HTMLResponse)
def call_up(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    on: Text = "",
    method: Text = "hamilton",
    floor: Text = "",
    accept_shortfall: Text = "",
) -> Response:
    """Apportion, select and assign in one command."""
    return submit(
        session,
        lambda: call_ups.call_up(
            session,
            code=code,
            on=parse_date("on", on),
            actor=actor,
            **_splitting(method, floor, accept_shortfall),
        ),
        f"/mobilizations/{code}",
        _decree_again(request, session, actor, code, "call-up"),
    )


# A body's called-up members ----------------------------------------------------------


def _work_address(code: str, body: str, on: str) -> str:
    return f"/mobilizations/{code}/work?" + urlencode({"body": body.strip(), "on": on.strip()})


def _work_again(
    request: Request, session: Session, actor: Actor, code: str, body: str, form: str
) -> Refused:
    def draw(errors: dict[str, str], status: int) -> Response:
        context = work_context(session, actor, code, body.strip(), errors={form: errors})
        return render(request, "mobilizations/work.html", context, status_code=status)

    return draw


def _worked(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    body: str,
    on: str,
    form: str,
    change: Callable[[], Any],
) -> Response:
    return submit(
        session,
        change,
        _work_address(code, body, on),
        _work_again(request, session, actor, code, body, form),
    )


@router.post("/mobilizations/{code}/move", response_class=HTMLResponse)
def move(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    id: Text = "",
    to: Text = "",
    on: Text = "",
    reason: Text = "",
    body: Text = "",
) -> Response:
    """Move one member: accept, exempt (with a reason), refuse, and so on."""
    return _worked(
        request,
        session,
        actor,
        code,
        body,
        on,
        f"move-{id.strip()}",
        lambda: tracking.move(
            session,
            code=code,
            external_id=id.strip(),
            to=to,
            on=parse_date("on", on),
            reason=reason.strip() or None,
            actor=actor,
        ),
    )


@router.post("/mobilizations/{code}/swap", response_class=HTMLResponse)
def swap(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    id: Text = "",
    replacement: Annotated[str, Form(alias="with", max_length=500)] = "",
    on: Text = "",
    reason: Text = "",
    body: Text = "",
) -> Response:
    """Replace a proposed or accepted member with another eligible member of the body."""
    return _worked(
        request,
        session,
        actor,
        code,
        body,
        on,
        f"swap-{id.strip()}",
        lambda: swaps.swap(
            session,
            code=code,
            external_id=id.strip(),
            replacement_id=replacement.strip(),
            on=parse_date("on", on),
            reason=reason.strip() or None,
            actor=actor,
        ),
    )


@router.post("/mobilizations/{code}/bulk", response_class=HTMLResponse)
def move_many(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    to: Text = "",
    on: Text = "",
    body: Text = "",
    reason: Text = "",
) -> Response:
    """Move every entry of the body's subtree that can move: order, dispatch, arrive..."""
    return _worked(
        request,
        session,
        actor,
        code,
        body,
        on,
        "bulk",
        lambda: tracking.move_many(
            session,
            code=code,
            to=to,
            on=parse_date("on", on),
            body_code=body.strip() or None,
            reason=reason.strip() or None,
            actor=actor,
        ),
    )
