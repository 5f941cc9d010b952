"""A campaign run through its pages' forms: proclaim, apply, recommend, meet, review."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from orgburo.db import unit_of_work
from orgburo.enrollment.models import Application, Campaign
from orgburo.enrollment.work_views import parse_groups
from orgburo.errors import Invalid
from tests.enrollment.helpers import organization

PROCLAIM = {
    "code": "LE",
    "name": "Workers' enrollment",
    "body": "CC",
    "opens_on": "1924-02-15",
    "closes_on": "1924-05-15",
    "eligibility": 'occupation == "worker"',
    "groups": 'workers | occupation == "worker" | 2\nyouth | komsomol | | priority',
    "recommenders_required": "2",
    "recommender_standing_months": "12",
    "candidate_stage_months": "6",
    "workers_meeting_allowed": "yes",
}


def applicant(name: str, ref: str, **values: str) -> dict[str, object]:
    attributes = {"occupation": "worker", "birth_year": "1900", **values}
    return {
        "name": name,
        "ref": ref,
        "body": "N1",
        "received_on": "1924-03-01",
        "attribute": list(attributes),
        "value": list(attributes.values()),
    }


def count(engine: Engine, model: type) -> int:
    with unit_of_work(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_campaign_runs_from_proclamation_to_the_end_of_the_stage(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    proclaimed = client.post("/enrollment", data=PROCLAIM, follow_redirects=False)
    assert (proclaimed.status_code, proclaimed.headers["location"]) == (303, "/enrollment/LE/work")
    applied = client.post(
        "/enrollment/LE/applications", data=applicant("Anna", "A1"), follow_redirects=False
    )
    assert applied.headers["location"] == "/enrollment/LE/applications/A1"
    client.post("/enrollment/LE/applications", data=applicant("Boris", "A2"))
    for who in ("R1", "R2"):
        client.post(
            "/enrollment/LE/applications/A1/recommend",
            data={"recommender": who, "given_on": "1924-03-02"},
        )
    meeting = {
        "body": "N1",
        "held_on": "1924-03-10",
        "kind": "open_meeting",
        "members_present": "3",
        "non_party_present": "0",
        "application": ["A1", "A2"],
        "votes_for": ["3", ""],
        "votes_against": ["0", ""],
        "abstained": ["", ""],
        "reason": ["", ""],
    }
    held = client.post("/enrollment/LE/meetings", data=meeting, follow_redirects=False)
    assert held.status_code == 303, held.text
    page = client.get("/enrollment/LE/applications/A1").text
    assert '<strong id="status">admitted</strong>' in page
    assert "3 for, 0 against" in page
    assert "pending" in client.get("/enrollment/LE/applications/A2").text
    reviewed = client.post(
        "/enrollment/LE/applications/A1/stage",
        data={"outcome": "confirmed", "on": "1924-09-10"},
        follow_redirects=False,
    )
    assert reviewed.status_code == 303
    assert "1924-09-10: confirmed" in client.get("/enrollment/LE/applications/A1").text


def test_a_refused_application_is_shown_beside_its_field_and_not_stored(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    client.post("/enrollment", data=PROCLAIM)
    refused = client.post(
        "/enrollment/LE/applications", data=applicant("Clerk", "A9", occupation="employee")
    )
    assert refused.status_code == 422
    assert "not eligible: occupation is &#39;employee&#39;, not &#39;worker&#39;" in refused.text
    assert 'value="Clerk"' in refused.text  # what was typed is kept
    assert count(fresh_engine, Application) == 0


def test_a_meeting_with_a_bad_vote_records_nothing(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    client.post("/enrollment", data=PROCLAIM)
    client.post("/enrollment/LE/applications", data=applicant("Anna", "A1"))
    meeting = {
        "body": "N1",
        "held_on": "1924-03-10",
        "members_present": "3",
        "application": ["A1"],
        "votes_for": ["3"],
        "votes_against": ["0"],
        "abstained": [""],
        "reason": [""],
    }
    refused = client.post("/enrollment/LE/meetings", data=meeting)
    assert refused.status_code == 422
    assert "recommendations required" in refused.text
    assert "pending" in client.get("/enrollment/LE/applications/A1").text


def test_a_proclamation_with_bad_rules_lists_every_problem(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    bad = {**PROCLAIM, "eligibility": "occupaton == 1", "closes_on": "1924-01-01"}
    refused = client.post("/enrollment", data=bad)
    assert refused.status_code == 422
    assert "occupaton" in refused.text
    assert "before the opening" in refused.text
    assert count(fresh_engine, Campaign) == 0


def test_groups_are_typed_one_per_line_with_target_and_flags() -> None:
    groups = parse_groups('workers | occupation == "worker" | 100\n\nyouth | komsomol | | priority')
    assert [(g.name, g.target, g.priority, g.ceiling) for g in groups] == [
        ("workers", 100, False, False),
        ("youth", None, True, False),
    ]


def test_a_group_line_with_an_unknown_flag_names_its_line() -> None:
    with pytest.raises(Invalid) as refused:
        parse_groups("a | komsomol | 3\nb | komsomol | x\nc | komsomol | | sometimes")
    assert [p.field for p in refused.value.problems] == ["groups[1].target", "groups[2]"]
