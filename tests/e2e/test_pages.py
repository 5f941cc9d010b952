"""The pages secretaries use: dashboard, search, member forms, imports and the audit trail."""

from __future__ import annotations

import time
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from orgburo.db import unit_of_work
from orgburo.web.app import create_app
from tests.factories import account, body, member, small_tree

TODAY = date.today().isoformat()
HEADER = "id,name,body,status,joined,social_situation,occupation,sex,birth_year,nationality\n"


def build(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        small_tree(session)
        member(session, "1", "N1", status="candidate")
        member(session, "2", "S1")


def as_user(
    engine: Engine, name: str, *roles: tuple[str, str], member_id: str | None = None
) -> TestClient:
    with unit_of_work(engine) as session:
        token = account(session, name, roles=roles, member_id=member_id)
    client = TestClient(create_app(engine), follow_redirects=False)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_a_secretary_starts_on_their_body_dashboard(fresh_engine: Engine) -> None:
    build(fresh_engine)
    secretary = as_user(fresh_engine, "sec", ("secretary", "NORTH"))
    assert secretary.get("/").headers["location"] == "/bodies/NORTH"


def test_an_ordinary_member_starts_on_their_own_record(fresh_engine: Engine) -> None:
    build(fresh_engine)
    own = as_user(fresh_engine, "m", member_id="1")
    assert own.get("/").headers["location"] == "/members/1"


def test_the_dashboard_shows_membership_recent_changes_and_links(client: TestClient) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    page = client.get("/bodies/CC").text
    assert "Membership: 2" in page
    assert "member admitted" in page
    assert 'href="/bodies/CC/import"' in page


def test_the_trend_draws_a_line_per_value_over_the_dates(client: TestClient) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    fragment = client.get(
        "/bodies/CC/trend", params={"by": "status"}, headers={"HX-Request": "true"}
    ).text
    assert fragment.count("<polyline") == 3  # all members, full, candidate
    assert "<html" not in fragment


def test_the_trend_is_a_page_of_its_own_without_javascript(client: TestClient) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    assert "<html" in client.get("/bodies/CC/trend").text


def test_the_search_box_finds_members_in_ones_subtree(fresh_engine: Engine) -> None:
    build(fresh_engine)
    secretary = as_user(fresh_engine, "sec", ("secretary", "NORTH"))
    found = secretary.get("/search", params={"q": "member"}, follow_redirects=True).text
    assert "Member 1" in found
    assert "Member 2" not in found


def test_the_roster_fragment_answers_htmx(client: TestClient) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    fragment = client.get(
        "/bodies/CC/members",
        params={"q": "mem", "where": "sex=male"},
        headers={"HX-Request": "true", "HX-Target": "roster"},
    ).text
    assert "Member 1" in fragment
    assert "<html" not in fragment


def test_a_confirmation_form_changes_the_member_and_returns_to_the_page(
    client: TestClient,
) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    response = client.post("/members/1/confirm", data={"on": TODAY}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/members/1")
    assert "Full member of" in client.get("/members/1").text


def test_a_refused_transfer_shows_the_reason_beside_the_field(client: TestClient) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    response = client.post("/members/1/transfer", data={"to": "NOWHERE", "on": TODAY})
    assert response.status_code == 404
    assert 'id="transfer-body-error"' in response.text
    assert "no body has the code" in response.text


def test_a_bad_date_is_shown_beside_the_date_field(client: TestClient) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    response = client.post("/members/1/end", data={"reason": "left", "on": "yesterday"})
    assert response.status_code == 422
    assert 'id="end-on-error"' in response.text


def test_a_control_commission_sees_no_change_forms(fresh_engine: Engine) -> None:
    build(fresh_engine)
    with unit_of_work(fresh_engine) as session:
        body(session, "NCC", "NORTH", kind="commission")
    controller = as_user(fresh_engine, "ctl", ("control_commission", "NCC"))
    page = controller.get("/members/1")
    assert page.status_code == 200
    assert "Record a change" not in page.text


def test_an_import_runs_in_the_background_and_reports_when_done(client: TestClient) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    rows = HEADER + "10,Ten Members,N1,full,1920-01-01,worker,worker,male,1890,A\n"
    started = client.post(
        "/bodies/NORTH/import", files={"file": ("m.csv", rows.encode())}, follow_redirects=False
    )
    job = started.headers["location"]
    for _ in range(100):
        progress = client.get(f"{job}/progress").text
        if "Done." in progress:
            break
        time.sleep(0.05)
    assert "1 members registered" in progress


def test_an_import_with_rows_outside_the_body_lists_them_and_imports_nothing(
    client: TestClient,
) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    rows = HEADER + "10,Ten Members,S1,full,1920-01-01,worker,worker,male,1890,A\n"
    job = client.post(
        "/bodies/NORTH/import", files={"file": ("m.csv", rows.encode())}, follow_redirects=False
    )
    for _ in range(100):
        progress = client.get(f"{job.headers['location']}/progress").text
        if "Nothing was imported" in progress:
            break
        time.sleep(0.05)
    assert "row 1, body: &#39;S1&#39; is outside &#39;NORTH&#39;" in progress


def test_an_upload_that_is_not_csv_or_parquet_is_refused_beside_the_field(
    client: TestClient,
) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    response = client.post("/bodies/NORTH/import", files={"file": ("m.xls", b"x")})
    assert response.status_code == 422
    assert 'id="file-error"' in response.text


def test_the_audit_pages_list_the_changes_of_a_subtree_and_of_a_member(
    client: TestClient,
) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    client.post("/members/1/confirm", data={"on": TODAY})
    body_trail = client.get("/bodies/NORTH/audit").text
    assert "member confirmed" in body_trail
    assert 'href="/members/2"' not in body_trail
    assert "member confirmed" in client.get("/members/1/audit").text


def test_the_audit_api_pages_newest_first(client: TestClient) -> None:
    build(client.app.state.engine)  # type: ignore[attr-defined]
    first = client.get("/api/bodies/CC/audit", params={"limit": 2}).json()
    rest = client.get(
        "/api/bodies/CC/audit", params={"before": first["next_before"], "limit": 50}
    ).json()
    ids = [e["id"] for e in first["entries"] + rest["entries"]]
    assert ids == sorted(ids, reverse=True)
    assert rest["next_before"] is None


def test_an_unknown_address_is_a_page_not_a_stack_trace(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "That did not work" in response.text


def statements_of(engine: Engine, client: TestClient, path: str) -> list[str]:
    """The statements one request runs, after a first request has kept the actor."""
    client.get(path)
    statements: list[str] = []

    def listen(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return statements


def test_a_member_page_costs_a_secretary_five_statements(fresh_engine: Engine) -> None:
    """The person is read with the body they belong to, which the access check needs:
    person, subtree check, spells, attribute catalog, events."""
    build(fresh_engine)
    client = as_user(fresh_engine, "sec", ("secretary", "NORTH"))
    assert len(statements := statements_of(fresh_engine, client, "/members/1")) == 5, statements


def test_a_search_costs_a_secretary_three_statements(fresh_engine: Engine) -> None:
    """The body with the access check, the registry id probe, the roster (the sizes that
    choose its plan are kept from the first search)."""
    build(fresh_engine)
    client = as_user(fresh_engine, "sec", ("secretary", "NORTH"))
    path = "/bodies/NORTH/members?q=Mem"
    assert len(statements := statements_of(fresh_engine, client, path)) == 3, statements
