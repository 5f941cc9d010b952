"""Importing meeting outcomes in bulk: votes of open meetings and workers' general meetings.

Each row is one meeting's vote on one application (columns in docs/file-formats.md).
The file is checked whole (`outcome_staging`) and then written set-based: meetings,
votes, refusals, and admissions. Admitted applicants become candidate members through
the registry's own bulk path (`members.importer.load`), which checks them again and keeps
the census tallies right; an applicant who was a member before is readmitted one by one
through `members.service.admit`. Re-importing a file skips the votes already stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Column, Date, and_, case, func, insert, literal, select
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import Actor
from orgburo.bulk import rebuilt_if_large
from orgburo.core.enrollment import add_months
from orgburo.errors import Invalid, Problem
from orgburo.members import checks
from orgburo.tabular import Progress, TableReader

from . import admissions, campaigns, columns, outcome_checks
from .decisions import VOTED_AGAINST
from .importer import digest, unreadable_as_invalid
from .models import (
    MEETING_KINDS,
    OPEN_MEETING,
    WORKERS_MEETING,
    Application,
    Campaign,
    Meeting,
    Vote,
)
from .outcome_staging import OutcomeStaging

REQUIRED = ("ref", "held", "present", "for", "against", "abstained")
OPTIONAL = ("kind", "non_party", "reason", "workplace")


@dataclass(frozen=True)
class OutcomesResult:
    """What an outcomes import did."""

    rows: int
    unchanged: int
    meetings: int
    admitted: int
    refused: int
    supported: int


def import_outcomes(
    session: Session,
    *,
    campaign_code: str,
    path: Path,
    actor: Actor,
    progress: Progress | None = None,
    batch_rows: int = 100_000,
) -> OutcomesResult:
    """Import a campaign's meeting outcomes: all of the file, or nothing."""
    campaign = campaigns.to_change(session, code=campaign_code, actor=actor)
    reader = TableReader(path, batch_rows)
    with unreadable_as_invalid():
        columns.check_header(reader.columns(), REQUIRED, OPTIONAL)
        batches = reader.batches(progress)
        result = load(session, campaign, batches, actor=actor, extra_problems=reader.bad_rows)
    audit.record(
        session,
        actor=actor,
        action="enrollment.outcomes_imported",
        target=("campaign", campaign.code),
        after={"file": path.name, "sha256": digest(path), **vars(result)},
        body_id=campaign.body_id,
    )
    return result


def load(
    session: Session,
    campaign: Campaign,
    batches: Iterable[pa.RecordBatch],
    *,
    actor: Actor,
    extra_problems: Sequence[Problem] = (),
) -> OutcomesResult:
    """Check, stage and write outcome rows; raise Invalid listing every problem."""
    staging = OutcomeStaging.create(session, campaign)
    problems: list[Problem] = []
    rows = hidden = 0
    for batch in batches:
        check = checks.BatchCheck(batch, rows + 1, problems)
        staging.add(_checked(check, campaign), check.bad)
        hidden += check.hidden
        rows += batch.num_rows
    problems += extra_problems
    with columns.hash_joins(session):
        if not problems:
            problems += staging.problems(checks.MAX_PROBLEMS)
        if problems:
            problems.sort(key=lambda p: (p.row is None, p.row or 0))
            more = [Problem("(file)", f"{hidden} more problems not listed")] if hidden else []
            raise Invalid(problems + more)
        return _write(session, staging, rows, actor)


def _checked(check: checks.BatchCheck, campaign: Campaign) -> dict[str, pa.Array]:
    held = columns.dates(check, "held", date.today())
    columns.within(check, "held", held, campaign.opens_on, campaign.closes_on)
    kind = columns.choice(check, "kind", MEETING_KINDS, OPEN_MEETING)
    workers = pc.equal(kind, WORKERS_MEETING)
    if not campaign.workers_meeting_allowed:
        check.fail(
            workers,
            "kind",
            lambda _: "this campaign does not allow workers' general meetings",
            kind,
        )
    present, non_party = columns.counts(check, "present"), columns.counts(check, "non_party", False)
    check.fail(
        pc.and_(workers, pc.less(non_party, 1)),
        "non_party",
        lambda _: "a workers' general meeting needs non-party people taking part",
        non_party,
    )
    votes = [columns.counts(check, n) for n in ("for", "against", "abstained")]
    _check_votes(check, votes, pc.add(present, pc.if_else(workers, non_party, 0)))
    cast = pc.add(pc.add(votes[0], votes[1]), votes[2])
    first = check.first_row
    return {
        "row": pa.array(range(first, first + check.batch.num_rows), pa.int64()),
        "ref": checks.required_text(check, "ref"),
        "kind": kind,
        "held": held,
        "present": present,
        "non_party": non_party,
        "votes_for": votes[0],
        "votes_against": votes[1],
        "abstained": votes[2],
        "carried": pc.greater(pc.multiply(votes[0], 2), cast),
        "reason": columns.optional(check, "reason", 300),
        "workplace": columns.optional(check, "workplace", 200),
    }


