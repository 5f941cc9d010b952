"""HTTP API of enrollment campaigns."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import APIRouter, File, Query, UploadFile
from fastapi import Path as PathParam
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.census.api import change_as_read
from orgburo.census.schemas import CensusChangeRead
from orgburo.config import get_settings
from orgburo.tabular import file_format
from orgburo.web.deps import ActorDep, SessionDep

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
from .schemas import (
    ApplicationCreate,
    ApplicationRead,
    ApplicationsPage,
    CampaignCreate,
    CampaignRead,
    FiguresRead,
    ImportRead,
    JointApplicationCreate,
    MeetingCreate,
    MeetingRead,
    RecommendationCreate,
    RecommendationGiven,
    StageReviewCreate,
)

router = APIRouter(prefix="/api/enrollment", tags=["enrollment"])
CAMPAIGN = "/campaigns/{code}"


@router.post("/campaigns", response_model=CampaignRead, status_code=201)
def create_campaign(payload: CampaignCreate, session: SessionDep, actor: ActorDep) -> CampaignRead:
    """Proclaim a campaign; every rule is checked now."""
    return reads.campaign(session, campaigns.create(session, spec=payload.spec(), actor=actor))


@router.get("/campaigns", response_model=list[CampaignRead])
def list_campaigns(session: SessionDep, actor: ActorDep) -> list[CampaignRead]:
    """Every campaign, the latest first."""
    return [reads.campaign(session, c) for c in campaigns.list_campaigns(session, actor=actor)]


@router.get(CAMPAIGN, response_model=CampaignRead)
def get_campaign(code: str, session: SessionDep, actor: ActorDep) -> CampaignRead:
    """A campaign with its rules and groups."""
    return reads.campaign(session, campaigns.view(session, code=code, actor=actor))


@router.post(CAMPAIGN + "/applications", response_model=ApplicationRead, status_code=201)
def apply(
    code: str, payload: ApplicationCreate, session: SessionDep, actor: ActorDep
) -> ApplicationRead:
    """One person's application; refused naming the field (and the condition) that failed."""
    made = service.apply(
        session,
        campaign_code=code,
        body_code=payload.body,
        received_on=payload.received_on,
        applicant=payload.applicant(),
        actor=actor,
    )
    return reads.application(session, made)


@router.post(
    CAMPAIGN + "/joint-applications", response_model=list[ApplicationRead], status_code=201
)
def apply_jointly(
    code: str, payload: JointApplicationCreate, session: SessionDep, actor: ActorDep
) -> list[ApplicationRead]:
    """Several people applying together; all are recorded, or none."""
    joint = service.apply_jointly(
        session,
        campaign_code=code,
        ref=payload.ref,
        body_code=payload.body,
        received_on=payload.received_on,
        workplace=payload.workplace,
        applicants=[a.applicant() for a in payload.applicants],
        actor=actor,
    )
    return [reads.application(session, a) for a in service.members_of(session, joint)]


@router.get(CAMPAIGN + "/applications", response_model=ApplicationsPage)
def list_applications(
    code: str,
    session: SessionDep,
    actor: ActorDep,
    status: str | None = Query(None, description="pending, admitted or refused"),
    body: str | None = Query(None, max_length=64, description="Only this body's subtree."),
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(50, ge=1, le=1000),
) -> ApplicationsPage:
    """A campaign's applications, priority groups first."""
    found = reads.applications(
        session,
        campaign_code=code,
        actor=actor,
        status=status,
        body_code=body,
        offset=offset,
        limit=limit,
    )
    return reads.page(session, found)


@router.get(CAMPAIGN + "/applications/{ref}", response_model=ApplicationRead)
def get_application(code: str, ref: str, session: SessionDep, actor: ActorDep) -> ApplicationRead:
    """An application with its recommendations, votes and candidate stage."""
    return reads.application(
        session, service.view(session, campaign_code=code, ref=ref, actor=actor)
    )


@router.post(
    CAMPAIGN + "/applications/{ref}/recommendations",
    response_model=ApplicationRead,
    status_code=201,
)
def recommend(
    code: str, ref: str, payload: RecommendationCreate, session: SessionDep, actor: ActorDep
) -> ApplicationRead:
    """A member in good standing recommends the applicant."""
    recommendations.recommend(
        session,
        campaign_code=code,
        ref=ref,
        recommender_id=payload.recommender,
        given_on=payload.given_on,
        actor=actor,
    )
    return get_application(code, ref, session, actor)


