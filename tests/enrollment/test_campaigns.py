"""Proclaiming a campaign: its rules are checked when it is created."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.enrollment import campaigns
from orgburo.enrollment.campaigns import GroupSpec
from orgburo.errors import Conflict, Invalid, NotFound

from .helpers import CLOSES, OPENS, organization, snapshot, spec


def refused(session: Session, **changes: object) -> Invalid:
    organization(session)
    before = snapshot(session)
    with pytest.raises(Invalid) as caught:
        campaigns.create(session, spec=spec(**changes), actor=SYSTEM)
    assert snapshot(session) == before
    return caught.value


def test_a_campaign_keeps_its_period_rules_and_groups(session: Session) -> None:
    organization(session)
    created = campaigns.create(session, spec=spec(), actor=SYSTEM)
    assert (created.opens_on, created.closes_on) == (OPENS, CLOSES)
    assert [g.name for g in campaigns.groups(session, created)] == ["workers", "peasants", "youth"]
    rules = campaigns.rules(session, created)
    assert rules.eligibility.evaluate({"occupation": "worker"}).passed


def test_a_misspelt_eligibility_rule_is_refused_when_the_campaign_is_created(
    session: Session,
) -> None:
    error = refused(session, eligibility='ocupation == "worker"')
    assert [p.field for p in error.problems] == ["eligibility"]
    assert "did you mean 'occupation'" in error.problems[0].reason


def test_a_group_rule_of_the_wrong_type_is_refused_naming_the_group(session: Session) -> None:
    error = refused(session, groups=(GroupSpec("adults", 'age >= "18"', target=5),))
    assert [p.field for p in error.problems] == ["groups[0].rule"]


def test_every_problem_of_a_campaign_is_reported_at_once(session: Session) -> None:
    error = refused(
        session,
        closes_on=OPENS.replace(month=1),
        candidate_stage_months=-1,
        groups=(GroupSpec("x", "komsomol", ceiling=True), GroupSpec("x", "red_army")),
    )
    assert {p.field for p in error.problems} == {
        "closes_on",
        "candidate_stage_months",
        "groups[0].ceiling",
        "groups",
    }


def test_age_may_be_used_in_rules(session: Session) -> None:
    organization(session)
    created = campaigns.create(session, spec=spec(eligibility="18 <= age < 40"), actor=SYSTEM)
    values = campaigns.applicant_values({"birth_year": 1900}, OPENS)
    assert campaigns.rules(session, created).eligibility.evaluate(values).passed


def test_a_second_campaign_with_the_same_code_is_a_conflict(session: Session) -> None:
    organization(session)
    campaigns.create(session, spec=spec(), actor=SYSTEM)
    with pytest.raises(Conflict, match="code"):
        campaigns.create(session, spec=spec(), actor=SYSTEM)


def test_an_unknown_proclaiming_body_is_not_found(session: Session) -> None:
    organization(session)
    with pytest.raises(NotFound, match="body"):
        campaigns.create(session, spec=spec(body_code="NOWHERE"), actor=SYSTEM)
