"""The `orgburo` command: every capability as a thin wrapper over the services."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.accounts.cli import app as users_app
from orgburo.actors import cli_actor
from orgburo.apportionment.cli import register as register_apportion
from orgburo.bodies.cli import app as bodies_app
from orgburo.census.cli import census_command, snapshots_command
from orgburo.cli_support import console, errors, progress_bar, transaction
from orgburo.congresses.cli import app as congresses_app
from orgburo.congresses.cli import chain_app
from orgburo.db import default_engine
from orgburo.elections.cli import app as elections_app
from orgburo.elections.tally_cli import register as register_tally
from orgburo.enrollment.cli import app as enrollment_app
from orgburo.generate import service as generator
from orgburo.members.cli import app as members_app
from orgburo.members.cli import attributes_app
from orgburo.migrations import current, upgrade
from orgburo.mobilizations.cli import app as mobilize_app
from orgburo.offices.cli import app as offices_app
from orgburo.scenarios.cli import app as scenario_app

DEMO_PASSWORD = "orgburo-demo"  # the demo's accounts only; a real store has its own
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
app.add_typer(congresses_app, name="congresses")
app.add_typer(chain_app, name="chain")
app.add_typer(elections_app, name="elections")
app.add_typer(offices_app, name="offices")
app.add_typer(scenario_app, name="scenario")
app.add_typer(users_app, name="users")
app.add_typer(enrollment_app, name="enrollment")
app.add_typer(mobilize_app, name="mobilize")
app.command("census")(census_command)
app.command("census-snapshots")(snapshots_command)
register_tally(app)
register_apportion(app)


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
def audit_verify(
    reseal: bool = typer.Option(
        False, help="After a change of ORGBURO_SECRET_KEY: seal the head anew if all else holds."
    ),
) -> None:
    """Check the hash chain of the audit trail; name every entry that does not fit."""
    with transaction() as session:
        breaks = audit.verify_chain(session)
        if reseal and all(b.kind in ("head edited", "head missing") for b in breaks):
            audit.reseal(session)
            breaks = []
        head = session.get(audit.AuditHead, 1)
    if not breaks:
        ending = "" if head is None else f": {head.entries} entries, the last {head.last_id}"
        suffix = "" if head is None else f" ({head.last_hash})"
        console.print("audit trail intact" + ending + suffix, highlight=False)
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
    scenario: str | None = typer.Option(
        None, help="The scenario to replay, a name or a YAML file (default: the reference)."
    ),
    scale: str = typer.Option("0.1", help="Size of the replay: 0.1 is 1:10, 1 is full size."),
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Start the web UI after."),
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
) -> None:
    """Replay the reference scenario into a new SQLite file, print its figures, serve the web UI."""
    import time

    from orgburo.scenarios import service as scenarios
    from orgburo.scenarios.cli import parse_scale, reported, show_figures

    started = time.monotonic()
    with reported():
        loaded = scenarios.load(scenario or scenarios.REFERENCE)
    with progress_bar("demo steps") as advance, reported():
        engine, record = scenarios.replay_into_file(
            database, loaded, scale=parse_scale(scale), actor=cli_actor(), progress=advance
        )
    secretary_of = next(b.code for b in loaded.scenario.organization.bodies if b.parent)
    with transaction(engine) as session:
        _demo_accounts(session, secretary_of)
        show_figures(session, loaded)
        scenarios.series(session, loaded, cli_actor())  # drawn once, before the first visit
    console.print(f"built {record.scenario} at scale {scale} in {time.monotonic() - started:.0f} s")
    console.print(
        f"sign in as admin, or as secretary (of {secretary_of}): password {DEMO_PASSWORD}; "
        f"then open http://{host}:{port}/scenarios/{record.scenario}"
    )
    if serve_after:
        _serve(engine, host, port)


def _demo_accounts(session: Session, secretary_of: str) -> None:
    """An administrator, and the secretary of the body `secretary_of`."""
    from orgburo.accounts import service as accounts

    actor = cli_actor()
    accounts.create(session, name="admin", password=DEMO_PASSWORD, is_admin=True, actor=actor)
    accounts.create(session, name="secretary", password=DEMO_PASSWORD, actor=actor)
    accounts.grant(session, name="secretary", role="secretary", body_code=secretary_of, actor=actor)


def _serve(engine: Engine, host: str, port: int) -> None:
    import uvicorn

    from orgburo.web.app import create_app

    console.print(f"Orgburo on http://{host}:{port}/  (API docs at /docs; {engine.url})")
    uvicorn.run(create_app(engine), host=host, port=port, log_level="warning")


def main() -> None:
    """Entry point of the console script."""
    app()
