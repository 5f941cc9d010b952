"""Running the real CLI and HTTP app against a store that commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from orgburo.cli import app
from orgburo.config import get_settings
from orgburo.db import unit_of_work
from orgburo.web.app import create_app
from tests.factories import account

Run = Callable[..., Result]


@pytest.fixture
def run(fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    """`run("bodies", "import", path)`: the orgburo command on the test store."""
    url = fresh_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("ORGBURO_DATABASE_URL", url)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: object, input: str | None = None) -> Result:
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    yield invoke
    get_settings.cache_clear()


@pytest.fixture
def client(fresh_engine: Engine) -> Iterator[TestClient]:
    """An HTTP client on the application, bound to the test store, calling as an
    administrator with an API token."""
    with unit_of_work(fresh_engine) as session:
        token = account(session, "admin", admin=True)
    with TestClient(create_app(fresh_engine)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client


@pytest.fixture
def anonymous(fresh_engine: Engine) -> Iterator[TestClient]:
    """An HTTP client on the application that has not signed in."""
    with TestClient(create_app(fresh_engine), follow_redirects=False) as test_client:
        yield test_client
