"""Tables of the tree of bodies.

Representation: a closure table with validity dates (`body_links`). Each row says
"A is an ancestor of D at distance `depth`, from `valid_from` until `valid_to`".
- A subtree is one index range scan on (ancestor_id, valid_to), no recursion, so it
  stays fast at 400,000 bodies; it is also a plain join for census aggregates.
- Rows are ended, not deleted, when a body moves, so the tree *as of any date* is the
  same query with a date condition: past censuses use the past tree.
- Costs: about depth x bodies rows (8 levels x 400k = 3.2M), and a move rewrites the
  links of the moved subtree only. Materialized paths would need locale-proof prefix
  ranges and lose the past on a move; nested sets would renumber half the table on
  every insertion.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from orgburo.db import Base, BinaryString, JsonDocument


class Body(Base):
    """A body of the organization: its current state; the past is in BodyEvent."""

    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(BinaryString, unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    level: Mapped[str | None] = mapped_column(String(80))
    zone: Mapped[str | None] = mapped_column(String(80))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    has_children: Mapped[bool] = mapped_column(default=False)


class BodyLink(Base):
    """Ancestor-descendant pair (depth 0 is the body itself), valid over a date range."""

    __tablename__ = "body_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ancestor_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    descendant_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    depth: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        Index("ix_body_links_subtree", "ancestor_id", "valid_to", "descendant_id"),
        Index("ix_body_links_ancestry", "descendant_id", "valid_to", "ancestor_id"),
    )


class BodyEvent(Base):
    """A dated change to a body: opened, moved, renamed, zone changed, closed."""

    __tablename__ = "body_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    on: Mapped[date] = mapped_column(Date)
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    # A past census rewinds through the bodies moved between two dates.
    __table_args__ = (Index("ix_body_events_kind_on", "kind", "on"),)
