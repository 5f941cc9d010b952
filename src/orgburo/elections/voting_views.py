"""The voting page: enter the credential, mark the ballot, keep the receipt.

Plain HTML forms that work on a phone without JavaScript: one column, large controls.
The credential travels only in POST bodies (never in an address). Ranked ballots give
each candidate a preference number; for/against ballots keep or cross out each name;
block ballots tick up to the number of seats.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from orgburo.core.ballot_box import RANKED
from orgburo.db import unit_of_work
from orgburo.elections import casting
from orgburo.elections import service as elections
from orgburo.elections.ballots_api import VOTER
from orgburo.elections.models import Election
from orgburo.errors import Invalid, OrgburoError
from orgburo.web.deps import SessionDep
from orgburo.web.errors import field_errors
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)
Code = Annotated[str, Form(max_length=64)]
Token = Annotated[str, Form(max_length=100)]


def _open_elections(session: Session) -> list[Election]:
    return [e for e in elections.all_elections(session) if e.status == "open"]


@router.get("/vote", response_class=HTMLResponse)
def start(request: Request, session: SessionDep, election: str = "") -> Response:
    """Choose the election and enter the credential."""
    context = {"elections": _open_elections(session), "chosen": election, "err": {}}
    return render(request, "elections/vote_start.html", context)


@router.post("/vote", response_class=HTMLResponse)
def ballot_page(
    request: Request, session: SessionDep, election: Code, credential: Token
) -> Response:
    """The ballot paper, once the credential is known to be valid and unused."""
    try:
        made = casting.open_election(session, election)
        casting.check_credential(session, made, credential)
    except OrgburoError as error:
        context = {
            "elections": _open_elections(session),
            "chosen": election,
            "err": field_errors(error),
        }
        return render(request, "elections/vote_start.html", context, status_code=error.http_status)
    return _ballot(request, session, made, credential, {})


def _ballot(
    request: Request, session: Session, election: Election, credential: str, err: dict[str, str]
) -> Response:
    paper = casting.paper(session, election)
    context = {
        "election": election,
        "candidates": list(enumerate(paper.candidates)),
        "ranked": election.method in RANKED,
        "credential": credential,
        "err": err,
    }
    return render(request, "elections/ballot.html", context, status_code=422 if err else 200)


@router.post("/vote/cast", response_class=HTMLResponse)
async def cast(request: Request) -> Response:
    """Cast the marked ballot; the receipt page, or the ballot again with the reason."""
    form = await request.form()
    code, credential = str(form.get("election", "")), str(form.get("credential", ""))
    spoil = form.get("spoil") == "1"
    try:
        with unit_of_work(request.app.state.engine) as session:
            election = elections.get_or_raise(session, code)
            marks = (
                []
                if spoil
                else marks_from(form, casting.paper(session, election).candidates, election.method)
            )
            receipt = casting.cast(
                session, code=code, credential=credential, marks=marks, spoil=spoil, actor=VOTER
            )
    except OrgburoError as error:
        return _refused(request, code, credential, error)
    return render(request, "elections/receipt.html", {"receipt": receipt, "spoiled": spoil})


def _refused(request: Request, code: str, credential: str, error: OrgburoError) -> Response:
    with unit_of_work(request.app.state.engine) as session:
        election = elections.get(session, code)
        if (
            election is None
            or not isinstance(error, Invalid)
            or "credential" in field_errors(error)
        ):
            context = {
                "elections": _open_elections(session),
                "chosen": code,
                "err": field_errors(error),
            }
            return render(
                request, "elections/vote_start.html", context, status_code=error.http_status
            )
        return _ballot(request, session, election, credential, field_errors(error))


def marks_from(form: FormData, candidates: tuple[str, ...], method: str) -> list[str]:
    """The marks a ballot form carries: by preference number, or the names ticked or kept."""
    if method in RANKED:
        return _ranked(form, candidates)
    if method == "for-against":
        return [name for i, name in enumerate(candidates) if form.get(f"c{i}", "keep") == "keep"]
    return [name for i, name in enumerate(candidates) if form.get(f"c{i}") == "on"]


def _ranked(form: FormData, candidates: tuple[str, ...]) -> list[str]:
    ranks: dict[int, str] = {}
    for i, name in enumerate(candidates):
        value = str(form.get(f"c{i}", "")).strip()
        if not value:
            continue
        if not value.isdigit() or not 1 <= int(value) <= len(candidates):
            raise Invalid.one(
                "marks", f"preference {value!r} for {name} is not 1..{len(candidates)}"
            )
        if int(value) in ranks:
            raise Invalid.one("marks", f"two candidates have preference {value}")
        ranks[int(value)] = name
    return [ranks[r] for r in sorted(ranks)]
