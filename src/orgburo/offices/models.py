"""Tables of offices, their terms, and the seats of elected organs.

An office (say, the head of the secretariat) has terms: who held it, under which title,
from when until when, and how sure the dates are. A seat is a place on an elected organ
(a committee, a bureau) for a term: it is not a membership spell, which records where a
member belongs in the organization, and the two never mix.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orgburo.db import Base, BinaryString

PRECISIONS = ("day", "month", "year")
SEAT_KINDS = ("full", "candidate")


class Office(Base):
    """A post held by one person (or jointly by a few) at a time, under changing titles."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(BinaryString, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(1000))


class OfficeTerm(Base):
    """One holder's term in an office; dates carry their precision (day, month or year).

    A date known only to the month or the year is stored as its first day, with the
    precision, so "who held the office on X" can tell certain from possible holders.
    """

    __tablename__ = "office_terms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date] = mapped_column(Date)
    start_precision: Mapped[str] = mapped_column(String(5), default="day")
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_precision: Mapped[str] = mapped_column(String(5), default="day")
    end_reason: Mapped[str | None] = mapped_column(String(80))
    election_id: Mapped[int | None] = mapped_column(ForeignKey("elections.id"), index=True)
    source: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(String(1000))

    __table_args__ = (Index("ix_office_terms_office", "office_id", "started_on"),)


class OrganSeat(Base):
    """A full or candidate seat on an elected organ (a body), held over a term."""

    __tablename__ = "organ_seats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(80))
    election_id: Mapped[int | None] = mapped_column(ForeignKey("elections.id"), index=True)

    __table_args__ = (Index("ix_organ_seats_body", "body_id", "kind", "ended_on"),)