@router.post(CAMPAIGN + "/meetings", response_model=MeetingRead, status_code=201)
def hold_meeting(
    code: str, payload: MeetingCreate, session: SessionDep, actor: ActorDep
) -> MeetingRead:
    """A meeting, its attendance and the votes it took, all recorded or none."""
    held = meetings.hold_meeting(
        session,
        campaign_code=code,
        body_code=payload.body,
        held_on=payload.held_on,
        kind=payload.kind,
        members_present=payload.members_present,
        non_party_present=payload.non_party_present,
        workplace=payload.workplace,
        actor=actor,
    )
    for one in payload.votes:
        decisions.vote(
            session,
            meeting_id=held.id,
            ref=one.application,
            votes_for=one.votes_for,
            votes_against=one.votes_against,
            abstained=one.abstained,
            reason=one.reason,
            actor=actor,
        )
    return reads.meeting(session, held.id, actor=actor)


@router.get("/meetings/{meeting_id}", response_model=MeetingRead)
def get_meeting(
    session: SessionDep, actor: ActorDep, meeting_id: int = PathParam(..., ge=1, le=2**31 - 1)
) -> MeetingRead:
    """A meeting and its votes."""
    return reads.meeting(session, meeting_id, actor=actor)


@router.post(CAMPAIGN + "/applications/{ref}/stage", response_model=ApplicationRead)
def review_stage(
    code: str, ref: str, payload: StageReviewCreate, session: SessionDep, actor: ActorDep
) -> ApplicationRead:
    """Confirm, extend or refuse a candidate at the end of the stage."""
    stage.review(
        session,
        campaign_code=code,
        ref=ref,
        outcome=payload.outcome,
        on=payload.on,
        months=payload.months,
        note=payload.note,
        actor=actor,
    )
    return get_application(code, ref, session, actor)


@router.get(CAMPAIGN + "/figures", response_model=FiguresRead)
def get_figures(
    code: str,
    session: SessionDep,
    actor: ActorDep,
    body: str | None = Query(None, max_length=64, description="List this body's sub-bodies."),
) -> FiguresRead:
    """Applications, admissions, refusals, progress by group, week and body."""
    return reads.figures(figures.figures(session, campaign_code=code, body_code=body, actor=actor))


@router.get(CAMPAIGN + "/composition", response_model=CensusChangeRead)
def get_composition(
    code: str,
    session: SessionDep,
    actor: ActorDep,
    by: str = Query("social_situation", max_length=200, description="One or two dimensions."),
) -> CensusChangeRead:
    """The proclaiming body's subtree before the campaign and at its close, by the census."""
    return change_as_read(
        figures.composition(session, campaign_code=code, by=by.split(","), actor=actor)
    )


@router.get("/recommenders/{registry_id}", response_model=list[RecommendationGiven])
def given_by(registry_id: str, session: SessionDep, actor: ActorDep) -> list[RecommendationGiven]:
    """Every recommendation a member gave."""
    return reads.given_by(session, registry_id, actor=actor)


@router.post(CAMPAIGN + "/applications/import", response_model=ImportRead)
def import_applications(
    code: str, session: SessionDep, actor: ActorDep, file: UploadFile = File(...)
) -> ImportRead:
    """Import applications from a CSV or Parquet upload: all of it, or nothing."""
    return _imported(session, actor, code, file, importer.import_applications)


@router.post(CAMPAIGN + "/outcomes/import", response_model=ImportRead)
def import_outcomes(
    code: str, session: SessionDep, actor: ActorDep, file: UploadFile = File(...)
) -> ImportRead:
    """Import meeting outcomes from a CSV or Parquet upload: all of it, or nothing."""
    return _imported(session, actor, code, file, outcomes.import_outcomes)


def _imported(
    session: Session, actor: Actor, code: str, file: UploadFile, load: Callable[..., object]
) -> ImportRead:
    """Load an uploaded file for a campaign, once the actor may act on the whole campaign."""
    campaigns.to_change(session, code=code, actor=actor)  # before the upload is stored
    with _saved(file) as path:
        result = load(
            session,
            campaign_code=code,
            path=path,
            actor=actor,
            batch_rows=get_settings().import_batch_rows,
        )
    return ImportRead(file=file.filename or path.name, result=vars(result))


@contextmanager
def _saved(upload: UploadFile) -> Iterator[Path]:
    """The upload in a temporary file with its own suffix, removed afterwards."""
    name = Path(upload.filename or "upload.csv").name
    file_format(Path(name))
    folder = Path(tempfile.mkdtemp(prefix="orgburo-upload-"))
    try:
        path = folder / name
        with path.open("wb") as handle:
            shutil.copyfileobj(upload.file, handle)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)
