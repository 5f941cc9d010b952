"""Tables of mobilizations: decrees, their quotas down the tree, and the people called up.

Destinations (fronts and sectors of the labour front) and role types are data. A decree
names its issuing body, the scope it calls up from (less the sub-bodies it leaves out,
each with its subtree), a destination, a term, a quota of one of three kinds (an absolute
number with sub-quotas, a share by zone, a share of a congress's delegates), rules for
who qualifies and who is exempt, and role lines. The split of its quota is one row per
body of the scope not left out (and per sub-quota). Each person
called up has one entry per decree whose status moves from proposed to returned (or
ends refused, exempted or replaced); nothing is deleted.
"""

from __future__ import annotations

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
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from orgburo.db import Base, BinaryString, JsonDocument

FRONT, LABOUR = "front", "labour"
DESTINATION_KINDS = (FRONT, LABOUR)
MASS, INDIVIDUAL = "mass", "individual"
BASES = (MASS, INDIVIDUAL)
TEMPORARY, PERMANENT = "temporary", "permanent"
TERMS = (TEMPORARY, PERMANENT)
ABSOLUTE, ZONE_SHARE, DELEGATE_SHARE = "absolute", "zone_share", "delegate_share"
QUOTA_KINDS = (ABSOLUTE, ZONE_SHARE, DELEGATE_SHARE)

PROPOSED, ACCEPTED, ORDERED = "proposed", "accepted", "ordered"
DISPATCHED, ARRIVED, RETURNED = "dispatched", "arrived", "returned"
REFUSED, EXEMPTED, REPLACED = "refused", "exempted", "replaced"
STATUSES = (PROPOSED, ACCEPTED, ORDERED, DISPATCHED, ARRIVED, RETURNED, REFUSED, EXEMPTED, REPLACED)
COUNTED = (PROPOSED, ACCEPTED, ORDERED, DISPATCHED, ARRIVED, RETURNED)
"""Entries that fill a body's quota; refused, exempted and replaced ones make room."""
MOBILIZED = (ACCEPTED, ORDERED, DISPATCHED, ARRIVED)
"""A member in one of these is mobilized and not eligible for another decree."""
AWAY = (DISPATCHED, ARRIVED)
"""A member in one of these in an active mobilization cannot be dispatched again."""
SENT = (DISPATCHED, ARRIVED, RETURNED)


class Destination(Base):
    """A front or a sector of the labour front that members are sent to."""

    __tablename__ = "mobilization_destinations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(BinaryString, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))


class RoleType(Base):
    """A kind of post to fill: commissar, political worker, inspector, instructor, ..."""

    __tablename__ = "mobilization_roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(BinaryString, unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Decree(Base):
    """A decree calling up members of a scope for a destination, with a quota and rules."""

    __tablename__ = "mobilization_decrees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(BinaryString, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    issuing_body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    scope_body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(20))
    destination_id: Mapped[int] = mapped_column(ForeignKey("mobilization_destinations.id"))
    term: Mapped[str] = mapped_column(String(20))
    term_months: Mapped[int | None] = mapped_column(Integer)
    quota_kind: Mapped[str] = mapped_column(String(20))
    total: Mapped[int | None] = mapped_column(Integer)
    share: Mapped[str | None] = mapped_column(String(40))
    congress_id: Mapped[int | None] = mapped_column(ForeignKey("congresses.id"))
    criteria: Mapped[str] = mapped_column(String(2000), default="")
    exemptions: Mapped[str] = mapped_column(String(2000), default="")
    method: Mapped[str | None] = mapped_column(String(20))
    floor: Mapped[int] = mapped_column(Integer, default=0)
    shortfall_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Exclusion(Base):
    """A body inside a decree's scope whose whole subtree the decree does not call up from
    ("not counting the army organizations")."""

    __tablename__ = "mobilization_exclusions"

    decree_id: Mapped[int] = mapped_column(ForeignKey("mobilization_decrees.id"), primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)


class ZoneShare(Base):
    """The share of eligible members a zone gives under a decree by zone."""

    __tablename__ = "mobilization_zone_shares"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("mobilization_decrees.id"))
    zone: Mapped[str] = mapped_column(String(80))
    share: Mapped[str] = mapped_column(String(40))

    __table_args__ = (UniqueConstraint("decree_id", "zone"),)


