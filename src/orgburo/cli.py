"""The `orgburo` command: every capability as a thin wrapper over the services."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import Engine

from orgburo import audit
from orgburo.actors import cli_actor
from orgburo.bodies.cli import app as bodies_app
from orgburo.census.cli import census_command
from orgburo.cli_support import console, errors, progress_bar, transaction
from orgburo.db import default_engine
from orgburo.elections.tally_cli import register as register_tally
from orgburo.generate import service as generator
from orgburo.members.cli import app as members_app
from orgburo.members.cli import attributes_app
from orgburo.migrations import current, upgrade

app = typer.Typer(
    name="orgburo",
    help="Orgburo: run a large membership organization built as a tree of bodies.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(bodies_app, name="bodies")
app.add_typer(members_app, name="members")
app.add_typer(attributes_app, name="attributes")
app.add_typer(audit_app, name="audit")
app.command("census")(census_command)
register_tally(app)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema of ORGBURO_DATABASE_URL to the latest migration."""
    upgrade(default_engine())
    console.print(f"schema at revision {current(default_engine())}")


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision of the database."""
    console.print(current(default_engine()) or "no schema")


@app.command("generate")
def generate(
    members: int = typer.Option(100_000, min=0, help="Members to create."),
    bodies: int = typer.Option(
        2_000, min=3, help="Bodies to create (root, regions, districts, cells)."
    ),
    seed: int = typer.Option(1, help="Random seed: the same seed gives the same organization."),
    mix: Path | None = typer.Option(None, exists=True, dir_okay=False, help="YAML attribute mix."),
) -> None:
    """Generate a realistic synthetic organization into the store."""
    upgrade(default_engine())
    with progress_bar("members") as advance, transaction() as session:
        created = generator.generate(
            session,
            members=members,
            bodies=bodies,
            seed=seed,
            mix=generator.read_mix(mix),
            actor=cli_actor(),
            progress=advance,
        )
    console.print(f"generated {created[0]} bodies and {created[1]} members (seed {seed})")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the hash chain of the audit trail; name every entry that does not fit."""
    with transaction() as session:
        breaks = audit.verify_chain(session)
    if not breaks:
        console.print("audit trail intact")
        return
    for item in breaks:
        errors.print(f"entry {item.entry_id}: {item.kind}: {item.detail}", highlight=False)
    raise typer.Exit(6)


@audit_app.command("list")
def audit_list(limit: int = typer.Option(20, min=1, help="Most recent entries to show.")) -> None:
    """Show the most recent audit entries."""
    from sqlalchemy import select

    with transaction() as session:
        entries = session.scalars(
            select(audit.AuditEntry).order_by(audit.AuditEntry.id.desc()).limit(limit)
        )
        table = Table("id", "at", "actor", "action", "target")
        for e in entries:
            table.add_row(
                str(e.id),
                e.at.isoformat(timespec="seconds"),
                e.actor,
                e.action,
                f"{e.target_type}:{e.target_id}",
            )
    console.print(table)


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Run the web application and the HTTP API on ORGBURO_DATABASE_URL."""
    upgrade(default_engine())
    _serve(default_engine(), host, port)


@app.command("demo")
def demo(
    database: Path = typer.Option(Path("var/demo.sqlite3"), help="SQLite file, made anew."),
    members: int = typer.Option(20_000, min=0, help="Members of the demo organization."),
    bodies: int = typer.Option(400, min=3, help="Bodies of the demo organization."),
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Start the web UI after."),
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
) -> None:
    """Build the demo organization in a fresh SQLite file, print its census, serve the web UI."""
    from orgburo.census import service as census_service
    from orgburo.census.cli import show_composition
    from orgburo.db import make_engine

    for stale in database.parent.glob(database.name + "*"):
        stale.unlink()
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    with progress_bar("demo members") as advance, transaction(engine) as session:
        generator.generate(
            session, members=members, bodies=bodies, seed=1, actor=cli_actor(), progress=advance
        )
        composition = census_service.census(session, body_code="ROOT", by=["social_situation"])
    show_composition(composition, "table", None)
    if serve_after:
        _serve(engine, host, port)


def _serve(engine: Engine, host: str, port: int) -> None:
    import uvicorn

    from orgburo.web.app import create_app

    console.print(f"Orgburo on http://{host}:{port}/  (API docs at /docs; {engine.url})")
    uvicorn.run(create_app(engine), host=host, port=port, log_level="warning")


def main() -> None:
    """Entry point of the console script."""
    app()
