"""`orgburo census`: the composition of a subtree on a date, or its change between two."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from orgburo import access
from orgburo.actors import cli_actor
from orgburo.census import formats, snapshots
from orgburo.census import service as census
from orgburo.cli_support import console, date_option, fail, transaction
from orgburo.core.census import Composition, CompositionChange
from orgburo.tabular import write_table

FORMATS = ("table", "csv", "json")


def census_command(
    body: str = typer.Option(..., help="Code of the body whose subtree is counted."),
    by: str = typer.Option("social_situation", help="One or two dimensions, comma-separated."),
    at: str | None = typer.Option(None, help="Date of the census, YYYY-MM-DD (default today)."),
    since: str | None = typer.Option(None, help="Also show the change since this date."),
    format: str = typer.Option("table", help="table, csv or json."),
    output: Path | None = typer.Option(None, help="Write to a .csv or .parquet file instead."),
) -> None:
    """Composition of a subtree on a date by one or two dimensions."""
    if format not in FORMATS:
        fail("--format", f"{format!r} is not one of {', '.join(FORMATS)}")
    dims = by.split(",")
    with transaction() as session:
        on = date_option(at, "at")
        start = date_option(since, "since")
        if start is not None:
            change = census.change(
                session,
                body_code=body,
                by=dims,
                start=start,
                end=on or date.today(),
                actor=cli_actor(),
            )
            _show_change(change, format, output)
        else:
            composition = census.census(session, body_code=body, by=dims, at=on, actor=cli_actor())
            show_composition(composition, format, output)


def snapshots_command() -> None:
    """Rebuild the census snapshots of large subtrees on past days (four a month)."""
    with transaction() as session:
        access.require_admin(cli_actor(), "rebuild census snapshots")
        written = snapshots.build(session)
    console.print(f"wrote {written} snapshot rows")


def show_composition(composition: Composition, format: str, output: Path | None) -> None:
    """Print a composition as a table, CSV or JSON, or write it to a file."""
    rows = formats.records(composition)
    columns = [*composition.dimensions, "count", "share"]
    if output is not None:
        write_table(formats.as_arrow(rows, columns), output)
        console.print(f"wrote {len(rows)} rows to {output}")
    elif format == "csv":
        print(formats.as_csv(rows, columns), end="")
    elif format == "json":
        print(formats.as_json(composition))
    else:
        table = Table(
            *columns, title=f"{composition.body} on {composition.at}: {composition.total} members"
        )
        for row in rows:
            table.add_row(
                *[formats.label(str(row[d])) for d in composition.dimensions],
                str(row["count"]),
                f"{row['share']:.1%}",
            )
        console.print(table)


def _show_change(change: CompositionChange, format: str, output: Path | None) -> None:
    rows = formats.change_records(change)
    dims = list(change.after.dimensions)
    columns = [*dims, "before", "after", "difference", "share_before", "share_after"]
    if output is not None:
        write_table(formats.as_arrow(rows, columns), output)
        console.print(f"wrote {len(rows)} rows to {output}")
    elif format in ("csv", "json"):
        print(
            formats.as_csv(rows, columns)
            if format == "csv"
            else json.dumps(rows, indent=2, default=str),
            end="",
        )
    else:
        table = Table(
            *columns, title=f"{change.after.body}: {change.before.at} → {change.after.at}"
        )
        for row in rows:
            table.add_row(
                *[formats.label(str(row[d])) for d in dims],
                str(row["before"]),
                str(row["after"]),
                f"{row['difference']:+d}",
                f"{row['share_before']:.1%}",
                f"{row['share_after']:.1%}",
            )
        console.print(table)
