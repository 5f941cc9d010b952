"""Pre-aggregated counts that make the current census of any subtree one index lookup.

Only bodies with sub-bodies carry tallies: a body without sub-bodies is counted
straight from its own memberships, which is one small index range. Tallies hold the
current state; snapshots hold large subtrees on past days (four a month), and other past
dates are rewound from the nearest of them through the spells and events in between.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orgburo.db import Base


class CensusTally(Base):
    """Current members of a body's whole subtree with `status` and `dimension` = `value`."""

    __tablename__ = "census_tallies"

    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class CensusSnapshot(Base):
    """A large subtree's members on a past date, as `CensusTally` holds them for today.

    Written by `census.snapshots.build`; deleted from the date of any change recorded
    later with an earlier date, since that change makes them wrong.
    """

    __tablename__ = "census_snapshots"

    # Key order serves the reads: the snapshot dates of one body, then one dimension.
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    on: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    dimension: Mapped[str] = mapped_column(String(80), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
