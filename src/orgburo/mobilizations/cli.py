"""`orgburo mobilize ...`: destinations, roles, decrees, quotas, selection and assignment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
import yaml
from pydantic import ValidationError
from rich.table import Table

from orgburo.actors import cli_actor
from orgburo.cli_support import console, fail, progress_bar, report, required_date, transaction
from orgburo.core.apportionment import Method
from orgburo.errors import Invalid, Problem

from . import assignment, catalogs, decrees, quotas, reads, selection
from . import call_up as call_ups
from .cli_reports import fulfilment_command, show_decree
from .cli_tracking import register as register_tracking
from .schemas import DecreeCreate

app = typer.Typer(
    help="Mobilizations: decrees, quotas down the tree, selection, assignment, tracking.",
    no_args_is_help=True,
)
destinations_app = typer.Typer(help="Fronts and sectors of the labour front.", no_args_is_help=True)
roles_app = typer.Typer(help="Role types decrees ask to fill.", no_args_is_help=True)
decree_app = typer.Typer(help="Issuing and reading decrees.", no_args_is_help=True)
app.add_typer(destinations_app, name="destinations")
app.add_typer(roles_app, name="roles")
app.add_typer(decree_app, name="decree")


@destinations_app.command("add")
def add_destination(
    code: str = typer.Argument(..., help="Destination code."),
    name: str = typer.Option(..., help="Its name."),
    kind: str = typer.Option(..., help="front or labour."),
) -> None:
    """Add a front or a sector of the labour front."""
    with transaction() as session:
        made = catalogs.add_destination(session, code=code, name=name, kind=kind, actor=cli_actor())
    console.print(f"destination {made.code} added ({made.kind})")


@destinations_app.command("list")
def list_destinations() -> None:
    """List the destinations."""
    with transaction() as session:
        table = Table("code", "name", "kind")
        for d in catalogs.destinations(session):
            table.add_row(d.code, d.name, d.kind)
    console.print(table)


@roles_app.command("add")
def add_role(
    code: str = typer.Argument(..., help="Role type code."),
    name: str = typer.Option(..., help="Its name."),
) -> None:
    """Add a role type."""
    with transaction() as session:
        made = catalogs.add_role(session, code=code, name=name, actor=cli_actor())
    console.print(f"role {made.code} added")


@roles_app.command("list")
def list_roles() -> None:
    """List the role types."""
    with transaction() as session:
        table = Table("code", "name")
        for r in catalogs.roles(session):
            table.add_row(r.code, r.name)
    console.print(table)


def _role_option(text: str) -> dict[str, Any]:
    role, sep, rest = text.partition("=")
    count, _, where = rest.partition("@")
    if not sep or not count.strip().isdigit():
        fail("--role", f"{text!r} must look like ROLE=COUNT[@DESTINATION]")
    return {"role": role.strip(), "count": int(count), "destination": where.strip() or None}


def _decree_document(file: Path | None, options: dict[str, Any], total: int | None) -> DecreeCreate:
    """The decree from a YAML or JSON file, with options given on the line on top."""
    data: dict[str, Any] = {}
    if file is not None:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            fail("file", f"{file.name} is not valid YAML or JSON: {error}")
        if not isinstance(data, dict):
            fail("file", f"{file.name} must hold one decree (a mapping)")
    quota = dict(data.get("quota") or {})
    if total is not None:
        quota["total"] = total
    data.update({k: v for k, v in options.items() if v not in (None, [])})
    data["quota"] = quota
    try:
        return DecreeCreate.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(".".join(str(p) for p in e["loc"]) or "file", e["msg"]) for e in error.errors()
        ]
        report(Invalid(problems))
        raise typer.Exit(Invalid.exit_code) from None


@decree_app.command("issue")
def issue(
    file: Path | None = typer.Argument(
        None, exists=True, dir_okay=False, help="Decree YAML or JSON file."
    ),
    code: str | None = typer.Option(None, help="Decree code."),
    title: str | None = typer.Option(None, help="Title."),
    issuer: str | None = typer.Option(None, "--issuer", help="Code of the issuing body."),
    scope: str | None = typer.Option(None, help="Body whose subtree is called up."),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="BODY inside the scope left out with its subtree; repeat."
    ),
    on: str | None = typer.Option(None, help="Date issued (default today)."),
    basis: str | None = typer.Option(None, help="mass or individual."),
    destination: str | None = typer.Option(None, help="Destination code."),
    term: str | None = typer.Option(None, help="temporary or permanent."),
    months: int | None = typer.Option(None, help="Length of a temporary term."),
    total: int | None = typer.Option(None, help="An absolute quota."),
    criteria: str | None = typer.Option(None, help="Who qualifies (a rule)."),
    exemptions: str | None = typer.Option(None, help="Who is exempt (a rule)."),
    role: list[str] = typer.Option([], "--role", help="ROLE=COUNT[@DESTINATION]; repeat."),
) -> None:
    """Issue a decree from a file and/or options (layout in docs/mobilizations.md)."""
    options = {
        "code": code,
        "title": title,
        "issuing_body": issuer,
        "scope": scope,
        "excluded": exclude,
        "issued_on": on if on is None else required_date(on, "on"),
        "basis": basis,
        "destination": destination,
        "term": term,
        "term_months": months,
        "criteria": criteria,
        "exemptions": exemptions,
        "roles": [_role_option(r) for r in role],
    }
    document = _decree_document(file, options, total)
    with transaction() as session:
        made = decrees.issue(session, spec=document.spec(), actor=cli_actor())
    console.print(f"decree {made.code} issued on {made.issued_on}")


@decree_app.command("show")
def show(
    code: str = typer.Argument(..., help="Decree code."),
    body: str | None = typer.Option(None, help="Show the quotas of this body's sub-bodies."),
    format: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """A decree: its terms, quota, role lines, and the quotas one level down."""
    if format not in ("table", "json"):
        fail("--format", f"{format!r} is not table or json")
    with transaction() as session:
        show_decree(session, code, body, format)


@decree_app.command("list")
def list_() -> None:
    """List the decrees, the latest first."""
    with transaction() as session:
        table = Table("code", "issued", "issuer", "scope", "basis", "destination", "quota")
        for v in decrees.list_decrees(session, actor=cli_actor()):
            d = v.decree
            amount = str(d.total) if d.total is not None else f"{d.share or ''} ({d.quota_kind})"
            table.add_row(
                d.code, str(d.issued_on), v.issuing_body, v.scope, d.basis, v.destination, amount
            )
    console.print(table)


@app.command("end-kind")
def end_kind(
    body: str = typer.Option(..., help="The body ending it in its subtree."),
    from_on: str = typer.Option(..., "--from", help="First day decrees are refused."),
    destination: str | None = typer.Option(None, help="Only decrees to this destination."),
    kind: str | None = typer.Option(None, help="Only decrees to a front or labour destination."),
    basis: str | None = typer.Option(None, help="Only mass or individual decrees."),
    note: str = typer.Option("", help="Why, for the record."),
) -> None:
    """End a kind of mobilization in a body's subtree from a date."""
    with transaction() as session:
        ending = decrees.end_kind(
            session,
            body_code=body,
            from_on=required_date(from_on, "from"),
            destination=destination,
            destination_kind=kind,
            basis=basis,
            note=note,
            actor=cli_actor(),
        )
        said = decrees.describe_kind(session, ending)
    console.print(f"{body}: {said} ended from {ending.from_on}")


