"""Proclaiming campaigns and reading them back, with their rules compiled and checked.

Every rule of a campaign (eligibility and each group) is parsed and checked against the
attribute catalog when the campaign is created, so a misspelt name or a wrong type is
refused then, not when the first applicant arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.core.attributes import INTEGER, Attribute
from orgburo.core.rules import Rule, Value, compile_rule
from orgburo.core.tree import check_code
from orgburo.errors import Conflict, Invalid, NotFound, Problem
from orgburo.members.attributes import catalog

from .models import Campaign, CampaignGroup

AGE = Attribute("age", INTEGER, core=False, label="Age on the application date (by calendar year)")
LIMITS = {
    "recommenders_required": (0, 10),
    "recommender_standing_months": (0, 600),
    "candidate_stage_months": (0, 60),
}


@dataclass(frozen=True)
class GroupSpec:
    """A group of applicants: a rule, and a target, a ceiling (a quota) or a priority."""

    name: str
    rule: str
    target: int | None = None
    ceiling: bool = False
    priority: bool = False


@dataclass(frozen=True)
class CampaignSpec:
    """Everything a campaign is proclaimed with."""

    code: str
    name: str
    body_code: str
    opens_on: date
    closes_on: date
    eligibility: str = ""
    groups: Sequence[GroupSpec] = field(default_factory=tuple)
    recommenders_required: int = 2
    recommender_standing_months: int = 12
    workers_meeting_allowed: bool = True
    candidate_stage_months: int = 6


@dataclass(frozen=True)
class Rules:
    """A campaign's rules, compiled: eligibility and each group's, in the groups' order."""

    eligibility: Rule
    groups: tuple[tuple[CampaignGroup, Rule], ...]


def rule_catalog(session: Session) -> dict[str, Attribute]:
    """The names campaign rules may use: every member attribute, and `age`."""
    return {**catalog(session), AGE.name: AGE}


def applicant_values(values: Mapping[str, Value], received_on: date) -> dict[str, Value]:
    """An applicant's attributes with `age` on the application date added."""
    born = values.get("birth_year")
    age = received_on.year - born if isinstance(born, int) and not isinstance(born, bool) else None
    return {**values, AGE.name: age}


def get(session: Session, code: str) -> Campaign | None:
    """The campaign with this code, if any."""
    return session.scalar(select(Campaign).where(Campaign.code == code))


def get_or_raise(session: Session, code: str, field: str = "campaign") -> Campaign:
    """The campaign with this code, or NotFound naming the field."""
    campaign = get(session, code)
    if campaign is None:
        raise NotFound(f"{field}: no campaign has the code {code!r}")
    return campaign


def view(session: Session, *, code: str, actor: Actor) -> Campaign:
    """The campaign with this code, for `actor` to read: it reaches into their bodies."""
    campaign = get_or_raise(session, code)
    access.require_read_reach(session, actor, body_of(session, campaign), "campaign")
    return campaign


def to_change(session: Session, *, code: str, actor: Actor) -> Campaign:
    """The campaign with this code, for `actor` to act on as a whole (imports): they may
    change the proclaiming body."""
    campaign = get_or_raise(session, code)
    access.require_change_body(session, actor, body_of(session, campaign), "campaign")
    return campaign


def list_campaigns(session: Session, *, actor: Actor) -> Sequence[Campaign]:
    """Every campaign reaching into the actor's bodies, the latest opening first."""
    found = session.scalars(select(Campaign).order_by(Campaign.opens_on.desc(), Campaign.code))
    return [c for c in found if access.may_read_reach(session, actor, c.body_id)]


def groups(session: Session, campaign: Campaign) -> Sequence[CampaignGroup]:
    """The campaign's groups in the order they were proclaimed."""
    query = select(CampaignGroup).where(CampaignGroup.campaign_id == campaign.id)
    return session.scalars(query.order_by(CampaignGroup.position)).all()


def rules(session: Session, campaign: Campaign) -> Rules:
    """The campaign's rules, compiled against today's catalog."""
    known = rule_catalog(session)
    return Rules(
        compile_rule(campaign.eligibility, known, field="eligibility"),
        tuple(
            (g, compile_rule(g.rule, known, field=f"group {g.name}"))
            for g in groups(session, campaign)
        ),
    )


def body_of(session: Session, campaign: Campaign) -> Body:
    """The body that proclaimed the campaign."""
    return session.get_one(Body, campaign.body_id)


