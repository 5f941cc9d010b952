"""Tables of the registry.

History is never overwritten. A membership is a *spell*: one status in one body from a
start date until an end date, with the reasons it started and ended (admitted,
confirmed, transferred, left, expelled, died). Attribute changes are events carrying
the old and the new value, so the value on any past date is recoverable.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from orgburo.db import Base, BinaryString, JsonDocument


class Person(Base):
    """A person known to the organization, with their current attribute values."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(BinaryString, unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # The name lower-cased (`name_key`), in byte order on every backend: the roster's
    # search key, so a name prefix is one range of the (name_key, id) index.
    name_key: Mapped[str] = mapped_column(BinaryString)
    social_situation: Mapped[str | None] = mapped_column(String(20))
    occupation: Mapped[str | None] = mapped_column(String(20))
    sex: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    nationality: Mapped[str | None] = mapped_column(String(80))
    industry: Mapped[str | None] = mapped_column(String(80))
    workplace: Mapped[str | None] = mapped_column(String(200))
    komsomol: Mapped[bool | None] = mapped_column()
    red_army: Mapped[bool | None] = mapped_column()
    trade_union: Mapped[bool | None] = mapped_column()
    responsible_position: Mapped[bool | None] = mapped_column()
    party_schooling: Mapped[bool | None] = mapped_column()
    extra: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    died_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_persons_name_key", "name_key", "id"),)


def name_key(name: str) -> str:
    """The search form of a name: trimmed and lower-cased (Unicode, not only ASCII)."""
    return name.strip().lower()


class Membership(Base):
    """One spell of membership: a status in a body over a date range."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    status: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[date] = mapped_column(Date)
    start_reason: Mapped[str] = mapped_column(String(30))
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(500))
    # The person's name_key, copied when the spell opens (no operation renames a person;
    # one that did would update the open spell too): the roster of a subtree reads each
    # body's current members by name prefix from one index, instead of looking up every
    # member's person to learn the name.
    name_key: Mapped[str] = mapped_column(BinaryString)

    __table_args__ = (
        Index("ix_memberships_person", "person_id", "started_on"),
        Index("ix_memberships_body_current", "body_id", "ended_on"),
        # A past census rewinds today's tallies through the spells begun or ended since.
        Index("ix_memberships_started_on", "started_on"),
        Index("ix_memberships_ended_on", "ended_on"),
        Index(
            "uq_memberships_one_current",
            "person_id",
            unique=True,
            sqlite_where=text("ended_on IS NULL"),
            postgresql_where=text("ended_on IS NULL"),
        ),
        Index(
            "ix_memberships_current_by_name",
            "body_id",
            "name_key",
            "person_id",
            "status",
            sqlite_where=text("ended_on IS NULL"),
            postgresql_where=text("ended_on IS NULL"),
        ),
    )


class MemberEvent(Base):
    """A dated change that is not a spell boundary: an attribute changed, a note."""

    __tablename__ = "member_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    kind: Mapped[str] = mapped_column(String(40))
    on: Mapped[date] = mapped_column(Date)
    attribute: Mapped[str | None] = mapped_column(String(80))
    old_value: Mapped[str | None] = mapped_column(String(300))
    new_value: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        Index("ix_member_events_person", "person_id", "on"),
        Index("ix_member_events_attribute_on", "attribute", "on"),
        Index("ix_member_events_on", "on"),
    )


class AttributeDefinition(Base):
    """An organization-specific attribute, declared once instead of by a migration."""

    __tablename__ = "attribute_definitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    choices: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    label: Mapped[str] = mapped_column(String(200), default="")
