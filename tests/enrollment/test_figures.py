"""A campaign's figures: progress against targets by week and body, and the census."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.enrollment import figures

from . import helpers
from .helpers import PEASANT, apply, campaign, recommend


def decided(session: Session) -> None:
    """Week 3: A1 admitted, A2 refused; week 5: P1 (peasant) admitted; A3 pending in S1."""
    campaign(session)
    for ref, values in (
        ("A1", None),
        ("A2", {**helpers.WORKER, "birth_year": 1901}),
        ("P1", PEASANT),
    ):
        apply(session, ref, values)
        recommend(session, ref, "R1", "R2")
    apply(session, "A3", body="S1")
    first = helpers.meeting(session, date(1924, 3, 1))
    helpers.vote(session, first, "A1")
    helpers.vote(session, first, "A2", (0, 3, 0), reason="not from the bench")
    helpers.vote(session, helpers.meeting(session, date(1924, 3, 15)), "P1")


def test_counts_by_status_and_refusals_by_reason(session: Session) -> None:
    decided(session)
    found = figures.figures(session, campaign_code="LE", actor=SYSTEM)
    assert found.counts == {"pending": 1, "admitted": 2, "refused": 1}
    assert found.applied == 4
    assert found.refusals == [("not from the bench", 1)]


def test_progress_against_each_groups_target(session: Session) -> None:
    decided(session)
    groups = {g.name: g for g in figures.figures(session, campaign_code="LE", actor=SYSTEM).groups}
    assert (groups["workers"].admitted, groups["workers"].target) == (1, 3)
    assert groups["workers"].progress == Fraction(1, 3)
    assert groups["workers"].counts == {"pending": 1, "admitted": 1, "refused": 1}
    assert groups["peasants"].progress == 1


def test_admissions_by_campaign_week_add_up(session: Session) -> None:
    decided(session)
    weeks = figures.figures(session, campaign_code="LE", actor=SYSTEM).weeks
    assert len(weeks) == 13
    assert weeks[2].starts_on == date(1924, 2, 29)
    assert (weeks[2].applied, weeks[2].admitted, weeks[2].refused) == (4, 1, 1)
    assert weeks[4].admitted_so_far == {"workers": 1, "peasants": 1}
    assert sum(w.admitted for w in weeks) == 2


def test_applications_by_sub_body(session: Session) -> None:
    decided(session)
    rows = {
        b.code: b.counts for b in figures.figures(session, campaign_code="LE", actor=SYSTEM).bodies
    }
    assert rows["CC"] == {"pending": 1, "admitted": 2, "refused": 1}
    assert rows["NORTH"] == {"pending": 0, "admitted": 2, "refused": 1}
    assert rows["SOUTH"] == {"pending": 1, "admitted": 0, "refused": 0}


def test_the_census_counts_the_composition_before_and_after(session: Session) -> None:
    decided(session)
    change = figures.composition(session, campaign_code="LE", actor=SYSTEM, by=["status"])
    assert (change.before.at, change.after.at) == (date(1924, 2, 14), date(1924, 5, 15))
    assert (change.before.total, change.after.total) == (6, 8)
    assert change.after.count("candidate") == 3
