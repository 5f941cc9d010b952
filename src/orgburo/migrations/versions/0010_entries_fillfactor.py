"""mobilization entries leave half of each page free, for assignment's in-place updates

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 03:10:00.000000

Assignment writes every open entry's role line, fit and class, none of them indexed: with
room on the row's page PostgreSQL updates it in place (a heap-only tuple) instead of
adding it again to the four indexes. Measured at a million members: the UPDATE of 65,000
entries 1.46 s at the default fill, 0.55 s at 50. Pages written from now on leave the
room; entries already stored keep theirs until the table is rewritten. SQLite has no
such setting.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE mobilization_entries SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE mobilization_entries RESET (fillfactor)")
