"""Alembic environment: runs migrations on the engine handed over by `orgburo.migrations`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from orgburo.db import default_engine
from orgburo.models import Base

engine: Engine = context.config.attributes.get("connection_engine") or default_engine()

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    context.run_migrations()