METHOD = typer.Option(Method.HAMILTON, help="Apportionment method.")
FLOOR = typer.Option(0, help="Least each body's own members give, when they can.")
ACCEPT_SHORTFALL = typer.Option(
    False, "--accept-shortfall", help="Record a quota larger than the pool instead of failing."
)


@app.command("apportion")
def apportion(
    code: str = typer.Argument(..., help="Decree code."),
    method: Method = METHOD,
    floor: int = FLOOR,
    accept_shortfall: bool = ACCEPT_SHORTFALL,
) -> None:
    """Split the decree's quota down the tree in proportion to eligible members."""
    with progress_bar("apportioning") as advance, transaction() as session:
        done = quotas.apportion(
            session,
            code=code,
            actor=cli_actor(),
            method=method,
            floor=floor,
            accept_shortfall=accept_shortfall,
        )
        advance(1, 1)
    _print_apportioned(done)


def _print_apportioned(done: quotas.Apportioned) -> None:
    short = f", {done.shortfall:,} short in {done.short_bodies:,} bodies" if done.shortfall else ""
    console.print(
        f"{done.decree}: {done.demanded:,} demanded of {done.eligible:,} eligible over "
        f"{done.bodies:,} bodies ({done.method.value}){short}"
    )
    for name, demanded, shortfall in done.subquotas:
        console.print(
            f"  sub-quota {name}: {demanded:,}" + (f", {shortfall:,} short" if shortfall else "")
        )


