"""A call-up in one command ends exactly as apportion, select and assign run one by one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.audit import AuditEntry
from orgburo.bodies.models import Body
from orgburo.errors import Invalid
from orgburo.generate import service as generator
from orgburo.mobilizations import assignment, catalogs, decrees, quotas, selection
from orgburo.mobilizations.call_up import call_up
from orgburo.mobilizations.models import Entry, FitClassRow, Quota
from orgburo.mobilizations.specs import DecreeSpec, QuotaSpec, RoleLineSpec, SubQuotaSpec

from .helpers import AFTER, organization, quota, snapshot, spec

ON = date(1924, 6, 1)
STEPS = ("mobilization.apportioned", "mobilization.proposed", "mobilization.assigned")
REQUIREMENTS = ("", "red_army", "red_army and trade_union", "age <= 35", "party_schooling")


def generated_decree(session: Session, total: int) -> None:
    """A generated organization and a decree of its root with a sub-quota, criteria, an
    exemption and role lines whose requirements differ and repeat."""
    generator.generate(session, members=3_000, bodies=40, seed=3, actor=SYSTEM)
    catalogs.add_destination(session, code="FRONT", name="Front", kind="front", actor=SYSTEM)
    for i in range(8):
        catalogs.add_role(session, code=f"R{i}", name=f"Role {i}", actor=SYSTEM)
    root = session.scalar(select(Body.code).where(Body.parent_id.is_(None)))
    decrees.issue(
        session,
        spec=DecreeSpec(
            code="G1",
            title="Call-up",
            issuing_body=root or "",
            issued_on=ON,
            basis="mass",
            destination="FRONT",
            quota=QuotaSpec(
                total=total, subquotas=(SubQuotaSpec("responsible", "responsible_position", 9),)
            ),
            term="temporary",
            term_months=4,
            criteria='sex == "male"',
            exemptions="age > 60",
            roles=tuple(
                RoleLineSpec(f"R{i}", 3 + i, requirement=REQUIREMENTS[i % len(REQUIREMENTS)])
                for i in range(8)
            ),
        ),
        actor=SYSTEM,
    )


def outcome(session: Session, code: str) -> dict[str, Any]:
    """Everything the steps write for a decree, without the ids the store hands out."""
    session.flush()
    decree = decrees.get_or_raise(session, code)
    quota_rows = select(
        Quota.body_id,
        Quota.subquota_id,
        Quota.demanded,
        Quota.own_demanded,
        Quota.eligible,
        Quota.own_eligible,
        Quota.shortfall,
    ).where(Quota.decree_id == decree.id)
    entries = (
        select(
            Entry.person_id,
            Entry.body_id,
            Entry.subquota_id,
            Entry.status,
            Entry.rank,
            Entry.score,
            Entry.score_roles,
            Entry.score_standing,
            Entry.score_training,
            Entry.score_age,
            Entry.role_line_id,
            Entry.fit,
            FitClassRow.key,
        )
        .outerjoin(FitClassRow, FitClassRow.id == Entry.fit_class_id)
        .where(Entry.decree_id == decree.id)
    )
    classes = select(FitClassRow.key, FitClassRow.size).where(FitClassRow.decree_id == decree.id)
    actions = select(AuditEntry.action).where(AuditEntry.action.in_(STEPS))
    return {
        "quotas": sorted(session.execute(quota_rows).all(), key=lambda r: (r[0], r[1] or 0)),
        "entries": sorted(session.execute(entries).all(), key=lambda r: r[0]),
        "classes": sorted(tuple(r) for r in session.execute(classes)),
        "method": (decree.method, decree.floor, decree.shortfall_accepted),
        "actions": sorted(session.scalars(actions)),
    }


def step_by_step(session: Session, code: str, on: date, **apportioning: Any) -> dict[str, Any]:
    """The three commands' outcome, taken back afterwards."""
    with session.begin_nested() as steps:
        quotas.apportion(session, code=code, actor=SYSTEM, **apportioning)
        selection.propose(session, code=code, on=on, actor=SYSTEM)
        assignment.assign(session, code=code, actor=SYSTEM)
        done = outcome(session, code)
        steps.rollback()
    session.expire_all()
    return done


def test_a_call_up_of_a_generated_organization_ends_as_the_three_steps_do(
    session: Session,
) -> None:
    generated_decree(session, total=120)
    expected = step_by_step(session, "G1", ON, accept_shortfall=True)
    called = call_up(session, code="G1", on=ON, actor=SYSTEM, accept_shortfall=True)
    assert outcome(session, "G1") == expected
    assert len(expected["entries"]) == called.proposed.proposed > 0
    assert called.assigned is not None
    assert called.assigned.assigned == sum(1 for e in expected["entries"] if e.role_line_id)
    assert called.apportioned.demanded == 120


def test_a_call_up_of_the_small_organization_ends_as_the_three_steps_do(
    session: Session,
) -> None:
    organization(session)
    decrees.issue(session, spec=spec(), actor=SYSTEM)
    expected = step_by_step(session, "D1", AFTER)
    called = call_up(session, code="D1", on=AFTER, actor=SYSTEM)
    assert outcome(session, "D1") == expected
    assert expected["actions"] == sorted(STEPS)
    assert (called.proposed.proposed, dict(called.proposed.by_subquota)) == (6, {"responsible": 2})


def test_a_decree_without_role_lines_is_apportioned_and_selected_only(session: Session) -> None:
    organization(session)
    decrees.issue(session, spec=spec(roles=()), actor=SYSTEM)
    called = call_up(session, code="D1", on=AFTER, actor=SYSTEM)
    assert called.assigned is None
    assert called.proposed.proposed == 6


def test_a_quota_larger_than_the_pool_is_refused_and_nothing_is_written(
    session: Session,
) -> None:
    organization(session)
    decrees.issue(session, spec=spec(quota=quota(total=50)), actor=SYSTEM)
    before = snapshot(session)
    with pytest.raises(Invalid) as refused:
        call_up(session, code="D1", on=AFTER, actor=SYSTEM)
    assert refused.value.problems[0].field == "quota"
    assert "short" in refused.value.problems[0].reason
    assert snapshot(session) == before


def test_a_decree_already_selected_cannot_be_called_up_again(session: Session) -> None:
    organization(session)
    decrees.issue(session, spec=spec(), actor=SYSTEM)
    call_up(session, code="D1", on=AFTER, actor=SYSTEM)
    with pytest.raises(Exception, match="has proposals already"):
        call_up(session, code="D1", on=AFTER, actor=SYSTEM)
