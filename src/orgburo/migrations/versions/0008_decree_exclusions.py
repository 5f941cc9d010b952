"""decree exclusions: sub-bodies of a decree's scope left out with their subtrees

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mobilization_exclusions",
        sa.Column("decree_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_mobilization_exclusions_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["decree_id"],
            ["mobilization_decrees.id"],
            name=op.f("fk_mobilization_exclusions_decree_id_mobilization_decrees"),
        ),
        sa.PrimaryKeyConstraint("decree_id", "body_id", name=op.f("pk_mobilization_exclusions")),
    )


def downgrade() -> None:
    op.drop_table("mobilization_exclusions")
