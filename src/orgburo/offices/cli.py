"""`orgburo offices ...`: offices, their holders and terms, loading recorded history,
and the seats of elected organs."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import typer
from rich.table import Table

from orgburo.actors import cli_actor
from orgburo.bodies import service as bodies
from orgburo.cli_support import console, date_option, fail, required_date, transaction
from orgburo.members import service as members
from orgburo.members.models import Person
from orgburo.offices import history_file, seats
from orgburo.offices import service as offices
from orgburo.offices.models import OfficeTerm

app = typer.Typer(
    help="Offices, their holders and terms; seats on elected organs.", no_args_is_help=True
)


@app.command("create")
def create(
    code: str = typer.Argument(..., help="Unique code of the office."),
    title: str = typer.Option(..., help="Title of the office."),
    body: str | None = typer.Option(None, help="Code of the body the office belongs to."),
    note: str | None = typer.Option(None, help="A note."),
) -> None:
    """Create an office."""
    with transaction() as session:
        offices.create(
            session, code=code, title=title, body_code=body, note=note, actor=cli_actor()
        )
    console.print(f"created {code}")


@app.command("list")
def list_() -> None:
    """List every office."""
    table = Table("code", "title")
    with transaction() as session:
        for office in offices.all_offices(session):
            table.add_row(office.code, office.title)
    console.print(table)


def _when(term: OfficeTerm) -> tuple[str, str]:
    start = f"{term.started_on}" + (
        "" if term.start_precision == "day" else f" ({term.start_precision})"
    )
    if term.ended_on is None:
        return start, ""
    end = f"{term.ended_on}" + ("" if term.end_precision == "day" else f" ({term.end_precision})")
    return start, end


@app.command("show")
def show(code: str = typer.Argument(...)) -> None:
    """Show an office and every term, with titles, dates, sources and conflicts."""
    with transaction() as session:
        office = offices.get_or_raise(session, code)
        lines = [_term_line(term) for term in offices.terms(session, office)]
    console.print(f"{office.title} ({office.code})", highlight=False)
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True)


def _term_line(term: OfficeTerm) -> str:
    start, end = _when(term)
    ended = f" ({term.end_reason})" if term.end_reason else ""
    line = f"{start} to {end or 'now'}{ended}: {term.holder_name}, {term.title}"
    if term.source:
        line += f". Source: {term.source}"
    return line + (f". {term.note}" if term.note else "")


@app.command("appoint")
def appoint(
    code: str = typer.Argument(..., help="The office."),
    holder: str = typer.Argument(..., help="Registry id of the holder, or a name."),
    on: str = typer.Option(..., help="First day of the term, YYYY-MM-DD."),
    title: str | None = typer.Option(None, help="Title borne (default: the office's)."),
    source: str | None = typer.Option(None, help="Where this is recorded."),
    joint: bool = typer.Option(False, help="Hold it jointly: do not end the open terms."),
) -> None:
    """Start a term in an office; the open terms end that day unless it is held jointly."""
    with transaction() as session:
        office = offices.get_or_raise(session, code)
        person = members.get(session, holder)
        start = offices.TermStart(
            holder_name=person.name if person else holder,
            person=person,
            started_on=required_date(on, "on"),
            title=title,
            source=source,
        )
        offices.start_term(
            session, office=office, start=start, actor=cli_actor(), succeed=not joint
        )
    console.print(f"{holder} holds {code} from {on}")


@app.command("end-term")
def end_term(
    code: str = typer.Argument(..., help="The office."),
    on: str = typer.Option(..., help="First day out of office, YYYY-MM-DD."),
    reason: str = typer.Option(..., help="Why: resigned, removed, died, ..."),
) -> None:
    """End every open term of an office (the office is then vacant)."""
    with transaction() as session:
        office = offices.get_or_raise(session, code)
        ended = offices.vacate(
            session,
            office=office,
            ended_on=required_date(on, "on"),
            reason=reason,
            actor=cli_actor(),
        )
    console.print(f"{ended} term(s) of {code} ended on {on}")


@app.command("vacate")
def vacate(
    organ: str = typer.Argument(..., help="The elected organ."),
    person: str = typer.Argument(..., help="Registry id of the seat holder."),
    on: str = typer.Option(..., help="First day the seat is empty, YYYY-MM-DD."),
    reason: str = typer.Option(..., help="resigned, removed or died."),
) -> None:
    """End a person's seat on an elected organ."""
    with transaction() as session:
        seats.vacate(
            session,
            organ=bodies.get_or_raise(session, organ, "organ"),
            person=members.get_or_raise(session, person, "person"),
            on=required_date(on, "on"),
            reason=reason,
            actor=cli_actor(),
        )
    console.print(f"{person}'s seat on {organ} is vacant from {on}")


@app.command("holders")
def holders(
    code: str = typer.Argument(...),
    on: str = typer.Option(..., help="The date asked about, YYYY-MM-DD."),
) -> None:
    """Who held the office on a date (certain, or possible where dates are imprecise)."""
    with transaction() as session:
        office = offices.get_or_raise(session, code)
        found = offices.holders_on(session, office, required_date(on, "on"))
        lines = [
            f"{h.term.holder_name}, {h.term.title}" + ("" if h.certain else " (possibly)")
            for h in found
        ]
    console.print("\n".join(lines) or f"nobody held {code} on {on}")


@app.command("load")
def load(
    file: Path | None = typer.Argument(
        None, exists=True, dir_okay=False, help="Office history YAML."
    ),
    scenario: str | None = typer.Option(
        None, help="A history shipped with Orgburo, e.g. secretariat_heads."
    ),
) -> None:
    """Load the recorded history of offices; loading again changes nothing."""
    path = file or _shipped(scenario)
    data = history_file.read(path)
    with transaction() as session:
        loaded = history_file.load(session, data=data, actor=cli_actor())
    console.print(f"{loaded.offices} offices, {loaded.terms} terms loaded from {path.name}")


def _shipped(name: str | None) -> Path:
    if not name:
        fail("file", "give a FILE or --scenario NAME")
    folder = resources.files("orgburo") / "scenarios" / "data" / "offices"
    path = Path(str(folder / f"{name}.yaml"))
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in Path(str(folder)).glob("*.yaml")))
        fail("scenario", f"no office history is called {name!r}; known: {known}")
    return path


@app.command("seats")
def organ_seats(
    organ: str = typer.Argument(..., help="Code of the elected organ."),
    on: str | None = typer.Option(None, help="Seats held on this date (default: today)."),
) -> None:
    """The holders of an organ's seats on a date."""
    table = Table("person", "name", "seat", "from", "to")
    with transaction() as session:
        body = bodies.get_or_raise(session, organ, "organ")
        for seat in seats.holders_on(session, body, date_option(on, "on")):
            person = session.get(Person, seat.person_id)
            assert person is not None
            table.add_row(
                person.external_id,
                person.name,
                seat.kind,
                str(seat.started_on),
                str(seat.ended_on or ""),
            )
    console.print(table)
