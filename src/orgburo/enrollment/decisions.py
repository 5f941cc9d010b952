"""Votes on applications: an open meeting's vote decides, a workers' meeting's supports.

A vote carries with more than half of the votes cast. An admission needs the campaign's
recommendations (given by the meeting's day) or a workers' general meeting that voted to
support the applicant, and must not pass a group's ceiling; it makes the applicant a
candidate member from the meeting's date through the registry's own `admit`. A second
decision on the same application is refused.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies.models import Body
from orgburo.core.enrollment import add_months, carried, check_votes
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members

from . import service
from .meetings import get_meeting
from .models import (
    ADMITTED,
    OPEN_MEETING,
    PENDING,
    REFUSED,
    WORKERS_MEETING,
    Application,
    Campaign,
    CampaignGroup,
    GroupMatch,
    Meeting,
    Recommendation,
    Vote,
)

VOTED_AGAINST = "the meeting voted against"


def vote(
    session: Session,
    *,
    meeting_id: int,
    ref: str,
    votes_for: int,
    votes_against: int,
    abstained: int,
    actor: Actor,
    reason: str | None = None,
) -> Vote:
    """Record a meeting's vote on one application; an open meeting's vote decides it."""
    meeting = get_meeting(session, meeting_id)
    access.require_change_body(session, actor, session.get_one(Body, meeting.body_id))
    campaign = session.get_one(Campaign, meeting.campaign_id)
    application = service.get_or_raise(session, campaign, ref)
    _check_may_vote(session, meeting, application)
    present = meeting.members_present + meeting.non_party_present
    check_votes(votes_for, votes_against, abstained, present)
    outcome = carried(votes_for, votes_against, abstained)
    if meeting.kind == OPEN_MEETING and outcome:
        _check_admissible(session, campaign, application, meeting.held_on)
    record = Vote(
        meeting_id=meeting.id,
        application_id=application.id,
        kind=meeting.kind,
        votes_for=votes_for,
        votes_against=votes_against,
        abstained=abstained,
        carried=outcome,
        reason=None if outcome else ((reason or "").strip() or VOTED_AGAINST)[:300],
    )
    session.add(record)
    session.flush()
    if meeting.kind == OPEN_MEETING:
        _decide(session, campaign, application, meeting, record, actor)
    else:
        _audit_vote(
            session, actor, campaign, application, "enrollment.workers_meeting_voted", record
        )
    return record


def _check_may_vote(session: Session, meeting: Meeting, application: Application) -> None:
    if application.body_id != meeting.body_id:
        body = session.get_one(Body, application.body_id).code
        raise Invalid.one(
            "application",
            f"{application.ref!r} applied to {body!r}, not to the body whose meeting this is",
        )
    if meeting.held_on < application.received_on:
        raise Invalid.one(
            "held_on",
            f"the meeting ({meeting.held_on}) is before the application was received "
            f"({application.received_on})",
        )
    earlier = session.scalar(
        select(Vote).where(Vote.application_id == application.id, Vote.kind == meeting.kind)
    )
    if earlier is not None or application.status != PENDING:
        raise Conflict(
            f"application: {application.ref!r} was already {_decided(application, earlier)}"
        )


def _decided(application: Application, earlier: Vote | None) -> str:
    if application.status != PENDING:
        return f"decided on {application.decided_on} ({application.status})"
    return "considered by a workers' general meeting"


def _check_admissible(
    session: Session, campaign: Campaign, application: Application, on: date
) -> None:
    """Enough recommendations (or a supporting workers' meeting), and no ceiling exceeded."""
    recommended = (
        session.scalar(
            select(func.count()).where(
                Recommendation.application_id == application.id, Recommendation.given_on <= on
            )
        )
        or 0
    )
    if recommended < campaign.recommenders_required and not _supported(
        session, campaign, application, on
    ):
        fallback = (
            " and no workers' general meeting supported it"
            if campaign.workers_meeting_allowed
            else ""
        )
        raise Invalid.one(
            "application",
            f"{application.ref!r} has {recommended} of the {campaign.recommenders_required} "
            f"recommendations required{fallback}",
        )
    full = _full_ceilings(session, campaign, application)
    if full:
        raise Invalid.one(
            "application",
            f"admitting {application.ref!r} would exceed the ceiling of group {full[0].name!r} "
            f"({full[0].target} admitted already)",
        )


def _supported(session: Session, campaign: Campaign, application: Application, on: date) -> bool:
    if not campaign.workers_meeting_allowed:
        return False
    query = (
        select(Vote.id)
        .join(Meeting, Meeting.id == Vote.meeting_id)
        .where(
            Vote.application_id == application.id,
            Vote.kind == WORKERS_MEETING,
            Vote.carried,
            Meeting.held_on <= on,
        )
    )
    return session.scalar(query) is not None


def _full_ceilings(
    session: Session, campaign: Campaign, application: Application
) -> list[CampaignGroup]:
    admitted = (
        select(func.count())
        .select_from(GroupMatch)
        .join(Application, Application.id == GroupMatch.application_id)
        .where(GroupMatch.group_id == CampaignGroup.id, Application.status == ADMITTED)
        .scalar_subquery()
    )
    query = (
        select(CampaignGroup)
        .join(
            GroupMatch,
            and_(
                GroupMatch.group_id == CampaignGroup.id, GroupMatch.application_id == application.id
            ),
        )
        .where(CampaignGroup.ceiling, admitted >= CampaignGroup.target)
    )
    return list(session.scalars(query))


def registry_id_for(campaign: Campaign, application: Application) -> str:
    """The registry id the applicant is admitted under: their own, or campaign/ref."""
    return application.registry_id or f"{campaign.code}-{application.ref}"


def _decide(
    session: Session,
    campaign: Campaign,
    application: Application,
    meeting: Meeting,
    record: Vote,
    actor: Actor,
) -> None:
    application.decided_on = meeting.held_on
    if not record.carried:
        application.status = REFUSED
        _audit_vote(session, actor, campaign, application, "enrollment.refused", record)
        return
    body = session.get_one(Body, application.body_id)
    person = members.admit(
        session,
        external_id=registry_id_for(campaign, application),
        name=application.name,
        body_code=body.code,
        on=meeting.held_on,
        status="candidate",
        attributes=application.attributes,
        actor=actor,
    )
    application.registry_id = person.external_id
    application.status = ADMITTED
    application.person_id = person.id
    application.stage_ends_on = add_months(meeting.held_on, campaign.candidate_stage_months)
    session.flush()
    _audit_vote(session, actor, campaign, application, "enrollment.admitted", record, person.id)


def _audit_vote(
    session: Session,
    actor: Actor,
    campaign: Campaign,
    application: Application,
    action: str,
    record: Vote,
    person_id: int | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target=("application", f"{campaign.code}/{application.ref}"),
        after={
            "meeting": record.meeting_id,
            "for": record.votes_for,
            "against": record.votes_against,
            "abstained": record.abstained,
            "carried": record.carried,
            "reason": record.reason,
        },
        body_id=application.body_id,
        person_id=person_id,
    )
