"""A campaign's figures: applications, admissions, refusals and why, progress against the
groups' targets by week and by body, the candidate stage, and the composition of the
proclaiming body's subtree before and after (counted by the census, not by this module).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.census import service as census
from orgburo.core.census import CompositionChange
from orgburo.core.enrollment import week_of, week_start

from . import campaigns
from .models import (
    ADMITTED,
    APPLICATION_STATUSES,
    EXTENDED,
    OPEN_MEETING,
    PENDING,
    REFUSED,
    Application,
    Campaign,
    GroupMatch,
    StageReview,
    Vote,
)


@dataclass(frozen=True)
class GroupProgress:
    """A group's applications and admissions against its target."""

    name: str
    rule: str
    target: int | None
    ceiling: bool
    priority: bool
    counts: dict[str, int]

    @property
    def admitted(self) -> int:
        """Admitted so far."""
        return self.counts.get(ADMITTED, 0)

    @property
    def progress(self) -> Fraction | None:
        """Admitted as a share of the target (None without a target)."""
        return Fraction(self.admitted, self.target) if self.target else None


@dataclass(frozen=True)
class Week:
    """One campaign week: what came in and what was decided, and admissions so far."""

    number: int
    starts_on: date
    applied: int
    admitted: int
    refused: int
    admitted_so_far: dict[str, int]


@dataclass(frozen=True)
class BodyFigures:
    """Applications to a sub-body's subtree, by status."""

    code: str
    name: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Figures:
    """Everything the dashboard shows about a campaign."""

    code: str
    name: str
    body: str
    opens_on: date
    closes_on: date
    counts: dict[str, int]
    priority_counts: dict[str, int]
    refusals: list[tuple[str, int]]
    groups: list[GroupProgress]
    weeks: list[Week]
    bodies: list[BodyFigures]
    stage: dict[str, int]

    @property
    def applied(self) -> int:
        """Applications received."""
        return sum(self.counts.values())


def figures(
    session: Session, *, campaign_code: str, actor: Actor, body_code: str | None = None
) -> Figures:
    """The campaign's figures; `body_code` chooses whose sub-bodies are listed."""
    campaign = campaigns.view(session, code=campaign_code, actor=actor)
    owner = campaigns.body_of(session, campaign)
    # Campaign-wide counts are the proclaiming body's; its sub-bodies' officers list their
    # own applications instead.
    access.require_read_body(session, actor, owner)
    listed = owner if body_code is None else bodies.get_or_raise(session, body_code)
    access.require_read_body(session, actor, listed)
    return Figures(
        code=campaign.code,
        name=campaign.name,
        body=owner.code,
        opens_on=campaign.opens_on,
        closes_on=campaign.closes_on,
        counts=_by_status(session, campaign),
        priority_counts=_by_status(session, campaign, Application.priority),
        refusals=_refusals(session, campaign),
        groups=_groups(session, campaign),
        weeks=_weeks(session, campaign),
        bodies=_bodies(session, campaign, listed.code),
        stage=_stage(session, campaign),
    )


def _by_status(session: Session, campaign: Campaign, *where: object) -> dict[str, int]:
    query = (
        select(Application.status, func.count())
        .where(Application.campaign_id == campaign.id, *where)  # type: ignore[arg-type]
        .group_by(Application.status)
    )
    found: dict[str, int] = dict(session.execute(query).all())
    return {status: found.get(status, 0) for status in APPLICATION_STATUSES}


def _refusals(session: Session, campaign: Campaign) -> list[tuple[str, int]]:
    query = (
        select(Vote.reason, func.count())
        .join(Application, Application.id == Vote.application_id)
        .where(Application.campaign_id == campaign.id, Vote.kind == OPEN_MEETING, ~Vote.carried)
        .group_by(Vote.reason)
        .order_by(func.count().desc(), Vote.reason)
    )
    return [(reason or "", n) for reason, n in session.execute(query)]


