"""Applications and recommendations, one at a time.

An applicant need not be in the registry: their attributes are kept on the application
and the person is created at admission. Each application is checked when it is made:
the period, the campaign's scope (the proclaiming body's subtree), eligibility (naming
the condition that failed), and duplicates within the campaign (the same registry id, or
the same name, year of birth and body). Services add and flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.core.dates import check_not_future
from orgburo.errors import Conflict, Invalid, NotFound, Problem
from orgburo.members import service as members
from orgburo.members.attributes import catalog, parse_attributes

from . import campaigns
from .models import (
    PENDING,
    Application,
    Campaign,
    CampaignGroup,
    GroupMatch,
    JointApplication,
)


@dataclass(frozen=True)
class Applicant:
    """One person applying: their name, attributes as given, and optional ids."""

    name: str
    attributes: Mapping[str, Any] = field(default_factory=dict)
    registry_id: str | None = None
    ref: str | None = None


def get(session: Session, campaign: Campaign, ref: str) -> Application | None:
    """The campaign's application with this reference, if any."""
    query = select(Application).where(
        Application.campaign_id == campaign.id, Application.ref == ref
    )
    return session.scalar(query)


def get_or_raise(
    session: Session, campaign: Campaign, ref: str, field: str = "application"
) -> Application:
    """The application, or NotFound naming the field."""
    application = get(session, campaign, ref)
    if application is None:
        raise NotFound(f"{field}: campaign {campaign.code!r} has no application {ref!r}")
    return application


def to_change(session: Session, *, campaign_code: str, ref: str, actor: Actor) -> Application:
    """An application of a campaign, for `actor` to act on: one of their bodies received it."""
    application = get_or_raise(session, campaigns.get_or_raise(session, campaign_code), ref)
    access.require_change_body(session, actor, session.get_one(Body, application.body_id))
    return application


def view(session: Session, *, campaign_code: str, ref: str, actor: Actor) -> Application:
    """An application of a campaign, for `actor` to read: one of their bodies received it."""
    application = get_or_raise(session, campaigns.get_or_raise(session, campaign_code), ref)
    access.require_read_body(session, actor, session.get_one(Body, application.body_id))
    return application


def apply(
    session: Session,
    *,
    campaign_code: str,
    body_code: str,
    received_on: date,
    applicant: Applicant,
    actor: Actor,
) -> Application:
    """Record one person's application after every check; refuse it naming the field."""
    campaign = campaigns.get_or_raise(session, campaign_code)
    body = check_scope(session, campaign, body_code, received_on, actor=actor)
    ready = _prepare(session, campaign, body, received_on, applicant, set())
    return _save(session, campaign, ready, actor, None)


def apply_jointly(
    session: Session,
    *,
    campaign_code: str,
    ref: str,
    body_code: str,
    received_on: date,
    applicants: Sequence[Applicant],
    actor: Actor,
    workplace: str | None = None,
) -> JointApplication:
    """A group applying together: one application per person, each decided alone.

    Every applicant is checked before anything is written; a problem names the
    applicant by position (`applicants[2].occupation`).
    """
    campaign = campaigns.get_or_raise(session, campaign_code)
    body = check_scope(session, campaign, body_code, received_on, actor=actor)
    _check_joint_ref(session, campaign, ref)
    if not applicants:
        raise Invalid.one("applicants", "a joint application needs at least one applicant")
    ready: list[_Ready] = []
    for i, applicant in enumerate(applicants):
        try:
            ready.append(_prepare(session, campaign, body, received_on, applicant, ready))
        except Invalid as error:
            raise Invalid([_prefixed(p, f"applicants[{i}].") for p in error.problems]) from None
        except (Conflict, NotFound) as error:
            raise type(error)(f"applicants[{i}].{error.message}") from None
    joint = JointApplication(
        campaign_id=campaign.id,
        ref=ref.strip(),
        body_id=body.id,
        received_on=received_on,
        workplace=(workplace or "").strip() or None,
    )
    session.add(joint)
    session.flush()
    for one in ready:
        _save(session, campaign, one, actor, joint)
    return joint


