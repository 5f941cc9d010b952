"""initial schema: bodies, registry, census tallies, audit trail

Revision ID: 0001
Revises:
Create Date: 2026-11-23 14:31:39.437119
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attribute_definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column(
            "choices",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribute_definitions")),
        sa.UniqueConstraint("name", name=op.f("uq_attribute_definitions_name")),
    )
    op.create_table(
        "bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "code", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=80), nullable=True),
        sa.Column("zone", sa.String(length=80), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("has_children", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["bodies.id"], name=op.f("fk_bodies_parent_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bodies")),
        sa.UniqueConstraint("code", name=op.f("uq_bodies_code")),
    )
    with op.batch_alter_table("bodies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bodies_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "external_id",
            sa.String().with_variant(sa.String(collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("social_situation", sa.String(length=20), nullable=True),
        sa.Column("occupation", sa.String(length=20), nullable=True),
        sa.Column("sex", sa.String(length=10), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("nationality", sa.String(length=80), nullable=True),
        sa.Column("industry", sa.String(length=80), nullable=True),
        sa.Column("workplace", sa.String(length=200), nullable=True),
        sa.Column("komsomol", sa.Boolean(), nullable=True),
        sa.Column("red_army", sa.Boolean(), nullable=True),
        sa.Column("trade_union", sa.Boolean(), nullable=True),
        sa.Column("responsible_position", sa.Boolean(), nullable=True),
        sa.Column("party_schooling", sa.Boolean(), nullable=True),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("died_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
        sa.UniqueConstraint("external_id", name=op.f("uq_persons_external_id")),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_persons_name"), ["name"], unique=False)

    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("target_type", sa.String(length=50), nullable=False),
        sa.Column("target_id", sa.String(length=100), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column(
            "before",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "after",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_audit_entries_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_audit_entries_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entries_hash")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_person_id"), ["person_id"], unique=False)

    op.create_table(
        "body_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column(
            "before",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "after",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_body_events_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body_events")),
    )
    with op.batch_alter_table("body_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_body_events_body_id"), ["body_id"], unique=False)

    op.create_table(
        "body_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ancestor_id", sa.Integer(), nullable=False),
        sa.Column("descendant_id", sa.Integer(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ancestor_id"], ["bodies.id"], name=op.f("fk_body_links_ancestor_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["descendant_id"], ["bodies.id"], name=op.f("fk_body_links_descendant_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body_links")),
    )
    with op.batch_alter_table("body_links", schema=None) as batch_op:
        batch_op.create_index(
            "ix_body_links_ancestry", ["descendant_id", "valid_to", "ancestor_id"], unique=False
        )
        batch_op.create_index(
            "ix_body_links_subtree", ["ancestor_id", "valid_to", "descendant_id"], unique=False
        )

    op.create_table(
        "census_tallies",
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("dimension", sa.String(length=80), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_census_tallies_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint(
            "body_id", "status", "dimension", "value", name=op.f("pk_census_tallies")
        ),
    )
    op.create_table(
        "member_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("attribute", sa.String(length=80), nullable=True),
        sa.Column("old_value", sa.String(length=300), nullable=True),
        sa.Column("new_value", sa.String(length=300), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_member_events_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_events")),
    )
    with op.batch_alter_table("member_events", schema=None) as batch_op:
        batch_op.create_index("ix_member_events_attribute_on", ["attribute", "on"], unique=False)
        batch_op.create_index("ix_member_events_person", ["person_id", "on"], unique=False)

    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("start_reason", sa.String(length=30), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=30), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_memberships_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_memberships_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index("ix_memberships_body_current", ["body_id", "ended_on"], unique=False)
        batch_op.create_index("ix_memberships_person", ["person_id", "started_on"], unique=False)
        batch_op.create_index(
            "uq_memberships_one_current",
            ["person_id"],
            unique=True,
            sqlite_where=sa.text("ended_on IS NULL"),
            postgresql_where=sa.text("ended_on IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_memberships_one_current",
            sqlite_where=sa.text("ended_on IS NULL"),
            postgresql_where=sa.text("ended_on IS NULL"),
        )
        batch_op.drop_index("ix_memberships_person")
        batch_op.drop_index("ix_memberships_body_current")

    op.drop_table("memberships")
    with op.batch_alter_table("member_events", schema=None) as batch_op:
        batch_op.drop_index("ix_member_events_person")
        batch_op.drop_index("ix_member_events_attribute_on")

    op.drop_table("member_events")
    op.drop_table("census_tallies")
    with op.batch_alter_table("body_links", schema=None) as batch_op:
        batch_op.drop_index("ix_body_links_subtree")
        batch_op.drop_index("ix_body_links_ancestry")

    op.drop_table("body_links")
    with op.batch_alter_table("body_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_body_events_body_id"))

    op.drop_table("body_events")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entries_person_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_body_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_action"))

    op.drop_table("audit_entries")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_name"))

    op.drop_table("persons")
    with op.batch_alter_table("bodies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bodies_parent_id"))

    op.drop_table("bodies")
    op.drop_table("attribute_definitions")
