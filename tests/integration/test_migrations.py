"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from orgburo.models import Base


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_table_options_of_the_models_are_set_by_the_migrations(postgresql_engine: Engine) -> None:
    # compare_metadata does not look at storage options such as a fill factor.
    with postgresql_engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            wanted = table.dialect_options["postgresql"]["with"] or {}
            found = connection.scalar(
                text("SELECT reloptions FROM pg_class WHERE relname = :name"),
                {"name": table.name},
            )
            options = dict(option.split("=", 1) for option in found or [])
            assert options == {k: str(v) for k, v in wanted.items()}, table.name
