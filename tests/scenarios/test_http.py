"""Scenarios over HTTP: the API and the pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from orgburo.db import make_engine, unit_of_work
from orgburo.migrations import upgrade
from orgburo.web.app import create_app
from tests.factories import account
from tests.scenarios.conftest import REFERENCE, Replayed


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An administrator's client on a store of its own that holds no replay (the routes
    read shipped files and this store only, so one backend is enough here)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('empty') / 'empty.sqlite3'}")
    upgrade(engine)
    with unit_of_work(engine) as session:
        token = account(session, "admin", admin=True)
    with TestClient(create_app(engine)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client
    engine.dispose()


@pytest.fixture(scope="module")
def replayed_client(reference_sqlite: Replayed) -> Iterator[TestClient]:
    """An administrator's client on the store holding the reference replay."""
    with unit_of_work(reference_sqlite.engine) as session:
        token = account(session, "scenario-reader", admin=True)
    with TestClient(create_app(reference_sqlite.engine)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client


def test_the_api_lists_the_shipped_scenarios(client: TestClient) -> None:
    names = [s["name"] for s in client.get("/api/scenarios").json()]
    assert REFERENCE in names


def test_the_api_serves_a_timeline_in_date_order(client: TestClient) -> None:
    scenario = client.get(f"/api/scenarios/{REFERENCE}").json()
    dates = [s["on"] for s in scenario["steps"]]
    assert dates == sorted(dates)
    assert scenario["replay"] is None
    congress = next(s for s in scenario["steps"] if s["id"] == "eighth-congress")
    assert [p["reach"] for p in congress["details"]["into"]] == [220495, 29706, 63565]


def test_figures_of_a_store_without_the_replay_have_no_orgburo_value(client: TestClient) -> None:
    figures = client.get(f"/api/scenarios/{REFERENCE}/figures").json()
    assert figures["replay"] is None
    assert {f["orgburo"] for f in figures["figures"]} == {None}


def test_figures_of_the_replayed_store_all_agree(replayed_client: TestClient) -> None:
    figures = replayed_client.get(f"/api/scenarios/{REFERENCE}/figures").json()
    assert figures["replay"]["scale"] == "1/100"
    assert all(f["within"] for f in figures["figures"] if f["gap"] is None)
    assert not any(f["within"] for f in figures["figures"] if f["gap"] is not None)
    assert {f["kind"] for f in figures["figures"]} == {"input", "derived"}


def test_an_unknown_scenario_is_not_found(client: TestClient) -> None:
    response = client.get("/api/scenarios/nowhere")
    assert response.status_code == 404
    assert response.json()["problems"][0]["field"] == "scenario"


def test_the_scenario_page_draws_both_charts_and_the_figures(replayed_client: TestClient) -> None:
    page = replayed_client.get(f"/scenarios/{REFERENCE}").text
    assert page.count('<svg class="chart"') == 3
    assert "Call-ups by month" in page
    assert "known gap" in page
    assert "313,766" in page
    assert "The 8th Congress represents 313,766 members" in page


def test_the_list_page_links_each_scenario(client: TestClient) -> None:
    assert f'href="/scenarios/{REFERENCE}"' in client.get("/scenarios").text


def test_a_page_of_a_store_without_the_replay_says_how_to_make_one(client: TestClient) -> None:
    assert f"orgburo scenario run {REFERENCE}" in client.get(f"/scenarios/{REFERENCE}").text


def test_a_secretary_of_one_organization_sees_no_party_wide_values(
    reference_sqlite: Replayed,
) -> None:
    with unit_of_work(reference_sqlite.engine) as session:
        token = account(session, "mos-secretary", roles=(("secretary", "MOS"),))
    with TestClient(create_app(reference_sqlite.engine)) as secretary:
        secretary.headers["Authorization"] = f"Bearer {token}"
        figures = secretary.get(f"/api/scenarios/{REFERENCE}/figures").json()
        page = secretary.get(f"/scenarios/{REFERENCE}").text
    assert figures["readable"] is False
    assert {f["orgburo"] for f in figures["figures"]} == {None}
    assert "you may not read the census of the whole organization" in page
