"""`orgburo enrollment ...`: campaigns, applications, meetings, the candidate stage, figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
import yaml
from pydantic import BaseModel, ValidationError
from rich.table import Table

from orgburo.actors import cli_actor
from orgburo.cli_support import console, fail, progress_bar, report, required_date, transaction
from orgburo.config import get_settings
from orgburo.core.rules import compile_rule
from orgburo.errors import Invalid, Problem

from . import (
    campaigns,
    decisions,
    figures,
    importer,
    meetings,
    outcomes,
    reads,
    recommendations,
    service,
    stage,
)
from .cli_tables import figure_tables
from .models import OPEN_MEETING, WORKERS_MEETING
from .schemas import CampaignCreate, JointApplicationCreate

app = typer.Typer(
    help="Enrollment campaigns: applications, meetings, admissions.", no_args_is_help=True
)
FORMAT = typer.Option("table", "--format", help="table or json.")


def _pairs(values: list[str], option: str = "--set") -> dict[str, str]:
    pairs = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep:
            fail(option, f"{item!r} must look like NAME=VALUE")
        pairs[name.strip()] = value
    return pairs


def _file(path: Path, model: type[BaseModel]) -> Any:
    """A YAML (or JSON) file read into `model`; every problem named by its field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(data)
    except yaml.YAMLError as error:
        return fail("file", f"{path.name} is not valid YAML: {error}")
    except ValidationError as error:
        problems = [
            Problem(".".join(str(p) for p in e["loc"]) or "file", e["msg"]) for e in error.errors()
        ]
        report(Invalid(problems))
        raise typer.Exit(Invalid.exit_code) from None


def _json(value: BaseModel | list[BaseModel]) -> None:
    data = (
        [v.model_dump(mode="json") for v in value]
        if isinstance(value, list)
        else value.model_dump(mode="json")
    )
    console.print_json(json.dumps(data))


@app.command("create")
def create(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Campaign YAML file."),
) -> None:
    """Proclaim a campaign from a YAML file (layout in docs/enrollment.md)."""
    payload: CampaignCreate = _file(file, CampaignCreate)
    with transaction() as session:
        made = campaigns.create(session, spec=payload.spec(), actor=cli_actor())
        groups = len(campaigns.groups(session, made))
    console.print(
        f"campaign {made.code} proclaimed: {made.opens_on} to {made.closes_on}, {groups} groups"
    )


@app.command("list")
def list_() -> None:
    """List the campaigns."""
    with transaction() as session:
        table = Table("code", "name", "body", "opens", "closes")
        for c in campaigns.list_campaigns(session, actor=cli_actor()):
            table.add_row(
                c.code,
                c.name,
                campaigns.body_of(session, c).code,
                str(c.opens_on),
                str(c.closes_on),
            )
    console.print(table)


@app.command("apply")
def apply(
    campaign: str = typer.Argument(..., help="Campaign code."),
    name: str = typer.Option(..., help="The applicant's full name."),
    body: str = typer.Option(..., help="Code of the primary organization applied to."),
    on: str | None = typer.Option(None, help="Date received, YYYY-MM-DD (default today)."),
    ref: str | None = typer.Option(None, help="Application reference (default A000001, ...)."),
    registry_id: str | None = typer.Option(None, "--registry-id", help="Registry id, if any."),
    set_: list[str] = typer.Option([], "--set", help="Attribute as NAME=VALUE; repeat."),
) -> None:
    """Record one person's application."""
    applicant = service.Applicant(name, _pairs(set_), registry_id, ref)
    with transaction() as session:
        made = service.apply(
            session,
            campaign_code=campaign,
            body_code=body,
            received_on=required_date(on, "on"),
            applicant=applicant,
            actor=cli_actor(),
        )
    console.print(f"application {made.ref} received{' (priority)' if made.priority else ''}")


@app.command("apply-jointly")
def apply_jointly(
    campaign: str = typer.Argument(..., help="Campaign code."),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Joint application YAML."),
) -> None:
    """Record a joint application (a workshop applying together) from a YAML file."""
    payload: JointApplicationCreate = _file(file, JointApplicationCreate)
    with transaction() as session:
        joint = service.apply_jointly(
            session,
            campaign_code=campaign,
            ref=payload.ref,
            body_code=payload.body,
            received_on=payload.received_on,
            workplace=payload.workplace,
            applicants=[a.applicant() for a in payload.applicants],
            actor=cli_actor(),
        )
        refs = [a.ref for a in service.members_of(session, joint)]
    console.print(f"joint application {payload.ref}: {len(refs)} applications ({', '.join(refs)})")


