"""The secretary's pages of a campaign: proclaiming it, taking applications, recommending,
holding the meeting that decides them, and reviewing candidates at the end of the stage.

Each form posts to its own address and calls the same service the API calls; a refusal
draws the page again with the reasons beside the fields, and nothing is stored
(`web.forms.submit` rolls the request's transaction back).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.core.dates import parse_date
from orgburo.errors import Invalid
from orgburo.members.attributes import catalog
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.forms import LongText, Text, submit, typed_lines, whole_number
from orgburo.web.pages import render

from . import campaigns, decisions, meetings, reads, recommendations, service, stage
from .campaigns import CampaignSpec, GroupSpec
from .models import OPEN_MEETING, PENDING, WORKERS_MEETING
from .service import Applicant
from .views import campaigns_context

router = APIRouter(include_in_schema=False)
Texts = Annotated[list[str], Form(max_length=1000)]
GROUP_FLAGS = ("ceiling", "priority")


# Proclaiming a campaign -------------------------------------------------------------


@router.post("/enrollment", response_class=HTMLResponse)
def proclaim(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    code: Text = "",
    name: Text = "",
    body: Text = "",
    opens_on: Text = "",
    closes_on: Text = "",
    eligibility: Text = "",
    groups: LongText = "",
    recommenders_required: Text = "2",
    recommender_standing_months: Text = "12",
    candidate_stage_months: Text = "6",
    workers_meeting_allowed: Text = "",
) -> Response:
    """Proclaim a campaign; every rule is checked now and every problem shown at once."""
    typed = {
        "code": code,
        "name": name,
        "body": body,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "eligibility": eligibility,
        "groups": groups,
        "recommenders_required": recommenders_required,
        "recommender_standing_months": recommender_standing_months,
        "candidate_stage_months": candidate_stage_months,
        "workers_meeting_allowed": workers_meeting_allowed,
    }

    def change() -> object:
        spec = CampaignSpec(
            code=code.strip(),
            name=name,
            body_code=body.strip(),
            opens_on=parse_date("opens_on", opens_on),
            closes_on=parse_date("closes_on", closes_on),
            eligibility=eligibility,
            groups=parse_groups(groups),
            recommenders_required=_count("recommenders_required", recommenders_required),
            recommender_standing_months=_count(
                "recommender_standing_months", recommender_standing_months
            ),
            workers_meeting_allowed=bool(workers_meeting_allowed),
            candidate_stage_months=_count("candidate_stage_months", candidate_stage_months),
        )
        return campaigns.create(session, spec=spec, actor=actor)

    return submit(
        session,
        change,
        f"/enrollment/{code.strip()}/work",
        lambda errors, status: _campaign_form(request, session, actor, typed, errors, status),
    )


def parse_groups(text: str) -> tuple[GroupSpec, ...]:
    """Groups typed one per line: `name | rule | target | flags` (target and flags
    optional; flags are `ceiling` and `priority`)."""
    return typed_lines(text, "groups", 4, _group)


def _group(field: str, parts: list[str]) -> GroupSpec:
    name, rule, target, typed_flags = parts
    flags = typed_flags.split()
    unknown = [f for f in flags if f not in GROUP_FLAGS]
    if unknown:
        reason = f"flags may be {' and '.join(GROUP_FLAGS)}, not {' '.join(unknown)!r}"
        raise Invalid.one(field, reason)
    count = whole_number(f"{field}.target", target)
    return GroupSpec(name, rule, count, "ceiling" in flags, "priority" in flags)


def _count(field: str, text: str) -> int:
    value = whole_number(field, text)
    if value is None:
        raise Invalid.one(field, "must be given")
    return value


def _campaign_form(
    request: Request,
    session: Session,
    actor: Actor,
    typed: dict[str, str],
    errors: dict[str, str],
    status: int,
) -> Response:
    context = campaigns_context(session, actor) | {"typed": typed, "errors": errors}
    return render(request, "enrollment/campaigns.html", context, status_code=status)


# A campaign's applications in the secretary's bodies --------------------------------------


@router.get("/enrollment/{code}/work", response_class=HTMLResponse)
def work_page(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    body: str = Query("", max_length=64),
    status: str = Query("", max_length=20),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> Response:
    """The applications the actor's bodies received, and the forms that act on them."""
    return render(
        request, "enrollment/work.html", _work_context(session, actor, code, body, status, offset)
    )


