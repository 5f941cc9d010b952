"""The HTTP API against its own OpenAPI description, with generated requests (schemathesis).

For every operation, anonymous and as an administrator: no server error, every status
is documented, and every response body matches the schema documented for its status.
Examples per operation are bounded to keep the run short.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from orgburo.db import make_engine, unit_of_work
from orgburo.migrations import upgrade
from orgburo.web.app import create_app
from tests.factories import account, member, small_tree

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


@pytest.fixture(scope="module")
def fuzzed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, str]]:
    """A store of its own (requests may change it) with a small tree, members and an admin."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/store.sqlite3")
    upgrade(engine)
    with unit_of_work(engine) as session:
        small_tree(session)
        for i, code in enumerate(("N1", "N2", "S1")):
            member(session, f"m{i}", code, status="candidate")
        token = account(session, "admin", admin=True)
    yield engine, token
    engine.dispose()


# The schema is read when the tests are collected; `store` then points the application
# at the module's own store before any request is made.
APP = create_app(make_engine("sqlite:///:memory:"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def admin_token(fuzzed_store: tuple[Engine, str]) -> str:
    APP.state.engine = fuzzed_store[0]
    return fuzzed_store[1]


@schema.parametrize()
@BOUNDED
def test_the_api_answers_anonymous_callers_as_documented(
    case: schemathesis.Case, admin_token: str
) -> None:
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_the_api_answers_an_administrator_as_documented(
    case: schemathesis.Case, admin_token: str
) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)
