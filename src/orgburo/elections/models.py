"""Tables of elections: nominations, credentials, the ballot box and the result.

Secrecy is a property of these tables (docs/ballot-secrecy.md):

* `election_ballots` holds what was voted and nothing about who or when: its key is a
  random UUID (not a counter that betrays the order of voting), it has no time column and
  no reference to persons or credentials. On SQLite it is stored WITHOUT ROWID, so rows
  lie in the order of their random ids; on PostgreSQL closing the poll rewrites the box
  in id order in one transaction. Readers order by `id`.
* `election_credential_uses` is the set of who has voted: one row per used credential,
  keyed by the credential (a primary key: a credential is used once), with no time and
  no reference to a ballot.
* `election_named_votes` exists for open (named) votes only and pairs a ballot with its
  voter, on purpose and visibly.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from orgburo.db import Base, BinaryString, JsonDocument

MODES = ("secret", "open")
STATUSES = ("draft", "open", "closed", "counted")


class Election(Base):
    """One election at a sitting: what it fills, by which method, and where it stands."""

    __tablename__ = "elections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(BinaryString, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    seats: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(10))
    organ_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    seat_kind: Mapped[str] = mapped_column(String(10), default="full")
    quorum_num: Mapped[int] = mapped_column(Integer, default=1)
    quorum_den: Mapped[int] = mapped_column(Integer, default=2)
    seed: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Nomination(Base):
    """A candidate on an election's ballot paper, at a position."""

    __tablename__ = "election_nominations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    nominated_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("election_id", "person_id"),)


class Credential(Base):
    """A voter's one-time credential: only its SHA-256 is stored, never the secret."""

    __tablename__ = "election_credentials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index(
            "uq_election_credentials_one_live",
            "election_id",
            "person_id",
            unique=True,
            sqlite_where=text("revoked = 0"),
            postgresql_where=text("revoked = false"),
        ),
    )


class CredentialUse(Base):
    """A credential that has been used: who has voted. No time, no ballot."""

    __tablename__ = "election_credential_uses"
    __table_args__ = ({"sqlite_with_rowid": False},)

    credential_id: Mapped[int] = mapped_column(
        ForeignKey("election_credentials.id"), primary_key=True
    )


class Ballot(Base):
    """One ballot in the box: a random id, the marks and the receipt. Nothing else."""

    __tablename__ = "election_ballots"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"))
    marks: Mapped[str] = mapped_column(String(4000))
    spoiled: Mapped[bool] = mapped_column(Boolean, default=False)
    receipt: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (
        Index("ix_election_ballots_election", "election_id", "id"),
        {"sqlite_with_rowid": False},
    )


class NamedVote(Base):
    """Open (named) votes only: which voter cast which ballot, recorded on purpose."""

    __tablename__ = "election_named_votes"

    ballot_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("election_ballots.id"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    voter_name: Mapped[str] = mapped_column(String(300))


class ElectionResult(Base):
    """The count: turnout, quorum, the elected, and the full count sheet of every stage."""

    __tablename__ = "election_results"

    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"), primary_key=True)
    counted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    electorate: Mapped[int] = mapped_column(Integer)
    cast: Mapped[int] = mapped_column(Integer)
    spoiled: Mapped[int] = mapped_column(Integer)
    blank: Mapped[int] = mapped_column(Integer)
    quorum_met: Mapped[bool] = mapped_column(Boolean)
    elected: Mapped[list[str]] = mapped_column(JsonDocument)
    sheet: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