def _work_context(
    session: Session,
    actor: Actor,
    code: str,
    body: str,
    status: str = "",
    offset: int = 0,
    errors: dict[str, dict[str, str]] | None = None,
    typed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    campaign = campaigns.view(session, code=code, actor=actor)
    found = reads.applications(
        session,
        campaign_code=code,
        actor=actor,
        status=status or None,
        body_code=body or None,
        offset=offset,
    )
    return {
        "campaign": campaign,
        "owner": campaigns.body_of(session, campaign),
        "page": reads.page(session, found),
        "body": body,
        "status": status,
        "attributes": list(catalog(session).values()),
        "may_change": access.changeable_scopes(actor) != [],
        "errors": errors or {},
        "typed": typed or {},
        "today": date.today().isoformat(),
        "kinds": (OPEN_MEETING, WORKERS_MEETING),
        "pending": PENDING,
    }


def _work_again(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    body: str,
    form: str,
    typed: dict[str, Any],
) -> Any:
    def draw(errors: dict[str, str], status: int) -> Response:
        context = _work_context(session, actor, code, body, errors={form: errors}, typed=typed)
        return render(request, "enrollment/work.html", context, status_code=status)

    return draw


@router.post("/enrollment/{code}/applications", response_class=HTMLResponse)
def apply(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    name: Text = "",
    body: Text = "",
    received_on: Text = "",
    ref: Text = "",
    registry_id: Text = "",
    attribute: Texts = [],  # noqa: B006 - FastAPI copies the default
    value: Texts = [],  # noqa: B006
) -> Response:
    """Record one person's application; refused naming the condition that failed."""
    given = {a: v for a, v in zip(attribute, value, strict=False) if v.strip()}

    def change() -> Any:
        return service.apply(
            session,
            campaign_code=code,
            body_code=body.strip(),
            received_on=parse_date("received_on", received_on),
            applicant=Applicant(
                name=name, attributes=given, ref=ref.strip() or None, registry_id=registry_id
            ),
            actor=actor,
        )

    typed = {
        "name": name,
        "body": body,
        "received_on": received_on,
        "ref": ref,
        "registry_id": registry_id,
        "values": given,
    }
    return submit(
        session,
        change,
        lambda made: _see_other(f"/enrollment/{code}/applications/{made.ref}"),
        _work_again(request, session, actor, code, body.strip(), "apply", typed),
    )


@router.post("/enrollment/{code}/meetings", response_class=HTMLResponse)
def hold_meeting(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    body: Text = "",
    held_on: Text = "",
    kind: Text = OPEN_MEETING,
    members_present: Text = "",
    non_party_present: Text = "0",
    workplace: Text = "",
    application: Texts = [],  # noqa: B006
    votes_for: Texts = [],  # noqa: B006
    votes_against: Texts = [],  # noqa: B006
    abstained: Texts = [],  # noqa: B006
    reason: Texts = [],  # noqa: B006
) -> Response:
    """A meeting, its attendance and the votes it took on the listed applications: all
    recorded, or none. An application whose vote is left empty is not voted on."""
    rows = list(zip(application, votes_for, votes_against, abstained, reason, strict=False))

    def change() -> Any:
        held = meetings.hold_meeting(
            session,
            campaign_code=code,
            body_code=body.strip(),
            held_on=parse_date("held_on", held_on),
            kind=kind,
            members_present=_count("members_present", members_present),
            non_party_present=_count("non_party_present", non_party_present),
            workplace=workplace.strip() or None,
            actor=actor,
        )
        for ref, yes, no, abstain, why in rows:
            if not (yes.strip() or no.strip()):
                continue
            decisions.vote(
                session,
                meeting_id=held.id,
                ref=ref,
                votes_for=_count(f"votes_for[{ref}]", yes),
                votes_against=_count(f"votes_against[{ref}]", no),
                abstained=whole_number(f"abstained[{ref}]", abstain) or 0,
                reason=why,
                actor=actor,
            )
        return held

    typed = {"body": body, "held_on": held_on, "members_present": members_present}
    return submit(
        session,
        change,
        f"/enrollment/{code}/work?body={body.strip()}",
        _work_again(request, session, actor, code, body.strip(), "meeting", typed),
    )


# One application ----------------------------------------------------------------------


@router.get("/enrollment/{code}/applications/{ref}", response_class=HTMLResponse)
def application_page(
    code: str, ref: str, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """An application: the applicant, recommendations, votes, the candidate stage."""
    return render(
        request, "enrollment/application.html", _application_context(session, actor, code, ref)
    )


def _application_context(
    session: Session,
    actor: Actor,
    code: str,
    ref: str,
    errors: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    found = service.view(session, campaign_code=code, ref=ref, actor=actor)
    return {
        "campaign": campaigns.get_or_raise(session, code),
        "a": reads.application(session, found),
        "may_change": access.may_change_body(session, actor, found.body_id),
        "errors": errors or {},
        "today": date.today().isoformat(),
    }


def _application_again(
    request: Request, session: Session, actor: Actor, code: str, ref: str, form: str
) -> Any:
    def draw(errors: dict[str, str], status: int) -> Response:
        context = _application_context(session, actor, code, ref, {form: errors})
        return render(request, "enrollment/application.html", context, status_code=status)

    return draw


@router.post("/enrollment/{code}/applications/{ref}/recommend", response_class=HTMLResponse)
def recommend(
    code: str,
    ref: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    recommender: Text = "",
    given_on: Text = "",
) -> Response:
    """A member in good standing recommends the applicant."""
    return submit(
        session,
        lambda: recommendations.recommend(
            session,
            campaign_code=code,
            ref=ref,
            recommender_id=recommender.strip(),
            given_on=parse_date("given_on", given_on),
            actor=actor,
        ),
        f"/enrollment/{code}/applications/{ref}",
        _application_again(request, session, actor, code, ref, "recommend"),
    )


@router.post("/enrollment/{code}/applications/{ref}/stage", response_class=HTMLResponse)
def review_stage(
    code: str,
    ref: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    outcome: Text = "",
    on: Text = "",
    months: Text = "",
    note: Text = "",
) -> Response:
    """Confirm, extend or refuse a candidate at the end of the stage."""
    return submit(
        session,
        lambda: stage.review(
            session,
            campaign_code=code,
            ref=ref,
            outcome=outcome,
            on=parse_date("on", on),
            months=whole_number("months", months),
            note=note.strip() or None,
            actor=actor,
        ),
        f"/enrollment/{code}/applications/{ref}",
        _application_again(request, session, actor, code, ref, "stage"),
    )


def _see_other(address: str) -> Response:
    return RedirectResponse(address, status_code=303)
