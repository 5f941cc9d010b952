"""Mobilizations through the HTTP API: a decree from issue to arrival, and refusals."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from orgburo.db import unit_of_work
from orgburo.web.app import create_app
from tests.factories import account
from tests.mobilizations.helpers import organization

DECREE: dict[str, Any] = {
    "code": "D1",
    "title": "Call-up for the Western Front",
    "issuing_body": "CC",
    "issued_on": "1920-04-26",
    "basis": "individual",
    "destination": "WEST",
    "term": "temporary",
    "term_months": 4,
    "criteria": 'sex == "male"',
    "quota": {
        "kind": "absolute",
        "total": 6,
        "subquotas": [{"name": "responsible", "rule": "responsible_position", "count": 2}],
    },
    "roles": [
        {"role": "commissar", "count": 2, "requirement": "red_army and responsible_position"},
        {"role": "instructor", "count": 3, "destination": "RAIL"},
    ],
}
BASE = "/api/mobilizations"
D1 = f"{BASE}/decrees/D1"


def issued(client: TestClient, engine: Engine) -> dict[str, Any]:
    with unit_of_work(engine) as session:
        organization(session)
    response = client.post(f"{BASE}/decrees", json=DECREE)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def moved(client: TestClient, to: str, on: str) -> int:
    response = client.post(f"{D1}/status", json={"to": to, "on": on, "body": "CC"})
    assert response.status_code == 200, response.text
    return int(response.json()["moved"])


def ready_to_dispatch(client: TestClient, engine: Engine) -> None:
    issued(client, engine)
    assert client.post(f"{D1}/apportion", json={"method": "webster"}).status_code == 200
    assert client.post(f"{D1}/select", json={"on": "1920-05-01"}).status_code == 200
    moved(client, "accepted", "1920-05-01")
    assert client.post(f"{D1}/assign").status_code == 200
    moved(client, "ordered", "1920-05-02")


def entries(client: TestClient) -> list[dict[str, Any]]:
    return client.get(f"{D1}/entries").json()["entries"]  # type: ignore[no-any-return]


def test_a_decree_goes_from_issue_to_arrival_over_http(
    client: TestClient, fresh_engine: Engine
) -> None:
    made = issued(client, fresh_engine)
    assert (made["scope"], made["quota"], made["roles"][1]["destination"]) == ("CC", None, "RAIL")
    split = client.post(f"{D1}/apportion", json={"method": "webster"}).json()
    assert (split["demanded"], split["eligible"], split["shortfall"]) == (6, 8, 0)
    shown = client.get(D1).json()
    assert shown["quota"]["demanded"] == 6
    assert sorted(q["body"] for q in shown["quotas"]) == ["NORTH", "SOUTH"]
    proposed = client.post(f"{D1}/select", json={"on": "1920-05-01"}).json()
    assert (proposed["proposed"], proposed["by_subquota"]) == (6, {"responsible": 2})
    assert moved(client, "accepted", "1920-05-01") == 6
    assigned = client.post(f"{D1}/assign").json()
    assert assigned["assigned"] == 5
    for to, on in (("ordered", "1920-05-02"), ("dispatched", "1920-05-03")):
        assert moved(client, to, on) == 6
    assert moved(client, "arrived", "1920-05-20") == 6
    report = client.get(f"{BASE}/fulfilment", params={"decree": "D1", "by": "body"}).json()
    assert (report["total"]["decreed"], report["total"]["sent"], report["total"]["arrived"]) == (
        6,
        6,
        6,
    )
    by_role = client.get(f"{BASE}/fulfilment", params={"decree": "D1", "by": "role"}).json()
    assert {r["key"]: r["decreed"] for r in by_role["rows"]} == {
        "(no role)": 1,
        "commissar": 2,
        "instructor": 3,
    }


def test_a_decree_is_called_up_in_one_request(client: TestClient, fresh_engine: Engine) -> None:
    issued(client, fresh_engine)
    wrong = client.post(f"{D1}/call-up", json={"on": "1920-05-01", "method": "dhondt"})
    assert wrong.status_code == 422
    assert "method" in wrong.text
    done = client.post(f"{D1}/call-up", json={"on": "1920-05-01", "method": "webster"})
    assert done.status_code == 200, done.text
    called = done.json()
    assert (called["apportioned"]["demanded"], called["apportioned"]["method"]) == (6, "webster")
    assert (called["proposed"]["proposed"], called["proposed"]["by_subquota"]) == (
        6,
        {"responsible": 2},
    )
    assert called["assigned"]["assigned"] == sum(1 for e in entries(client) if e["role"])
    assert client.post(f"{D1}/call-up", json={"on": "1920-05-01"}).status_code == 409


def test_fulfilment_comes_as_csv_with_a_total_row(client: TestClient, fresh_engine: Engine) -> None:
    ready_to_dispatch(client, fresh_engine)
    moved(client, "dispatched", "1920-05-03")
    answer = client.get(
        f"{BASE}/fulfilment", params={"decree": "D1", "by": "month", "format": "csv"}
    )
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.text.splitlines() == [
        "key,label,decreed,sent,arrived",
        "1920-04,1920-04,6,0,0",
        "1920-05,1920-05,0,6,0",
        ",total,6,6,0",
    ]


def test_explain_gives_the_score_parts_and_the_fit_of_every_line(
    client: TestClient, fresh_engine: Engine
) -> None:
    ready_to_dispatch(client, fresh_engine)
    found = client.get(f"{D1}/members/N1-a").json()
    parts = found["score"]
    assert parts["total"] == parts["roles"] + parts["standing"] + parts["training"] + parts["age"]
    assert (parts["roles"], parts["training"]) == (20, 5)  # both lines met; served in the army
    assert [(line["role"], line["met"]) for line in found["lines"]] == [
        ("commissar", True),
        ("instructor", True),
    ]


def test_an_unknown_role_is_refused_naming_the_field_and_nothing_is_stored(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    wrong = {**DECREE, "roles": [*DECREE["roles"], {"role": "chaplain", "count": 1}]}
    refused = client.post(f"{BASE}/decrees", json=wrong)
    assert refused.status_code == 422
    assert {p["field"] for p in refused.json()["problems"]} == {"roles[2].role"}
    assert client.get(f"{BASE}/decrees").json() == []


def test_an_officer_outside_the_issuing_body_is_refused(fresh_engine: Engine) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
        token = account(session, "north", roles=(("secretary", "NORTH"),))
    with TestClient(create_app(fresh_engine)) as north:
        north.headers["Authorization"] = f"Bearer {token}"
        refused = north.post(f"{BASE}/decrees", json={**DECREE, "issuing_body": "SOUTH"})
        allowed = north.post(f"{BASE}/decrees", json={**DECREE, "issuing_body": "NORTH"})
        listed = north.get(f"{BASE}/decrees").json()
    assert refused.status_code == 403
    assert refused.json()["problems"][0]["field"] == "issuing_body"
    assert allowed.status_code == 201
    assert [d["issuing_body"] for d in listed] == ["NORTH"]


def test_a_member_dispatched_twice_is_refused_and_nothing_changes(
    client: TestClient, fresh_engine: Engine
) -> None:
    ready_to_dispatch(client, fresh_engine)
    once = client.post(f"{D1}/members/N1-a/status", json={"to": "dispatched", "on": "1920-05-03"})
    assert (once.status_code, once.json()["status"]) == (200, "dispatched")
    before = entries(client)
    twice = client.post(f"{D1}/members/N1-a/status", json={"to": "dispatched", "on": "1920-05-04"})
    assert twice.status_code == 409
    assert twice.json()["problems"][0]["field"] == "status"
    assert entries(client) == before


def test_a_swap_puts_another_eligible_member_in_the_place(
    client: TestClient, fresh_engine: Engine
) -> None:
    issued(client, fresh_engine)
    client.post(f"{D1}/apportion", json={"method": "hamilton"})
    client.post(f"{D1}/select", json={"on": "1920-05-01"})
    found = entries(client)
    listed = {e["id"]: e["status"] for e in found}
    spare = next(p for p in ("N1-a", "N1-b", "N1-c", "N1-d") if p not in listed)
    # a member filling no sub-quota: the spare need not be responsible personnel
    taken = next(e["id"] for e in found if e["body"] == "N1" and e["subquota"] is None)
    swapped = client.post(
        f"{D1}/members/{taken}/swap", json={"with": spare, "on": "1920-05-02", "reason": "ill"}
    )
    assert swapped.status_code == 200, swapped.text
    assert swapped.json()["id"] == spare
    after = {e["id"]: e["status"] for e in entries(client)}
    assert (after[taken], after[spare]) == ("replaced", listed[taken])


def test_entries_come_in_pages(client: TestClient, fresh_engine: Engine) -> None:
    ready_to_dispatch(client, fresh_engine)
    first = client.get(f"{D1}/entries", params={"limit": 4}).json()
    rest = client.get(f"{D1}/entries", params={"limit": 4, "offset": 4}).json()
    assert (len(first["entries"]), first["has_more"]) == (4, True)
    assert (len(rest["entries"]), rest["has_more"]) == (2, False)
    assert {e["id"] for e in first["entries"]}.isdisjoint(e["id"] for e in rest["entries"])


def test_destinations_and_roles_are_listed_and_added_by_administrators(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    added = client.post(f"{BASE}/destinations", json={"code": "EAST", "name": "E", "kind": "front"})
    assert added.status_code == 201
    assert [d["code"] for d in client.get(f"{BASE}/destinations").json()] == [
        "EAST",
        "RAIL",
        "WEST",
    ]
    wrong = client.post(f"{BASE}/roles", json={"code": "x y", "name": ""})
    assert wrong.status_code == 422
    assert {p["field"] for p in wrong.json()["problems"]} >= {"name"}


def test_a_kind_ended_refuses_later_decrees(client: TestClient, fresh_engine: Engine) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    ended = client.post(
        f"{BASE}/endings", json={"body": "CC", "from_on": "1920-01-01", "destination_kind": "front"}
    )
    assert (ended.status_code, ended.json()["kind"]) == (
        201,
        "mobilizations to the front sector",
    )
    refused = client.post(f"{BASE}/decrees", json=DECREE)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "issued_on"


def test_a_decree_leaving_out_a_body_reads_back_with_it_and_gives_it_no_quota(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    lean = {**DECREE, "excluded": ["NORTH"], "quota": {"kind": "absolute", "total": 2}}
    made = client.post(f"{BASE}/decrees", json=lean)
    assert made.status_code == 201, made.text
    assert made.json()["excluded"] == ["NORTH"]
    assert client.post(f"{D1}/apportion", json={}).status_code == 200
    found = client.get(D1).json()
    assert found["excluded"] == ["NORTH"]
    assert [q["body"] for q in found["quotas"]] == ["SOUTH"]
    unknown = client.post(f"{BASE}/decrees", json={**lean, "code": "D2", "excluded": ["MOON"]})
    assert unknown.status_code == 422
    assert [p["field"] for p in unknown.json()["problems"]] == ["excluded[0]"]
    assert [d["code"] for d in client.get(f"{BASE}/decrees").json()] == ["D1"]
