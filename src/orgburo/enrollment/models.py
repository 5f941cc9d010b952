"""Tables of enrollment campaigns.

A campaign is proclaimed by a body for its subtree, with a period, groups (each a rule:
a target, a ceiling, or a priority), eligibility, a recommendation rule and the length of
the candidate stage. Applications carry the applicant's attributes until admission
creates the person in the registry. Meetings (open party meetings, and workers' general
meetings for applicants without recommendations) record attendance; votes record each
applicant's outcome there. Nothing is overwritten: a candidate stage that is extended
adds a review row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from orgburo.db import Base, BinaryString, JsonDocument

PENDING, ADMITTED, REFUSED = "pending", "admitted", "refused"
APPLICATION_STATUSES = (PENDING, ADMITTED, REFUSED)
OPEN_MEETING, WORKERS_MEETING = "open_meeting", "workers_meeting"
MEETING_KINDS = (OPEN_MEETING, WORKERS_MEETING)
CONFIRMED, EXTENDED, NOT_CONFIRMED = "confirmed", "extended", "not_confirmed"
STAGE_OUTCOMES = (CONFIRMED, EXTENDED, NOT_CONFIRMED)


class Campaign(Base):
    """An enrollment campaign of a body's subtree over a period."""

    __tablename__ = "enrollment_campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(BinaryString, unique=True)
    name: Mapped[str] = mapped_column(String(300))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    eligibility: Mapped[str] = mapped_column(String(2000), default="")
    recommenders_required: Mapped[int] = mapped_column(Integer)
    recommender_standing_months: Mapped[int] = mapped_column(Integer)
    workers_meeting_allowed: Mapped[bool] = mapped_column(Boolean)
    candidate_stage_months: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CampaignGroup(Base):
    """A group of applicants defined by a rule: a target, a ceiling, or a priority."""

    __tablename__ = "enrollment_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("enrollment_campaigns.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(String(2000))
    target: Mapped[int | None] = mapped_column(Integer)
    ceiling: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("campaign_id", "name"),)


class JointApplication(Base):
    """Several people applying together (a workshop); each is still decided alone."""

    __tablename__ = "enrollment_joint_applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("enrollment_campaigns.id"))
    ref: Mapped[str] = mapped_column(BinaryString)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    received_on: Mapped[date] = mapped_column(Date)
    workplace: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("campaign_id", "ref"),)


class Application(Base):
    """One person's application, with their attributes as given, and its outcome."""

    __tablename__ = "enrollment_applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("enrollment_campaigns.id"))
    ref: Mapped[str] = mapped_column(BinaryString)
    joint_id: Mapped[int | None] = mapped_column(ForeignKey("enrollment_joint_applications.id"))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    received_on: Mapped[date] = mapped_column(Date)
    registry_id: Mapped[str | None] = mapped_column(BinaryString)
    name: Mapped[str] = mapped_column(String(300))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    attributes: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    decided_on: Mapped[date | None] = mapped_column(Date)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    stage_ends_on: Mapped[date | None] = mapped_column(Date)
    stage_outcome: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (
        UniqueConstraint("campaign_id", "ref"),
        Index("ix_enrollment_applications_status", "campaign_id", "status", "decided_on"),
        Index("ix_enrollment_applications_registry", "campaign_id", "registry_id"),
        Index("ix_enrollment_applications_same", "campaign_id", "body_id", "name", "birth_year"),
    )


class GroupMatch(Base):
    """An application falls in a campaign group (its rule passed when it was made)."""

    __tablename__ = "enrollment_group_matches"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment_applications.id"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("enrollment_groups.id"), primary_key=True)

    __table_args__ = (Index("ix_enrollment_group_matches_group", "group_id", "application_id"),)


class Recommendation(Base):
    """A member in good standing vouches for an applicant."""

    __tablename__ = "enrollment_recommendations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("enrollment_applications.id"))
    recommender_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date)
    standing_months: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("application_id", "recommender_id"),)


class Meeting(Base):
    """An open party meeting, or a general meeting of an enterprise's workers."""

    __tablename__ = "enrollment_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("enrollment_campaigns.id"))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date] = mapped_column(Date)
    members_on_roll: Mapped[int | None] = mapped_column(Integer)
    members_present: Mapped[int] = mapped_column(Integer)
    non_party_present: Mapped[int] = mapped_column(Integer, default=0)
    workplace: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("campaign_id", "body_id", "kind", "held_on"),)


class Vote(Base):
    """A meeting's vote on one application; at most one per application and meeting kind."""

    __tablename__ = "enrollment_votes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("enrollment_meetings.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("enrollment_applications.id"))
    kind: Mapped[str] = mapped_column(String(20))
    votes_for: Mapped[int] = mapped_column(Integer)
    votes_against: Mapped[int] = mapped_column(Integer)
    abstained: Mapped[int] = mapped_column(Integer)
    carried: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (UniqueConstraint("application_id", "kind"),)


class StageReview(Base):
    """The end of a candidate stage: confirmed, extended to a new date, or not confirmed."""

    __tablename__ = "enrollment_stage_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment_applications.id"), index=True
    )
    on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20))
    extended_to: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
