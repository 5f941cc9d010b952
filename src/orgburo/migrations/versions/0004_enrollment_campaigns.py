"""enrollment campaigns: groups, applications, recommendations, meetings, votes, stage reviews

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:06:59.914771
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "enrollment_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "code", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("eligibility", sa.String(length=2000), nullable=False),
        sa.Column("recommenders_required", sa.Integer(), nullable=False),
        sa.Column("recommender_standing_months", sa.Integer(), nullable=False),
        sa.Column("workers_meeting_allowed", sa.Boolean(), nullable=False),
        sa.Column("candidate_stage_months", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_enrollment_campaigns_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_campaigns")),
        sa.UniqueConstraint("code", name=op.f("uq_enrollment_campaigns_code")),
    )
    with op.batch_alter_table("enrollment_campaigns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrollment_campaigns_body_id"), ["body_id"], unique=False
        )

    op.create_table(
        "enrollment_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("rule", sa.String(length=2000), nullable=False),
        sa.Column("target", sa.Integer(), nullable=True),
        sa.Column("ceiling", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["enrollment_campaigns.id"],
            name=op.f("fk_enrollment_groups_campaign_id_enrollment_campaigns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_groups")),
        sa.UniqueConstraint("campaign_id", "name", name=op.f("uq_enrollment_groups_campaign_id")),
    )
    op.create_table(
        "enrollment_joint_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column(
            "ref", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("workplace", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_enrollment_joint_applications_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["enrollment_campaigns.id"],
            name=op.f("fk_enrollment_joint_applications_campaign_id_enrollment_campaigns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_joint_applications")),
        sa.UniqueConstraint(
            "campaign_id", "ref", name=op.f("uq_enrollment_joint_applications_campaign_id")
        ),
    )
    op.create_table(
        "enrollment_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("members_on_roll", sa.Integer(), nullable=True),
        sa.Column("members_present", sa.Integer(), nullable=False),
        sa.Column("non_party_present", sa.Integer(), nullable=False),
        sa.Column("workplace", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_enrollment_meetings_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["enrollment_campaigns.id"],
            name=op.f("fk_enrollment_meetings_campaign_id_enrollment_campaigns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_meetings")),
        sa.UniqueConstraint(
            "campaign_id",
            "body_id",
            "kind",
            "held_on",
            name=op.f("uq_enrollment_meetings_campaign_id"),
        ),
    )
    op.create_table(
        "enrollment_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column(
            "ref", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("joint_id", sa.Integer(), nullable=True),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column(
            "registry_id",
            sa.String().with_variant(sa.String(collation="C"), "postgresql"),
            nullable=True,
        ),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column(
            "attributes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("stage_ends_on", sa.Date(), nullable=True),
        sa.Column("stage_outcome", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_enrollment_applications_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["enrollment_campaigns.id"],
            name=op.f("fk_enrollment_applications_campaign_id_enrollment_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["joint_id"],
            ["enrollment_joint_applications.id"],
            name=op.f("fk_enrollment_applications_joint_id_enrollment_joint_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_enrollment_applications_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_applications")),
        sa.UniqueConstraint(
            "campaign_id", "ref", name=op.f("uq_enrollment_applications_campaign_id")
        ),
    )
    with op.batch_alter_table("enrollment_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrollment_applications_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            "ix_enrollment_applications_registry", ["campaign_id", "registry_id"], unique=False
        )
        batch_op.create_index(
            "ix_enrollment_applications_same",
            ["campaign_id", "body_id", "name", "birth_year"],
            unique=False,
        )
        batch_op.create_index(
            "ix_enrollment_applications_status",
            ["campaign_id", "status", "decided_on"],
            unique=False,
        )

    op.create_table(
        "enrollment_group_matches",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["enrollment_applications.id"],
            name=op.f("fk_enrollment_group_matches_application_id_enrollment_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["enrollment_groups.id"],
            name=op.f("fk_enrollment_group_matches_group_id_enrollment_groups"),
        ),
        sa.PrimaryKeyConstraint(
            "application_id", "group_id", name=op.f("pk_enrollment_group_matches")
        ),
    )
    with op.batch_alter_table("enrollment_group_matches", schema=None) as batch_op:
        batch_op.create_index(
            "ix_enrollment_group_matches_group", ["group_id", "application_id"], unique=False
        )

    op.create_table(
        "enrollment_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("recommender_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("standing_months", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["enrollment_applications.id"],
            name=op.f("fk_enrollment_recommendations_application_id_enrollment_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["recommender_id"],
            ["persons.id"],
            name=op.f("fk_enrollment_recommendations_recommender_id_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_recommendations")),
        sa.UniqueConstraint(
            "application_id",
            "recommender_id",
            name=op.f("uq_enrollment_recommendations_application_id"),
        ),
    )
    with op.batch_alter_table("enrollment_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrollment_recommendations_recommender_id"),
            ["recommender_id"],
            unique=False,
        )

    op.create_table(
        "enrollment_stage_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("extended_to", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["enrollment_applications.id"],
            name=op.f("fk_enrollment_stage_reviews_application_id_enrollment_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_stage_reviews")),
    )
    with op.batch_alter_table("enrollment_stage_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrollment_stage_reviews_application_id"),
            ["application_id"],
            unique=False,
        )

    op.create_table(
        "enrollment_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("abstained", sa.Integer(), nullable=False),
        sa.Column("carried", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["enrollment_applications.id"],
            name=op.f("fk_enrollment_votes_application_id_enrollment_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["enrollment_meetings.id"],
            name=op.f("fk_enrollment_votes_meeting_id_enrollment_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_votes")),
        sa.UniqueConstraint(
            "application_id", "kind", name=op.f("uq_enrollment_votes_application_id")
        ),
    )
    with op.batch_alter_table("enrollment_votes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrollment_votes_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("enrollment_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrollment_votes_meeting_id"))

    op.drop_table("enrollment_votes")
    with op.batch_alter_table("enrollment_stage_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrollment_stage_reviews_application_id"))

    op.drop_table("enrollment_stage_reviews")
    with op.batch_alter_table("enrollment_recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrollment_recommendations_recommender_id"))

    op.drop_table("enrollment_recommendations")
    with op.batch_alter_table("enrollment_group_matches", schema=None) as batch_op:
        batch_op.drop_index("ix_enrollment_group_matches_group")

    op.drop_table("enrollment_group_matches")
    with op.batch_alter_table("enrollment_applications", schema=None) as batch_op:
        batch_op.drop_index("ix_enrollment_applications_status")
        batch_op.drop_index("ix_enrollment_applications_same")
        batch_op.drop_index("ix_enrollment_applications_registry")
        batch_op.drop_index(batch_op.f("ix_enrollment_applications_person_id"))

    op.drop_table("enrollment_applications")
    op.drop_table("enrollment_meetings")
    op.drop_table("enrollment_joint_applications")
    op.drop_table("enrollment_groups")
    with op.batch_alter_table("enrollment_campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrollment_campaigns_body_id"))

    op.drop_table("enrollment_campaigns")
