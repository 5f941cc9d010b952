"""`orgburo members ...` and `orgburo attributes ...`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from orgburo.actors import cli_actor
from orgburo.cli_support import console, fail, progress_bar, required_date, transaction
from orgburo.config import get_settings
from orgburo.members import attributes, importer
from orgburo.members import service as members
from orgburo.members.export import export_members
from orgburo.members.history import history

app = typer.Typer(help="The member registry.", no_args_is_help=True)
attributes_app = typer.Typer(help="Organization-specific member attributes.", no_args_is_help=True)


def _pairs(values: list[str]) -> dict[str, str]:
    pairs = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep:
            fail("--set", f"{item!r} must look like NAME=VALUE")
        pairs[name.strip()] = value
    return pairs


@app.command("import")
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV or Parquet file."),
) -> None:
    """Import members from a CSV or Parquet file (columns in docs/file-formats.md)."""
    with progress_bar("members") as advance, transaction() as session:
        result = importer.import_file(
            session,
            file,
            actor=cli_actor(),
            progress=advance,
            batch_rows=get_settings().import_batch_rows,
        )
    console.print(
        f"{result.rows} rows: {result.created} members registered, {result.unchanged} unchanged"
    )


@app.command("admit")
def admit(
    id: str = typer.Argument(..., help="Registry id (party card number)."),
    name: str = typer.Option(...),
    body: str = typer.Option(..., help="Code of the admitting body."),
    status: str = typer.Option("candidate", help="candidate or full."),
    on: str | None = typer.Option(None, help="Date of admission, YYYY-MM-DD (default today)."),
    set_: list[str] = typer.Option([], "--set", help="Attribute as NAME=VALUE; repeat."),
) -> None:
    """Admit a person as a candidate or full member."""
    with transaction() as session:
        members.admit(
            session,
            external_id=id,
            name=name,
            body_code=body,
            status=status,
            on=required_date(on, "on"),
            attributes=_pairs(set_),
            actor=cli_actor(),
        )
    console.print(f"admitted {id} to {body}")


@app.command("confirm")
def confirm(id: str = typer.Argument(...), on: str | None = typer.Option(None)) -> None:
    """Confirm a candidate as a full member."""
    with transaction() as session:
        members.confirm(session, external_id=id, on=required_date(on, "on"), actor=cli_actor())
    console.print(f"confirmed {id}")


@app.command("transfer")
def transfer(
    id: str = typer.Argument(...),
    to: str = typer.Option(..., help="Code of the receiving body."),
    on: str | None = typer.Option(None),
) -> None:
    """Transfer a member to another body."""
    with transaction() as session:
        members.transfer(
            session, external_id=id, to_body_code=to, on=required_date(on, "on"), actor=cli_actor()
        )
    console.print(f"transferred {id} to {to}")


@app.command("update")
def update(
    id: str = typer.Argument(...),
    set_: list[str] = typer.Option(..., "--set", help="NAME=VALUE; repeat."),
    on: str | None = typer.Option(None),
) -> None:
    """Record new attribute values; the old ones stay in the history."""
    with transaction() as session:
        members.change_attributes(
            session,
            external_id=id,
            changes=_pairs(set_),
            on=required_date(on, "on"),
            actor=cli_actor(),
        )
    console.print(f"updated {id}")


@app.command("end")
def end(
    id: str = typer.Argument(...),
    reason: str = typer.Option(..., help="left, expelled or died."),
    on: str | None = typer.Option(None),
    note: str | None = typer.Option(None),
) -> None:
    """End a membership."""
    with transaction() as session:
        members.end(
            session,
            external_id=id,
            reason=reason,
            on=required_date(on, "on"),
            note=note,
            actor=cli_actor(),
        )
    console.print(f"{id}: {reason}")


@app.command("show")
def show(id: str = typer.Argument(...)) -> None:
    """Show a member and their full history."""
    with transaction() as session:
        person = members.get_or_raise(session, id)
        table = Table("date", "event", "body", "status", "detail", title=f"{person.name} ({id})")
        for entry in history(session, person, actor=cli_actor()):
            table.add_row(
                str(entry.on), entry.kind, entry.body or "", entry.status or "", entry.detail
            )
        values = members.describe(person)
    console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in values.items() if v is not None))


@app.command("export")
def export(
    output: Path = typer.Argument(..., help="File to write: .csv or .parquet."),
    body: str = typer.Option(..., help="Export the current members of this subtree."),
) -> None:
    """Export a subtree's current members in the import layout."""
    with transaction() as session:
        written = export_members(session, body, output)
    console.print(f"wrote {written} members to {output}")


@attributes_app.command("add")
def attribute_add(
    name: str = typer.Argument(...),
    type: str = typer.Option("text", help="text, integer, boolean or choice."),
    choices: str | None = typer.Option(None, help="Comma-separated, for type choice."),
    label: str = typer.Option("", help="Label shown on pages."),
) -> None:
    """Declare an organization-specific attribute (no migration needed)."""
    options = [c.strip() for c in choices.split(",")] if choices else None
    with transaction() as session:
        attributes.declare(
            session, name=name, type=type, choices=options, label=label, actor=cli_actor()
        )
    console.print(f"declared {name}")


@attributes_app.command("list")
def attribute_list() -> None:
    """List the attributes members can carry."""
    with transaction() as session:
        table = Table("name", "type", "choices", "core")
        for attribute in attributes.catalog(session).values():
            table.add_row(
                attribute.name,
                attribute.type,
                ", ".join(attribute.choices),
                "yes" if attribute.core else "",
            )
    console.print(table)
