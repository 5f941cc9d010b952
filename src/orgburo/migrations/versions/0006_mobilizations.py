"""mobilizations: destinations, roles, decrees, sub-quotas, zone shares, role lines, quotas,
endings, fit classes and entries

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 17:30:05.489301
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mobilization_destinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "code", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobilization_destinations")),
        sa.UniqueConstraint("code", name=op.f("uq_mobilization_destinations_code")),
    )
    op.create_table(
        "mobilization_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "code", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobilization_roles")),
        sa.UniqueConstraint("code", name=op.f("uq_mobilization_roles_code")),
    )
    op.create_table(
        "mobilization_endings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=True),
        sa.Column("destination_kind", sa.String(length=10), nullable=True),
        sa.Column("basis", sa.String(length=20), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_mobilization_endings_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["destination_id"],
            ["mobilization_destinations.id"],
            name=op.f("fk_mobilization_endings_destination_id_mobilization_destinations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobilization_endings")),
    )
    with op.batch_alter_table("mobilization_endings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mobilization_endings_body_id"), ["body_id"], unique=False
        )

    op.create_table(
        "mobilization_decrees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "code", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("issuing_body_id", sa.Integer(), nullable=False),
        sa.Column("scope_body_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=20), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=True),
        sa.Column("quota_kind", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("share", sa.String(length=40), nullable=True),
        sa.Column("congress_id", sa.Integer(), nullable=True),
        sa.Column("criteria", sa.String(length=2000), nullable=False),
        sa.Column("exemptions", sa.String(length=2000), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=True),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.Column("shortfall_accepted", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["congress_id"],
            ["congresses.id"],
            name=op.f("fk_mobilization_decrees_congress_id_congresses"),
        ),
        sa.ForeignKeyConstraint(
            ["destination_id"],
            ["mobilization_destinations.id"],
            name=op.f("fk_mobilization_decrees_destination_id_mobilization_destinations"),
        ),
        sa.ForeignKeyConstraint(
            ["issuing_body_id"],
            ["bodies.id"],
            name=op.f("fk_mobilization_decrees_issuing_body_id_bodies"),
        ),
        sa.ForeignKeyConstraint(
            ["scope_body_id"],
            ["bodies.id"],
            name=op.f("fk_mobilization_decrees_scope_body_id_bodies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobilization_decrees")),
        sa.UniqueConstraint("code", name=op.f("uq_mobilization_decrees_code")),
    )
    with op.batch_alter_table("mobilization_decrees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mobilization_decrees_issuing_body_id"), ["issuing_body_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mobilization_decrees_scope_body_id"), ["scope_body_id"], unique=False
        )

    op.create_table(
        "mobilization_fit_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decree_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=2000), nullable=False),
        sa.Column(
            "fits",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decree_id"],
            ["mobilization_decrees.id"],
            name=op.f("fk_mobilization_fit_classes_decree_id_mobilization_decrees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobilization_fit_classes")),
    )
    with op.batch_alter_table("mobilization_fit_classes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mobilization_fit_classes_decree_id"), ["decree_id"], unique=False
        )

    op.create_table(
        "mobilization_role_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decree_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("requirement", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["decree_id"],
            ["mobilization_decrees.id"],
            name=op.f("fk_mobilization_role_lines_decree_id_mobilization_decrees"),
        ),
        sa.ForeignKeyConstraint(
            ["destination_id"],
            ["mobilization_destinations.id"],
            name=op.f("fk_mobilization_role_lines_destination_id_mobilization_destinations"),
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["mobilization_roles.id"],
            name=op.f("fk_mobilization_role_lines_role_id_mobilization_roles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobilization_role_lines")),
        sa.UniqueConstraint(
            "decree_id", "position", name=op.f("uq_mobilization_role_lines_decree_id")
        ),
    )
    op.create_table(
        "mobilization_subquotas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decree_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("rule", sa.String(length=2000), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decree_id"],
            ["mobilization_decrees.id"],
            name=op.f("fk_mobilization_subquotas_decree_id_mobilization_decrees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobilization_subquotas")),
        sa.UniqueConstraint("decree_id", "name", name=op.f("uq_mobilization_subquotas_decree_id")),
    )
    op.create_table(
        "mobilization_zone_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decree_id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(length=80), nullable=False),
        sa.Column("share", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["decree_id"],
            ["mobilization_decrees.id"],
            name=op.f("fk_mobilization_zone_shares_decree_id_mobilization_decrees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobilization_zone_shares")),
        sa.UniqueConstraint(
            "decree_id", "zone", name=op.f("uq_mobilization_zone_shares_decree_id")
        ),
    )
    op.create_table(
        "mobilization_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decree_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("subquota_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("score_roles", sa.Integer(), nullable=False),
        sa.Column("score_standing", sa.Integer(), nullable=False),
        sa.Column("score_training", sa.Integer(), nullable=False),
        sa.Column("score_age", sa.Integer(), nullable=False),
        sa.Column("role_line_id", sa.Integer(), nullable=True),
        sa.Column("fit", sa.Integer(), nullable=True),
        sa.Column("fit_class_id", sa.Integer(), nullable=True),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("ordered_on", sa.Date(), nullable=True),
        sa.Column("dispatched_on", sa.Date(), nullable=True),
        sa.Column("arrived_on", sa.Date(), nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_mobilization_entries_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["decree_id"],
            ["mobilization_decrees.id"],
            name=op.f("fk_mobilization_entries_decree_id_mobilization_decrees"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_mobilization_entries_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["role_line_id"],
            ["mobilization_role_lines.id"],
            name=op.f("fk_mobilization_entries_role_line_id_mobilization_role_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["subquota_id"],
            ["mobilization_subquotas.id"],
            name=op.f("fk_mobilization_entries_subquota_id_mobilization_subquotas"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobilization_entries")),
        sa.UniqueConstraint(
            "decree_id", "person_id", name=op.f("uq_mobilization_entries_decree_id")
        ),
    )
    with op.batch_alter_table("mobilization_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mobilization_entries_body", ["decree_id", "body_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_mobilization_entries_person", ["person_id", "status"], unique=False
        )

    op.create_table(
        "mobilization_quotas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decree_id", sa.Integer(), nullable=False),
        sa.Column("subquota_id", sa.Integer(), nullable=True),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("demanded", sa.Integer(), nullable=False),
        sa.Column("own_demanded", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("own_eligible", sa.Integer(), nullable=False),
        sa.Column("shortfall", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_mobilization_quotas_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["decree_id"],
            ["mobilization_decrees.id"],
            name=op.f("fk_mobilization_quotas_decree_id_mobilization_decrees"),
        ),
        sa.ForeignKeyConstraint(
            ["subquota_id"],
            ["mobilization_subquotas.id"],
            name=op.f("fk_mobilization_quotas_subquota_id_mobilization_subquotas"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobilization_quotas")),
    )
    with op.batch_alter_table("mobilization_quotas", schema=None) as batch_op:
        batch_op.create_index("ix_mobilization_quotas_body", ["decree_id", "body_id"], unique=False)
        batch_op.create_index(
            "ix_mobilization_quotas_parent", ["decree_id", "parent_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mobilization_quotas", schema=None) as batch_op:
        batch_op.drop_index("ix_mobilization_quotas_parent")
        batch_op.drop_index("ix_mobilization_quotas_body")

    op.drop_table("mobilization_quotas")
    with op.batch_alter_table("mobilization_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_mobilization_entries_person")
        batch_op.drop_index("ix_mobilization_entries_body")

    op.drop_table("mobilization_entries")
    op.drop_table("mobilization_zone_shares")
    op.drop_table("mobilization_subquotas")
    op.drop_table("mobilization_role_lines")
    with op.batch_alter_table("mobilization_fit_classes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mobilization_fit_classes_decree_id"))

    op.drop_table("mobilization_fit_classes")
    with op.batch_alter_table("mobilization_decrees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mobilization_decrees_scope_body_id"))
        batch_op.drop_index(batch_op.f("ix_mobilization_decrees_issuing_body_id"))

    op.drop_table("mobilization_decrees")
    with op.batch_alter_table("mobilization_endings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mobilization_endings_body_id"))

    op.drop_table("mobilization_endings")
    op.drop_table("mobilization_roles")
    op.drop_table("mobilization_destinations")
