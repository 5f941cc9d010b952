"""census snapshots: large subtrees on past month starts; body moves by date

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 18:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "census_snapshots",
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("dimension", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_census_snapshots_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint(
            "body_id", "on", "dimension", "status", "value", name=op.f("pk_census_snapshots")
        ),
    )
    with op.batch_alter_table("census_snapshots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_census_snapshots_on"), ["on"], unique=False)
    with op.batch_alter_table("body_events", schema=None) as batch_op:
        batch_op.create_index("ix_body_events_kind_on", ["kind", "on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("body_events", schema=None) as batch_op:
        batch_op.drop_index("ix_body_events_kind_on")
    with op.batch_alter_table("census_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_census_snapshots_on"))
    op.drop_table("census_snapshots")