@app.command("recommend")
def recommend(
    campaign: str = typer.Argument(..., help="Campaign code."),
    ref: str = typer.Argument(..., help="Application reference."),
    by: str = typer.Option(..., "--by", help="Registry id of the recommending member."),
    on: str | None = typer.Option(None, help="Date given (default today)."),
) -> None:
    """Record a member's recommendation of an applicant."""
    with transaction() as session:
        given = recommendations.recommend(
            session,
            campaign_code=campaign,
            ref=ref,
            recommender_id=by,
            given_on=required_date(on, "on"),
            actor=cli_actor(),
        )
    console.print(f"{by} recommended {ref} ({given.standing_months} months' standing)")


def _vote(text: str) -> tuple[str, int, int, int, str | None]:
    ref, sep, rest = text.partition("=")
    counts, _, reason = rest.partition(":")
    numbers = counts.split("/")
    if not sep or len(numbers) != 3 or not all(n.strip().isdigit() for n in numbers):
        fail("--vote", f"{text!r} must look like REF=FOR/AGAINST/ABSTAINED[:REASON]")
    return ref.strip(), *(int(n) for n in numbers), (reason.strip() or None)  # type: ignore[return-value]


@app.command("meeting")
def meeting(
    campaign: str = typer.Argument(..., help="Campaign code."),
    body: str = typer.Option(..., help="Code of the organization meeting."),
    on: str | None = typer.Option(None, help="Date held (default today)."),
    present: int = typer.Option(..., help="Party members present."),
    workers: bool = typer.Option(False, "--workers", help="A workers' general meeting."),
    non_party: int = typer.Option(0, "--non-party", help="Non-party people present."),
    workplace: str | None = typer.Option(None, help="The enterprise, for a workers' meeting."),
    vote: list[str] = typer.Option(
        [], "--vote", help="REF=FOR/AGAINST/ABSTAINED[:REASON]; repeat."
    ),
) -> None:
    """Record a meeting, its attendance and its votes, all or nothing."""
    votes = [_vote(v) for v in vote]
    with transaction() as session:
        held = meetings.hold_meeting(
            session,
            campaign_code=campaign,
            body_code=body,
            held_on=required_date(on, "on"),
            members_present=present,
            kind=WORKERS_MEETING if workers else OPEN_MEETING,
            non_party_present=non_party,
            workplace=workplace,
            actor=cli_actor(),
        )
        lines = [_record_vote(session, held.id, v) for v in votes]
    console.print(f"meeting {held.id} recorded" + "".join(f"\n  {line}" for line in lines))


def _record_vote(session: Any, meeting_id: int, vote: tuple[str, int, int, int, str | None]) -> str:
    ref, yes, no, abstained, reason = vote
    done = decisions.vote(
        session,
        meeting_id=meeting_id,
        ref=ref,
        votes_for=yes,
        votes_against=no,
        abstained=abstained,
        reason=reason,
        actor=cli_actor(),
    )
    return f"{ref}: {'carried' if done.carried else 'not carried'} ({yes}/{no}/{abstained})"


@app.command("stage")
def review_stage(
    campaign: str = typer.Argument(..., help="Campaign code."),
    ref: str = typer.Argument(..., help="Application reference."),
    outcome: str = typer.Option(..., help="confirmed, extended or not_confirmed."),
    on: str | None = typer.Option(None, help="Date of the decision (default today)."),
    months: int | None = typer.Option(None, help="For an extension: months added."),
    note: str | None = typer.Option(None, help="Why, for the member's history."),
) -> None:
    """End a candidate stage: confirm, extend or refuse the candidate."""
    with transaction() as session:
        done = stage.review(
            session,
            campaign_code=campaign,
            ref=ref,
            outcome=outcome,
            on=required_date(on, "on"),
            months=months,
            note=note,
            actor=cli_actor(),
        )
    extra = f" to {done.extended_to}" if done.extended_to else ""
    console.print(f"{ref}: candidate stage {outcome.replace('_', ' ')}{extra}")