def create(session: Session, *, spec: CampaignSpec, actor: Actor) -> Campaign:
    """Proclaim a campaign; every rule is checked now, and every problem reported at once."""
    body = bodies.get_or_raise(session, spec.body_code)
    access.require_change_body(session, actor, body)
    problems = _problems(session, spec, body)
    if problems:
        raise Invalid(problems)
    if get(session, spec.code) is not None:
        raise Conflict(f"code: a campaign with the code {spec.code!r} already exists")
    campaign = Campaign(
        code=spec.code,
        name=spec.name.strip(),
        body_id=body.id,
        opens_on=spec.opens_on,
        closes_on=spec.closes_on,
        eligibility=spec.eligibility.strip(),
        recommenders_required=spec.recommenders_required,
        recommender_standing_months=spec.recommender_standing_months,
        workers_meeting_allowed=spec.workers_meeting_allowed,
        candidate_stage_months=spec.candidate_stage_months,
    )
    session.add(campaign)
    session.flush()
    _add_groups(session, campaign, spec.groups)
    audit.record(
        session,
        actor=actor,
        action="enrollment.campaign_created",
        target=("campaign", campaign.code),
        after=describe(session, campaign),
        body_id=body.id,
    )
    return campaign


def _add_groups(session: Session, campaign: Campaign, specs: Sequence[GroupSpec]) -> None:
    for position, group in enumerate(specs):
        session.add(
            CampaignGroup(
                campaign_id=campaign.id,
                position=position,
                name=group.name.strip(),
                rule=group.rule.strip(),
                target=group.target,
                ceiling=group.ceiling,
                priority=group.priority,
            )
        )
    session.flush()


def _problems(session: Session, spec: CampaignSpec, body: Body) -> list[Problem]:
    problems = _caught(lambda: check_code(spec.code))
    if not spec.name.strip():
        problems.append(Problem("name", "must not be empty"))
    problems += _period_problems(spec, body)
    for name, (low, high) in LIMITS.items():
        value = getattr(spec, name)
        if not low <= value <= high:
            problems.append(Problem(name, f"{value} is not between {low} and {high}"))
    known = rule_catalog(session)
    problems += _caught(lambda: compile_rule(spec.eligibility, known, field="eligibility"))
    for i, group in enumerate(spec.groups):
        problems += _group_problems(group, i, known)
    names = [g.name.strip() for g in spec.groups]
    problems += [
        Problem("groups", f"the name {n!r} is used twice")
        for n in sorted({n for n in names if names.count(n) > 1})
    ]
    return problems


def _period_problems(spec: CampaignSpec, body: Body) -> list[Problem]:
    problems = []
    if spec.closes_on < spec.opens_on:
        problems.append(
            Problem("closes_on", f"{spec.closes_on} is before the opening {spec.opens_on}")
        )
    if spec.opens_on < body.opened_on:
        problems.append(
            Problem(
                "opens_on", f"{spec.opens_on} is before {body.code!r} opened ({body.opened_on})"
            )
        )
    if body.closed_on is not None and body.closed_on <= spec.opens_on:
        problems.append(Problem("body", f"{body.code!r} was closed on {body.closed_on}"))
    return problems


def _group_problems(group: GroupSpec, i: int, known: dict[str, Attribute]) -> list[Problem]:
    where = f"groups[{i}]"
    problems = _caught(lambda: compile_rule(group.rule, known, field=f"{where}.rule"))
    if not group.name.strip() or len(group.name) > 100:
        problems.append(Problem(f"{where}.name", "must be 1 to 100 characters"))
    if not group.rule.strip():
        problems.append(
            Problem(f"{where}.rule", "must not be empty; a group is defined by its rule")
        )
    if group.target is not None and group.target < 1:
        problems.append(Problem(f"{where}.target", f"{group.target} is not a positive number"))
    if group.ceiling and group.target is None:
        problems.append(Problem(f"{where}.ceiling", "a ceiling needs a target number"))
    return problems


def _caught(check: Callable[[], object]) -> list[Problem]:
    try:
        check()
    except Invalid as error:
        return list(error.problems)
    return []


def describe(session: Session, campaign: Campaign) -> dict[str, Any]:
    """The campaign as the audit trail records it."""
    return {
        "code": campaign.code,
        "name": campaign.name,
        "body": body_of(session, campaign).code,
        "opens_on": campaign.opens_on,
        "closes_on": campaign.closes_on,
        "eligibility": campaign.eligibility,
        "groups": [
            {
                "name": g.name,
                "rule": g.rule,
                "target": g.target,
                "ceiling": g.ceiling,
                "priority": g.priority,
            }
            for g in groups(session, campaign)
        ],
        "recommenders_required": campaign.recommenders_required,
        "recommender_standing_months": campaign.recommender_standing_months,
        "workers_meeting_allowed": campaign.workers_meeting_allowed,
        "candidate_stage_months": campaign.candidate_stage_months,
    }