@app.command("select")
def select_(
    code: str = typer.Argument(..., help="Decree code."),
    body: str | None = typer.Option(None, help="Only this body's subtree."),
    on: str | None = typer.Option(None, help="Date of the proposals (default today)."),
) -> None:
    """Propose members for every body's quota, best-ranked first (tops up after refusals)."""
    with progress_bar("selecting") as advance, transaction() as session:
        done = selection.propose(
            session, code=code, on=required_date(on, "on"), body_code=body, actor=cli_actor()
        )
        advance(1, 1)
    _print_proposed(done)


def _print_proposed(done: selection.Proposed) -> None:
    parts = "".join(f", {n:,} for {name}" for name, n in done.by_subquota)
    console.print(f"{done.decree}: {done.proposed:,} proposed{parts}")


@app.command("assign")
def assign(code: str = typer.Argument(..., help="Decree code.")) -> None:
    """Assign proposed and accepted members to role lines (most seats, then best fit)."""
    with progress_bar("assigning") as advance, transaction() as session:
        done = assignment.assign(session, code=code, actor=cli_actor())
        advance(1, 1)
    _print_assigned(done)


def _print_assigned(done: assignment.Assigned) -> None:
    console.print(
        f"{done.decree}: {done.assigned:,} of {done.members:,} members assigned "
        f"({done.classes} classes, total fit {done.total_fit:,})"
    )
    for line in done.lines:
        console.print(
            f"  line {line.position}: {line.assigned + line.held:,} of {line.count:,} filled"
        )


@app.command("call-up")
def call_up_(
    code: str = typer.Argument(..., help="Decree code."),
    on: str | None = typer.Option(None, help="Date of the proposals (default today)."),
    method: Method = METHOD,
    floor: int = FLOOR,
    accept_shortfall: bool = ACCEPT_SHORTFALL,
) -> None:
    """Apportion, select and assign in one command, from one read of the eligible pool."""
    with progress_bar("calling up") as advance, transaction() as session:
        done = call_ups.call_up(
            session,
            code=code,
            on=required_date(on, "on"),
            actor=cli_actor(),
            method=method,
            floor=floor,
            accept_shortfall=accept_shortfall,
        )
        advance(1, 1)
    _print_apportioned(done.apportioned)
    _print_proposed(done.proposed)
    if done.assigned is not None:
        _print_assigned(done.assigned)


@app.command("entries")
def entries(
    code: str = typer.Argument(..., help="Decree code."),
    body: str | None = typer.Option(None, help="Only this body's subtree."),
    status: str | None = typer.Option(None, help="Only this status."),
    limit: int = typer.Option(reads.LIMIT, min=1, help="At most this many rows."),
    format: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """The members called up by a decree, by body and rank."""
    with transaction() as session:
        rows = reads.entries(
            session, code=code, body_code=body, status=status, limit=limit, actor=cli_actor()
        )
    if format == "json":
        console.print_json(json.dumps([vars(r) for r in rows], default=str))
        return
    table = Table("id", "name", "body", "status", "sub-quota", "rank", "score", "role", "to")
    for r in rows:
        table.add_row(
            r.id,
            r.name,
            r.body,
            r.status,
            r.subquota or "",
            str(r.rank),
            str(r.score),
            r.role or "",
            r.destination or "",
        )
    console.print(table)


@app.command("explain")
def explain(
    code: str = typer.Argument(..., help="Decree code."),
    person: str = typer.Argument(..., help="Registry id of the member."),
) -> None:
    """Why a member was proposed (score parts) and placed (fit for every role line)."""
    with transaction() as session:
        why = reads.explain(session, code=code, external_id=person, actor=cli_actor())
    parts = why.score
    console.print(
        f"{why.entry.id} ({why.entry.body}, {why.entry.status}): score {parts.total} = "
        f"roles {parts.roles} + standing {parts.standing} + training {parts.training} "
        f"+ age {parts.age}",
        highlight=False,
    )
    for line in why.lines:
        mark = (
            "*"
            if why.entry.role == line.role and why.entry.destination == line.destination
            else " "
        )
        console.print(
            f" {mark} line {line.position} {line.role}@{line.destination}: fit {line.fit} "
            f"({line.why})",
            highlight=False,
        )


register_tracking(app)
app.command("fulfilment")(fulfilment_command)
