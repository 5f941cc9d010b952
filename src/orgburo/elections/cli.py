"""`orgburo elections ...`: create, nominate, open (credentials), close, count and show."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from orgburo.actors import cli_actor
from orgburo.cli_support import console, date_option, fail, transaction
from orgburo.db import default_engine
from orgburo.elections import box, counting, credentials
from orgburo.elections import service as elections
from orgburo.elections.models import Election, ElectionResult
from orgburo.elections.schemas import quorum_of
from orgburo.elections.voting_cli import register as register_voting

app = typer.Typer(help="Elections: nominations, the poll, the count.", no_args_is_help=True)
register_voting(app)


@app.command("create")
def create(
    code: str = typer.Argument(..., help="Unique code of the election."),
    title: str = typer.Option(..., help="Title shown on the ballot."),
    congress: str = typer.Option(..., help="Code of the sitting that holds it."),
    method: str = typer.Option(..., help="for-against, block, stv-scottish, meek or irv."),
    seats: int = typer.Option(1, min=1, help="Seats to fill."),
    mode: str = typer.Option("secret", help="secret, or open (each voter named)."),
    organ: str | None = typer.Option(None, help="Organ whose seats the result fills."),
    office: str | None = typer.Option(None, help="Office the result fills."),
    seat_kind: str = typer.Option("full", help="full or candidate seats of the organ."),
    quorum: str = typer.Option("1/2", help="More than this share of voters must vote."),
    seed: int | None = typer.Option(None, help="Seed of the lot (drawn and recorded if omitted)."),
    held_on: str | None = typer.Option(None, help="Day of the vote (default: the sitting's)."),
    closes_at: str | None = typer.Option(None, help="No ballot after this time (ISO, with zone)."),
) -> None:
    """Create an election at a sitting; nominations stay open until the poll opens."""
    terms = elections.Terms(
        method=method,
        seats=seats,
        mode=mode,
        organ_code=organ,
        office_code=office,
        seat_kind=seat_kind,
        quorum=quorum_of(quorum),
        seed=seed,
        held_on=date_option(held_on, "held_on"),
        closes_at=_moment(closes_at),
    )
    with transaction() as session:
        made = elections.create(
            session, code=code, title=title, congress_code=congress, terms=terms, actor=cli_actor()
        )
    console.print(f"created {made.code} (seed {made.seed})")


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail("closes_at", f"{text!r} is not an ISO date and time")
    if moment.tzinfo is None:
        fail("closes_at", "give the time zone, e.g. 2026-05-01T18:00+00:00")
    return moment


@app.command("from-chain")
def from_chain(congress: str = typer.Argument(..., help="Code of the sitting.")) -> None:
    """Create the elections the electoral chain gives a sitting."""
    with transaction() as session:
        made = elections.from_chain(session, congress_code=congress, actor=cli_actor())
        codes = [e.code for e in made]
    console.print("\n".join(codes) or "nothing new to create")


@app.command("nominate")
def nominate(
    code: str = typer.Argument(...),
    people: list[str] = typer.Argument(..., help="Registry ids, in ballot-paper order."),
) -> None:
    """Put people on the ballot paper."""
    with transaction() as session:
        for person in people:
            elections.nominate(session, code=code, person_id=person, actor=cli_actor())
    console.print(f"{len(people)} nominated for {code}")


@app.command("withdraw")
def withdraw(code: str = typer.Argument(...), person: str = typer.Argument(...)) -> None:
    """Take a candidate off the ballot paper before the poll opens."""
    with transaction() as session:
        elections.withdraw(session, code=code, person_id=person, actor=cli_actor())
    console.print(f"{person} withdrawn from {code}")


@app.command("open")
def open_poll(
    code: str = typer.Argument(...),
    slips: Path | None = typer.Option(
        None, dir_okay=False, help="Write the credentials to this CSV (else print them)."
    ),
) -> None:
    """Open the poll and issue one credential per voter, shown this once."""
    with transaction() as session:
        issued = elections.open_poll(session, code=code, actor=cli_actor())
        rows = [(i.person.external_id, i.person.name, i.credential) for i in issued]
    _write_slips(rows, slips)
    console.print(f"{code} is open: {len(rows)} credentials issued")


def _write_slips(rows: list[tuple[str, str, str]], path: Path | None) -> None:
    if path is None:
        for row in rows:
            console.print("\t".join(row), highlight=False)
        return
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["person", "name", "credential"])
        writer.writerows(rows)


@app.command("reissue")
def reissue(code: str = typer.Argument(...), person: str = typer.Argument(...)) -> None:
    """Replace a voter's lost, unused credential; the old one stops working."""
    with transaction() as session:
        election = elections.get_or_raise(session, code)
        issued = credentials.reissue(
            session, election=election, person_id=person, actor=cli_actor()
        )
    console.print(issued.credential, highlight=False)


