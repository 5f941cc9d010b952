"""Decreed against sent against arrived, grouped four ways."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.errors import Invalid
from orgburo.mobilizations import (
    assignment,
    decrees,
    fulfilment,
    quotas,
    reads,
    selection,
    tracking,
)

from .helpers import AFTER, organization, spec

SENT_ON, ARRIVED_ON = date(1920, 5, 10), date(1920, 6, 2)


def sent(session: Session) -> list[reads.EntryRow]:
    organization(session)
    decrees.issue(session, spec=spec(), actor=SYSTEM)
    quotas.apportion(session, code="D1", actor=SYSTEM)
    selection.propose(session, code="D1", on=AFTER, actor=SYSTEM)
    for to in ("accepted", "ordered"):
        tracking.move_many(session, code="D1", to=to, on=AFTER, actor=SYSTEM)
    assignment.assign(session, code="D1", actor=SYSTEM)
    tracking.move_many(
        session, code="D1", to="dispatched", on=SENT_ON, actor=SYSTEM, body_code="NORTH"
    )
    tracking.move_many(
        session, code="D1", to="arrived", on=ARRIVED_ON, actor=SYSTEM, body_code="N1"
    )
    return reads.entries(session, code="D1", actor=SYSTEM)


def test_by_body_counts_each_sub_body_with_its_whole_subtree(session: Session) -> None:
    rows = sent(session)
    found = fulfilment.fulfilment(session, by="body", decree_codes=["D1"], actor=SYSTEM)
    by_key = {r.key: r for r in found.rows}
    north = [r for r in rows if r.body in ("N1", "N2")]
    assert by_key["NORTH"].sent == len(north)
    assert by_key["NORTH"].arrived == len([r for r in rows if r.body == "N1"])
    assert by_key["SOUTH"].sent == 0
    assert found.total.decreed == 6


def test_by_month_puts_each_figure_in_its_own_month(session: Session) -> None:
    sent(session)
    found = fulfilment.fulfilment(session, by="month", decree_codes=["D1"], actor=SYSTEM)
    months = {r.key: (r.decreed, r.sent, r.arrived) for r in found.rows}
    assert months["1920-04"][0] == 6
    assert months["1920-05"][1] == found.total.sent
    assert months["1920-06"][2] == found.total.arrived


def test_by_role_and_destination_split_the_quota_by_the_role_lines(session: Session) -> None:
    sent(session)
    roles = fulfilment.fulfilment(session, by="role", decree_codes=["D1"], actor=SYSTEM)
    assert {r.key: r.decreed for r in roles.rows} == {
        "commissar": 2,
        "instructor": 3,
        "(no role)": 1,
    }
    places = fulfilment.fulfilment(session, by="destination", decree_codes=["D1"], actor=SYSTEM)
    assert {r.key: r.decreed for r in places.rows} == {"WEST": 3, "RAIL": 3}
    series = fulfilment.fulfilment_series(places)
    assert series.labels == ("Transport", "Western Front")
    assert [name for name, _ in series.series] == ["decreed", "sent", "arrived"]


def test_an_unknown_grouping_is_refused_naming_by(session: Session) -> None:
    organization(session)
    with pytest.raises(Invalid, match="by"):
        fulfilment.fulfilment(session, by="weather", actor=SYSTEM)
