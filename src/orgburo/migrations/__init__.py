"""Alembic migrations; run them with `orgburo db upgrade` or `orgburo.migrations.upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).parent


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration bound to `engine`, without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection_engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of `engine`'s database up to `revision`."""
    command.upgrade(alembic_config(engine), revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None when it has no schema yet."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
