"""Proposing members: the database's ranking agrees with the plain statement in the core."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.bodies import service as bodies
from orgburo.core.rules import compile_rule
from orgburo.core.selection import Candidate, propose, score_parts
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members
from orgburo.members.models import Membership, Person
from orgburo.mobilizations import decrees, quotas, reads, selection, swaps, tracking
from orgburo.mobilizations.criteria import rule_catalog
from orgburo.mobilizations.models import Entry, Quota
from orgburo.mobilizations.pool import pool_of

from .helpers import AFTER, ISSUED, PEOPLE, organization, quota, snapshot, spec


def proposed(session: Session, code: str = "D1") -> dict[str, str | None]:
    return {
        r.id: r.subquota
        for r in reads.entries(session, code=code, actor=SYSTEM)
        if r.status == "proposed"
    }


def called_up(session: Session, **changes: object) -> None:
    organization(session)
    decrees.issue(session, spec=spec(**changes), actor=SYSTEM)
    quotas.apportion(session, code="D1", actor=SYSTEM)
    selection.propose(session, code="D1", on=AFTER, actor=SYSTEM)


def oracle(session: Session, cell: str) -> list[tuple[str, str | None]]:
    """The core's `propose` over the cell's members, with scores computed in Python."""
    known = rule_catalog(session)
    criteria = compile_rule('sex == "male"', known)
    responsible = compile_rule("responsible_position", known)
    lines = [compile_rule("red_army and responsible_position", known), compile_rule("", known)]
    decree = decrees.get_or_raise(session, "D1")
    body = bodies.get_or_raise(session, cell)
    rows = select(Quota).where(Quota.decree_id == decree.id, Quota.body_id == body.id)
    quota_of = {q.subquota_id: q.own_demanded for q in session.scalars(rows)}
    people = []
    for external_id, _ in PEOPLE[cell]:
        person = members.get_or_raise(session, external_id)
        values = reads.person_values(person, ISSUED.year)
        if not criteria.evaluate(values).passed:
            continue
        spell = session.scalar(select(Membership).where(Membership.person_id == person.id))
        parts = score_parts(
            roles_met=sum(rule.evaluate(values).passed for rule in lines),
            started_on=spell.started_on,
            on=ISSUED,
            red_army=person.red_army,
            birth_year=person.birth_year,
        )
        people.append(Candidate(person.id, parts.total, (responsible.evaluate(values).passed,)))
    sub = next(k for k in quota_of if k is not None)
    picks = propose(people, quota_of[None], [quota_of[sub]])
    ids = {p.id: p.external_id for p in session.scalars(select(Person))}
    return sorted((ids[p.person_id], None if p.subquota is None else "responsible") for p in picks)


def test_each_body_proposes_whom_the_core_ranking_would(session: Session) -> None:
    called_up(session)
    found = proposed(session)
    for cell in PEOPLE:
        mine = sorted((i, s) for i, s in found.items() if i.startswith(cell))
        assert mine == oracle(session, cell)


def test_the_exempt_and_those_mobilized_elsewhere_are_not_proposed(session: Session) -> None:
    called_up(session, exemptions="birth_year < 1880")
    assert "N1-d" not in proposed(session)
    tracking.move_many(session, code="D1", to="accepted", on=AFTER, actor=SYSTEM)
    decrees.issue(session, spec=spec(code="D2", quota=quota(total=1, subquotas=())), actor=SYSTEM)
    done = quotas.apportion(session, code="D2", actor=SYSTEM)
    accepted = {r.id for r in reads.entries(session, code="D1", actor=SYSTEM)}
    males = sum(1 for people in PEOPLE.values() for _, a in people if a.get("sex") != "female")
    assert done.eligible == males - len(accepted)


def test_no_member_of_an_excluded_body_is_proposed(session: Session) -> None:
    called_up(session, excluded=("NORTH",), quota=quota(total=2, subquotas=()))
    assert sorted(proposed(session)) == ["S1-a", "S1-b"]


def test_exempting_a_member_proposes_the_next_ranked_of_the_body(session: Session) -> None:
    called_up(session)
    before = proposed(session)
    victim = next(i for i, s in before.items() if i.startswith("N1") and s is None)
    with pytest.raises(Invalid, match="reason"):
        tracking.move(session, code="D1", external_id=victim, to="exempted", on=AFTER, actor=SYSTEM)
    tracking.move(
        session,
        code="D1",
        external_id=victim,
        to="exempted",
        on=AFTER,
        reason="needed at the plant",
        actor=SYSTEM,
    )
    after = proposed(session)
    assert victim not in after
    assert len([i for i in after if i.startswith("N1")]) == len(
        [i for i in before if i.startswith("N1")]
    )


def test_running_the_selection_again_changes_nothing_when_every_body_is_full(
    session: Session,
) -> None:
    called_up(session)
    before = snapshot(session)
    assert selection.propose(session, code="D1", on=AFTER, actor=SYSTEM).proposed == 0
    assert snapshot(session)["mobilization_entries"] == before["mobilization_entries"]


def test_a_swap_puts_another_eligible_member_of_the_body_in_the_place(session: Session) -> None:
    called_up(session)
    found = proposed(session)
    out = next(i for i, s in found.items() if i.startswith("N1") and s is None)
    spare = next(i for i, _ in PEOPLE["N1"] if i not in found)
    made = swaps.swap(
        session, code="D1", external_id=out, replacement_id=spare, on=AFTER, actor=SYSTEM
    )
    assert made.status == "proposed"
    assert spare in proposed(session)
    assert out not in proposed(session)
    with pytest.raises(Invalid, match="with"):
        swaps.swap(
            session, code="D1", external_id=spare, replacement_id="S1-a", on=AFTER, actor=SYSTEM
        )
    with pytest.raises(Conflict):
        swaps.swap(
            session, code="D1", external_id=out, replacement_id=spare, on=AFTER, actor=SYSTEM
        )


def test_selecting_before_apportioning_is_refused(session: Session) -> None:
    organization(session)
    decrees.issue(session, spec=spec(), actor=SYSTEM)
    with pytest.raises(Invalid, match="apportioned"):
        selection.propose(session, code="D1", on=AFTER, actor=SYSTEM)
    assert session.scalar(select(Entry.id)) is None


def test_the_quota_cannot_change_once_members_are_proposed(session: Session) -> None:
    called_up(session)
    with pytest.raises(Conflict):
        quotas.apportion(session, code="D1", actor=SYSTEM)


def test_score_parts_packed_into_one_column_come_back_as_sent_one_by_one(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    organization(session)
    decrees.issue(session, spec=spec(), actor=SYSTEM)
    quotas.apportion(session, code="D1", actor=SYSTEM)
    pool = pool_of(session, decrees.get_or_raise(session, "D1"))
    packing = selection.Packing.of(pool)
    assert packing is not None
    assert [name for name, _ in packing.fields][-1] == "s0"
    packed = selection.read_scored(session, pool, with_room=True)
    monkeypatch.setattr(selection.Packing, "of", staticmethod(lambda pool: None))
    apart = selection.read_scored(session, pool, with_room=True)
    assert set(apart.columns) == set(packed.columns)
    order = np.argsort(apart.columns["person_id"])
    again = np.argsort(packed.columns["person_id"])
    for name, values in apart.columns.items():
        assert values[order].tolist() == packed.columns[name][again].tolist(), name
    assert apart.total[order].tolist() == packed.total[again].tolist()
    assert apart.meets[order].tolist() == packed.meets[again].tolist()
