"""Helping PostgreSQL plan the set-based statements of a large call-up.

Tables written a moment ago (a decree's quota rows, its first proposals) have no
statistics yet, and the planner then takes them for nearly empty and may join them by
nested loops, which at a million rows cost minutes. They are analyzed before they are
read again; sorts for the rankings get the memory to stay off disk. SQLite needs neither.
"""

from __future__ import annotations

from sqlalchemy import Table, text
from sqlalchemy.orm import Session

SORT_MEMORY = "256MB"


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def analyzed(session: Session, *tables: Table) -> None:
    """Refresh the planner's statistics of freshly written tables (PostgreSQL)."""
    if _postgres(session):
        session.flush()
        for table in tables:
            session.execute(text(f'ANALYZE "{table.name}"'))


def roomy_sorts(session: Session) -> None:
    """Let this transaction's sorts and hashes use more memory (PostgreSQL)."""
    if _postgres(session):
        session.execute(text(f"SET LOCAL work_mem = '{SORT_MEMORY}'"))
