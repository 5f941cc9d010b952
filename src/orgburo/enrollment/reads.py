"""Reading applications and meetings back, with what was recorded about them, as the
HTTP API and the command line show them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.errors import Invalid
from orgburo.members.models import Person

from . import campaigns, stage
from .figures import Figures
from .meetings import get_meeting
from .models import (
    APPLICATION_STATUSES,
    Application,
    Campaign,
    JointApplication,
    Meeting,
    Recommendation,
    Vote,
)
from .recommendations import recommendations_by
from .schemas import (
    ApplicationRead,
    ApplicationsPage,
    BodyFiguresRead,
    CampaignRead,
    FiguresRead,
    GroupIn,
    GroupProgressRead,
    MeetingRead,
    RecommendationGiven,
    RecommendationRead,
    StageReviewRead,
    VoteRead,
    WeekRead,
)


def campaign(session: Session, found: Campaign) -> CampaignRead:
    """A campaign as stored."""
    return CampaignRead(
        code=found.code,
        name=found.name,
        body=campaigns.body_of(session, found).code,
        opens_on=found.opens_on,
        closes_on=found.closes_on,
        eligibility=found.eligibility,
        groups=[
            GroupIn(
                name=g.name, rule=g.rule, target=g.target, ceiling=g.ceiling, priority=g.priority
            )
            for g in campaigns.groups(session, found)
        ],
        recommenders_required=found.recommenders_required,
        recommender_standing_months=found.recommender_standing_months,
        workers_meeting_allowed=found.workers_meeting_allowed,
        candidate_stage_months=found.candidate_stage_months,
    )


def application(session: Session, found: Application) -> ApplicationRead:
    """An application with its recommendations, votes and stage reviews."""
    joint = session.get(JointApplication, found.joint_id) if found.joint_id else None
    recommended = session.execute(
        select(Recommendation, Person.external_id)
        .join(Person, Person.id == Recommendation.recommender_id)
        .where(Recommendation.application_id == found.id)
        .order_by(Recommendation.given_on, Recommendation.id)
    )
    return ApplicationRead(
        ref=found.ref,
        name=found.name,
        body=session.get_one(Body, found.body_id).code,
        received_on=found.received_on,
        registry_id=found.registry_id,
        joint=joint.ref if joint else None,
        attributes=found.attributes,
        priority=found.priority,
        status=found.status,
        decided_on=found.decided_on,
        stage_ends_on=found.stage_ends_on,
        stage_outcome=found.stage_outcome,
        recommendations=[
            RecommendationRead(
                recommender=who, given_on=r.given_on, standing_months=r.standing_months
            )
            for r, who in recommended
        ],
        votes=[vote(v, m, found.ref) for v, m in _votes(session, Vote.application_id == found.id)],
        stage_reviews=[
            StageReviewRead(
                outcome=r.outcome, on=r.on, months=None, note=r.note, extended_to=r.extended_to
            )
            for r in stage.reviews(session, found)
        ],
    )


def _votes(session: Session, condition: object) -> list[tuple[Vote, Meeting]]:
    query = (
        select(Vote, Meeting)
        .join(Meeting, Meeting.id == Vote.meeting_id)
        .where(condition)  # type: ignore[arg-type]
        .order_by(Meeting.held_on, Vote.id)
    )
    return [(v, m) for v, m in session.execute(query)]


def vote(record: Vote, meeting: Meeting, ref: str) -> VoteRead:
    """A vote as recorded."""
    return VoteRead(
        application=ref,
        meeting=meeting.id,
        kind=record.kind,
        held_on=meeting.held_on,
        votes_for=record.votes_for,
        votes_against=record.votes_against,
        abstained=record.abstained,
        carried=record.carried,
        reason=record.reason,
    )


def meeting(session: Session, meeting_id: int, *, actor: Actor) -> MeetingRead:
    """A meeting with its votes."""
    found = get_meeting(session, meeting_id)
    access.require_read_body(session, actor, session.get_one(Body, found.body_id))
    refs = dict(
        session.execute(
            select(Application.id, Application.ref)
            .join(Vote, Vote.application_id == Application.id)
            .where(Vote.meeting_id == found.id)
        ).all()
    )
    return MeetingRead(
        id=found.id,
        body=session.get_one(Body, found.body_id).code,
        kind=found.kind,
        held_on=found.held_on,
        members_on_roll=found.members_on_roll,
        members_present=found.members_present,
        non_party_present=found.non_party_present,
        workplace=found.workplace,
        votes=[
            vote(v, m, refs[v.application_id])
            for v, m in _votes(session, Vote.meeting_id == found.id)
        ],
    )


@dataclass(frozen=True)
class Page:
    """Applications of a campaign, one page."""

    applications: Sequence[Application]
    offset: int
    limit: int
    has_more: bool


def applications(
    session: Session,
    *,
    campaign_code: str,
    actor: Actor,
    status: str | None = None,
    body_code: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """A campaign's applications, priority ones first, then by reference."""
    found = campaigns.view(session, code=campaign_code, actor=actor)
    query = select(Application).where(Application.campaign_id == found.id)
    if status is not None:
        if status not in APPLICATION_STATUSES:
            raise Invalid.one(
                "status", f"{status!r} is not one of {', '.join(APPLICATION_STATUSES)}"
            )
        query = query.where(Application.status == status)
    within = _listed_subtrees(session, found, body_code, actor)
    if within is not None:
        query = query.join(
            BodyLink,
            (BodyLink.descendant_id == Application.body_id) & BodyLink.valid_to.is_(None),
        ).where(BodyLink.ancestor_id.in_(within))
    query = query.order_by(Application.priority.desc(), Application.ref)
    rows = session.scalars(query.offset(offset).limit(limit + 1)).all()
    return Page(rows[:limit], offset, limit, len(rows) > limit)


