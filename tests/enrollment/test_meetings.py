"""Recommendations, workers' general meetings and open meetings that decide."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.census import service as census
from orgburo.enrollment import recommendations
from orgburo.enrollment.models import WORKERS_MEETING
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members
from orgburo.members.history import history

from . import helpers
from .helpers import PEASANT, apply, campaign, meeting, recommend, snapshot, vote


def test_admission_makes_a_candidate_from_the_meetings_date(session: Session) -> None:
    campaign(session)
    application = helpers.admitted(session, "A1")
    person = members.get_or_raise(session, "LE-A1")
    assert (application.status, application.person_id) == ("admitted", person.id)
    assert application.stage_ends_on == date(1924, 9, 10)
    spell = members.current_spell(session, person)
    assert spell is not None
    assert (spell.status, spell.started_on) == ("candidate", date(1924, 3, 10))
    assert person.occupation == "worker"


def test_an_applicant_with_a_registry_id_is_admitted_under_it(session: Session) -> None:
    campaign(session)
    apply(session, "A1", registry_id="P-77")
    recommend(session, "A1", "R1", "R2")
    vote(session, meeting(session), "A1")
    assert members.get_or_raise(session, "P-77").name == "Applicant A1"


def test_the_census_counts_the_new_candidate(session: Session) -> None:
    campaign(session)
    helpers.admitted(session, "A1")
    composition = census.census(session, body_code="CC", by=["status"], actor=SYSTEM)
    assert composition.count("candidate") == 2


def test_a_refusal_keeps_the_vote_and_the_reason(session: Session) -> None:
    campaign(session)
    apply(session, "A1")
    recorded = vote(session, meeting(session), "A1", (1, 2, 0), reason="drinks")
    assert (recorded.carried, recorded.reason) == (False, "drinks")
    assert members.get(session, "LE-A1") is None


def test_a_recommendation_is_recorded_against_the_recommender(session: Session) -> None:
    campaign(session)
    apply(session, "A1")
    recommend(session, "A1", "R1")
    given = recommendations.recommendations_by(session, recommender_id="R1", actor=SYSTEM)
    assert [(a.ref, c.code, r.standing_months) for r, a, c in given] == [("A1", "LE", 50)]


def test_a_candidate_cannot_recommend(session: Session) -> None:
    campaign(session)
    apply(session, "A1")
    before = snapshot(session)
    with pytest.raises(Invalid, match="recommender: 'C1' is not a full member on 1924-03-01"):
        recommend(session, "A1", "C1")
    assert snapshot(session) == before


def test_a_recommender_needs_the_campaigns_standing(session: Session) -> None:
    campaign(session, recommender_standing_months=60)
    apply(session, "A1")
    with pytest.raises(Invalid, match="'R1' has 50 months' standing .* requires 60"):
        recommend(session, "A1", "R1")


def test_standing_runs_on_through_a_transfer(session: Session) -> None:
    campaign(session)
    members.transfer(
        session, external_id="R1", to_body_code="N2", on=date(1924, 1, 1), actor=SYSTEM
    )
    apply(session, "A1")
    recommend(session, "A1", "R1")


def test_standing_restarts_after_a_break(session: Session) -> None:
    campaign(session)
    members.end(session, external_id="R1", reason="left", on=date(1923, 1, 1), actor=SYSTEM)
    members.admit(
        session,
        external_id="R1",
        name="R1",
        body_code="N1",
        on=date(1923, 6, 1),
        status="full",
        actor=SYSTEM,
    )
    apply(session, "A1")
    with pytest.raises(Invalid, match="'R1' has 9 months' standing"):
        recommend(session, "A1", "R1")


def test_the_same_recommender_twice_is_a_conflict(session: Session) -> None:
    campaign(session)
    apply(session, "A1")
    recommend(session, "A1", "R1")
    with pytest.raises(Conflict, match="'R1' already recommended 'A1'"):
        recommend(session, "A1", "R1")


def test_admission_without_recommendations_is_refused_and_nothing_changes(
    session: Session,
) -> None:
    campaign(session)
    apply(session, "A1")
    recommend(session, "A1", "R1")
    held = meeting(session)
    before = snapshot(session)
    with pytest.raises(Invalid) as caught:
        vote(session, held, "A1")
    assert str(caught.value) == (
        "application: 'A1' has 1 of the 2 recommendations required "
        "and no workers' general meeting supported it"
    )
    assert snapshot(session) == before


def test_a_workers_general_meeting_can_stand_in_for_recommendations(session: Session) -> None:
    campaign(session)
    apply(session, "A1")
    workers = meeting(session, date(1924, 3, 5), 1, kind=WORKERS_MEETING, non_party_present=40)
    assert workers.members_on_roll is None
    vote(session, workers, "A1", (35, 3, 2))
    assert vote(session, meeting(session), "A1").carried


def test_a_workers_meeting_needs_non_party_people(session: Session) -> None:
    campaign(session)
    with pytest.raises(Invalid, match="non_party_present"):
        meeting(session, kind=WORKERS_MEETING, non_party_present=0)


def test_a_campaign_may_refuse_workers_meetings(session: Session) -> None:
    campaign(session, workers_meeting_allowed=False)
    with pytest.raises(Invalid, match="kind: this campaign does not allow"):
        meeting(session, kind=WORKERS_MEETING, non_party_present=10)


def test_a_meeting_without_quorum_is_refused_and_nothing_changes(session: Session) -> None:
    campaign(session)
    before = snapshot(session)
    with pytest.raises(Invalid) as caught:
        meeting(session, present=2)
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("members_present", "2 of 4 full members present; a quorum is 3")
    ]
    assert snapshot(session) == before


def test_candidates_do_not_count_towards_the_quorum(session: Session) -> None:
    campaign(session)
    with pytest.raises(Invalid, match="5 present, but 'N1' has only 4 full members"):
        meeting(session, present=5)


def test_a_second_decision_on_the_same_application_is_a_conflict(session: Session) -> None:
    campaign(session)
    apply(session, "A1")
    vote(session, meeting(session), "A1", (0, 3, 0))
    later = meeting(session, date(1924, 3, 17))
    before = snapshot(session)
    with pytest.raises(
        Conflict, match=r"application: 'A1' was already decided on 1924-03-10 \(refused\)"
    ):
        vote(session, later, "A1")
    assert snapshot(session) == before


def test_more_votes_than_people_present_are_refused(session: Session) -> None:
    campaign(session)
    apply(session, "A1")
    with pytest.raises(Invalid, match="votes_for: 5 votes cast but only 3 present"):
        vote(session, meeting(session), "A1", (4, 1, 0))


def test_a_meeting_decides_only_its_own_organizations_applicants(session: Session) -> None:
    campaign(session)
    apply(session, "A1", body="N2")
    with pytest.raises(Invalid, match="application: 'A1' applied to 'N2'"):
        vote(session, meeting(session), "A1")


def test_a_ceiling_stops_admissions_of_its_group(session: Session) -> None:
    campaign(session)
    held = meeting(session)
    for ref in ("P1", "P2"):
        apply(session, ref, {**PEASANT, "birth_year": 1890 + int(ref[1])})
        recommend(session, ref, "R1", "R2")
    vote(session, held, "P1")
    with pytest.raises(Invalid, match="exceed the ceiling of group 'peasants' \\(1 admitted"):
        vote(session, held, "P2")


def test_the_admission_stands_in_the_members_history(session: Session) -> None:
    campaign(session)
    helpers.admitted(session, "A1")
    steps = history(session, members.get_or_raise(session, "LE-A1"), actor=SYSTEM)
    assert [(s.on, s.kind, s.status) for s in steps] == [
        (date(1924, 3, 10), "admitted", "candidate")
    ]
