"""Reading the audit trail: the entries about a body's subtree or about one person.

Pages are newest first and continue from the last id shown (keyset pagination), so a
page costs the same however deep into the trail it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.audit import AuditEntry
from orgburo.bodies import service as bodies
from orgburo.bodies.models import BodyLink
from orgburo.members import service as members


@dataclass(frozen=True)
class TrailPage:
    """Entries, newest first, and the id to continue before (None on the last page)."""

    entries: Sequence[AuditEntry]
    next_before: int | None


def for_body(
    session: Session, *, body_code: str, actor: Actor, before: int | None = None, limit: int = 50
) -> TrailPage:
    """Entries about the body and every body now in its subtree."""
    body = bodies.get_or_raise(session, body_code)
    access.require_read_body(session, actor, body)
    query = select(AuditEntry).join(
        BodyLink,
        and_(
            BodyLink.descendant_id == AuditEntry.body_id,
            BodyLink.ancestor_id == body.id,
            BodyLink.valid_to.is_(None),
        ),
    )
    return _page(session, query, before, limit)


def for_person(
    session: Session, *, external_id: str, actor: Actor, before: int | None = None, limit: int = 50
) -> TrailPage:
    """Entries about one person."""
    person = members.get_or_raise(session, external_id)
    access.require_read_person(session, actor, person)
    return _page(
        session, select(AuditEntry).where(AuditEntry.person_id == person.id), before, limit
    )


def _page(session: Session, query: Select[Any], before: int | None, limit: int) -> TrailPage:
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    return TrailPage(rows[:limit], rows[limit - 1].id if more else None)
