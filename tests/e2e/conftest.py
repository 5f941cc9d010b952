"""Running the real CLI and HTTP app against a store that commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from orgburo.cli import app
from orgburo.config import get_settings
from orgburo.web.app import create_app

Run = Callable[..., Result]


@pytest.fixture
def run(fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    """`run("bodies", "import", path)`: the orgburo command on the test store."""
    url = fresh_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("ORGBURO_DATABASE_URL", url)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: object) -> Result:
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    yield invoke
    get_settings.cache_clear()


@pytest.fixture
def client(fresh_engine: Engine) -> Iterator[TestClient]:
    """An HTTP client on the application, bound to the test store."""
    with TestClient(create_app(fresh_engine)) as test_client:
        yield test_client
