"""`POST /api/apportion` on a tiny app: the router, and OrgburoError mapped to its status."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from orgburo.apportionment.api import router
from orgburo.errors import Invalid, OrgburoError


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)

    @app.exception_handler(OrgburoError)
    async def handle(request: Request, error: OrgburoError) -> JSONResponse:
        problems = error.problems if isinstance(error, Invalid) else []
        body = {
            "detail": str(error),
            "problems": [{"field": p.field, "reason": p.reason, "row": p.row} for p in problems],
        }
        return JSONResponse(body, status_code=error.http_status)

    return TestClient(app)


def post(client: TestClient, method: str, seats: int, *parties: dict[str, Any]) -> Any:
    return client.post(
        "/api/apportion", json={"method": method, "seats": seats, "parties": parties}
    )


def test_dhondt_allocations_come_back_in_request_order(client: TestClient) -> None:
    response = post(
        client,
        "jefferson",
        10,
        {"name": "A", "weight": 6100},
        {"name": "B", "weight": 5000},
        {"name": "C", "weight": 900},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "method": "jefferson",
        "seats": 10,
        "allocations": [
            {"name": "A", "seats": 6},
            {"name": "B", "seats": 4},
            {"name": "C", "seats": 0},
        ],
        "ties": [],
    }


def test_floors_and_caps_bound_the_seats(client: TestClient) -> None:
    response = post(
        client,
        "webster",
        10,
        {"name": "Big", "weight": 900, "max": 3},
        {"name": "Small", "weight": 100, "min": 2},
        {"name": "Mid", "weight": 500},
    )
    assert [a["seats"] for a in response.json()["allocations"]] == [3, 2, 5]


def test_decimal_weights_as_strings_or_numbers_are_exact(client: TestClient) -> None:
    as_text = post(
        client, "webster", 3, {"name": "A", "weight": "0.1"}, {"name": "B", "weight": "0.2"}
    )
    as_number = post(
        client, "webster", 3, {"name": "A", "weight": 0.1}, {"name": "B", "weight": 0.2}
    )
    assert as_text.json() == as_number.json()
    assert [a["seats"] for a in as_text.json()["allocations"]] == [1, 2]


def test_a_tie_names_the_tied_parties(client: TestClient) -> None:
    response = post(
        client,
        "hamilton",
        2,
        {"name": "A", "weight": 1},
        {"name": "B", "weight": 1},
        {"name": "C", "weight": 1},
    )
    assert response.json()["ties"] == ["A", "B", "C"]
    assert [a["seats"] for a in response.json()["allocations"]] == [1, 1, 0]


def test_seats_below_the_floors_answer_422_naming_seats(client: TestClient) -> None:
    response = post(
        client,
        "adams",
        3,
        {"name": "A", "weight": 1, "min": 2},
        {"name": "B", "weight": 1, "min": 2},
    )
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "seats", "reason": "3 seats cannot cover the floors, which sum to 4", "row": None}
    ]


def test_a_cap_below_the_floor_answers_422_naming_the_party(client: TestClient) -> None:
    response = post(
        client,
        "adams",
        3,
        {"name": "A", "weight": 1},
        {"name": "B", "weight": 1, "min": 2, "max": 1},
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "parties[1].max"


def test_a_repeated_name_answers_422(client: TestClient) -> None:
    response = post(client, "adams", 3, {"name": "A", "weight": 1}, {"name": "A", "weight": 2})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "parties[1].name"


@pytest.mark.parametrize(
    "body",
    [
        {"method": "dhondt", "seats": 3, "parties": []},
        {"method": "adams", "seats": -1, "parties": []},
        {"method": "adams", "seats": 3, "parties": [{"name": "A", "weight": -1}]},
        {"method": "adams", "seats": 3, "parties": [{"name": "A", "weight": "1e5"}]},
        {"method": "adams", "seats": 3, "parties": [{"name": "A", "weight": True}]},
        {"method": "adams", "seats": 3, "parties": [{"name": "", "weight": 1}]},
        {"method": "adams", "seats": 3},
    ],
)
def test_a_malformed_body_answers_422(client: TestClient, body: dict[str, Any]) -> None:
    assert client.post("/api/apportion", json=body).status_code == 422
