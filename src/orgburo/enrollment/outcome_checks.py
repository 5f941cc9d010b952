"""The checks of an outcomes import that decide whether its admissions may stand:
quorum of each open meeting, recommendations (or a supporting workers' meeting), group
ceilings, and applicants who became members meanwhile. They run in SQL over the staged
file (`outcome_staging`), once every row is known to name an undecided application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Subquery,
    Table,
    and_,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
)

from orgburo.bodies.models import Body, BodyLink
from orgburo.errors import Problem
from orgburo.members.models import Membership, Person

from .columns import analyze, temporary
from .models import (
    ADMITTED,
    OPEN_MEETING,
    WORKERS_MEETING,
    Application,
    CampaignGroup,
    GroupMatch,
    Meeting,
    Recommendation,
    Vote,
)

if TYPE_CHECKING:
    from .outcome_staging import OutcomeStaging


def problems(staging: OutcomeStaging, limit: int) -> list[Problem]:
    """Quorum, recommendations, ceilings and membership problems, each up to `limit`."""
    found = quorum(staging, limit) + recommended(staging, limit) + ceilings(staging, limit)
    return found + members(staging, limit)


def open_meetings(staging: OutcomeStaging) -> Table:
    """Each open meeting of the file with its full members on the roll that day, counted
    once into a table of its own."""
    if staging.rolls is None:
        columns: list[Column[Any]] = [
            Column(n, t())
            for n, t in (
                ("body_id", BigInteger),
                ("held", Date),
                ("present", BigInteger),
                ("on_roll", BigInteger),
            )
        ]
        staging.rolls = temporary(staging.session, f"{staging.table.name}_rolls", columns)
        counted = select(_rolls(staging))
        staging.session.execute(
            insert(staging.rolls).from_select([c.name for c in columns], counted)
        )
        analyze(staging.session, staging.rolls)
    return staging.rolls


def _rolls(staging: OutcomeStaging) -> Subquery:
    s = staging.s
    held = (
        select(s.body_id, s.held, func.min(s.present).label("present"))
        .where(staging.fresh(OPEN_MEETING))
        .group_by(s.body_id, s.held)
        .subquery()
    )
    covered = and_(
        Membership.body_id == BodyLink.descendant_id,
        Membership.status == "full",
        Membership.started_on <= held.c.held,
        or_(Membership.ended_on.is_(None), Membership.ended_on > held.c.held),
    )
    return (
        select(
            held.c.body_id,
            held.c.held,
            held.c.present,
            func.count(Membership.id).label("on_roll"),
        )
        .join(
            BodyLink,
            and_(
                BodyLink.ancestor_id == held.c.body_id,
                BodyLink.valid_from <= held.c.held,
                or_(BodyLink.valid_to.is_(None), BodyLink.valid_to > held.c.held),
            ),
        )
        .outerjoin(Membership, covered)
        .group_by(held.c.body_id, held.c.held, held.c.present)
        .subquery()
    )


def quorum(staging: OutcomeStaging, limit: int) -> list[Problem]:
    m = open_meetings(staging)
    short = or_(m.c.on_roll == 0, m.c.present > m.c.on_roll, m.c.present * 2 <= m.c.on_roll)
    s = staging.s
    query = (
        select(s.row, Body.code, m.c.present, m.c.on_roll)
        .join(m, and_(m.c.body_id == s.body_id, m.c.held == s.held))
        .join(Body, Body.id == s.body_id)
        .where(staging.fresh(OPEN_MEETING), short)
        .order_by(s.row)
        .limit(limit)
    )
    return [
        Problem(*_quorum_problem(code, present, on_roll), row)
        for row, code, present, on_roll in staging.session.execute(query)
    ]


def recommended(staging: OutcomeStaging, limit: int) -> list[Problem]:
    s = staging.s
    required = staging.campaign.recommenders_required
    counted = (
        select(s.row, s.ref, func.count(Recommendation.id).label("given"))
        .outerjoin(
            Recommendation,
            and_(Recommendation.application_id == s.app_id, Recommendation.given_on <= s.held),
        )
        .where(staging.fresh(OPEN_MEETING), s.carried)
        .group_by(s.row, s.ref)
        .having(func.count(Recommendation.id) < required)
        .subquery()
    )
    unsupported = select(counted).where(~supported(staging, counted.c.row))
    query = unsupported.order_by(counted.c.row).limit(limit)
    fallback = (
        " and no workers' general meeting supported it"
        if staging.campaign.workers_meeting_allowed
        else ""
    )
    return [
        Problem("ref", f"{ref!r} has {n} of the {required} recommendations required{fallback}", row)
        for row, ref, n in staging.session.execute(query)
    ]


def supported(staging: OutcomeStaging, row: Any) -> Any:
    """Whether a workers' general meeting (stored, or in the file) supported the row's
    applicant by the row's date."""
    if not staging.campaign.workers_meeting_allowed:
        return literal(False)
    decided, workers = staging.table.alias("decided"), staging.table.alias("workers")
    s, w = decided.c, workers.c
    in_store = (
        select(s.row)
        .join(Vote, and_(Vote.application_id == s.app_id, Vote.kind == WORKERS_MEETING))
        .join(Meeting, Meeting.id == Vote.meeting_id)
        .where(Vote.carried, Meeting.held_on <= s.held)
    )
    in_file = (
        select(s.row)
        .join(workers, and_(w.app_id == s.app_id, w.kind == WORKERS_MEETING))
        .where(w.carried, w.held <= s.held)
    )
    return row.in_(in_store.union(in_file))