@app.command("show")
def show(
    campaign: str = typer.Argument(..., help="Campaign code."),
    body: str | None = typer.Option(
        None, help="List this body's sub-bodies (default the campaign's)."
    ),
    format: str = FORMAT,
) -> None:
    """A campaign's figures: applications, admissions, refusals, groups, weeks and bodies."""
    with transaction() as session:
        found = figures.figures(session, campaign_code=campaign, body_code=body, actor=cli_actor())
    if format not in ("table", "json"):
        fail("--format", f"{format!r} is not table or json")
    if format == "json":
        _json(reads.figures(found))
        return
    for table in figure_tables(found):
        console.print(table)


@app.command("composition")
def composition(
    campaign: str = typer.Argument(..., help="Campaign code."),
    by: str = typer.Option("social_situation", help="One or two dimensions, comma-separated."),
) -> None:
    """The proclaiming body's subtree before the campaign and at its close, by the census."""
    with transaction() as session:
        change = figures.composition(
            session, campaign_code=campaign, by=by.split(","), actor=cli_actor()
        )
    table = Table(
        *change.after.dimensions,
        "before",
        "after",
        "share before",
        "share after",
        title=f"{change.after.body}: {change.before.at} and {change.after.at}",
    )
    for c in change.cells:
        table.add_row(
            *(v or "(unknown)" for v in c.values),
            f"{c.before:,}",
            f"{c.after:,}",
            f"{float(c.share_before):.1%}",
            f"{float(c.share_after):.1%}",
        )
    console.print(table)


@app.command("application")
def application(
    campaign: str = typer.Argument(..., help="Campaign code."),
    ref: str = typer.Argument(..., help="Application reference."),
) -> None:
    """Show an application with its recommendations, votes and candidate stage (JSON)."""
    with transaction() as session:
        found = reads.application(
            session, service.view(session, campaign_code=campaign, ref=ref, actor=cli_actor())
        )
    _json(found)


@app.command("recommendations")
def given(registry_id: str = typer.Argument(..., help="Registry id of the member.")) -> None:
    """Every recommendation a member gave."""
    with transaction() as session:
        rows = reads.given_by(session, registry_id, actor=cli_actor())
    table = Table("campaign", "application", "applicant", "given", "standing", "status")
    for r in rows:
        table.add_row(
            r.campaign,
            r.application,
            r.applicant,
            str(r.given_on),
            f"{r.standing_months} months",
            r.status,
        )
    console.print(table)


@app.command("import-applications")
def import_applications(
    campaign: str = typer.Argument(..., help="Campaign code."),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV or Parquet file."),
) -> None:
    """Import applications in bulk (columns in docs/file-formats.md): all of them, or none."""
    with progress_bar("applications") as advance, transaction() as session:
        result = importer.import_applications(
            session,
            campaign_code=campaign,
            path=file,
            actor=cli_actor(),
            progress=advance,
            batch_rows=get_settings().import_batch_rows,
        )
    console.print(
        f"{result.rows} rows: {result.created} applications, {result.unchanged} unchanged, "
        f"{result.recommendations} recommendations"
    )


@app.command("import-outcomes")
def import_outcomes(
    campaign: str = typer.Argument(..., help="Campaign code."),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV or Parquet file."),
) -> None:
    """Import meeting outcomes in bulk (columns in docs/file-formats.md): all, or nothing."""
    with progress_bar("outcomes") as advance, transaction() as session:
        result = outcomes.import_outcomes(
            session,
            campaign_code=campaign,
            path=file,
            actor=cli_actor(),
            progress=advance,
            batch_rows=get_settings().import_batch_rows,
        )
    console.print(
        f"{result.rows} rows: {result.admitted} admitted, {result.refused} refused, "
        f"{result.supported} supported by workers' meetings, {result.meetings} meetings, "
        f"{result.unchanged} unchanged"
    )


@app.command("check-rule")
def check_rule(
    rule: str = typer.Argument(..., help="A rule, e.g. 'occupation == \"worker\" and age >= 18'."),
    set_: list[str] = typer.Option([], "--set", help="An applicant's NAME=VALUE to test; repeat."),
) -> None:
    """Check a rule against the attribute catalog and, with --set, evaluate it."""
    from orgburo.members.attributes import parse_attributes

    with transaction() as session:
        known = campaigns.rule_catalog(session)
        checked = compile_rule(rule, known)
        values = parse_attributes(known, _pairs(set_))
    console.print(f"rule is valid: {checked}", highlight=False)
    if set_:
        verdict = checked.evaluate(values)
        outcome = "passes" if verdict.passed else "fails" if verdict.known else "unknown (fails)"
        console.print(f"{outcome}: {verdict.reason}", highlight=False)