def members_of(session: Session, joint: JointApplication) -> Sequence[Application]:
    """The applications of a joint application, by reference."""
    query = select(Application).where(Application.joint_id == joint.id)
    return session.scalars(query.order_by(Application.ref)).all()


def _prefixed(problem: Problem, prefix: str) -> Problem:
    return Problem(prefix + problem.field, problem.reason, problem.row)


def _check_joint_ref(session: Session, campaign: Campaign, ref: str) -> None:
    _check_ref(ref)
    taken = select(JointApplication.id).where(
        JointApplication.campaign_id == campaign.id, JointApplication.ref == ref.strip()
    )
    if session.scalar(taken) is not None:
        raise Conflict(f"ref: joint application {ref.strip()!r} already exists in this campaign")


def check_scope(
    session: Session,
    campaign: Campaign,
    body_code: str,
    on: date,
    *,
    actor: Actor,
    field: str = "received_on",
) -> Body:
    """The body, if the actor may change it and it may act in the campaign on `on`:
    inside the campaign's subtree and period."""
    body = bodies.get_or_raise(session, body_code)
    access.require_change_body(session, actor, body)
    check_period(campaign, field, on)
    if not in_subtree(session, campaign.body_id, body.id, on):
        owner = campaigns.body_of(session, campaign).code
        raise Invalid.one(
            "body",
            f"{body_code!r} is not in the subtree of {owner!r}, which proclaimed the campaign",
        )
    if body.closed_on is not None and body.closed_on <= on:
        raise Invalid.one("body", f"{body_code!r} was closed on {body.closed_on}")
    return body


def check_period(campaign: Campaign, field: str, on: date) -> None:
    """`on` falls within the campaign's period and is not in the future."""
    check_not_future(field, on, date.today())
    if not campaign.opens_on <= on <= campaign.closes_on:
        raise Invalid.one(
            field,
            f"{on} is outside the campaign period {campaign.opens_on} to {campaign.closes_on}",
        )


def in_subtree(session: Session, ancestor_id: int, body_id: int, on: date) -> bool:
    """Whether `body_id` was in the subtree of `ancestor_id` on `on`."""
    query = exists().where(
        BodyLink.ancestor_id == ancestor_id,
        BodyLink.descendant_id == body_id,
        *bodies.links_valid(on),
    )
    return bool(session.scalar(select(query)))


@dataclass(frozen=True)
class _Ready:
    """A checked application, not yet written, and the groups it falls in."""

    application: Application
    groups: list[CampaignGroup]


def _prepare(
    session: Session,
    campaign: Campaign,
    body: Body,
    received_on: date,
    applicant: Applicant,
    earlier: Collection[_Ready],
) -> _Ready:
    values = _checked_values(session, campaign, applicant, received_on)
    registry_id = _registry_id(session, applicant.registry_id)
    born = values.get("birth_year")
    birth_year = born if isinstance(born, int) and not isinstance(born, bool) else None
    name = applicant.name.strip()
    _check_duplicates(session, campaign, registry_id, name, birth_year, body)
    _check_not_repeated(earlier, registry_id, name, birth_year)
    taken = {r.application.ref for r in earlier}
    application = Application(
        campaign_id=campaign.id,
        ref=_ref(session, campaign, applicant.ref, taken),
        body_id=body.id,
        received_on=received_on,
        registry_id=registry_id,
        name=name,
        birth_year=birth_year,
        attributes={k: v for k, v in values.items() if v is not None and k != "age"},
        status=PENDING,
    )
    matched = [
        g for g, rule in campaigns.rules(session, campaign).groups if rule.evaluate(values).passed
    ]
    application.priority = any(g.priority for g in matched)
    return _Ready(application, matched)


def _check_not_repeated(
    earlier: Collection[_Ready], registry_id: str | None, name: str, birth_year: int | None
) -> None:
    for other in (r.application for r in earlier):
        if registry_id is not None and other.registry_id == registry_id:
            raise Conflict(f"registry_id: {registry_id!r} appears twice in this joint application")
        if (other.name, other.birth_year) == (name, birth_year):
            raise Conflict(f"name: {name!r} appears twice in this joint application")