def _groups(session: Session, campaign: Campaign) -> list[GroupProgress]:
    query = (
        select(GroupMatch.group_id, Application.status, func.count())
        .join(Application, Application.id == GroupMatch.application_id)
        .where(Application.campaign_id == campaign.id)
        .group_by(GroupMatch.group_id, Application.status)
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for group_id, status, n in session.execute(query):
        counts[group_id][status] = n
    return [
        GroupProgress(
            g.name,
            g.rule,
            g.target,
            g.ceiling,
            g.priority,
            {s: counts[g.id].get(s, 0) for s in APPLICATION_STATUSES},
        )
        for g in campaigns.groups(session, campaign)
    ]


def _weeks(session: Session, campaign: Campaign) -> list[Week]:
    ours = Application.campaign_id == campaign.id
    applied = Counter[int]()
    received = select(Application.received_on, func.count()).where(ours)
    for day, n in session.execute(received.group_by(Application.received_on)):
        applied[week_of(campaign.opens_on, day)] += n
    decided: dict[str, Counter[int]] = {ADMITTED: Counter(), REFUSED: Counter()}
    query = (
        select(Application.decided_on, Application.status, func.count())
        .where(ours, Application.status != PENDING)
        .group_by(Application.decided_on, Application.status)
    )
    for when, status, n in session.execute(query):
        decided[status][week_of(campaign.opens_on, when or campaign.opens_on)] += n
    last = max([week_of(campaign.opens_on, campaign.closes_on), *applied, *decided[ADMITTED]])
    by_group = _admitted_by_group_and_week(session, campaign)
    weeks, so_far = [], Counter[str]()
    for number in range(1, last + 1):
        so_far.update(by_group.get(number, {}))
        weeks.append(
            Week(
                number,
                week_start(campaign.opens_on, number),
                applied[number],
                decided[ADMITTED][number],
                decided[REFUSED][number],
                dict(so_far),
            )
        )
    return weeks


def _admitted_by_group_and_week(session: Session, campaign: Campaign) -> dict[int, Counter[str]]:
    names = {g.id: g.name for g in campaigns.groups(session, campaign)}
    query = (
        select(Application.decided_on, GroupMatch.group_id, func.count())
        .join(GroupMatch, GroupMatch.application_id == Application.id)
        .where(Application.campaign_id == campaign.id, Application.status == ADMITTED)
        .group_by(Application.decided_on, GroupMatch.group_id)
    )
    found: dict[int, Counter[str]] = defaultdict(Counter)
    for day, group_id, n in session.execute(query):
        found[week_of(campaign.opens_on, day or campaign.opens_on)][names[group_id]] += n
    return found


def _bodies(session: Session, campaign: Campaign, body_code: str) -> list[BodyFigures]:
    parent = bodies.get_or_raise(session, body_code)
    listed = [parent, *bodies.children(session, parent.id)]
    ids = [b.id for b in listed]
    query = (
        select(BodyLink.ancestor_id, Application.status, func.count())
        .join(BodyLink, BodyLink.descendant_id == Application.body_id)
        .where(
            Application.campaign_id == campaign.id,
            BodyLink.valid_to.is_(None),
            BodyLink.ancestor_id.in_(ids),
        )
        .group_by(BodyLink.ancestor_id, Application.status)
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for body_id, status, n in session.execute(query):
        counts[body_id][status] = n
    return [_body_row(b, counts[b.id]) for b in listed]


def _body_row(body: Body, counts: dict[str, int]) -> BodyFigures:
    return BodyFigures(body.code, body.name, {s: counts.get(s, 0) for s in APPLICATION_STATUSES})


def _stage(session: Session, campaign: Campaign) -> dict[str, int]:
    ours = Application.campaign_id == campaign.id
    query = (
        select(Application.stage_outcome, func.count())
        .where(ours, Application.status == ADMITTED)
        .group_by(Application.stage_outcome)
    )
    found = {outcome or "in_stage": n for outcome, n in session.execute(query)}
    extended = (
        select(func.count(func.distinct(StageReview.application_id)))
        .join(Application, Application.id == StageReview.application_id)
        .where(ours, StageReview.outcome == EXTENDED)
    )
    found[EXTENDED] = session.scalar(extended) or 0
    return found


def composition(
    session: Session, *, campaign_code: str, actor: Actor, by: Sequence[str] = ("social_situation",)
) -> CompositionChange:
    """The proclaiming body's subtree the day before the campaign opened and at its close
    (or today, while it runs), by the census."""
    campaign = campaigns.view(session, code=campaign_code, actor=actor)
    today = date.today()
    before = campaign.opens_on - timedelta(days=1) if campaign.opens_on > date.min else date.min
    before = min(before, today)
    return census.change(
        session,
        body_code=campaigns.body_of(session, campaign).code,
        by=list(by),
        start=before,
        end=max(min(campaign.closes_on, today), before),
        actor=actor,
    )
