"""Shared fixtures: a migrated store on SQLite and on PostgreSQL, one transaction per test.

Integration tests take the `engine` fixture and run once per backend. PostgreSQL gets a
database of its own per test run; when `CI` is set and the server cannot be reached the
run fails instead of skipping, so a green CI always means both backends were tested.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from orgburo.db import make_engine
from orgburo.migrations import upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "ORGBURO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("store") / "orgburo.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgresql_engine() -> Iterator[Engine]:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"orgburo_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and could not be used: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    engine = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
    upgrade(engine)
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """A migrated store; tests that take it run on both backends."""
    return request.getfixturevalue(f"{request.param}_engine")  # type: ignore[no-any-return]


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield session
    session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture
def fresh_engine(engine: Engine, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The store emptied before and after a test that must commit (imports, CLI runs)."""
    _empty(engine)
    yield engine
    _empty(engine)


def _empty(engine: Engine) -> None:
    from orgburo.models import Base

    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def data_dir() -> Path:
    return Path(__file__).parent / "data"


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    """Argon2 at production cost takes ~0.2 s a hash; tests hash at the lowest cost."""
    from argon2 import PasswordHasher

    from orgburo.accounts import service

    production = service.HASHER
    service.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    service.HASHER = production
