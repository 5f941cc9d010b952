"""Tables of sittings (congresses, conferences, plenums), delegates, and the electoral chain.

A congress or conference is convened by a body and attended by delegates of the
organizations under it, in numbers set by a norm. A plenum is a sitting of an elected
organ, attended by the holders of its full seats. `electoral_links` is the chain as data:
which sitting elects which organ's seats or which office, with how many seats and by
which counting method.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orgburo.db import Base, BinaryString

SITTING_KINDS = ("congress", "conference", "plenum")
VOTES = ("voting", "consultative")
CREDENTIALS = ("pending", "accepted", "rejected")


class Congress(Base):
    """A sitting: a congress or conference of a body's organizations, or an organ's plenum."""

    __tablename__ = "congresses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(BinaryString, unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    norm: Mapped[str | None] = mapped_column(String(20))
    voting_norm: Mapped[int | None] = mapped_column(Integer)
    consultative_norm: Mapped[int | None] = mapped_column(Integer)
    method: Mapped[str | None] = mapped_column(String(20))
    census_on: Mapped[date | None] = mapped_column(Date)


class DelegateQuota(Base):
    """How many voting and consultative delegates one organization sends, and why."""

    __tablename__ = "delegate_quotas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id"))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    full_members: Mapped[int] = mapped_column(Integer)
    candidates: Mapped[int] = mapped_column(Integer)
    voting: Mapped[int] = mapped_column(Integer)
    consultative: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("congress_id", "body_id"),)


class Delegate(Base):
    """A person elected by an organization to a congress, and the credentials verdict."""

    __tablename__ = "delegates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    vote: Mapped[str] = mapped_column(String(20))
    credentials: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (UniqueConstraint("congress_id", "person_id"),)


class ElectoralLink(Base):
    """One link of the chain: a sitting of `elector` elects seats of an organ, or an office.

    `sitting` says which sitting: the `congress` (or `conference`) convened by the elector
    body, or a `plenum` of the elector organ.
    """

    __tablename__ = "electoral_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    elector_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    sitting: Mapped[str] = mapped_column(String(20))
    organ_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    seat_kind: Mapped[str] = mapped_column(String(10), default="full")
    seats: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(10), default="secret")

    __table_args__ = (Index("ix_electoral_links_elector", "elector_id", "sitting"),)
