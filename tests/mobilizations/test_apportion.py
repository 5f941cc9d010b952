"""Splitting a decree's quota down the tree, one row per body."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.bodies import service as bodies
from orgburo.congresses.models import Congress, Delegate
from orgburo.core.apportionment import Method
from orgburo.errors import Invalid
from orgburo.members import service as members
from orgburo.mobilizations import decrees, quotas
from orgburo.mobilizations.models import Quota

from .helpers import PEOPLE, organization, quota, snapshot, spec


def demanded(session: Session, code: str = "D1") -> dict[str, tuple[int, int, int]]:
    decree = decrees.get_or_raise(session, code)
    rows = session.execute(
        select(Quota, bodies.Body.code)
        .join(bodies.Body, bodies.Body.id == Quota.body_id)
        .where(Quota.decree_id == decree.id, Quota.subquota_id.is_(None))
    )
    return {c: (q.demanded, q.eligible, q.shortfall) for q, c in rows}


def test_the_quota_is_split_level_by_level_in_proportion_to_eligible_members(
    session: Session,
) -> None:
    organization(session)
    decrees.issue(session, spec=spec(criteria=""), actor=SYSTEM)
    done = quotas.apportion(session, code="D1", actor=SYSTEM)
    assert (done.demanded, done.eligible, done.shortfall) == (6, 9, 0)
    found = demanded(session)
    assert found["CC"] == (6, 9, 0)
    assert found["NORTH"][0] + found["SOUTH"][0] == 6
    assert found["N1"][0] + found["N2"][0] == found["NORTH"][0]
    assert all(d <= e for d, e, _ in found.values())


def test_a_quota_larger_than_the_pool_is_refused_naming_the_bodies_short(
    session: Session,
) -> None:
    organization(session)
    decrees.issue(session, spec=spec(quota=quota(total=20, subquotas=())), actor=SYSTEM)
    before = snapshot(session)
    with pytest.raises(Invalid) as caught:
        quotas.apportion(session, code="D1", actor=SYSTEM)
    assert snapshot(session) == before
    problems = caught.value.problems
    assert problems[0].field == "quota"
    assert "20 demanded but only 8 eligible in 'CC': 12 short" in problems[0].reason
    shorts = [int(p.reason.rsplit(": ", 1)[1].split()[0]) for p in problems[1:]]
    assert shorts == sorted(shorts, reverse=True)
    assert {p.field for p in problems[1:]} == {"quota[N1]", "quota[N2]", "quota[S1]"}


def test_an_excluded_body_and_its_descendants_get_no_quota(session: Session) -> None:
    organization(session)
    lean = quota(total=3, subquotas=())
    decrees.issue(session, spec=spec(criteria="", quota=lean, excluded=("NORTH",)), actor=SYSTEM)
    done = quotas.apportion(session, code="D1", actor=SYSTEM)
    assert (done.demanded, done.eligible, done.bodies) == (3, 3, 3)
    assert demanded(session) == {"CC": (3, 3, 0), "SOUTH": (3, 3, 0), "S1": (3, 3, 0)}


def test_the_members_of_an_excluded_body_do_not_make_up_a_shortfall(session: Session) -> None:
    organization(session)
    decrees.issue(session, spec=spec(criteria="", excluded=("N1",)), actor=SYSTEM)
    with pytest.raises(Invalid, match="6 demanded but only 5 eligible in 'CC'"):
        quotas.apportion(session, code="D1", actor=SYSTEM)


def test_an_accepted_shortfall_is_recorded_per_body(session: Session) -> None:
    organization(session)
    decrees.issue(session, spec=spec(quota=quota(total=20, subquotas=())), actor=SYSTEM)
    done = quotas.apportion(session, code="D1", actor=SYSTEM, accept_shortfall=True)
    assert (done.shortfall, done.short_bodies) == (12, 3)
    found = demanded(session)
    assert found["CC"] == (20, 8, 12)
    assert sum(found[c][2] for c in ("N1", "N2", "S1")) == 12


def test_a_share_by_zone_asks_each_zone_for_its_share(session: Session) -> None:
    organization(session)
    zones = quota(
        kind="zone_share",
        total=None,
        subquotas=(),
        default_share="25%",
        zones={"near_front": "100%"},
    )
    decrees.issue(session, spec=spec(quota=zones, criteria=""), actor=SYSTEM)
    done = quotas.apportion(session, code="D1", actor=SYSTEM, method=Method.WEBSTER)
    found = demanded(session)
    north = sum(len(PEOPLE[c]) for c in ("N1", "N2"))
    assert found["SOUTH"][0] == len(PEOPLE["S1"])
    assert done.demanded == len(PEOPLE["S1"]) + -(-north // 4)


def test_a_share_of_delegates_calls_up_only_delegates(session: Session) -> None:
    organization(session)
    cc = bodies.get_or_raise(session, "CC")
    congress = Congress(
        code="C9", name="Congress", kind="congress", body_id=cc.id, opens_on=date(1920, 3, 29)
    )
    session.add(congress)
    session.flush()
    for external_id in ("N1-a", "N1-b", "S1-a", "S1-b"):
        person = members.get_or_raise(session, external_id)
        session.add(
            Delegate(
                congress_id=congress.id,
                person_id=person.id,
                body_id=cc.id,
                vote="voting",
                credentials="accepted",
            )
        )
    session.flush()
    share = quota(kind="delegate_share", total=None, subquotas=(), congress="C9", share="50%")
    decrees.issue(session, spec=spec(quota=share, criteria=""), actor=SYSTEM)
    done = quotas.apportion(session, code="D1", actor=SYSTEM)
    assert (done.demanded, done.eligible) == (2, 4)
    assert demanded(session)["N2"] == (0, 0, 0)


def test_a_sub_quota_is_split_over_the_bodies_that_have_such_members(session: Session) -> None:
    organization(session)
    decrees.issue(session, spec=spec(), actor=SYSTEM)
    done = quotas.apportion(session, code="D1", actor=SYSTEM)
    assert done.subquotas == (("responsible", 2, 0),)
