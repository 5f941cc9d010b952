"""`orgburo elections vote|box|receipt`: cast a ballot, export the published box, find a receipt."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.cli_support import console, fail, report, transaction
from orgburo.elections import box, box_file, casting
from orgburo.elections.models import Election
from orgburo.errors import OrgburoError

VOTER = Actor(name="voter")


def register(app: typer.Typer) -> None:
    """Add the voting commands to the `elections` app."""
    app.command("vote")(vote)
    app.command("box")(published_box)
    app.command("receipt")(receipt)
    app.command("check-receipt")(check_receipt)


def vote(
    code: str = typer.Argument(...),
    credential: str = typer.Option(..., help="The voter's one-time credential."),
    mark: list[str] = typer.Option(
        [], help="A candidate's name; repeat, in order of preference for ranked methods."
    ),
    spoil: bool = typer.Option(False, help="Cast a spoiled ballot (counted in turnout only)."),
) -> None:
    """Cast a ballot with a one-time credential and print the receipt."""
    with transaction() as session:
        made = casting.cast(
            session, code=code, credential=credential, marks=mark, spoil=spoil, actor=VOTER
        )
    console.print(f"receipt: {made.code}", highlight=False, soft_wrap=True)
    console.print(
        f"verification code (keep it to yourself): {made.nonce}", highlight=False, soft_wrap=True
    )


def published_box(
    code: str = typer.Argument(...),
    output: str = typer.Option("blt", "--format", help="blt (to recount) or json (with receipts)."),
    to: Path | None = typer.Option(None, "--output", dir_okay=False, help="Write to this file."),
) -> None:
    """Export the published box of a closed poll: BLT to recount, or JSON with receipts."""
    with transaction() as session:
        election = box.published(session, code)
        if output == "json":
            text = json.dumps(_json(session, election), indent=2, ensure_ascii=False) + "\n"
        else:
            text = box.blt_text(session, election)
        recount = box.recount_command(election)
    if to is None:
        typer.echo(text, nl=False)
        return
    to.write_text(text, encoding="utf-8")
    console.print(f"written to {to}; recount with: {recount}", highlight=False, soft_wrap=True)


def _json(session: Session, election: Election) -> dict[str, object]:
    entries = box.entries(session, election)
    return {
        "election": election.code,
        "method": election.method,
        "seed": election.seed,
        "recount": box.recount_command(election),
        "ballots": [
            {
                "ballot_id": e.ballot_id,
                "receipt": e.receipt,
                "marks": list(e.marks),
                "spoiled": e.spoiled,
            }
            for e in entries
        ],
    }


def receipt(
    code: str = typer.Argument(...), code_: str = typer.Argument(..., metavar="RECEIPT")
) -> None:
    """Find the ballot a receipt points to and print its marks."""
    with transaction() as session:
        entry = box.find_receipt(session, code=code, receipt=code_)
    shown = "spoiled" if entry.spoiled else (", ".join(entry.marks) or "(blank)")
    console.print(f"ballot {entry.ballot_id}: {shown}", highlight=False, soft_wrap=True)


def check_receipt(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The published box, JSON."),
    code_: str = typer.Option(..., "--receipt", help="The receipt, as printed."),
    nonce: str = typer.Option(..., help="The verification code shown with the receipt."),
) -> None:
    """Offline: find a receipt in a published box (JSON) and check it is that ballot's."""
    try:
        entry = box_file.find(file, code_)
    except OrgburoError as error:
        report(error)
        raise typer.Exit(error.exit_code) from None
    if not box_file.proves(entry, nonce):
        fail("nonce", "the receipt was not made from this ballot's id and this code")
    shown = "spoiled" if entry["spoiled"] else (", ".join(entry["marks"]) or "(blank)")
    console.print(
        f"ballot {entry['ballot_id']}: {shown}; the receipt is this ballot's",
        highlight=False,
        soft_wrap=True,
    )
