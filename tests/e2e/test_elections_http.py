"""The chain over HTTP: a congress, its election, voting with credentials, the box, the
result; and the voting page on a phone, without scripts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from orgburo.actors import SYSTEM
from orgburo.core.tally import METHODS, parse_blt
from orgburo.db import unit_of_work
from orgburo.web.app import create_app
from orgburo.web.deps import get_actor
from tests.election_factories import OPENS, party


@pytest.fixture
def http(fresh_engine: Engine) -> Iterator[TestClient]:
    """A client whose changes are made by the system actor (sign-in is tested elsewhere)."""
    with unit_of_work(fresh_engine) as session:
        party(session)
    app = create_app(fresh_engine)
    app.dependency_overrides[get_actor] = lambda: SYSTEM
    with TestClient(app) as client:
        yield client


def ok(response: object, status: int = 200) -> object:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    return response.json()  # type: ignore[attr-defined]


def open_election(http: TestClient, method: str = "block", seats: int = 1) -> list[dict[str, str]]:
    congress = {"code": "X", "name": "Congress", "body": "ROOT", "opens_on": str(OPENS)}
    ok(http.post("/api/congresses", json={**congress, "norm": "per-members", "voting": 1}), 201)
    ok(http.post("/api/congresses/X/apportion", json={}))
    for person, region in (("F000", "R1"), ("F001", "R2"), ("F002", "R1"), ("F003", "R2")):
        delegate = {"person": person, "organization": region}
        ok(http.post("/api/congresses/X/delegates", json=delegate), 201)
    ok(http.post("/api/congresses/X/credentials"))
    election = {"code": "E", "title": "Chair", "congress": "X", "method": method, "seats": seats}
    ok(http.post("/api/elections", json={**election, "seed": 3}), 201)
    for person in ("F000", "F001"):
        ok(http.post("/api/elections/E/nominations", json={"person": person}), 201)
    issued = ok(http.post("/api/elections/E/open"))
    assert isinstance(issued, list)
    return issued


def test_a_congress_elects_over_http_and_anyone_can_recount_the_box(http: TestClient) -> None:
    slips = open_election(http)
    receipts = []
    for i, slip in enumerate(slips):
        marks = ["Member F000"] if i < 3 else ["Member F001"]
        body = {"credential": slip["credential"], "marks": marks}
        receipts.append(ok(http.post("/api/elections/E/ballots", json=body), 201)["receipt"])  # type: ignore[index]
    ok(http.post("/api/elections/E/close"))
    result = ok(http.post("/api/elections/E/count"))
    assert result["elected"] == ["Member F000"]  # type: ignore[index]
    blt = http.get("/api/elections/E/box.blt").text
    assert list(METHODS["block"](parse_blt(blt), seed=3).elected) == ["Member F000"]
    found = ok(http.post("/api/elections/E/receipts", json={"receipt": receipts[3]}))
    assert found["marks"] == ["Member F001"]  # type: ignore[index]


def test_a_reused_credential_is_refused_with_the_reason(http: TestClient) -> None:
    slip = open_election(http)[0]
    body = {"credential": slip["credential"], "marks": ["Member F000"]}
    ok(http.post("/api/elections/E/ballots", json=body), 201)
    refused = http.post("/api/elections/E/ballots", json=body)
    assert refused.status_code == 409
    assert refused.json()["problems"][0]["field"] == "credential"


def test_too_many_marks_are_refused_over_http(http: TestClient) -> None:
    slip = open_election(http)[0]
    body = {"credential": slip["credential"], "marks": ["Member F000", "Member F001"]}
    refused = http.post("/api/elections/E/ballots", json=body)
    assert refused.status_code == 422
    assert "too many marks" in refused.json()["detail"]


def test_a_vote_after_the_close_is_refused_over_http(http: TestClient) -> None:
    slip = open_election(http)[0]
    ok(http.post("/api/elections/E/close"))
    body = {"credential": slip["credential"], "marks": []}
    refused = http.post("/api/elections/E/ballots", json=body)
    assert refused.status_code == 409
    assert "closed" in refused.json()["detail"]


def test_the_voting_page_needs_no_script_and_gives_a_receipt(http: TestClient) -> None:
    slip = open_election(http, method="irv")[0]
    start = http.get("/vote")
    assert 'name="viewport"' in start.text
    assert "<script" not in start.text.split("</head>")[1]
    paper = http.post("/vote", data={"election": "E", "credential": slip["credential"]})
    assert paper.status_code == 200
    assert 'select id="c0" name="c0"' in paper.text
    cast = http.post(
        "/vote/cast", data={"election": "E", "credential": slip["credential"], "c1": "1"}
    )
    assert cast.status_code == 200
    assert re.search(r'class="receipt" id="receipt">[0-9a-f]{4}(-[0-9a-f]{4}){4}<', cast.text)


def test_the_voting_page_names_a_wrong_credential(http: TestClient) -> None:
    open_election(http)
    page = http.post("/vote", data={"election": "E", "credential": "NOT-A-SLIP"})
    assert page.status_code == 422
    assert "is not a valid credential" in page.text


def test_the_voting_page_shows_the_ballot_again_when_marks_are_refused(http: TestClient) -> None:
    slip = open_election(http, method="irv")[0]
    form = {"election": "E", "credential": slip["credential"], "c0": "1", "c1": "1"}
    page = http.post("/vote/cast", data=form)
    assert page.status_code == 422
    assert "two candidates have preference 1" in page.text
    assert 'name="credential"' in page.text


def test_the_result_page_shows_charts_and_the_count_sheet(http: TestClient) -> None:
    slips = open_election(http, method="stv-scottish")
    for i, slip in enumerate(slips):
        marks = ["Member F000", "Member F001"] if i % 2 else ["Member F001"]
        ok(
            http.post(
                "/api/elections/E/ballots", json={"credential": slip["credential"], "marks": marks}
            ),
            201,
        )
    ok(http.post("/api/elections/E/close"))
    ok(http.post("/api/elections/E/count"))
    page = http.get("/elections/E")
    assert page.status_code == 200
    assert '<svg class="chart"' in page.text
    assert "Count sheet" in page.text
    assert "Stage 1" in page.text
    box = http.get("/elections/E/box")
    assert box.text.count("<code>") >= len(slips)


def test_pages_of_sittings_chain_and_offices_render(http: TestClient) -> None:
    open_election(http)
    ok(http.post("/api/chain", json={"body": "ROOT", "opened_on": "1918-01-01"}), 201)
    ok(
        http.post("/api/offices/GENSEC/terms", json={"holder": "F000", "started_on": "1921-03-16"}),
        201,
    )
    for path in (
        "/congresses",
        "/congresses/X",
        "/congresses/X/delegates",
        "/chain",
        "/offices",
        "/offices/GENSEC?on=1921-04-01",
        "/organs/CC",
        "/elections",
    ):
        assert http.get(path).status_code == 200, path
    assert "Member F000" in http.get("/offices/GENSEC?on=1921-04-01").text
    holders = ok(http.get("/api/offices/GENSEC/holders", params={"on": "1921-04-01"}))
    assert holders[0]["registry_id"] == "F000"  # type: ignore[index]


def test_an_office_is_held_and_ended_over_http(http: TestClient) -> None:
    ok(http.post("/api/offices", json={"code": "CHAIR", "title": "Chair"}), 201)
    ok(
        http.post("/api/offices/CHAIR/terms", json={"holder": "F000", "started_on": "1921-01-01"}),
        201,
    )
    ended = ok(http.post("/api/offices/CHAIR/end", json={"on": "1922-01-01", "reason": "resigned"}))
    assert ended[0]["end_reason"] == "resigned"  # type: ignore[index]
    assert ok(http.get("/api/offices/CHAIR/holders", params={"on": "1923-01-01"})) == []
    refused = http.post(
        "/api/organs/ROOT/seats/F000/vacate", json={"on": "1922-01-01", "reason": "died"}
    )
    assert refused.status_code == 404