def ceilings(staging: OutcomeStaging, limit: int) -> list[Problem]:
    found: list[Problem] = []
    groups = staging.session.scalars(
        select(CampaignGroup).where(
            CampaignGroup.campaign_id == staging.campaign.id, CampaignGroup.ceiling
        )
    )
    for group in groups:
        found += ceiling(staging, group, limit)
    return found


def ceiling(staging: OutcomeStaging, group: CampaignGroup, limit: int) -> list[Problem]:
    s = staging.s
    admitted = (
        select(func.count())
        .select_from(GroupMatch)
        .join(Application, Application.id == GroupMatch.application_id)
        .where(GroupMatch.group_id == group.id, Application.status == ADMITTED)
    )
    already = staging.session.scalar(admitted) or 0
    ranked = (
        select(s.row, s.ref, func.row_number().over(order_by=(s.held, s.row)).label("n"))
        .join(
            GroupMatch,
            and_(GroupMatch.application_id == s.app_id, GroupMatch.group_id == group.id),
        )
        .where(staging.fresh(OPEN_MEETING), s.carried)
        .subquery()
    )
    over = (
        select(ranked.c.row, ranked.c.ref)
        .where(ranked.c.n + already > (group.target or 0))
        .order_by(ranked.c.row)
        .limit(limit)
    )
    return [
        Problem(
            "ref",
            f"admitting {ref!r} would exceed the ceiling of group {group.name!r} ({group.target})",
            row,
        )
        for row, ref in staging.session.execute(over)
    ]


def members(staging: OutcomeStaging, limit: int) -> list[Problem]:
    s = staging.s
    current = exists().where(Membership.person_id == Person.id, Membership.ended_on.is_(None))
    query = (
        select(s.row, s.ref, Person.external_id)
        .join(Person, Person.external_id == s.registry)
        .where(
            staging.fresh(OPEN_MEETING),
            s.carried,
            s.known_person,
            or_(current, Person.died_on.is_not(None)),
        )
        .order_by(s.row)
        .limit(limit)
    )
    return [
        Problem("ref", f"{ref!r} cannot be admitted: {rid!r} is a member already, or died", row)
        for row, ref, rid in staging.session.execute(query)
    ]


def _quorum_problem(code: str, present: int, on_roll: int) -> tuple[str, str]:
    if on_roll == 0:
        return "body", f"{code!r} has no full members to hold a meeting"
    if present > on_roll:
        return "present", f"{present} present, but {code!r} has only {on_roll} full members"
    return "present", f"{present} of {on_roll} full members present; a quorum is {on_roll // 2 + 1}"
