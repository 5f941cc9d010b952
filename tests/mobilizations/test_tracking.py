"""Moving members through their statuses: history, audit, bulk paths and double dispatch."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.audit import AuditEntry
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members
from orgburo.members.history import history
from orgburo.mobilizations import assignment, decrees, quotas, reads, selection, tracking

from .helpers import AFTER, organization, quota, snapshot, spec

LATER = date(1920, 5, 10)


def ready(session: Session, code: str = "D1", **changes: object) -> list[str]:
    """A decree proposed, accepted, assigned and ordered; returns who was ordered."""
    decrees.issue(session, spec=spec(code=code, **changes), actor=SYSTEM)
    quotas.apportion(session, code=code, actor=SYSTEM)
    selection.propose(session, code=code, on=AFTER, actor=SYSTEM)
    tracking.move_many(session, code=code, to="accepted", on=AFTER, actor=SYSTEM)
    assignment.assign(session, code=code, actor=SYSTEM)
    tracking.move_many(session, code=code, to="ordered", on=AFTER, actor=SYSTEM)
    return [r.id for r in reads.entries(session, code=code, actor=SYSTEM)]


def test_each_move_appears_in_the_members_history(session: Session) -> None:
    organization(session)
    ordered = ready(session)
    person = members.get_or_raise(session, ordered[0])
    tracking.move(
        session, code="D1", external_id=ordered[0], to="dispatched", on=LATER, actor=SYSTEM
    )
    kinds = [(e.kind, e.detail) for e in history(session, person, actor=SYSTEM)]
    assert [k for k, _ in kinds if k.startswith("mobilization.")] == [
        "mobilization.accepted",
        "mobilization.ordered",
        "mobilization.dispatched",
    ]
    entry = next(r for r in reads.entries(session, code="D1", actor=SYSTEM) if r.id == ordered[0])
    assert kinds[-1][1].startswith("decree D1: ")
    assert (entry.status, entry.status_on) == ("dispatched", LATER)


def test_a_bulk_move_writes_one_audit_row(session: Session) -> None:
    organization(session)
    ready(session)
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    done = tracking.move_many(
        session, code="D1", to="dispatched", on=LATER, body_code="NORTH", actor=SYSTEM
    )
    after = session.scalar(select(func.count()).select_from(AuditEntry))
    assert done.moved == len(
        list(reads.entries(session, code="D1", body_code="NORTH", actor=SYSTEM))
    )
    assert after == (before or 0) + 1


def test_dispatching_twice_is_a_conflict_and_changes_nothing(session: Session) -> None:
    organization(session)
    first = ready(session)
    tracking.move_many(session, code="D1", to="dispatched", on=LATER, actor=SYSTEM)
    tracking.move_many(session, code="D1", to="arrived", on=LATER, actor=SYSTEM)
    # A second decree that proposed the same member before the first took them away.
    decrees.issue(
        session, spec=spec(code="D2", quota=quota(total=1, subquotas=()), roles=()), actor=SYSTEM
    )
    quotas.apportion(session, code="D2", actor=SYSTEM, accept_shortfall=True)
    entry = _force_entry(session, "D2", first[0])
    before = snapshot(session)
    with pytest.raises(Conflict, match="already dispatched"):
        tracking.move(
            session, code="D2", external_id=first[0], to="dispatched", on=LATER, actor=SYSTEM
        )
    with pytest.raises(Conflict, match="already dispatched"):
        tracking.move_many(session, code="D2", to="dispatched", on=LATER, actor=SYSTEM)
    assert snapshot(session) == before
    assert entry.status == "ordered"


def _force_entry(session: Session, code: str, external_id: str):  # type: ignore[no-untyped-def]
    from orgburo.mobilizations.models import Entry

    decree = decrees.get_or_raise(session, code)
    person = members.get_or_raise(session, external_id)
    spell = members.current_spell(session, person)
    assert spell is not None
    entry = Entry(
        decree_id=decree.id,
        person_id=person.id,
        body_id=spell.body_id,
        status="ordered",
        rank=1,
        score=0,
        score_roles=0,
        score_standing=0,
        score_training=0,
        score_age=0,
        proposed_on=AFTER,
        status_on=AFTER,
    )
    session.add(entry)
    session.flush()
    return entry


def test_a_file_of_members_is_moved_all_or_nothing(session: Session, tmp_path: Path) -> None:
    organization(session)
    ordered = ready(session)
    before = snapshot(session)
    with pytest.raises(Invalid) as caught:
        tracking.move_many(
            session,
            code="D1",
            to="dispatched",
            on=LATER,
            actor=SYSTEM,
            external_ids=[ordered[0], "NOBODY", ordered[1]],
        )
    assert [(p.field, p.row) for p in caught.value.problems] == [("id", 2)]
    assert snapshot(session) == before
    done = tracking.move_many(
        session, code="D1", to="dispatched", on=LATER, actor=SYSTEM, external_ids=ordered[:2]
    )
    assert done.moved == 2


def test_a_move_out_of_order_is_a_conflict(session: Session) -> None:
    organization(session)
    ordered = ready(session)
    with pytest.raises(Conflict, match="only dispatched members can be arrived"):
        tracking.move(
            session, code="D1", external_id=ordered[0], to="arrived", on=LATER, actor=SYSTEM
        )
    with pytest.raises(Invalid, match="before the last change"):
        tracking.move(
            session,
            code="D1",
            external_id=ordered[0],
            to="dispatched",
            on=date(1920, 4, 1),
            actor=SYSTEM,
        )
