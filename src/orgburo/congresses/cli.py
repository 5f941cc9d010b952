"""`orgburo congresses ...` and `orgburo chain ...`: sittings, delegates and the chain."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from orgburo.actors import cli_actor
from orgburo.cli_support import console, date_option, required_date, transaction
from orgburo.congresses import chain, delegates
from orgburo.congresses import service as congresses
from orgburo.congresses.models import Congress
from orgburo.core.delegates import Norm

app = typer.Typer(help="Congresses, conferences and plenums.", no_args_is_help=True)
chain_app = typer.Typer(
    help="The electoral chain: which sitting elects what.", no_args_is_help=True
)


@app.command("convene")
def convene(
    code: str = typer.Argument(..., help="Unique code of the sitting."),
    name: str = typer.Option(..., help="Full name."),
    body: str = typer.Option(..., help="Convening body; for a plenum, the organ."),
    opens: str = typer.Option(..., help="Opening day, YYYY-MM-DD."),
    kind: str = typer.Option("congress", help="congress, conference or plenum."),
    closes: str | None = typer.Option(None, help="Closing day, YYYY-MM-DD."),
    norm: str | None = typer.Option(None, help="Delegate norm: per-members or total."),
    voting: int | None = typer.Option(None, min=1, help="Full members per delegate, or total."),
    consultative: int | None = typer.Option(None, min=1, help="The same, for candidates."),
    method: str = typer.Option("hamilton", help="Apportionment method of a total norm."),
) -> None:
    """Convene a congress or conference of a body, or a plenum of an organ."""
    with transaction() as session:
        congresses.create(
            session,
            code=code,
            name=name,
            kind=kind,
            body_code=body,
            opens_on=required_date(opens, "opens"),
            closes_on=date_option(closes, "closes"),
            norm=Norm(norm, voting or 0, method) if norm else None,
            consultative_norm=consultative,
            actor=cli_actor(),
        )
    console.print(f"convened {code}")


@app.command("list")
def list_() -> None:
    """List every sitting, latest first."""
    table = Table("code", "kind", "name", "opens")
    with transaction() as session:
        for c in congresses.all_sittings(session):
            table.add_row(c.code, c.kind, c.name, str(c.opens_on))
    console.print(table)


@app.command("apportion")
def apportion(
    code: str = typer.Argument(...),
    census_on: str | None = typer.Option(None, help="Date of the membership count."),
) -> None:
    """Set each lower organization's delegates by the norm, from the census."""
    with transaction() as session:
        congresses.apportion(
            session, code=code, census_on=date_option(census_on, "census_on"), actor=cli_actor()
        )
        _show_quotas(session, congresses.get_or_raise(session, code))


def _show_quotas(session: Session, congress: Congress) -> None:
    table = Table("organization", "full members", "candidates", "voting", "consultative")
    for q, body in congresses.quotas(session, congress):
        table.add_row(
            body.code,
            f"{q.full_members:,}",
            f"{q.candidates:,}",
            str(q.voting),
            str(q.consultative),
        )
    console.print(table)


@app.command("delegate")
def delegate(
    code: str = typer.Argument(..., help="The congress."),
    person: str = typer.Argument(..., help="Registry id of the delegate."),
    organization: str = typer.Option(..., help="Code of the organization that elected them."),
    vote: str = typer.Option("voting", help="voting or consultative."),
) -> None:
    """Register a delegate, pending the credentials check."""
    with transaction() as session:
        delegates.add(
            session,
            code=code,
            person_id=person,
            organization=organization,
            vote=vote,
            actor=cli_actor(),
        )
    console.print(f"{person} registered as a {vote} delegate of {organization}")


@app.command("credentials")
def credentials(code: str = typer.Argument(...)) -> None:
    """Check every delegate's credentials against the registry on the opening day."""
    with transaction() as session:
        delegates.check_credentials(session, code=code, actor=cli_actor())
        _show_delegates(session, congresses.get_or_raise(session, code))


def _show_delegates(session: Session, congress: Congress) -> None:
    table = Table("person", "name", "organization", "vote", "credentials", "reason")
    for d, person, body in delegates.listing(session, congress):
        table.add_row(
            person.external_id, person.name, body.code, d.vote, d.credentials, d.reason or ""
        )
    console.print(table)


@app.command("show")
def show(code: str = typer.Argument(...)) -> None:
    """Show a sitting, its delegate quotas and its delegates."""
    with transaction() as session:
        congress = congresses.get_or_raise(session, code)
        norm = congresses.norm_of(congress)
        console.print(f"{congress.name} ({congress.kind}), opens {congress.opens_on}")
        console.print(f"norm: {norm.describe() if norm else 'none'}")
        _show_quotas(session, congress)
        _show_delegates(session, congress)


@chain_app.command("load")
def load_chain(
    file: Path | None = typer.Argument(
        None, exists=True, dir_okay=False, help="Chain YAML (default: the usual template)."
    ),
    body: str = typer.Option(..., help="The body whose congress heads the chain."),
    opened: str | None = typer.Option(None, help="Opening day of new organs (default today)."),
) -> None:
    """Create the chain's organs and offices and set which sitting elects what."""
    data = chain.read(file or chain.TEMPLATE)
    with transaction() as session:
        links = chain.load(
            session,
            data=data,
            body_code=body,
            opened_on=required_date(opened, "opened"),
            actor=cli_actor(),
        )
    console.print(f"{len(links)} links loaded")


@chain_app.command("show")
def show_chain() -> None:
    """Show every link of the chain."""
    table = Table("elector", "sitting", "elects", "seats", "method", "mode")
    with transaction() as session:
        for v in chain.describe_all(session):
            table.add_row(
                v.elector.code,
                v.link.sitting,
                v.elects,
                str(v.link.seats),
                v.link.method,
                v.link.mode,
            )
    console.print(table)
