"""Running the real CLI and HTTP app against a store that commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from typer.testing import CliRunner, Result
from sqlalchemy import Engine

from orgburo.cli import app
from orgburo.config import get_settings

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
