"""congresses, delegates, the electoral chain, elections, ballots, offices and organ seats

The ballot box (`election_ballots`) and the set of used credentials
(`election_credential_uses`) are WITHOUT ROWID tables on SQLite, so their rows lie in
the order of their keys, not in the order of voting (docs/ballot-secrecy.md).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:09:38.129091
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "congresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "code", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("norm", sa.String(length=20), nullable=True),
        sa.Column("voting_norm", sa.Integer(), nullable=True),
        sa.Column("consultative_norm", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=True),
        sa.Column("census_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_congresses_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_congresses")),
        sa.UniqueConstraint("code", name=op.f("uq_congresses_code")),
    )
    with op.batch_alter_table("congresses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_congresses_body_id"), ["body_id"], unique=False)

    op.create_table(
        "offices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "code", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["body_id"], ["bodies.id"], name=op.f("fk_offices_body_id_bodies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offices")),
        sa.UniqueConstraint("code", name=op.f("uq_offices_code")),
    )
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offices_body_id"), ["body_id"], unique=False)

    op.create_table(
        "delegate_quotas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("congress_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("full_members", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("voting", sa.Integer(), nullable=False),
        sa.Column("consultative", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_delegate_quotas_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["congress_id"],
            ["congresses.id"],
            name=op.f("fk_delegate_quotas_congress_id_congresses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegate_quotas")),
        sa.UniqueConstraint("congress_id", "body_id", name=op.f("uq_delegate_quotas_congress_id")),
    )
    with op.batch_alter_table("delegate_quotas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delegate_quotas_body_id"), ["body_id"], unique=False)

    op.create_table(
        "delegates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("congress_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("vote", sa.String(length=20), nullable=False),
        sa.Column("credentials", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_delegates_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_delegates_congress_id_congresses")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_delegates_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegates")),
        sa.UniqueConstraint("congress_id", "person_id", name=op.f("uq_delegates_congress_id")),
    )
    with op.batch_alter_table("delegates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delegates_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delegates_person_id"), ["person_id"], unique=False)

    op.create_table(
        "elections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "code", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("congress_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("organ_id", sa.Integer(), nullable=True),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("seat_kind", sa.String(length=10), nullable=False),
        sa.Column("quorum_num", sa.Integer(), nullable=False),
        sa.Column("quorum_den", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_elections_congress_id_congresses")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_elections_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["organ_id"], ["bodies.id"], name=op.f("fk_elections_organ_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elections")),
        sa.UniqueConstraint("code", name=op.f("uq_elections_code")),
    )
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_elections_congress_id"), ["congress_id"], unique=False)

    op.create_table(
        "electoral_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("elector_id", sa.Integer(), nullable=False),
        sa.Column("sitting", sa.String(length=20), nullable=False),
        sa.Column("organ_id", sa.Integer(), nullable=True),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("seat_kind", sa.String(length=10), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["elector_id"], ["bodies.id"], name=op.f("fk_electoral_links_elector_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_electoral_links_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["organ_id"], ["bodies.id"], name=op.f("fk_electoral_links_organ_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_electoral_links")),
    )
    with op.batch_alter_table("electoral_links", schema=None) as batch_op:
        batch_op.create_index("ix_electoral_links_elector", ["elector_id", "sitting"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_electoral_links_office_id"), ["office_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_electoral_links_organ_id"), ["organ_id"], unique=False)

    op.create_table(
        "election_ballots",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("marks", sa.String(length=4000), nullable=False),
        sa.Column("spoiled", sa.Boolean(), nullable=False),
        sa.Column("receipt", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_election_ballots_election_id_elections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_ballots")),
        sa.UniqueConstraint("receipt", name=op.f("uq_election_ballots_receipt")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("election_ballots", schema=None) as batch_op:
        batch_op.create_index("ix_election_ballots_election", ["election_id", "id"], unique=False)

    op.create_table(
        "election_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_election_credentials_election_id_elections"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_election_credentials_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_credentials")),
        sa.UniqueConstraint("digest", name=op.f("uq_election_credentials_digest")),
    )
    with op.batch_alter_table("election_credentials", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_election_credentials_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            "uq_election_credentials_one_live",
            ["election_id", "person_id"],
            unique=True,
            sqlite_where=sa.text("revoked = 0"),
            postgresql_where=sa.text("revoked = false"),
        )

    op.create_table(
        "election_nominations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("nominated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_election_nominations_election_id_elections"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_election_nominations_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_nominations")),
        sa.UniqueConstraint(
            "election_id", "person_id", name=op.f("uq_election_nominations_election_id")
        ),
    )
    with op.batch_alter_table("election_nominations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_election_nominations_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "election_results",
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("electorate", sa.Integer(), nullable=False),
        sa.Column("cast", sa.Integer(), nullable=False),
        sa.Column("spoiled", sa.Integer(), nullable=False),
        sa.Column("blank", sa.Integer(), nullable=False),
        sa.Column("quorum_met", sa.Boolean(), nullable=False),
        sa.Column(
            "elected",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "sheet",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_election_results_election_id_elections"),
        ),
        sa.PrimaryKeyConstraint("election_id", name=op.f("pk_election_results")),
    )
    op.create_table(
        "office_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("holder_name", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("start_precision", sa.String(length=5), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_precision", sa.String(length=5), nullable=False),
        sa.Column("end_reason", sa.String(length=80), nullable=True),
        sa.Column("election_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["election_id"], ["elections.id"], name=op.f("fk_office_terms_election_id_elections")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_office_terms_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_office_terms_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_terms")),
    )
    with op.batch_alter_table("office_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_office_terms_election_id"), ["election_id"], unique=False
        )
        batch_op.create_index("ix_office_terms_office", ["office_id", "started_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_office_terms_person_id"), ["person_id"], unique=False)

    op.create_table(
        "organ_seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=80), nullable=True),
        sa.Column("election_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_organ_seats_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["election_id"], ["elections.id"], name=op.f("fk_organ_seats_election_id_elections")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_organ_seats_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organ_seats")),
    )
    with op.batch_alter_table("organ_seats", schema=None) as batch_op:
        batch_op.create_index("ix_organ_seats_body", ["body_id", "kind", "ended_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_organ_seats_election_id"), ["election_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organ_seats_person_id"), ["person_id"], unique=False)

    op.create_table(
        "election_credential_uses",
        sa.Column("credential_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["election_credentials.id"],
            name=op.f("fk_election_credential_uses_credential_id_election_credentials"),
        ),
        sa.PrimaryKeyConstraint("credential_id", name=op.f("pk_election_credential_uses")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "election_named_votes",
        sa.Column("ballot_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("voter_name", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["election_ballots.id"],
            name=op.f("fk_election_named_votes_ballot_id_election_ballots"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_election_named_votes_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("ballot_id", name=op.f("pk_election_named_votes")),
    )
    with op.batch_alter_table("election_named_votes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_election_named_votes_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("election_named_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_election_named_votes_person_id"))

    op.drop_table("election_named_votes")
    op.drop_table("election_credential_uses")
    with op.batch_alter_table("organ_seats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organ_seats_person_id"))
        batch_op.drop_index(batch_op.f("ix_organ_seats_election_id"))
        batch_op.drop_index("ix_organ_seats_body")

    op.drop_table("organ_seats")
    with op.batch_alter_table("office_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_office_terms_person_id"))
        batch_op.drop_index("ix_office_terms_office")
        batch_op.drop_index(batch_op.f("ix_office_terms_election_id"))

    op.drop_table("office_terms")
    op.drop_table("election_results")
    with op.batch_alter_table("election_nominations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_election_nominations_person_id"))

    op.drop_table("election_nominations")
    with op.batch_alter_table("election_credentials", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_election_credentials_one_live",
            sqlite_where=sa.text("revoked = 0"),
            postgresql_where=sa.text("revoked = false"),
        )
        batch_op.drop_index(batch_op.f("ix_election_credentials_person_id"))

    op.drop_table("election_credentials")
    with op.batch_alter_table("election_ballots", schema=None) as batch_op:
        batch_op.drop_index("ix_election_ballots_election")

    op.drop_table("election_ballots")
    with op.batch_alter_table("electoral_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_electoral_links_organ_id"))
        batch_op.drop_index(batch_op.f("ix_electoral_links_office_id"))
        batch_op.drop_index("ix_electoral_links_elector")

    op.drop_table("electoral_links")
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_elections_congress_id"))

    op.drop_table("elections")
    with op.batch_alter_table("delegates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegates_person_id"))
        batch_op.drop_index(batch_op.f("ix_delegates_body_id"))

    op.drop_table("delegates")
    with op.batch_alter_table("delegate_quotas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegate_quotas_body_id"))

    op.drop_table("delegate_quotas")
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offices_body_id"))

    op.drop_table("offices")
    with op.batch_alter_table("congresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_congresses_body_id"))

    op.drop_table("congresses")
