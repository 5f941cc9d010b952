"""HTTP API of voting: cast a ballot, read the published box, find a receipt.

No sign-in: the one-time credential is the voter's authority, and the box is public.
A ballot is committed before the receipt is sent, so an acknowledged ballot is stored.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from orgburo.actors import Actor
from orgburo.db import unit_of_work
from orgburo.elections import box, casting
from orgburo.elections.schemas import (
    BallotCast,
    BoxEntryRead,
    BoxRead,
    ReceiptLookup,
    ReceiptRead,
)
from orgburo.web.deps import SessionDep
from orgburo.web.errors import ERRORS

router = APIRouter(prefix="/api/elections", tags=["voting"], responses=ERRORS)
VOTER = Actor(name="voter")


def entry_read(entry: box.Entry) -> BoxEntryRead:
    """The API view of a published ballot."""
    return BoxEntryRead(
        ballot_id=entry.ballot_id,
        receipt=entry.receipt,
        marks=list(entry.marks),
        spoiled=entry.spoiled,
    )


@router.post("/{code}/ballots", response_model=ReceiptRead, status_code=201)
def cast_ballot(code: str, payload: BallotCast, request: Request) -> ReceiptRead:
    """Cast a ballot with a one-time credential; the answer carries the voter's receipt."""
    with unit_of_work(request.app.state.engine) as session:
        receipt = casting.cast(
            session,
            code=code,
            credential=payload.credential,
            marks=payload.marks,
            spoil=payload.spoil,
            actor=VOTER,
        )
    return ReceiptRead(election=receipt.election, receipt=receipt.code, nonce=receipt.nonce)


@router.get("/{code}/box", response_model=BoxRead)
def published_box(code: str, session: SessionDep) -> BoxRead:
    """Every ballot of a closed poll with its receipt, in the order of the random ids."""
    election = box.published(session, code)
    return BoxRead(
        election=election.code,
        method=election.method,
        seed=election.seed,
        recount=box.recount_command(election),
        candidates=list(casting.paper(session, election).candidates),
        ballots=[entry_read(e) for e in box.entries(session, election)],
    )


BLT_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "BLT"}
}


@router.get("/{code}/box.blt", response_class=Response, responses=BLT_FILE)
def published_blt(code: str, session: SessionDep) -> Response:
    """The box as a BLT file: recount it with `orgburo tally`."""
    election = box.published(session, code)
    headers = {"Content-Disposition": f'attachment; filename="{election.code}.blt"'}
    text = box.blt_text(session, election)
    return Response(text, media_type="text/plain; charset=utf-8", headers=headers)


@router.post("/{code}/receipts", response_model=BoxEntryRead)
def find_receipt(code: str, payload: ReceiptLookup, session: SessionDep) -> BoxEntryRead:
    """The ballot a receipt points to, so its voter can check it was counted as cast.

    A POST, so the receipt never appears in an address (and in access logs beside the
    caller's network address).
    """
    return entry_read(box.find_receipt(session, code=code, receipt=payload.receipt))