def _listed_subtrees(
    session: Session, campaign: Campaign, body_code: str | None, actor: Actor
) -> list[int] | None:
    """Whose applications to list: the body asked for, else the whole campaign for those
    who read the proclaiming body, else the subtrees the actor reads (None: no limit)."""
    if body_code:
        body = bodies.get_or_raise(session, body_code)
        access.require_read_body(session, actor, body)
        return [body.id]
    if access.may_read_body(session, actor, campaign.body_id):
        return None
    return access.readable_scopes(actor)


def page(session: Session, found: Page) -> ApplicationsPage:
    """The API view of a page of applications."""
    return ApplicationsPage(
        applications=[application(session, a) for a in found.applications],
        offset=found.offset,
        limit=found.limit,
        has_more=found.has_more,
    )


def given_by(session: Session, recommender_id: str, *, actor: Actor) -> list[RecommendationGiven]:
    """Every recommendation a member gave."""
    return [
        RecommendationGiven(
            recommender=recommender_id,
            given_on=r.given_on,
            standing_months=r.standing_months,
            campaign=c.code,
            application=a.ref,
            applicant=a.name,
            status=a.status,
        )
        for r, a, c in recommendations_by(session, recommender_id=recommender_id, actor=actor)
    ]


def figures(found: Figures) -> FiguresRead:
    """The API view of a campaign's figures."""
    return FiguresRead(
        code=found.code,
        name=found.name,
        body=found.body,
        opens_on=found.opens_on,
        closes_on=found.closes_on,
        applied=found.applied,
        counts=found.counts,
        priority_counts=found.priority_counts,
        refusals=dict(found.refusals),
        groups=[
            GroupProgressRead(
                name=g.name,
                rule=g.rule,
                target=g.target,
                ceiling=g.ceiling,
                priority=g.priority,
                counts=g.counts,
                admitted=g.admitted,
                progress=None if g.progress is None else round(float(g.progress), 4),
            )
            for g in found.groups
        ],
        weeks=[WeekRead(**vars(w)) for w in found.weeks],
        bodies=[BodyFiguresRead(**vars(b)) for b in found.bodies],
        stage=found.stage,
    )
