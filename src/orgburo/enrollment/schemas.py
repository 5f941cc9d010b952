"""HTTP (and campaign-file) shapes of enrollment campaigns."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .campaigns import CampaignSpec, GroupSpec
from .service import Applicant

Value = str | int | bool | None
COUNT = 10_000_000


class GroupIn(BaseModel):
    """A group of applicants: a rule, and a target, a ceiling or a priority."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100)
    rule: str = Field(max_length=2000)
    target: int | None = Field(None, ge=1, le=1_000_000_000)
    ceiling: bool = False
    priority: bool = False


class CampaignCreate(BaseModel):
    """A campaign as proclaimed (also the layout of `orgburo enrollment create FILE`)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=64)
    name: str = Field(max_length=300)
    body: str = Field(max_length=64, description="Code of the proclaiming body.")
    opens_on: date
    closes_on: date
    eligibility: str = Field("", max_length=2000, description="Rule every applicant must pass.")
    groups: list[GroupIn] = Field(default_factory=list)
    recommenders_required: int = Field(2, ge=0, le=10)
    recommender_standing_months: int = Field(12, ge=0, le=600)
    workers_meeting_allowed: bool = True
    candidate_stage_months: int = Field(6, ge=0, le=60)

    def spec(self) -> CampaignSpec:
        """The service's view of the campaign."""
        return CampaignSpec(
            code=self.code,
            name=self.name,
            body_code=self.body,
            opens_on=self.opens_on,
            closes_on=self.closes_on,
            eligibility=self.eligibility,
            groups=tuple(GroupSpec(**g.model_dump()) for g in self.groups),
            recommenders_required=self.recommenders_required,
            recommender_standing_months=self.recommender_standing_months,
            workers_meeting_allowed=self.workers_meeting_allowed,
            candidate_stage_months=self.candidate_stage_months,
        )


class CampaignRead(CampaignCreate):
    """A stored campaign."""


class ApplicantIn(BaseModel):
    """One person applying."""

    name: str = Field(min_length=1, max_length=300)
    attributes: dict[str, Value] = Field(default_factory=dict)
    registry_id: str | None = Field(None, max_length=100)
    ref: str | None = Field(None, max_length=64)

    def applicant(self) -> Applicant:
        """The service's view of the applicant."""
        return Applicant(self.name, self.attributes, self.registry_id, self.ref)


class ApplicationCreate(ApplicantIn):
    """An individual application to a primary organization."""

    body: str = Field(max_length=64)
    received_on: date


class JointApplicationCreate(BaseModel):
    """Several people applying together; each is decided alone."""

    ref: str = Field(max_length=64)
    body: str = Field(max_length=64)
    received_on: date
    workplace: str | None = Field(None, max_length=200)
    applicants: list[ApplicantIn]


class RecommendationCreate(BaseModel):
    """A member recommends an applicant."""

    recommender: str = Field(max_length=100, description="Registry id of the recommender.")
    given_on: date


class RecommendationRead(BaseModel):
    """A recommendation as recorded."""

    recommender: str
    given_on: date
    standing_months: int


class RecommendationGiven(RecommendationRead):
    """A recommendation a member gave, with the campaign and application."""

    campaign: str
    application: str
    applicant: str
    status: str


class VoteIn(BaseModel):
    """A meeting's vote on one application."""

    application: str = Field(max_length=64)
    votes_for: int = Field(ge=0, le=COUNT)
    votes_against: int = Field(ge=0, le=COUNT)
    abstained: int = Field(0, ge=0, le=COUNT)
    reason: str | None = Field(None, max_length=300, description="Why, when refused.")


class VoteRead(BaseModel):
    """A recorded vote."""

    application: str
    meeting: int
    kind: str
    held_on: date
    votes_for: int
    votes_against: int
    abstained: int
    carried: bool
    reason: str | None


class MeetingCreate(BaseModel):
    """A meeting and the votes it took."""

    body: str = Field(max_length=64)
    held_on: date
    kind: str = Field("open_meeting", max_length=20)
    members_present: int = Field(ge=0, le=COUNT)
    non_party_present: int = Field(0, ge=0, le=COUNT)
    workplace: str | None = Field(None, max_length=200)
    votes: list[VoteIn] = Field(default_factory=list)


class MeetingRead(BaseModel):
    """A recorded meeting and its votes."""

    id: int
    body: str
    kind: str
    held_on: date
    members_on_roll: int | None
    members_present: int
    non_party_present: int
    workplace: str | None
    votes: list[VoteRead]


class StageReviewCreate(BaseModel):
    """The end of a candidate stage."""

    outcome: str = Field(max_length=20, description="confirmed, extended or not_confirmed")
    on: date
    months: int | None = Field(None, ge=1, le=24, description="For an extension: months.")
    note: str | None = Field(None, max_length=500)


class StageReviewRead(StageReviewCreate):
    """A recorded stage review."""

    extended_to: date | None


class ApplicationRead(BaseModel):
    """An application, its recommendations, votes and candidate stage."""

    ref: str
    name: str
    body: str
    received_on: date
    registry_id: str | None
    joint: str | None
    attributes: dict[str, Any]
    priority: bool
    status: str
    decided_on: date | None
    stage_ends_on: date | None
    stage_outcome: str | None
    recommendations: list[RecommendationRead]
    votes: list[VoteRead]
    stage_reviews: list[StageReviewRead]


class ApplicationsPage(BaseModel):
    """A page of applications."""

    applications: list[ApplicationRead]
    offset: int
    limit: int
    has_more: bool


class GroupProgressRead(GroupIn):
    """A group's applications by status and its admissions against the target."""

    counts: dict[str, int]
    admitted: int
    progress: float | None


class WeekRead(BaseModel):
    """One campaign week."""

    number: int
    starts_on: date
    applied: int
    admitted: int
    refused: int
    admitted_so_far: dict[str, int]


class BodyFiguresRead(BaseModel):
    """Applications to a sub-body's subtree, by status."""

    code: str
    name: str
    counts: dict[str, int]


class FiguresRead(BaseModel):
    """A campaign's figures."""

    code: str
    name: str
    body: str
    opens_on: date
    closes_on: date
    applied: int
    counts: dict[str, int]
    priority_counts: dict[str, int]
    refusals: dict[str, int]
    groups: list[GroupProgressRead]
    weeks: list[WeekRead]
    bodies: list[BodyFiguresRead]
    stage: dict[str, int]


class ImportRead(BaseModel):
    """What a bulk import did."""

    file: str
    result: dict[str, int]
