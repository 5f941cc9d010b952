"""The end of the candidate stage: confirmed, extended, or not confirmed.

Each outcome goes through the registry so that it stands in the member's history:
confirmation opens a full-member spell (`members.confirm`), an extension is a dated
event with the new end of the stage (`members.note_event`), and a refusal ends the
candidate spell with the reason `not_confirmed` (`members.end`). The review itself is
kept here too; an extended stage can be reviewed again at its new end.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import Actor
from orgburo.core.enrollment import add_months
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members

from . import service
from .models import (
    ADMITTED,
    CONFIRMED,
    EXTENDED,
    NOT_CONFIRMED,
    STAGE_OUTCOMES,
    Application,
    Campaign,
    StageReview,
)

EXTENSION_MONTHS = (1, 24)


def review(
    session: Session,
    *,
    campaign_code: str,
    ref: str,
    outcome: str,
    on: date,
    actor: Actor,
    months: int | None = None,
    note: str | None = None,
) -> StageReview:
    """Confirm, extend (by `months`) or refuse a candidate at the end of their stage."""
    application = service.to_change(session, campaign_code=campaign_code, ref=ref, actor=actor)
    campaign = session.get_one(Campaign, application.campaign_id)
    _check_reviewable(application, outcome, on, months)
    registry_id = application.registry_id or ""
    extended_to = None
    if outcome == CONFIRMED:
        members.confirm(session, external_id=registry_id, on=on, actor=actor)
    elif outcome == EXTENDED:
        extended_to = _extend(session, application, on, months or 0, note, actor)
    else:
        members.end(
            session, external_id=registry_id, reason=NOT_CONFIRMED, on=on, note=note, actor=actor
        )
    if outcome != EXTENDED:
        application.stage_outcome = outcome
    stage_review = StageReview(
        application_id=application.id, on=on, outcome=outcome, extended_to=extended_to, note=note
    )
    session.add(stage_review)
    session.flush()
    _audit(session, actor, campaign, application, stage_review)
    return stage_review


def _check_reviewable(application: Application, outcome: str, on: date, months: int | None) -> None:
    if outcome not in STAGE_OUTCOMES:
        raise Invalid.one("outcome", f"{outcome!r} is not one of {', '.join(STAGE_OUTCOMES)}")
    if application.status != ADMITTED or application.stage_ends_on is None:
        raise Invalid.one("application", f"{application.ref!r} was not admitted as a candidate")
    if application.stage_outcome is not None:
        raise Conflict(
            f"application: the candidate stage of {application.ref!r} was already "
            f"reviewed ({application.stage_outcome.replace('_', ' ')})"
        )
    if on < application.stage_ends_on:
        raise Invalid.one(
            "on",
            f"the candidate stage of {application.ref!r} runs until {application.stage_ends_on}",
        )
    low, high = EXTENSION_MONTHS
    if outcome == EXTENDED and not (months is not None and low <= months <= high):
        raise Invalid.one("months", f"an extension needs a number of months from {low} to {high}")
    if outcome != EXTENDED and months is not None:
        raise Invalid.one("months", "only an extension takes a number of months")


def _extend(
    session: Session,
    application: Application,
    on: date,
    months: int,
    note: str | None,
    actor: Actor,
) -> date:
    new_end = add_months(on, months)
    members.note_event(
        session,
        external_id=application.registry_id or "",
        kind="candidate_stage_extended",
        on=on,
        note=f"candidate stage extended to {new_end}" + (f": {note}" if note else ""),
        actor=actor,
    )
    application.stage_ends_on = new_end
    return new_end


def reviews(session: Session, application: Application) -> list[StageReview]:
    """The application's stage reviews, oldest first."""
    query = select(StageReview).where(StageReview.application_id == application.id)
    return list(session.scalars(query.order_by(StageReview.on, StageReview.id)))


def _audit(
    session: Session, actor: Actor, campaign: Campaign, application: Application, done: StageReview
) -> None:
    audit.record(
        session,
        actor=actor,
        action=f"enrollment.stage_{done.outcome}",
        target=("application", f"{campaign.code}/{application.ref}"),
        after={"on": done.on, "extended_to": done.extended_to, "note": done.note},
        body_id=application.body_id,
        person_id=application.person_id,
    )
