"""The HTTP API and the pages, through the application with a real store."""

from __future__ import annotations

from fastapi.testclient import TestClient

CC = {"code": "CC", "name": "Central Committee", "kind": "committee", "opened_on": "1918-01-01"}


def build(client: TestClient) -> None:
    assert client.post("/api/bodies", json=CC).status_code == 201
    for code, parent, kind in (
        ("NORTH", "CC", "committee"),
        ("N1", "NORTH", "primary_organization"),
    ):
        body = {
            "code": code,
            "name": code.title(),
            "kind": kind,
            "parent": parent,
            "opened_on": "1918-01-01",
        }
        assert client.post("/api/bodies", json=body).status_code == 201
    for i, social in enumerate(["worker", "worker", "peasant"]):
        admission = {
            "id": str(i),
            "name": f"Member {i}",
            "body": "N1",
            "on": "1920-01-01",
            "status": "full",
            "attributes": {"social_situation": social, "sex": "male"},
        }
        assert client.post("/api/members", json=admission).status_code == 201


def test_census_endpoint_counts_the_subtree(client: TestClient) -> None:
    build(client)
    census = client.get("/api/census", params={"body": "CC", "by": "social_situation"}).json()
    assert census["total"] == 3
    assert {c["values"]["social_situation"]: c["count"] for c in census["cells"]} == {
        "worker": 2,
        "peasant": 1,
    }


def test_census_endpoint_speaks_csv(client: TestClient) -> None:
    build(client)
    response = client.get("/api/census", params={"body": "CC", "by": "status", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines() == ["status,count,share", "full,3,1.0"]


def test_census_change_endpoint_pairs_two_dates(client: TestClient) -> None:
    build(client)
    change = client.get(
        "/api/census/change",
        params={"body": "CC", "by": "status", "start": "1919-01-01", "end": "1921-01-01"},
    ).json()
    assert (change["total_before"], change["total_after"]) == (0, 3)


def test_a_member_history_is_served(client: TestClient) -> None:
    build(client)
    assert (
        client.post("/api/members/0/transfer", json={"to": "NORTH", "on": "1921-01-01"}).status_code
        == 200
    )
    history = client.get("/api/members/0/history").json()
    assert [h["kind"] for h in history] == ["admitted", "transferred"]


def test_bad_input_names_the_field_and_the_reason(client: TestClient) -> None:
    build(client)
    response = client.post("/api/members/0/transfer", json={"to": "NOWHERE", "on": "1921-01-01"})
    assert response.status_code == 404
    assert response.json()["problems"] == [
        {"field": "body", "reason": "no body has the code 'NOWHERE'", "row": None}
    ]
    cycle = client.post("/api/bodies/CC/move", json={"parent": "N1", "on": "1921-01-01"})
    assert cycle.status_code == 422
    assert cycle.json()["problems"][0]["field"] == "parent"


def test_a_move_then_body_detail_shows_the_new_place(client: TestClient) -> None:
    build(client)
    other = {
        "code": "SOUTH",
        "name": "South",
        "kind": "committee",
        "parent": "CC",
        "opened_on": "1918-01-01",
    }
    client.post("/api/bodies", json=other)
    assert (
        client.post("/api/bodies/N1/move", json={"parent": "SOUTH", "on": "1922-01-01"}).status_code
        == 200
    )
    assert client.get("/api/bodies/N1").json()["ancestors"] == ["CC", "SOUTH"]
    assert [e["kind"] for e in client.get("/api/bodies/N1/history").json()] == ["opened", "moved"]


def test_roster_finds_members_by_name_prefix_and_id(client: TestClient) -> None:
    build(client)
    page = client.get("/api/bodies/CC/members", params={"q": "Member 1"}).json()
    assert [m["id"] for m in page["members"]] == ["1"]
    assert [
        m["id"] for m in client.get("/api/bodies/CC/members", params={"q": "2"}).json()["members"]
    ] == ["2"]
    first = client.get("/api/bodies/CC/members", params={"limit": 2}).json()
    assert len(first["members"]) == 2
    rest = client.get("/api/bodies/CC/members", params={"after": first["next_after"]}).json()
    assert [m["id"] for m in first["members"] + rest["members"]] == ["0", "1", "2"]


def test_pages_render_the_tree_a_body_a_member_and_the_census(client: TestClient) -> None:
    build(client)
    assert "Central Committee" in client.get("/bodies").text
    body_page = client.get("/bodies/CC").text
    assert "<svg" in body_page
    assert "Membership: 3" in body_page
    assert "Member 0" in client.get("/members/0").text
    census_page = client.get("/census", params={"body": "CC", "by": "social_situation,sex"}).text
    assert "<svg" in census_page
    assert "3 members" in census_page


def test_census_page_shows_the_error_beside_the_field(client: TestClient) -> None:
    build(client)
    response = client.get("/census", params={"body": "CC", "by": "shoe_size"})
    assert response.status_code == 422
    assert 'class="field-error"' in response.text
    assert "is not a dimension" in response.text


def test_openapi_lists_the_census_bodies_and_members(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/census", "/api/bodies", "/api/bodies/{code}", "/api/members/{id}/history"):
        assert path in paths