class SubQuota(Base):
    """Part of an absolute quota reserved for members meeting a rule ("including 100 ...")."""

    __tablename__ = "mobilization_subquotas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("mobilization_decrees.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(String(2000))
    count: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("decree_id", "name"),)


class RoleLine(Base):
    """Posts a decree fills: a role at a destination, how many, and who may fill them."""

    __tablename__ = "mobilization_role_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("mobilization_decrees.id"))
    position: Mapped[int] = mapped_column(Integer)
    role_id: Mapped[int] = mapped_column(ForeignKey("mobilization_roles.id"))
    destination_id: Mapped[int] = mapped_column(ForeignKey("mobilization_destinations.id"))
    count: Mapped[int] = mapped_column(Integer)
    requirement: Mapped[str] = mapped_column(String(2000), default="")

    __table_args__ = (UniqueConstraint("decree_id", "position"),)


class Quota(Base):
    """A body's part of a decree's quota (or of one sub-quota), against its eligible pool."""

    __tablename__ = "mobilization_quotas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("mobilization_decrees.id"))
    subquota_id: Mapped[int | None] = mapped_column(ForeignKey("mobilization_subquotas.id"))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    parent_id: Mapped[int | None] = mapped_column(Integer)
    demanded: Mapped[int] = mapped_column(Integer)
    own_demanded: Mapped[int] = mapped_column(Integer)
    eligible: Mapped[int] = mapped_column(Integer)
    own_eligible: Mapped[int] = mapped_column(Integer)
    shortfall: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_mobilization_quotas_body", "decree_id", "body_id"),
        Index("ix_mobilization_quotas_parent", "decree_id", "parent_id"),
    )


class Ending(Base):
    """A body ends a kind of mobilization in its subtree from a date.

    The kind is every decree matching all the fields given: a destination, a kind of
    destination (front or labour) and a basis (mass or individual).
    """

    __tablename__ = "mobilization_endings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    from_on: Mapped[date] = mapped_column(Date)
    destination_id: Mapped[int | None] = mapped_column(ForeignKey("mobilization_destinations.id"))
    destination_kind: Mapped[str | None] = mapped_column(String(10))
    basis: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="")


class FitClassRow(Base):
    """Members of a decree with the same fit for every role line (0: cannot fill it)."""

    __tablename__ = "mobilization_fit_classes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("mobilization_decrees.id"), index=True)
    key: Mapped[str] = mapped_column(String(2000))
    fits: Mapped[list[int]] = mapped_column(JsonDocument)
    size: Mapped[int] = mapped_column(Integer)


class Entry(Base):
    """One person called up by one decree: where they stand, why they were chosen."""

    __tablename__ = "mobilization_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("mobilization_decrees.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    subquota_id: Mapped[int | None] = mapped_column(ForeignKey("mobilization_subquotas.id"))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    score_roles: Mapped[int] = mapped_column(Integer)
    score_standing: Mapped[int] = mapped_column(Integer)
    score_training: Mapped[int] = mapped_column(Integer)
    score_age: Mapped[int] = mapped_column(Integer)
    role_line_id: Mapped[int | None] = mapped_column(ForeignKey("mobilization_role_lines.id"))
    fit: Mapped[int | None] = mapped_column(Integer)
    fit_class_id: Mapped[int | None] = mapped_column(Integer)
    proposed_on: Mapped[date] = mapped_column(Date)
    status_on: Mapped[date] = mapped_column(Date)
    ordered_on: Mapped[date | None] = mapped_column(Date)
    dispatched_on: Mapped[date | None] = mapped_column(Date)
    arrived_on: Mapped[date | None] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("decree_id", "person_id"),
        Index("ix_mobilization_entries_body", "decree_id", "body_id", "status"),
        Index("ix_mobilization_entries_person", "person_id", "status"),
        # Room on each page for assignment to update rows in place (migration 0010).
        {"postgresql_with": {"fillfactor": 50}},
    )


def describe_entry(entry: Entry) -> dict[str, Any]:
    """An entry as the audit trail records it."""
    return {
        "status": entry.status,
        "status_on": entry.status_on,
        "reason": entry.reason,
        "role_line_id": entry.role_line_id,
    }
