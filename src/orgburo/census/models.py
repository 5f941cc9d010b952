"""Pre-aggregated counts that make the current census of any subtree one index lookup.

Only bodies with sub-bodies carry tallies: a body without sub-bodies is counted
straight from its own memberships, which is one small index range. Tallies hold the
current state only; past dates are computed from the spells and events.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
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
