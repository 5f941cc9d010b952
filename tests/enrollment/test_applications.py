"""Applications: individual and joint, checked for period, scope, eligibility, duplicates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.enrollment import service
from orgburo.enrollment.models import Application, GroupMatch
from orgburo.enrollment.service import Applicant
from orgburo.errors import Conflict, Invalid

from .helpers import CLERK, MARCH, PEASANT, WORKER, apply, campaign, snapshot


def groups_of(session: Session, application: Application) -> set[int]:
    query = select(GroupMatch.group_id).where(GroupMatch.application_id == application.id)
    return set(session.scalars(query))


def test_an_applicant_outside_the_registry_is_kept_on_the_application(session: Session) -> None:
    campaign(session)
    made = apply(session, "A1", {**WORKER, "komsomol": "yes"})
    assert made.attributes == {**WORKER, "komsomol": True}
    assert (made.status, made.person_id, made.priority) == ("pending", None, True)


def test_an_application_falls_in_the_groups_whose_rules_it_passes(session: Session) -> None:
    campaign(session)
    worker, peasant = apply(session, "A1"), apply(session, "A2", PEASANT)
    assert len(groups_of(session, worker)) == 1
    assert groups_of(session, worker) != groups_of(session, peasant)


def test_references_are_given_when_none_is_written(session: Session) -> None:
    campaign(session)
    made = service.apply(
        session,
        campaign_code="LE",
        body_code="N1",
        received_on=MARCH,
        applicant=Applicant("Someone", WORKER),
        actor=SYSTEM,
    )
    assert made.ref == "A000001"


def test_a_joint_application_makes_one_application_per_person(session: Session) -> None:
    campaign(session)
    joint = service.apply_jointly(
        session,
        campaign_code="LE",
        ref="W3",
        body_code="N1",
        received_on=MARCH,
        workplace="Workshop 3",
        applicants=[Applicant("A", WORKER), Applicant("B", WORKER), Applicant("C", PEASANT)],
        actor=SYSTEM,
    )
    found = session.scalars(select(Application).where(Application.joint_id == joint.id)).all()
    assert [a.ref for a in found] == ["A000001", "A000002", "A000003"]


def test_one_ineligible_member_of_a_joint_application_stops_it_all(session: Session) -> None:
    campaign(session)
    before = snapshot(session)
    with pytest.raises(Invalid) as caught:
        service.apply_jointly(
            session,
            campaign_code="LE",
            ref="W3",
            body_code="N1",
            received_on=MARCH,
            applicants=[Applicant("A", WORKER), Applicant("B", CLERK)],
            actor=SYSTEM,
        )
    assert [p.field for p in caught.value.problems] == [
        "applicants[1].occupation, social_situation"
    ]
    assert snapshot(session) == before


def test_the_same_person_twice_in_a_joint_application_is_a_conflict(session: Session) -> None:
    campaign(session)
    with pytest.raises(Conflict, match=r"applicants\[1\].name"):
        service.apply_jointly(
            session,
            campaign_code="LE",
            ref="W3",
            body_code="N1",
            received_on=MARCH,
            applicants=[Applicant("A", WORKER), Applicant("A", WORKER)],
            actor=SYSTEM,
        )


def test_the_same_name_year_and_body_is_a_duplicate(session: Session) -> None:
    campaign(session)
    apply(session, "A1", name="Ivan Petrov")
    with pytest.raises(Conflict, match=r"name: 'Ivan Petrov', born 1900, already applied .*'A1'"):
        apply(session, "A2", name="Ivan Petrov")


def test_the_same_name_in_another_body_is_not_a_duplicate(session: Session) -> None:
    campaign(session)
    apply(session, "A1", name="Ivan Petrov")
    assert apply(session, "A2", name="Ivan Petrov", body="S1").ref == "A2"


def test_the_same_registry_id_is_a_duplicate(session: Session) -> None:
    campaign(session)
    apply(session, "A1", registry_id="X7")
    with pytest.raises(Conflict, match=r"registry_id: 'X7' already applied"):
        apply(session, "A2", {**WORKER, "birth_year": 1901}, registry_id="X7")


def test_a_current_member_cannot_apply(session: Session) -> None:
    campaign(session)
    with pytest.raises(Conflict, match="registry_id: 'R1' is already a member"):
        apply(session, "A1", registry_id="R1")


def test_an_applicant_is_refused_naming_the_condition_that_failed(session: Session) -> None:
    campaign(session)
    before = snapshot(session)
    with pytest.raises(Invalid) as caught:
        apply(session, "A1", CLERK)
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        (
            "occupation, social_situation",
            "not eligible: occupation is 'employee', not 'worker' "
            "and social_situation is 'employee', not 'peasant'",
        )
    ]
    assert snapshot(session) == before


def test_an_application_after_the_period_is_refused(session: Session) -> None:
    campaign(session)
    before = snapshot(session)
    with pytest.raises(Invalid) as caught:
        apply(session, "A1", on=date(1924, 5, 16))
    assert caught.value.problems[0].field == "received_on"
    assert "outside the campaign period 1924-02-15 to 1924-05-15" in str(caught.value)
    assert snapshot(session) == before


def test_an_application_outside_the_campaigns_subtree_is_refused(session: Session) -> None:
    campaign(session, body_code="NORTH")
    before = snapshot(session)
    with pytest.raises(Invalid, match="body: 'S1' is not in the subtree of 'NORTH'"):
        apply(session, "A1", body="S1")
    assert snapshot(session) == before


def test_an_unknown_attribute_is_refused_by_name(session: Session) -> None:
    campaign(session)
    with pytest.raises(Invalid) as caught:
        apply(session, "A1", {**WORKER, "shoe_size": "42"})
    assert caught.value.problems[0].field == "shoe_size"
