"""Rendering a decree and fulfilment figures on the command line: tables, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from orgburo.actors import cli_actor
from orgburo.bodies import service as bodies
from orgburo.cli_support import console, fail, transaction

from . import decrees, fulfilment, quotas

FORMATS = ("table", "csv", "json")


def show_decree(session: Session, code: str, body_code: str | None, format: str) -> None:
    """Print a decree and the quotas of one level of its tree."""
    shown = decrees.view(session, code=code, actor=cli_actor())
    decree = shown.decree
    parent = bodies.get_or_raise(session, body_code).id if body_code else decree.scope_body_id
    rows = [(q, b.code) for q, b in quotas.quota_rows(session, decree, parent)]
    if format == "json":
        console.print_json(json.dumps(_document(session, shown, rows), default=str))
        return
    term = f"{decree.term} ({decree.term_months} months)" if decree.term_months else decree.term
    less = f" not counting {', '.join(shown.excluded)}" if shown.excluded else ""
    console.print(
        f"{decree.code}: {decree.title}\n  issued {decree.issued_on} by {shown.issuing_body} "
        f"for {shown.scope}{less}; {decree.basis} basis; to {shown.destination}; {term}\n"
        f"  quota: {_quota_words(shown)}\n  criteria: {decree.criteria or '(everyone)'}\n"
        f"  exemptions: {decree.exemptions or '(none)'}",
        highlight=False,
    )
    lines = Table("line", "role", "destination", "count", "requirement", title="role lines")
    for line in shown.lines:
        lines.add_row(
            str(line.position),
            line.role,
            line.destination,
            str(line.count),
            line.requirement or "(anyone)",
        )
    console.print(lines)
    table = Table("body", "demanded", "eligible", "shortfall", title="quotas one level down")
    for q, body in rows:
        table.add_row(body, f"{q.demanded:,}", f"{q.eligible:,}", f"{q.shortfall:,}")
    console.print(table)


def _quota_words(shown: decrees.DecreeView) -> str:
    decree = shown.decree
    if decree.quota_kind == "absolute":
        subs = "".join(f", including {s.count} {s.name} ({s.rule})" for s in shown.subquotas)
        return f"{decree.total:,}{subs}"
    if decree.quota_kind == "zone_share":
        zones = ", ".join(f"{z} {s}" for z, s in shown.zones.items())
        return f"share by zone: default {decree.share or '0'}; {zones}"
    return f"{decree.share} of the delegates of {shown.congress}"


def _document(
    session: Session, shown: decrees.DecreeView, rows: list[tuple[Any, str]]
) -> dict[str, Any]:
    return {
        **decrees.describe(session, shown.decree),
        "method": shown.decree.method,
        "quotas": [
            {"body": code, "demanded": q.demanded, "eligible": q.eligible, "shortfall": q.shortfall}
            for q, code in rows
        ],
    }


def fulfilment_command(
    by: str = typer.Option("body", help="body, destination, role or month."),
    decree: list[str] = typer.Option([], "--decree", help="Decree code; repeat (default all)."),
    body: str | None = typer.Option(None, help="For --by body: group by its sub-bodies."),
    format: str = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """Decreed against sent against arrived, by sending body, destination, role or month."""
    if format not in FORMATS:
        fail("--format", f"{format!r} is not one of {', '.join(FORMATS)}")
    with transaction() as session:
        found = fulfilment.fulfilment(
            session, by=by, decree_codes=decree, body_code=body, actor=cli_actor()
        )
    rows = [*found.rows, found.total]
    if format == "json":
        console.print_json(json.dumps({**asdict(found), "rows": [asdict(r) for r in found.rows]}))
    elif format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow((by, "label", "decreed", "sent", "arrived"))
        writer.writerows((r.key, r.label, r.decreed, r.sent, r.arrived) for r in rows)
        typer.echo(out.getvalue(), nl=False)
    else:
        table = Table(by, "decreed", "sent", "arrived", "sent / decreed")
        for r in rows:
            share = f"{r.sent / r.decreed:.0%}" if r.decreed else ""
            table.add_row(r.label, f"{r.decreed:,}", f"{r.sent:,}", f"{r.arrived:,}", share)
        console.print(table)
