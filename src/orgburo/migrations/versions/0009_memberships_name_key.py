"""memberships carry the person's name key: a subtree's current members by name prefix

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 00:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

BINARY_STRING = sa.String().with_variant(sa.String(collation="C"), "postgresql")
CURRENT = sa.text("ended_on IS NULL")

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", BINARY_STRING, nullable=True))
    op.execute(
        "UPDATE memberships SET name_key ="
        " (SELECT persons.name_key FROM persons WHERE persons.id = memberships.person_id)"
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=BINARY_STRING, nullable=False)
        batch_op.create_index(
            "ix_memberships_current_by_name",
            ["body_id", "name_key", "person_id", "status"],
            unique=False,
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        )


def downgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_memberships_current_by_name", sqlite_where=CURRENT, postgresql_where=CURRENT
        )
        batch_op.drop_column("name_key")
