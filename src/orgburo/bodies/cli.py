"""`orgburo bodies ...`: import, add, move, change, close and show bodies."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from rich.tree import Tree

from orgburo.actors import cli_actor
from orgburo.bodies import importer
from orgburo.bodies import service as bodies
from orgburo.cli_support import console, progress_bar, required_date, transaction

app = typer.Typer(help="The tree of bodies.", no_args_is_help=True)


@app.command("import")
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV or Parquet file."),
) -> None:
    """Import bodies from a CSV or Parquet file (columns: code,name,parent,kind,level,zone)."""
    with progress_bar("bodies") as advance, transaction() as session:
        result = importer.import_file(session, file, actor=cli_actor(), progress=advance)
    console.print(
        f"{result.rows} rows: {result.created} bodies created, {result.unchanged} unchanged"
    )


@app.command("add")
def add(
    code: str = typer.Argument(..., help="Unique code of the new body."),
    name: str = typer.Option(..., help="Full name."),
    kind: str = typer.Option(..., help="congress, committee, bureau, primary_organization, ..."),
    parent: str | None = typer.Option(None, help="Code of the parent body."),
    level: str | None = typer.Option(None, help="Level name, e.g. region or district."),
    zone: str | None = typer.Option(None, help="Zone label, e.g. rear or near_front."),
    opened: str | None = typer.Option(None, help="Opening date, YYYY-MM-DD (default today)."),
) -> None:
    """Open a new body."""
    with transaction() as session:
        body = bodies.create(
            session,
            code=code,
            name=name,
            kind=kind,
            parent_code=parent,
            level=level,
            zone=zone,
            opened_on=required_date(opened, "opened"),
            actor=cli_actor(),
        )
    console.print(f"opened {body.code}")


@app.command("move")
def move(
    code: str = typer.Argument(..., help="Body to move, with its whole subtree."),
    parent: str = typer.Option(..., help="Code of the new parent."),
    on: str | None = typer.Option(None, help="Date of the move, YYYY-MM-DD (default today)."),
) -> None:
    """Move a body and its subtree under a new parent; the old tree stays in history."""
    with transaction() as session:
        bodies.move(
            session,
            code=code,
            new_parent_code=parent,
            on=required_date(on, "on"),
            actor=cli_actor(),
        )
    console.print(f"moved {code} under {parent}")


@app.command("change")
def change(
    code: str = typer.Argument(...),
    name: str | None = typer.Option(None, help="New name."),
    level: str | None = typer.Option(None, help="New level name."),
    zone: str | None = typer.Option(None, help="New zone label ('' to clear)."),
    on: str | None = typer.Option(None, help="Date of the change, YYYY-MM-DD (default today)."),
) -> None:
    """Rename a body or change its level or zone."""
    with transaction() as session:
        bodies.change(
            session,
            code=code,
            name=name,
            level=level,
            zone=zone,
            on=required_date(on, "on"),
            actor=cli_actor(),
        )
    console.print(f"changed {code}")


@app.command("close")
def close(
    code: str = typer.Argument(...),
    on: str | None = typer.Option(None, help="Closing date, YYYY-MM-DD (default today)."),
) -> None:
    """Close a body with no open sub-bodies and no current members."""
    with transaction() as session:
        bodies.close(session, code=code, on=required_date(on, "on"), actor=cli_actor())
    console.print(f"closed {code}")


@app.command("show")
def show(code: str = typer.Argument(...)) -> None:
    """Show a body, its place in the tree, its sub-bodies and its history."""
    with transaction() as session:
        body = bodies.get_or_raise(session, code)
        path = " > ".join([a.code for a in bodies.ancestors(session, body.id)] + [body.code])
        table = Table("date", "change", "before", "after", title=f"{body.name} ({path})")
        for event in bodies.history(session, body, actor=cli_actor()):
            table.add_row(str(event.on), event.kind, _brief(event.before), _brief(event.after))
        kids = [f"{c.code} ({c.kind})" for c in bodies.children(session, body.id)]
    console.print(table)
    console.print(
        f"sub-bodies: {', '.join(kids[:50]) or 'none'}" + (" ..." if len(kids) > 50 else "")
    )


def _brief(values: dict[str, object] | None) -> str:
    return ", ".join(
        f"{k}={v}" for k, v in (values or {}).items() if k in ("name", "zone", "parent_id", "level")
    )


@app.command("tree")
def tree(
    code: str | None = typer.Argument(None, help="Root of the tree to show (default: all roots)."),
    depth: int = typer.Option(2, min=1, max=10, help="Levels to show."),
) -> None:
    """Print the tree of bodies under CODE."""
    with transaction() as session:
        roots = (
            [bodies.get_or_raise(session, code)] if code else list(bodies.children(session, None))
        )
        view = Tree("bodies")
        for root in roots:
            _grow(session, view.add(f"{root.code}  {root.name}"), root.id, depth - 1)
    console.print(view)


def _grow(session: object, branch: Tree, body_id: int, depth: int) -> None:
    if depth <= 0:
        return
    for child in bodies.children(session, body_id)[:100]:  # type: ignore[arg-type]
        _grow(session, branch.add(f"{child.code}  {child.name}"), child.id, depth - 1)
