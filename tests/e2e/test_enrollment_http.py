"""Enrollment through the HTTP API and the dashboard page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from orgburo.db import unit_of_work
from tests.enrollment.helpers import organization

CAMPAIGN = {
    "code": "LE",
    "name": "Workers' enrollment",
    "body": "CC",
    "opens_on": "1924-02-15",
    "closes_on": "1924-05-15",
    "eligibility": 'occupation == "worker"',
    "groups": [{"name": "workers", "rule": 'occupation == "worker"', "target": 2}],
}
WORKER = {"occupation": "worker", "social_situation": "worker", "birth_year": 1900}
BASE = "/api/enrollment/campaigns/LE"


def started(client: TestClient, engine: Engine) -> None:
    with unit_of_work(engine) as session:
        organization(session)
    assert client.post("/api/enrollment/campaigns", json=CAMPAIGN).status_code == 201


def apply(client: TestClient, ref: str, **attributes: object) -> dict[str, object]:
    body = {"name": f"Applicant {ref}", "ref": ref, "body": "N1", "received_on": "1924-03-01"}
    response = client.post(f"{BASE}/applications", json={**body, "attributes": WORKER | attributes})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_campaign_takes_applicants_through_a_meeting(
    client: TestClient, fresh_engine: Engine
) -> None:
    started(client, fresh_engine)
    apply(client, "A1")
    apply(client, "A2", birth_year=1901)
    for who in ("R1", "R2"):
        given = client.post(
            f"{BASE}/applications/A1/recommendations",
            json={"recommender": who, "given_on": "1924-03-02"},
        )
        assert given.status_code == 201
    meeting = {
        "body": "N1",
        "held_on": "1924-03-10",
        "members_present": 3,
        "votes": [
            {"application": "A1", "votes_for": 3, "votes_against": 0},
            {"application": "A2", "votes_for": 0, "votes_against": 3, "reason": "late"},
        ],
    }
    held = client.post(f"{BASE}/meetings", json=meeting)
    assert held.status_code == 201, held.text
    assert [v["carried"] for v in held.json()["votes"]] == [True, False]
    a1 = client.get(f"{BASE}/applications/A1").json()
    assert (a1["status"], a1["registry_id"], len(a1["recommendations"])) == ("admitted", "LE-A1", 2)
    figures = client.get(f"{BASE}/figures").json()
    assert figures["groups"][0]["progress"] == 0.5
    change = client.get(f"{BASE}/composition", params={"by": "status"}).json()
    assert change["total_after"] == change["total_before"] + 1


def test_refusals_answer_with_the_field_and_change_nothing(
    client: TestClient, fresh_engine: Engine
) -> None:
    started(client, fresh_engine)
    body = {
        "name": "X",
        "body": "N1",
        "received_on": "1924-03-01",
        "attributes": {"occupation": "employee"},
    }
    refused = client.post(f"{BASE}/applications", json=body)
    assert refused.status_code == 422
    assert refused.json()["problems"] == [
        {
            "field": "occupation",
            "reason": "not eligible: occupation is 'employee', not 'worker'",
            "row": None,
        }
    ]
    no_quorum = client.post(
        f"{BASE}/meetings", json={"body": "N1", "held_on": "1924-03-10", "members_present": 1}
    )
    assert no_quorum.json()["problems"][0]["field"] == "members_present"
    assert client.get(f"{BASE}/applications").json()["applications"] == []
    assert client.get(f"{BASE}/figures").json()["applied"] == 0


def test_a_meeting_with_one_bad_vote_is_not_recorded(
    client: TestClient, fresh_engine: Engine
) -> None:
    started(client, fresh_engine)
    apply(client, "A1")
    meeting = {
        "body": "N1",
        "held_on": "1924-03-10",
        "members_present": 3,
        "votes": [{"application": "A1", "votes_for": 3, "votes_against": 0}],
    }
    refused = client.post(f"{BASE}/meetings", json=meeting)
    assert refused.status_code == 422
    assert "recommendations required" in refused.json()["detail"]
    assert client.get(f"{BASE}/applications/A1").json()["status"] == "pending"
    again = client.post(f"{BASE}/meetings", json={**meeting, "votes": []})
    assert again.status_code == 201


def test_bulk_uploads_and_the_dashboard(client: TestClient, fresh_engine: Engine) -> None:
    started(client, fresh_engine)
    apps = (
        "ref,name,body,received,recommenders,occupation,birth_year\n"
        "A1,Anna,N1,1924-03-01,R1;R2,worker,1900\n"
    )
    loaded = client.post(
        f"{BASE}/applications/import", files={"file": ("apps.csv", apps, "text/csv")}
    )
    assert loaded.json()["result"]["created"] == 1
    outcome = "ref,held,present,for,against,abstained\nA1,1924-03-10,3,3,0,0\n"
    decided = client.post(
        f"{BASE}/outcomes/import", files={"file": ("out.csv", outcome, "text/csv")}
    )
    assert decided.json()["result"]["admitted"] == 1
    page = client.get("/enrollment/LE")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "Admissions against targets" in page.text
    assert "LE" in client.get("/enrollment").text
    given = client.get("/api/enrollment/recommenders/R1").json()
    assert [g["application"] for g in given] == ["A1"]


def test_an_unreadable_upload_is_the_callers_error(
    client: TestClient, fresh_engine: Engine
) -> None:
    started(client, fresh_engine)
    garbage = client.post(
        f"{BASE}/applications/import",
        files={"file": ("x.parquet", b"not parquet", "application/octet-stream")},
    )
    assert garbage.status_code == 422
    wrong = client.post(
        f"{BASE}/applications/import", files={"file": ("x.txt", b"a,b", "text/plain")}
    )
    assert wrong.status_code == 422
