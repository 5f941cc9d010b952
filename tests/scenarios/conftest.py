"""Stores holding replays, shared by the scenario tests of a session.

The reference scenario is replayed once per backend: into a SQLite file at the scale
docs/figures.md is generated at (so the document can be checked against it), and into
a PostgreSQL database of its own at a smaller scale. Each store is separate from the
`engine` stores other tests empty and fill.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.db import make_engine, unit_of_work
from orgburo.migrations import upgrade
from orgburo.scenarios import figures, service
from orgburo.scenarios.figures import FigureValue
from orgburo.scenarios.loader import Loaded
from tests.conftest import POSTGRES_ADMIN_URL
from tests.e2e.conftest import run  # noqa: F401 (the CLI fixture, for these tests too)

REFERENCE = "rcpb_1917_1926"
DOC_SCALE = Fraction(1, 100)
SMALL_SCALE = Fraction(1, 1000)
DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"


@dataclass
class Replayed:
    """A store holding a replay of the reference scenario."""

    engine: Engine
    scale: Fraction
    loaded: Loaded
    path: Path | None = None
    _values: dict[str, FigureValue] | None = None

    def values(self) -> dict[str, FigureValue]:
        """The scenario's figures measured in the store, once."""
        if self._values is None:
            with unit_of_work(self.engine) as session:
                found = figures.measure(session, self.loaded.scenario, self.scale, SYSTEM)
            self._values = {v.figure.id: v for v in found}
        return self._values


@pytest.fixture(scope="session")
def reference_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replayed]:
    path = tmp_path_factory.mktemp("reference") / "reference.sqlite3"
    loaded = service.load(REFERENCE)
    engine, _ = service.replay_into_file(path, loaded, scale=DOC_SCALE, actor=SYSTEM)
    yield Replayed(engine, DOC_SCALE, loaded, path)
    engine.dispose()


@pytest.fixture(scope="session")
def reference_postgresql(request: pytest.FixtureRequest) -> Iterator[Replayed]:
    request.getfixturevalue("postgresql_engine")  # skips, or fails in CI, without a server
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"orgburo_reference_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
    upgrade(engine)
    loaded = service.load(REFERENCE)
    with unit_of_work(engine) as session:
        service.replay(session, loaded, scale=SMALL_SCALE, actor=SYSTEM)
    yield Replayed(engine, SMALL_SCALE, loaded)
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def reference(request: pytest.FixtureRequest) -> Replayed:
    """The reference scenario replayed, on each backend."""
    return request.getfixturevalue(f"reference_{request.param}")  # type: ignore[no-any-return]


@pytest.fixture
def sqlite_session(sqlite_engine: Engine) -> Iterator[Session]:
    """A rolled-back session on SQLite alone, for replay behaviour that does not depend
    on the backend (the replay's SQL runs on both in the tests that take `session`)."""
    connection = sqlite_engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield session
    session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture
def tiny() -> Loaded:
    """A small scenario using every kind of step."""
    return service.load(str(DATA / "tiny.yaml"))
