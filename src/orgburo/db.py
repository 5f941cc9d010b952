"""Engine, sessions and the unit of work.

The edge (an HTTP request or a CLI command) owns the transaction: it opens a
`unit_of_work`, calls services that only add and flush, and the unit commits once at
the end or rolls everything back. One command, one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Engine, MetaData, String, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeEngine

from orgburo.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Byte-order collation: prefix ranges and sort order must not depend on the locale.
BinaryString: TypeEngine[str] = String().with_variant(String(collation="C"), "postgresql")
JsonDocument: TypeEngine[Any] = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    """Declarative base for every table, with constraint names Alembic can rely on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


POOL_SIZE = 15  # connections a process keeps open to PostgreSQL, and its most at once


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get their folder, foreign keys and WAL."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True, **_server_options(url))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
    return engine


def _server_options(url: str) -> dict[str, Any]:
    if "postgresql" not in url:
        return {}
    # A query's best plan depends on its values (a city organization of 60,000 members or
    # a cell of 8; a rare or a common name prefix), so PostgreSQL plans each execution
    # instead of reusing the generic plan of a prepared statement.
    options = {"options": "-c plan_cache_mode=force_custom_plan"}
    # Keep every connection the web server may use at once (web/limits.py): with a smaller
    # pool, each burst closes the extra connections and the next opens them again, and a
    # new connection costs PostgreSQL a process and cold caches.
    return {"connect_args": options, "pool_size": POOL_SIZE, "max_overflow": 0}


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """One shared engine per URL in this process."""
    return make_engine(url)


def default_engine() -> Engine:
    """The engine for the configured database URL."""
    return engine_for(get_settings().database_url)


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    # A plain Session, not a `sessionmaker()` per call: each sessionmaker makes a Session
    # subclass, and SQLAlchemy copies every Session event listener onto each new class
    # (about a third of a millisecond per request).
    with Session(bind=engine or default_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