def _save(
    session: Session,
    campaign: Campaign,
    ready: _Ready,
    actor: Actor,
    joint: JointApplication | None,
) -> Application:
    application = ready.application
    application.joint_id = joint.id if joint else None
    session.add(application)
    session.flush()
    session.add_all(GroupMatch(application_id=application.id, group_id=g.id) for g in ready.groups)
    audit_application(
        session, actor, "enrollment.applied", campaign, application, describe(application)
    )
    return application


def _checked_values(
    session: Session, campaign: Campaign, applicant: Applicant, received_on: date
) -> dict[str, Any]:
    if not applicant.name.strip():
        raise Invalid.one("name", "must not be empty")
    if len(applicant.name) > 300:
        raise Invalid.one("name", "is longer than 300 characters")
    parsed = parse_attributes(catalog(session), applicant.attributes)
    values = campaigns.applicant_values(parsed, received_on)
    verdict = campaigns.rules(session, campaign).eligibility.evaluate(values)
    if not verdict.passed:
        raise Invalid(
            [
                Problem(f, f"not eligible: {reason}")
                for f, reason in zip(verdict.fields, verdict.reasons, strict=True)
            ]
        )
    return values


def _registry_id(session: Session, registry_id: str | None) -> str | None:
    wanted = (registry_id or "").strip() or None
    if wanted is None:
        return None
    person = members.get(session, wanted)
    if person is not None and members.current_spell(session, person) is not None:
        raise Conflict(f"registry_id: {wanted!r} is already a member")
    if person is not None and person.died_on is not None:
        raise Invalid.one("registry_id", f"{wanted!r} died on {person.died_on}")
    return wanted


def _check_duplicates(
    session: Session,
    campaign: Campaign,
    registry_id: str | None,
    name: str,
    birth_year: int | None,
    body: Body,
) -> None:
    ours = Application.campaign_id == campaign.id
    if registry_id is not None:
        same = session.scalar(
            select(Application.ref).where(ours, Application.registry_id == registry_id)
        )
        if same is not None:
            raise Conflict(
                f"registry_id: {registry_id!r} already applied in this campaign "
                f"(application {same!r})"
            )
    query = select(Application.ref).where(
        ours,
        Application.body_id == body.id,
        Application.name == name,
        Application.birth_year.is_not_distinct_from(
            birth_year if isinstance(birth_year, int) else None
        ),
    )
    same = session.scalar(query.limit(1))
    if same is not None:
        born = f", born {birth_year}," if birth_year is not None else ""
        raise Conflict(
            f"name: {name!r}{born} already applied to {body.code!r} in this campaign "
            f"(application {same!r})"
        )


def _check_ref(ref: str) -> None:
    if not ref.strip() or len(ref) > 64:
        raise Invalid.one("ref", "must be 1 to 64 characters")


def _ref(session: Session, campaign: Campaign, wanted: str | None, taken: set[str]) -> str:
    """The reference as given (if free), or the next free A000001-style one."""
    if wanted is not None and wanted.strip():
        ref = wanted.strip()
        _check_ref(ref)
        if ref in taken or get(session, campaign, ref) is not None:
            raise Conflict(f"ref: application {ref!r} already exists in this campaign")
        return ref
    count = session.scalar(select(func.count()).where(Application.campaign_id == campaign.id)) or 0
    while (ref := f"A{count + 1:06d}") in taken or get(session, campaign, ref) is not None:
        count += 1
    return ref


def describe(application: Application) -> dict[str, Any]:
    """The application as the audit trail records it."""
    return {
        "ref": application.ref,
        "name": application.name,
        "registry_id": application.registry_id,
        "received_on": application.received_on,
        "status": application.status,
        "attributes": application.attributes,
    }


def audit_application(
    session: Session,
    actor: Actor,
    action: str,
    campaign: Campaign,
    application: Application,
    after: dict[str, Any],
    person_id: int | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target=("application", f"{campaign.code}/{application.ref}"),
        after=after,
        body_id=application.body_id,
        person_id=person_id,
    )
