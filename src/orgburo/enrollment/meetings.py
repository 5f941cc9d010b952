"""Meetings and their votes: open party meetings decide, workers' general meetings support.

An open meeting of the primary organization decides each applicant by a recorded vote;
it needs a quorum: more than half of the organization's full members on the day, as
counted from the registry. Admission makes the applicant a candidate member from the
meeting's date, through the registry's own `admit`. An applicant without enough
recommendations can be admitted only after a general meeting of the enterprise's workers,
non-party people taking part, voted to support them (when the campaign allows it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import Actor
from orgburo.bodies.models import Body, BodyLink
from orgburo.core.enrollment import quorum
from orgburo.errors import Conflict, Invalid, Problem
from orgburo.members.models import Membership

from . import campaigns, service
from .models import (
    MEETING_KINDS,
    OPEN_MEETING,
    WORKERS_MEETING,
    Campaign,
    Meeting,
)


def hold_meeting(
    session: Session,
    *,
    campaign_code: str,
    body_code: str,
    held_on: date,
    members_present: int,
    actor: Actor,
    kind: str = OPEN_MEETING,
    non_party_present: int = 0,
    workplace: str | None = None,
) -> Meeting:
    """Record a meeting and its attendance; an open meeting must have a quorum."""
    campaign = campaigns.get_or_raise(session, campaign_code)
    if kind not in MEETING_KINDS:
        raise Invalid.one("kind", f"{kind!r} is not one of {', '.join(MEETING_KINDS)}")
    body = service.check_scope(session, campaign, body_code, held_on, actor=actor, field="held_on")
    on_roll = _check_attendance(
        session, campaign, body, kind, held_on, members_present, non_party_present
    )
    _check_not_held(session, campaign, body, kind, held_on)
    meeting = Meeting(
        campaign_id=campaign.id,
        body_id=body.id,
        kind=kind,
        held_on=held_on,
        members_on_roll=on_roll,
        members_present=members_present,
        non_party_present=non_party_present,
        workplace=(workplace or "").strip() or None,
    )
    session.add(meeting)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"enrollment.{kind}_held",
        target=("meeting", meeting.id),
        after=_describe(meeting, body),
        body_id=body.id,
    )
    return meeting


def _check_attendance(
    session: Session,
    campaign: Campaign,
    body: Body,
    kind: str,
    held_on: date,
    present: int,
    non_party: int,
) -> int | None:
    if present < 0 or non_party < 0:
        raise Invalid.one("members_present" if present < 0 else "non_party_present", "is negative")
    if kind == WORKERS_MEETING:
        if not campaign.workers_meeting_allowed:
            raise Invalid.one("kind", "this campaign does not allow workers' general meetings")
        if non_party < 1:
            raise Invalid.one(
                "non_party_present", "a workers' general meeting needs non-party people taking part"
            )
        return None
    on_roll = full_members_on(session, body.id, held_on)
    check_quorum(body.code, on_roll, present)
    return on_roll


def check_quorum(body_code: str, on_roll: int, present: int, row: int | None = None) -> None:
    """Raise unless more than half of the organization's full members are present."""
    if on_roll == 0:
        raise Invalid(
            [Problem("body", f"{body_code!r} has no full members to hold a meeting", row)]
        )
    if present > on_roll:
        raise Invalid(
            [
                Problem(
                    "members_present",
                    f"{present} present, but {body_code!r} has only {on_roll} full members",
                    row,
                )
            ]
        )
    if present < quorum(on_roll):
        raise Invalid(
            [
                Problem(
                    "members_present",
                    f"{present} of {on_roll} full members present; a quorum is {quorum(on_roll)}",
                    row,
                )
            ]
        )


def full_members_on(session: Session, body_id: int, on: date) -> int:
    """Full members of the body's subtree on `on`, counted from their spells."""
    query = (
        select(func.count())
        .select_from(Membership)
        .join(BodyLink, BodyLink.descendant_id == Membership.body_id)
        .where(
            BodyLink.ancestor_id == body_id,
            BodyLink.valid_from <= on,
            or_(BodyLink.valid_to.is_(None), BodyLink.valid_to > on),
            Membership.status == "full",
            Membership.started_on <= on,
            or_(Membership.ended_on.is_(None), Membership.ended_on > on),
        )
    )
    return session.scalar(query) or 0


def _check_not_held(session: Session, campaign: Campaign, body: Body, kind: str, on: date) -> None:
    query = select(Meeting.id).where(
        Meeting.campaign_id == campaign.id,
        Meeting.body_id == body.id,
        Meeting.kind == kind,
        Meeting.held_on == on,
    )
    held = session.scalar(query)
    if held is not None:
        raise Conflict(
            f"held_on: a {kind.replace('_', ' ')} of {body.code!r} on {on} "
            f"is already recorded (meeting {held})"
        )


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting with this number, or NotFound."""
    from orgburo.errors import NotFound

    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"meeting: there is no meeting {meeting_id}")
    return meeting


def _describe(meeting: Meeting, body: Body) -> dict[str, Any]:
    return {
        "kind": meeting.kind,
        "body": body.code,
        "held_on": meeting.held_on,
        "members_on_roll": meeting.members_on_roll,
        "members_present": meeting.members_present,
        "non_party_present": meeting.non_party_present,
        "workplace": meeting.workplace,
    }
