"""`orgburo mobilize accept|swap|exempt|order|dispatch|arrive|return|refuse`: one member, a
body's subtree, or a CSV file of registry ids."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path

import typer

from orgburo.actors import cli_actor
from orgburo.cli_support import console, fail, required_date, transaction

from . import swaps, tracking
from .models import ACCEPTED, ARRIVED, DISPATCHED, EXEMPTED, ORDERED, REFUSED, RETURNED

COMMANDS = {
    "accept": (ACCEPTED, "Accept proposed members."),
    "order": (ORDERED, "Order accepted members to go."),
    "dispatch": (DISPATCHED, "Record ordered members as dispatched."),
    "arrive": (ARRIVED, "Record dispatched members as arrived."),
    "return": (RETURNED, "Record members as returned."),
    "refuse": (REFUSED, "Record that members refused (a reason is required)."),
    "exempt": (EXEMPTED, "Exempt members (a reason is required); the next-ranked are proposed."),
}


def read_ids(path: Path) -> list[str]:
    """Registry ids from the `id` column of a CSV file (or its first column)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        fail("file", f"{path.name} is empty; expected a header row with an id column")
    header = [c.strip().lower() for c in rows[0]]
    column = header.index("id") if "id" in header else 0
    return [r[column].strip() for r in rows[1:] if len(r) > column and r[column].strip()]


def _command(status: str, help_text: str) -> Callable[..., None]:
    def command(
        code: str = typer.Argument(..., help="Decree code."),
        person: str | None = typer.Argument(None, help="Registry id of one member."),
        body: str | None = typer.Option(None, help="Everyone who can move, in this subtree."),
        file: Path | None = typer.Option(
            None, exists=True, dir_okay=False, help="CSV file with an id column."
        ),
        on: str | None = typer.Option(None, help="Date (default today)."),
        reason: str | None = typer.Option(None, help="Why (required to refuse or exempt)."),
    ) -> None:
        _move(code, status, person, body, file, required_date(on, "on"), reason)

    command.__doc__ = help_text + " One member, a body's subtree (--body) or a file (--file)."
    return command


def _move(
    code: str,
    status: str,
    person: str | None,
    body: str | None,
    file: Path | None,
    on: date,
    reason: str | None,
) -> None:
    if person is not None and (body is not None or file is not None):
        fail("person", "give one member, or --body / --file, not both")
    with transaction() as session:
        if person is not None:
            tracking.move(
                session,
                code=code,
                external_id=person,
                to=status,
                on=on,
                reason=reason,
                actor=cli_actor(),
            )
            console.print(f"{person}: {status} on {on}")
            return
        ids = read_ids(file) if file is not None else None
        done = tracking.move_many(
            session,
            code=code,
            to=status,
            on=on,
            body_code=body,
            external_ids=ids,
            reason=reason,
            actor=cli_actor(),
        )
    replaced = f"; {done.replaced:,} proposed in their place" if done.replaced else ""
    console.print(f"{done.decree}: {done.moved:,} members {status} on {on}{replaced}")


def swap(
    code: str = typer.Argument(..., help="Decree code."),
    person: str = typer.Argument(..., help="Registry id of the member replaced."),
    with_: str = typer.Option(..., "--with", help="Registry id of the member taking the place."),
    on: str | None = typer.Option(None, help="Date (default today)."),
    reason: str | None = typer.Option(None, help="Why, for the record."),
) -> None:
    """Replace a proposed or accepted member with another eligible member of the body."""
    with transaction() as session:
        made = swaps.swap(
            session,
            code=code,
            external_id=person,
            replacement_id=with_,
            on=required_date(on, "on"),
            reason=reason,
            actor=cli_actor(),
        )
    console.print(f"{person} replaced by {with_} ({made.status})")


def register(app: typer.Typer) -> None:
    """Add the tracking commands to `app`."""
    for name, (status, help_text) in COMMANDS.items():
        app.command(name)(_command(status, help_text))
    app.command("swap")(swap)
