"""Recommendations: members in good standing vouch for applicants.

A recommender must be a full member on the day, with at least the campaign's standing:
whole months of unbroken full membership (full spells joined end to start, as after a
transfer; candidate time does not count). Each recommendation is recorded against the
recommender, who can be asked later whom they recommended.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.core.dates import check_not_future
from orgburo.core.enrollment import Spell, standing_since, whole_months
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members
from orgburo.members.models import Membership, Person

from .models import PENDING, Application, Campaign, Recommendation
from .service import audit_application, to_change


def recommend(
    session: Session,
    *,
    campaign_code: str,
    ref: str,
    recommender_id: str,
    given_on: date,
    actor: Actor,
) -> Recommendation:
    """A member in good standing recommends an applicant; recorded against the member."""
    application = to_change(session, campaign_code=campaign_code, ref=ref, actor=actor)
    campaign = session.get_one(Campaign, application.campaign_id)
    if application.status != PENDING:
        raise Conflict(f"application: {ref!r} was already decided ({application.status})")
    check_not_future("given_on", given_on, date.today())
    recommender = members.get_or_raise(session, recommender_id, "recommender")
    if recommender_id == application.registry_id:
        raise Invalid.one("recommender", "an applicant cannot recommend themselves")
    months = check_standing(session, campaign, recommender, given_on)
    _check_not_twice(session, application, recommender)
    recommendation = Recommendation(
        application_id=application.id,
        recommender_id=recommender.id,
        given_on=given_on,
        standing_months=months,
    )
    session.add(recommendation)
    session.flush()
    after = {"recommender": recommender_id, "given_on": given_on, "standing_months": months}
    audit_application(
        session, actor, "enrollment.recommended", campaign, application, after, recommender.id
    )
    return recommendation


def check_standing(session: Session, campaign: Campaign, person: Person, on: date) -> int:
    """Whole months of unbroken full membership on `on`, if enough to recommend."""
    since = standing_since(spells_of(session, [person.id]).get(person.id, []), on)
    who = person.external_id
    if since is None:
        raise Invalid.one("recommender", f"{who!r} is not a full member on {on}")
    months = whole_months(since, on)
    required = campaign.recommender_standing_months
    if months < required:
        raise Invalid.one(
            "recommender",
            f"{who!r} has {months} months' standing as a full member on {on}; "
            f"the campaign requires {required}",
        )
    return months


def spells_of(session: Session, person_ids: Sequence[int]) -> dict[int, list[Spell]]:
    """The membership spells of these persons, as standing is computed from them."""
    found: dict[int, list[Spell]] = {}
    for start in range(0, len(person_ids), 10_000):
        chunk = list(person_ids[start : start + 10_000])
        query = select(
            Membership.person_id, Membership.status, Membership.started_on, Membership.ended_on
        ).where(Membership.person_id.in_(chunk))
        for person_id, status, started, ended in session.execute(query):
            found.setdefault(person_id, []).append(Spell(status, started, ended))
    return found


def _check_not_twice(session: Session, application: Application, recommender: Person) -> None:
    query = select(Recommendation.id).where(
        and_(
            Recommendation.application_id == application.id,
            Recommendation.recommender_id == recommender.id,
        )
    )
    if session.scalar(query) is not None:
        raise Conflict(
            f"recommender: {recommender.external_id!r} already recommended {application.ref!r}"
        )


def recommendations_by(
    session: Session, *, recommender_id: str, actor: Actor
) -> Sequence[tuple[Recommendation, Application, Campaign]]:
    """Every recommendation a member gave, with the application and campaign, oldest first."""
    person = members.get_or_raise(session, recommender_id, "recommender")
    access.require_read_person(session, actor, person)
    query = (
        select(Recommendation, Application, Campaign)
        .join(Application, Application.id == Recommendation.application_id)
        .join(Campaign, Campaign.id == Application.campaign_id)
        .where(Recommendation.recommender_id == person.id)
        .order_by(Recommendation.given_on, Recommendation.id)
    )
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]
