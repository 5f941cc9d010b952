"""accounts, roles, API tokens, audit head, member search key

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:05:14.487489

The audit head is not filled here: it is made (and sealed with ORGBURO_SECRET_KEY) by
the next change, or at once by `orgburo audit verify --reseal`.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

BINARY_STRING = sa.String().with_variant(sa.String(collation="C"), "postgresql")

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "name", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_users_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
        sa.UniqueConstraint("person_id", name=op.f("uq_users_person_id")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "role_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_role_grants_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_role_grants_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grants")),
        sa.UniqueConstraint("user_id", "role", "body_id", name=op.f("uq_role_grants_user_id")),
    )
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_grants_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_role_grants_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", BINARY_STRING, nullable=True))
    _fill_name_keys()
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=BINARY_STRING, nullable=False)
        batch_op.drop_index(batch_op.f("ix_persons_name"))
        batch_op.create_index("ix_persons_name_key", ["name_key", "id"], unique=False)


def _fill_name_keys() -> None:
    """name_key is the lower-cased name; SQLite's lower() knows ASCII only, so Python's."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        raw: Any = bind.connection.driver_connection
        raw.create_function("orgburo_lower", 1, str.lower, deterministic=True)
        op.execute("UPDATE persons SET name_key = orgburo_lower(name)")
    else:
        op.execute("UPDATE persons SET name_key = lower(name)")
        # Name prefixes are ranges of name_key; with the default 100 buckets the planner
        # misjudges them on registries with few distinct names and sorts instead of walking.
        op.execute("ALTER TABLE persons ALTER COLUMN name_key SET STATISTICS 1000")


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index("ix_persons_name_key")
        batch_op.create_index(batch_op.f("ix_persons_name"), ["name"], unique=False)
        batch_op.drop_column("name_key")

    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_grants_user_id"))
        batch_op.drop_index(batch_op.f("ix_role_grants_body_id"))

    op.drop_table("role_grants")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("audit_head")
