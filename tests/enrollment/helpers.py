"""A small organization and a campaign, built through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.enrollment import campaigns, decisions, meetings, recommendations, service
from orgburo.enrollment.campaigns import CampaignSpec, GroupSpec
from orgburo.enrollment.models import Application, Meeting, Vote
from orgburo.enrollment.service import Applicant
from orgburo.models import Base
from tests import factories

OPENS, CLOSES = date(1924, 2, 15), date(1924, 5, 15)
MARCH = date(1924, 3, 1)
WORKER = {"occupation": "worker", "social_situation": "worker", "birth_year": 1900}
PEASANT = {"occupation": "peasant", "social_situation": "peasant", "birth_year": 1898}
CLERK = {"occupation": "employee", "social_situation": "employee", "birth_year": 1895}


def organization(session: Session) -> None:
    """CC > NORTH > (N1, N2), SOUTH > S1; four full members and a candidate in N1."""
    factories.small_tree(session)
    for i in range(1, 5):
        factories.member(session, f"R{i}", "N1", on=date(1920, 1, 1), status="full")
    factories.member(session, "C1", "N1", on=date(1923, 6, 1), status="candidate")
    factories.member(session, "S9", "S1", on=date(1921, 1, 1), status="full")


def spec(**changes: Any) -> CampaignSpec:
    """A campaign of CC for workers (target 3), with a ceiling of 1 peasant."""
    values: dict[str, Any] = {
        "code": "LE",
        "name": "Enrollment",
        "body_code": "CC",
        "opens_on": OPENS,
        "closes_on": CLOSES,
        "eligibility": 'occupation == "worker" or social_situation == "peasant"',
        "groups": (
            GroupSpec("workers", 'occupation == "worker"', target=3),
            GroupSpec("peasants", 'social_situation == "peasant"', target=1, ceiling=True),
            GroupSpec("youth", "komsomol", priority=True),
        ),
        "recommenders_required": 2,
        "recommender_standing_months": 12,
        "candidate_stage_months": 6,
    }
    values.update(changes)
    return CampaignSpec(**values)


def campaign(session: Session, **changes: Any) -> None:
    """The organization and the campaign."""
    organization(session)
    campaigns.create(session, spec=spec(**changes), actor=SYSTEM)


def apply(
    session: Session,
    ref: str,
    values: dict[str, Any] | None = None,
    body: str = "N1",
    on: date = MARCH,
    **applicant: Any,
) -> Application:
    """An application to campaign LE."""
    return service.apply(
        session,
        campaign_code="LE",
        body_code=body,
        received_on=on,
        applicant=Applicant(
            name=applicant.pop("name", f"Applicant {ref}"),
            attributes=WORKER if values is None else values,
            ref=ref,
            **applicant,
        ),
        actor=SYSTEM,
    )


def recommend(session: Session, ref: str, *recommenders: str, on: date = MARCH) -> None:
    """Recommendations by registry ids."""
    for who in recommenders:
        recommendations.recommend(
            session, campaign_code="LE", ref=ref, recommender_id=who, given_on=on, actor=SYSTEM
        )


def meeting(session: Session, on: date = date(1924, 3, 10), present: int = 3, **kw: Any) -> Meeting:
    """An open meeting of N1 (four full members on the roll)."""
    return meetings.hold_meeting(
        session,
        campaign_code="LE",
        body_code=kw.pop("body", "N1"),
        held_on=on,
        members_present=present,
        actor=SYSTEM,
        **kw,
    )


def vote(
    session: Session, held: Meeting, ref: str, votes: tuple[int, int, int] = (3, 0, 0), **kw: Any
) -> Vote:
    """The meeting's vote on an application."""
    return decisions.vote(
        session,
        meeting_id=held.id,
        ref=ref,
        votes_for=votes[0],
        votes_against=votes[1],
        abstained=votes[2],
        actor=SYSTEM,
        **kw,
    )


def admitted(session: Session, ref: str, values: dict[str, Any] | None = None) -> Application:
    """An application recommended and admitted at a meeting on 10 March."""
    application = apply(session, ref, values)
    recommend(session, ref, "R1", "R2")
    vote(session, meeting(session), ref)
    return application


def snapshot(session: Session) -> dict[str, int]:
    """Rows in every table: equal snapshots mean nothing was written."""
    session.flush()
    return {
        t.name: session.scalar(select(func.count()).select_from(t)) or 0
        for t in Base.metadata.sorted_tables
    }