def _check_votes(check: checks.BatchCheck, votes: list[pa.Array], able: pa.Array) -> None:
    cast = pc.add(pc.add(votes[0], votes[1]), votes[2])
    check.fail(pc.equal(cast, 0), "for", lambda _: "no votes were cast", cast)
    check.fail(
        pc.greater(cast, able),
        "for",
        lambda v: f"{v} votes cast but fewer people present to vote",
        cast,
    )


# Writing -----------------------------------------------------------------------------


def _write(session: Session, staging: OutcomeStaging, rows: int, actor: Actor) -> OutcomesResult:
    s = staging.s
    unchanged = session.scalar(select(func.count()).where(s.existing)) or 0
    existing = session.scalar(select(func.count()).select_from(Application)) or 0
    written = _tables(Application, Vote, Meeting)
    with rebuilt_if_large(session, written, rows - unchanged, existing):
        meetings = _add_meetings(session, staging)
        columns.analyze(session, _table(Meeting))
        _add_votes(session, staging)
        ends = _stage_ends(session, staging)
        admitted, refused = admissions.decide(session, staging, ends, actor)
    supported = (
        session.scalar(select(func.count()).where(staging.fresh(WORKERS_MEETING), s.carried)) or 0
    )
    return OutcomesResult(rows, unchanged, meetings, admitted, refused, supported)


def _table(model: Any) -> Any:
    return model.__table__


def _tables(*models: Any) -> list[Any]:
    return [_table(m) for m in models]


def _add_meetings(session: Session, staging: OutcomeStaging) -> int:
    s, campaign = staging.s, staging.campaign
    on_roll = outcome_checks.open_meetings(staging)
    new = (
        select(
            literal(campaign.id),
            s.body_id,
            s.kind,
            s.held,
            func.max(on_roll.c.on_roll),
            func.min(s.present),
            func.min(s.non_party),
            func.min(s.workplace),
        )
        .outerjoin(
            on_roll,
            and_(on_roll.c.body_id == s.body_id, on_roll.c.held == s.held, s.kind == OPEN_MEETING),
        )
        .where(staging.fresh(), ~staging_meeting_stored(staging))
        .group_by(s.body_id, s.kind, s.held)
    )
    names = [
        "campaign_id",
        "body_id",
        "kind",
        "held_on",
        "members_on_roll",
        "members_present",
        "non_party_present",
        "workplace",
    ]
    before = session.scalar(select(func.count()).where(Meeting.campaign_id == campaign.id)) or 0
    session.execute(insert(Meeting).from_select(names, new))
    after = session.scalar(select(func.count()).where(Meeting.campaign_id == campaign.id)) or 0
    return after - before


def staging_meeting_stored(staging: OutcomeStaging) -> Any:
    """Whether the row's meeting is already stored."""
    return select(Meeting.id).where(staging.same_meeting()).exists()


def _add_votes(session: Session, staging: OutcomeStaging) -> None:
    s = staging.s
    reason = func.substr(func.coalesce(s.reason, VOTED_AGAINST), 1, 300)
    rows = (
        select(
            Meeting.id,
            s.app_id,
            s.kind,
            s.votes_for,
            s.votes_against,
            s.abstained,
            s.carried,
            case((s.carried, None), else_=reason),
        )
        .join(Meeting, staging.same_meeting())
        .where(staging.fresh())
    )
    names = ["meeting_id", "application_id", "kind", "votes_for", "votes_against", "abstained"]
    session.execute(insert(Vote).from_select([*names, "carried", "reason"], rows))


def _stage_ends(session: Session, staging: OutcomeStaging) -> Any:
    """A table of (held, stage end) for the days admissions were decided."""
    s = staging.s
    months = staging.campaign.candidate_stage_months
    days = session.scalars(select(s.held).where(staging.fresh(OPEN_MEETING), s.carried).distinct())
    table = columns.temporary(
        session,
        f"{staging.table.name}_ends",
        [Column("held", Date, primary_key=True), Column("ends", Date)],
    )
    pairs = [{"held": d, "ends": add_months(d, months)} for d in days]
    if pairs:
        session.execute(insert(table), pairs)
    return table
