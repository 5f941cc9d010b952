"""Congresses: delegates apportioned from the census, and the credentials check."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.congresses import delegates
from orgburo.congresses import service as congresses
from orgburo.core.apportionment import ApportionmentInput, Method, apportion
from orgburo.core.delegates import Norm
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members
from tests.election_factories import OPENS, load_chain, party
from tests.factories import member


def convene(session: Session, norm: Norm, consultative: int | None = None) -> None:
    congresses.create(
        session,
        code="X",
        name="Congress",
        kind="congress",
        body_code="ROOT",
        opens_on=OPENS,
        norm=norm,
        consultative_norm=consultative,
        actor=SYSTEM,
    )


def quotas(session: Session) -> dict[str, tuple[int, int, int, int]]:
    found = congresses.quotas(session, congresses.get_or_raise(session, "X"))
    return {b.code: (q.full_members, q.candidates, q.voting, q.consultative) for q, b in found}


def test_each_organization_sends_one_delegate_per_n_members_half_up(session: Session) -> None:
    party(session, full=10, candidates=3)
    convene(session, Norm("per-members", 2), consultative=1)
    congresses.apportion(session, code="X", actor=SYSTEM)
    assert quotas(session) == {"R1": (5, 2, 3, 2), "R2": (5, 1, 3, 1)}


def test_a_total_is_apportioned_over_the_census_by_the_chosen_method(session: Session) -> None:
    party(session, full=4, candidates=0)
    for i in range(5):
        member(session, f"M{i}", "C1")
    convene(session, Norm("total", 7, "webster"))
    congresses.apportion(session, code="X", actor=SYSTEM)
    expected = apportion(ApportionmentInput(Method.WEBSTER, 7, (7, 2))).allocation
    assert quotas(session) == {"R1": (7, 0, expected[0], 0), "R2": (2, 0, expected[1], 0)}


def test_elected_organs_send_no_delegates(session: Session) -> None:
    party(session)
    load_chain(session)
    convene(session, Norm("per-members", 1))
    congresses.apportion(session, code="X", actor=SYSTEM)
    assert set(quotas(session)) == {"R1", "R2"}


def test_the_census_date_defaults_to_the_opening_day(session: Session) -> None:
    party(session)
    convene(session, Norm("per-members", 1))
    congresses.apportion(session, code="X", actor=SYSTEM)
    assert congresses.get_or_raise(session, "X").census_on == OPENS


def test_members_admitted_after_the_census_date_are_not_counted(session: Session) -> None:
    party(session, full=4, candidates=0)
    member(session, "LATE", "C1", on=date(1922, 1, 1))
    convene(session, Norm("per-members", 1))
    congresses.apportion(session, code="X", actor=SYSTEM)
    assert quotas(session)["R1"][0] == 2


def test_a_plenum_has_no_delegates(session: Session) -> None:
    party(session)
    load_chain(session)
    congresses.create(
        session,
        code="P",
        name="Plenum",
        kind="plenum",
        body_code="CC",
        opens_on=OPENS,
        actor=SYSTEM,
    )
    with pytest.raises(Invalid, match="a plenum has no delegates"):
        delegates.add(
            session, code="P", person_id="F000", organization="R1", vote="voting", actor=SYSTEM
        )


def register(session: Session, person: str, organization: str, vote: str = "voting") -> None:
    delegates.add(
        session, code="X", person_id=person, organization=organization, vote=vote, actor=SYSTEM
    )


def verdicts(session: Session) -> dict[str, tuple[str, str | None]]:
    checked = delegates.check_credentials(session, code="X", actor=SYSTEM)
    by_id = {d.person_id: d for d in checked}
    return {
        p.external_id: (by_id[d.person_id].credentials, by_id[d.person_id].reason)
        for d, p, _ in delegates.listing(session, congresses.get_or_raise(session, "X"))
    }


def test_a_member_of_the_electing_organization_is_accepted(session: Session) -> None:
    party(session)
    convene(session, Norm("per-members", 1))
    register(session, "F000", "R1")
    assert verdicts(session)["F000"] == ("accepted", None)


def test_a_delegate_who_is_not_a_member_of_the_organization_is_rejected(
    session: Session,
) -> None:
    party(session)
    convene(session, Norm("per-members", 1))
    register(session, "F001", "R1")
    assert verdicts(session)["F001"] == ("rejected", "not a member of R1 on 1921-03-08")


def test_a_candidate_may_hold_a_consultative_mandate_only(session: Session) -> None:
    party(session)
    convene(session, Norm("per-members", 1))
    register(session, "K000", "R1")
    register(session, "K001", "R2", vote="consultative")
    found = verdicts(session)
    assert found["K000"][0] == "rejected"
    assert "consultative vote only" in str(found["K000"][1])
    assert found["K001"] == ("accepted", None)


def test_membership_is_judged_on_the_congress_date(session: Session) -> None:
    party(session)
    members.end(session, external_id="F002", reason="left", on=date(1921, 1, 1), actor=SYSTEM)
    convene(session, Norm("per-members", 1))
    register(session, "F002", "R1")
    assert verdicts(session)["F002"] == ("rejected", "not a member of R1 on 1921-03-08")


def test_delegates_beyond_the_quota_are_rejected_in_order_of_registration(
    session: Session,
) -> None:
    party(session, full=6)
    convene(session, Norm("per-members", 2))
    congresses.apportion(session, code="X", actor=SYSTEM)
    for person in ("F000", "F002", "F004"):
        register(session, person, "R1")
    found = verdicts(session)
    assert [found[p][0] for p in ("F000", "F002", "F004")] == ["accepted", "accepted", "rejected"]
    assert found["F004"][1] == "over R1's quota of 2 voting delegates"


def test_a_person_is_a_delegate_once(session: Session) -> None:
    party(session)
    convene(session, Norm("per-members", 1))
    register(session, "F000", "R1")
    with pytest.raises(Conflict, match="already a delegate"):
        register(session, "F000", "R1")
