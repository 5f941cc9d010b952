"""A decree run through its pages' forms: issue, apportion, select, accept, assign, move."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from orgburo.db import unit_of_work
from orgburo.errors import Invalid
from orgburo.mobilizations.form_specs import role_lines, zone_shares
from orgburo.mobilizations.models import Decree, Entry
from tests.mobilizations.helpers import organization

ISSUE = {
    "code": "D1",
    "title": "Call-up for the Western Front",
    "issuing_body": "CC",
    "scope": "",
    "issued_on": "1920-04-26",
    "basis": "individual",
    "destination": "WEST",
    "term": "temporary",
    "term_months": "4",
    "quota_kind": "absolute",
    "total": "6",
    "subquota_name": "responsible",
    "subquota_rule": "responsible_position",
    "subquota_count": "2",
    "criteria": 'sex == "male"',
    "roles": "commissar | 2 | | red_army and responsible_position\ninstructor | 3 | RAIL",
}


def count(engine: Engine, model: type) -> int:
    with unit_of_work(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def posted(client: TestClient, address: str, form: dict[str, str]) -> str:
    """Post a form that must succeed; the address it redirects to."""
    answer = client.post(address, data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def issued(client: TestClient, engine: Engine) -> None:
    with unit_of_work(engine) as session:
        organization(session)
    assert posted(client, "/mobilizations", ISSUE) == "/mobilizations/D1"


def test_a_decree_runs_from_its_form_to_arrival(client: TestClient, fresh_engine: Engine) -> None:
    issued(client, fresh_engine)
    posted(client, "/mobilizations/D1/apportion", {"method": "webster", "floor": "0"})
    page = client.get("/mobilizations/D1").text
    assert 'href="/mobilizations/D1?body=NORTH"' in page
    posted(client, "/mobilizations/D1/select", {"on": "1920-05-01", "body": ""})
    back = posted(
        client, "/mobilizations/D1/move", {"id": "N1-a", "to": "accepted", "on": "1920-05-01"}
    )
    assert back.startswith("/mobilizations/D1/work?")
    posted(client, "/mobilizations/D1/bulk", {"to": "accepted", "on": "1920-05-01", "body": "CC"})
    posted(client, "/mobilizations/D1/assign", {})
    for to, on in (
        ("ordered", "1920-05-02"),
        ("dispatched", "1920-05-03"),
        ("arrived", "1920-05-20"),
    ):
        posted(client, "/mobilizations/D1/bulk", {"to": to, "on": on, "body": "CC"})
    work = client.get("/mobilizations/D1/work", params={"body": "N1"}).text
    assert work.count(">arrived <") == 3
    shown = client.get("/mobilizations/D1", params={"by": "month"}).text
    assert "<svg" in shown
    assert "Decreed, sent and arrived by month" in shown
    assert "1920-05" in shown


def test_a_refused_issue_shows_each_reason_beside_its_field_and_stores_nothing(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    wrong = {**ISSUE, "roles": "commissar | 2\nchaplain | 1", "total": "six", "zones": ""}
    page = client.post("/mobilizations", data=wrong)
    assert page.status_code == 422
    assert 'id="issue-quota-total-error"' in page.text
    assert "&#39;six&#39; is not a whole number" in page.text
    assert count(fresh_engine, Decree) == 0
    again = client.post("/mobilizations", data={**ISSUE, "roles": "commissar | 2\nchaplain | 1"})
    assert 'id="issue-roles-1-role-error"' in again.text
    assert 'value="Call-up for the Western Front"' in again.text
    assert count(fresh_engine, Decree) == 0


def test_exempting_without_a_reason_is_refused_beside_the_member(
    client: TestClient, fresh_engine: Engine
) -> None:
    issued(client, fresh_engine)
    posted(client, "/mobilizations/D1/apportion", {"method": "hamilton"})
    posted(client, "/mobilizations/D1/select", {"on": "1920-05-01"})
    before = count(fresh_engine, Entry)
    page = client.post(
        "/mobilizations/D1/move",
        data={"id": "N1-a", "to": "exempted", "on": "1920-05-02", "body": "N1"},
    )
    assert page.status_code == 422
    assert "reason: is required to mark a member exempted" in page.text
    assert count(fresh_engine, Entry) == before


def test_a_member_page_explains_the_score_and_the_role_fit(
    client: TestClient, fresh_engine: Engine
) -> None:
    issued(client, fresh_engine)
    posted(client, "/mobilizations/D1/apportion", {"method": "hamilton"})
    posted(client, "/mobilizations/D1/select", {"on": "1920-05-01"})
    page = client.get("/mobilizations/D1/members/N1-a").text
    assert '<strong id="status">proposed</strong>' in page
    assert "for the sub-quota “responsible”" in page
    assert page.count("met:") == 2


def test_an_administrator_adds_destinations_and_roles_from_the_list_page(
    client: TestClient, fresh_engine: Engine
) -> None:
    posted(client, "/mobilizations/destinations", {"code": "EAST", "name": "East", "kind": "front"})
    posted(client, "/mobilizations/roles", {"code": "inspector", "name": "Inspector"})
    page = client.get("/mobilizations").text
    assert "<td>EAST</td>" in page
    assert "<td>inspector</td>" in page
    refused = client.post(
        "/mobilizations/destinations", data={"code": "X", "name": "", "kind": "sea"}
    )
    assert refused.status_code == 422
    assert 'id="destination-kind-error"' in refused.text


def test_zone_shares_are_typed_as_a_list_with_a_default() -> None:
    assert zone_shares("front=50%, threatened = 1/2, default=20%") == (
        "20%",
        {"front": "50%", "threatened": "1/2"},
    )
    with pytest.raises(Invalid) as refused:
        zone_shares("front 50%")
    assert refused.value.problems[0].field == "quota.zones"


def test_role_lines_name_the_line_whose_count_is_wrong() -> None:
    lines = role_lines("commissar | 2 | | red_army\n\ninstructor | 3 | RAIL")
    assert [(r.role, r.count, r.destination, r.requirement) for r in lines] == [
        ("commissar", 2, None, "red_army"),
        ("instructor", 3, "RAIL", ""),
    ]
    with pytest.raises(Invalid) as refused:
        role_lines("commissar | two\ninstructor")
    assert [p.field for p in refused.value.problems] == ["roles[0].count", "roles[1].count"]
