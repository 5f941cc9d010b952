"""The officers' page of an election: nominate and withdraw, open the poll and hand out
the credentials, reissue a lost one, close the poll and count it.

Only the officers of the body whose sitting holds the election see the page (the rest of
the election is public, on its own page). Each form calls one service function. The
credentials are shown once, on the page that answers the opening (or the reissue): the
store keeps only their digests, so that page is not kept by the browser either
(`Cache-Control: no-store`) and cannot be shown again.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.congresses.delegates import electorate
from orgburo.congresses.models import Congress
from orgburo.elections import counting, credentials
from orgburo.elections import service as elections
from orgburo.elections.models import Election
from orgburo.members.models import Person
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.forms import Refused, submit
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)
PersonId = Annotated[str, Form(max_length=100)]


def _run_page(code: str) -> str:
    return f"/elections/{quote(code)}/run"


def run_context(
    session: Session, code: str, actor: Actor, errors: dict[str, dict[str, str]] | None = None
) -> dict[str, Any]:
    """What the officers' page shows; `errors` by form, then by field."""
    election = elections.get_or_raise(session, code)
    elections.require_change(session, actor, election)
    congress = session.get(Congress, election.congress_id)
    voted, entitled = elections.turnout(session, election)
    return {
        "election": election,
        "congress": congress,
        "nominations": [
            (n, session.get(Person, n.person_id)) for n in elections.nominations(session, election)
        ],
        "voters": electorate(session, congress) if congress else [],
        "voted": voted,
        "entitled": entitled,
        "errors": errors or {},
    }


@router.get("/elections/{code}/run", response_class=HTMLResponse)
def run_page(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The election as its officers run it: the paper, the poll and the count."""
    return render(request, "elections/run.html", run_context(session, code, actor))


def _on_run_page(request: Request, session: Session, code: str, actor: Actor, form: str) -> Refused:
    """The officers' page again, with `form`'s errors beside its fields."""

    def refused(err: dict[str, str], status: int) -> Response:
        context = run_context(session, code, actor, {form: err})
        return render(request, "elections/run.html", context, status_code=status)

    return refused


@router.post("/elections/{code}/nominations", response_class=HTMLResponse)
def nominate(
    code: str, request: Request, session: SessionDep, actor: ActorDep, person: PersonId = ""
) -> Response:
    """Put a person on the ballot paper, after those already on it."""

    def change() -> object:
        return elections.nominate(session, code=code, person_id=person.strip(), actor=actor)

    refused = _on_run_page(request, session, code, actor, "nominate")
    return submit(session, change, _run_page(code), refused)


@router.post("/elections/{code}/withdraw", response_class=HTMLResponse)
def withdraw(
    code: str, request: Request, session: SessionDep, actor: ActorDep, person: PersonId = ""
) -> Response:
    """Take a candidate off the ballot paper before the poll opens."""

    def change() -> object:
        elections.withdraw(session, code=code, person_id=person.strip(), actor=actor)
        return None

    refused = _on_run_page(request, session, code, actor, "withdraw")
    return submit(session, change, _run_page(code), refused)


@router.post("/elections/{code}/open", response_class=HTMLResponse)
def open_poll(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Open the poll: the slips with every voter's credential, shown this once."""

    def change() -> list[credentials.Issued]:
        return elections.open_poll(session, code=code, actor=actor)

    def shown(issued: list[credentials.Issued]) -> Response:
        return _slips(request, elections.get_or_raise(session, code), issued)

    return submit(session, change, shown, _on_run_page(request, session, code, actor, "open"))


@router.post("/elections/{code}/reissue", response_class=HTMLResponse)
def reissue(
    code: str, request: Request, session: SessionDep, actor: ActorDep, person: PersonId = ""
) -> Response:
    """Replace a voter's lost, unused credential: the new slip, shown this once."""
    election = elections.get_or_raise(session, code)

    def change() -> credentials.Issued:
        return credentials.reissue(
            session, election=election, person_id=person.strip(), actor=actor
        )

    def shown(issued: credentials.Issued) -> Response:
        return _slips(request, election, [issued])

    return submit(session, change, shown, _on_run_page(request, session, code, actor, "reissue"))


def _slips(request: Request, election: Election, issued: list[credentials.Issued]) -> Response:
    context = {"election": election, "issued": issued}
    page = render(request, "elections/slips.html", context)
    page.headers["Cache-Control"] = "no-store"
    return page


@router.post("/elections/{code}/close", response_class=HTMLResponse)
def close_poll(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Close the poll and seal the box; the box is then published."""

    def change() -> object:
        return elections.close_poll(session, code=code, actor=actor)

    refused = _on_run_page(request, session, code, actor, "close")
    return submit(session, change, _run_page(code), refused)


@router.post("/elections/{code}/count", response_class=HTMLResponse)
def count(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Count the closed poll, store the count sheet and seat the elected; then the result."""

    def change() -> object:
        return counting.count(session, code=code, actor=actor)

    refused = _on_run_page(request, session, code, actor, "count")
    return submit(session, change, f"/elections/{quote(code)}", refused)