@app.command("close")
def close(code: str = typer.Argument(...)) -> None:
    """Close the poll and seal the box; the box is then published."""
    with transaction() as session:
        cast = elections.close_poll(session, code=code, actor=cli_actor())
    box.vacuum(default_engine())
    console.print(f"{code} is closed: {cast} ballots in the box")


@app.command("count")
def count(
    code: str = typer.Argument(...),
    output: str = typer.Option("text", "--format", help="text, or json (with the count sheet)."),
) -> None:
    """Count the closed poll, store the count sheet, and seat the elected."""
    with transaction() as session:
        result = counting.count(session, code=code, actor=cli_actor())
        summary = _summary(result)
        sheet = result.sheet
    if output == "json":
        console.print_json(json.dumps({**summary, "sheet": sheet}))
        return
    _print_summary(summary)


def _summary(result: ElectionResult) -> dict[str, object]:
    return {
        "electorate": result.electorate,
        "cast": result.cast,
        "spoiled": result.spoiled,
        "blank": result.blank,
        "quorum_met": result.quorum_met,
        "elected": list(result.elected),
    }


def _print_summary(summary: dict[str, object]) -> None:
    console.print(
        f"{summary['cast']} of {summary['electorate']} voted "
        f"({summary['spoiled']} spoiled, {summary['blank']} blank); "
        f"quorum {'met' if summary['quorum_met'] else 'NOT met: nobody is elected'}"
    )
    for name in summary["elected"]:  # type: ignore[attr-defined]
        console.print(f"elected: {name}", highlight=False)


@app.command("list")
def list_() -> None:
    """List every election, latest first."""
    table = Table("code", "title", "method", "seats", "mode", "status")
    with transaction() as session:
        for e in elections.all_elections(session):
            table.add_row(e.code, e.title, e.method, str(e.seats), e.mode, e.status)
    console.print(table)


@app.command("show")
def show(code: str = typer.Argument(...)) -> None:
    """Show an election: its rules, candidates, turnout and result with every stage."""
    with transaction() as session:
        election = elections.get_or_raise(session, code)
        _print_election(session, election)
        result = counting.result_of(session, election)
        if result is not None:
            _print_summary(_summary(result))
            _print_sheet(result.sheet)


def _print_election(session: Session, election: Election) -> None:
    voted, entitled = elections.turnout(session, election)
    console.print(
        f"{election.title} ({election.code}): {election.method}, {election.seats} seats, "
        f"{election.mode} vote, quorum {election.quorum_num}/{election.quorum_den}, "
        f"seed {election.seed}, {election.status}; {voted} of {entitled} have voted",
        highlight=False,
    )
    for n in elections.nominations(session, election):
        console.print(f"  {n.position}. {n.label}", highlight=False)


def _print_sheet(sheet: dict[str, object] | None) -> None:
    if not sheet:
        return
    stages = sheet["stages"]
    assert isinstance(stages, list)
    table = Table("stage", "action", *sheet["candidates"], "exhausted", "elected", "excluded")  # type: ignore[misc]
    for stage in stages:
        totals = list(stage["totals"].values())
        table.add_row(
            str(stage["number"]),
            stage["action"],
            *totals,
            stage["exhausted"],
            ", ".join(stage["elected"]),
            ", ".join(stage["excluded"]),
        )
    console.print(table)
