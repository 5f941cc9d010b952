"""A decree run through its pages' forms: issue, apportion, select, accept, assign, move;
and a kind of mobilization ended from the list page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from orgburo.db import unit_of_work
from orgburo.errors import Invalid
from orgburo.mobilizations.form_specs import role_lines, subquota_lines, zone_shares
from orgburo.mobilizations.models import Decree, Ending, Entry, SubQuota
from orgburo.web.app import create_app
from tests.factories import account
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
    "subquotas": "responsible | responsible_position | 2",
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


def test_a_decree_is_called_up_from_its_page_in_one_step(
    client: TestClient, fresh_engine: Engine
) -> None:
    issued(client, fresh_engine)
    assert "Call up in one step" in client.get("/mobilizations/D1").text
    page = client.post("/mobilizations/D1/call-up", data={"on": "someday", "method": "hamilton"})
    assert page.status_code == 422
    assert "is not a date in the form YYYY-MM-DD" in page.text
    assert count(fresh_engine, Entry) == 0
    posted(client, "/mobilizations/D1/call-up", {"on": "1920-05-01", "method": "webster"})
    assert count(fresh_engine, Entry) == 6
    shown = client.get("/mobilizations/D1").text
    assert "apportioned by webster" in shown
    assert "Call up in one step" not in shown


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


def test_subquota_lines_name_the_line_that_is_wrong() -> None:
    lines = subquota_lines("responsible | responsible_position | 2\n\nsoldiers | red_army | 1")
    assert [(q.name, q.rule, q.count) for q in lines] == [
        ("responsible", "responsible_position", 2),
        ("soldiers", "red_army", 1),
    ]
    with pytest.raises(Invalid) as refused:
        subquota_lines("a | red_army | two\nb | red_army\nc | red_army | 1 | 2")
    assert [p.field for p in refused.value.problems] == [
        "quota.subquotas[0].count",
        "quota.subquotas[1].count",
        "quota.subquotas[2]",
    ]


def test_a_decree_with_two_subquotas_is_issued_through_the_form(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    lines = "responsible | responsible_position | 2\nsoldiers | red_army | 3"
    assert posted(client, "/mobilizations", {**ISSUE, "subquotas": lines}) == "/mobilizations/D1"
    with unit_of_work(fresh_engine) as session:
        stored = session.scalars(select(SubQuota).order_by(SubQuota.id)).all()
        assert [(q.name, q.rule, q.count) for q in stored] == [
            ("responsible", "responsible_position", 2),
            ("soldiers", "red_army", 3),
        ]


def test_a_bad_subquota_line_is_reported_beside_the_field_and_nothing_is_stored(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    lines = "responsible | responsible_position | 2\nsoldiers | red_army | three"
    page = client.post("/mobilizations", data={**ISSUE, "subquotas": lines})
    assert page.status_code == 422
    assert 'id="issue-quota-subquotas-1-count-error"' in page.text
    assert "soldiers | red_army | three</textarea>" in page.text
    assert count(fresh_engine, Decree) == 0


def officer_of(engine: Engine, body: str) -> TestClient:
    """A client calling as the secretary of `body`."""
    with unit_of_work(engine) as session:
        organization(session)
        token = account(session, "officer", roles=(("secretary", body),))
    client = TestClient(create_app(engine), follow_redirects=False)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


ENDING = {
    "body": "NORTH",
    "from_on": "1920-05-01",
    "destination": "",
    "destination_kind": "front",
    "basis": "",
    "note": "peace in the west",
}


def test_an_officer_ends_a_kind_from_the_list_page_and_later_decrees_of_it_are_refused(
    fresh_engine: Engine,
) -> None:
    with officer_of(fresh_engine, "NORTH") as north:
        assert posted(north, "/mobilizations/endings", ENDING) == "/mobilizations#endings"
        listed = north.get("/mobilizations").text
        later = {**ISSUE, "issuing_body": "NORTH", "issued_on": "1920-06-01"}
        refused = north.post("/mobilizations", data=later)
    assert "<td>mobilizations to the front sector</td>" in listed
    assert "peace in the west" in listed
    assert refused.status_code == 422
    assert 'id="issue-issued_on-error"' in refused.text
    assert count(fresh_engine, Decree) == 0


def test_an_officer_may_not_end_a_kind_outside_their_bodies(fresh_engine: Engine) -> None:
    with officer_of(fresh_engine, "NORTH") as north:
        page = north.post("/mobilizations/endings", data={**ENDING, "body": "SOUTH"})
    assert page.status_code == 403
    assert 'id="ending-body-error"' in page.text
    assert count(fresh_engine, Ending) == 0


def test_a_refused_ending_keeps_what_was_typed_and_names_the_field(fresh_engine: Engine) -> None:
    with officer_of(fresh_engine, "NORTH") as north:
        page = north.post("/mobilizations/endings", data={**ENDING, "basis": "voluntary"})
    assert page.status_code == 422
    assert 'id="ending-basis-error"' in page.text
    assert 'value="peace in the west"' in page.text
    assert count(fresh_engine, Ending) == 0


def test_bodies_typed_as_left_out_are_stored_and_shown_on_the_decree_page(
    client: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        organization(session)
    wrong = client.post("/mobilizations", data={**ISSUE, "excluded": "N1, MOON"})
    assert wrong.status_code == 422
    assert 'id="issue-excluded-1-error"' in wrong.text
    assert 'value="N1, MOON"' in wrong.text
    assert count(fresh_engine, Decree) == 0
    assert posted(client, "/mobilizations", {**ISSUE, "excluded": "N1, S1"}) == "/mobilizations/D1"
    assert "not counting N1, S1" in client.get("/mobilizations/D1").text
