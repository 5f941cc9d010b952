"""indexes for rewinding past censuses

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:52:23.861668
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member_events", schema=None) as batch_op:
        batch_op.create_index("ix_member_events_on", ["on"], unique=False)

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index("ix_memberships_ended_on", ["ended_on"], unique=False)
        batch_op.create_index("ix_memberships_started_on", ["started_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_memberships_started_on")
        batch_op.drop_index("ix_memberships_ended_on")

    with op.batch_alter_table("member_events", schema=None) as batch_op:
        batch_op.drop_index("ix_member_events_on")
