"""The audit trail: one hash-chained row per change, written in the change's transaction.

Each entry's hash covers its content and the previous entry's hash, so editing,
inserting or deleting an entry breaks the chain at that point and `verify_chain` says
where.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from orgburo.actors import Actor
from orgburo.db import Base, JsonDocument

GENESIS = "0" * 64


class AuditEntry(Base):
    """One change: who, when, what, to which target, with before and after values."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100), index=True)
    target_type: Mapped[str] = mapped_column(String(50))
    target_id: Mapped[str] = mapped_column(String(100))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target: tuple[str, object],
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    body_id: int | None = None,
    person_id: int | None = None,
) -> AuditEntry:
    """Append an entry for a change made in this session's transaction."""
    _lock_chain(session)
    entry = AuditEntry(
        at=datetime.now(UTC),
        actor=actor.name,
        action=action,
        target_type=target[0],
        target_id=str(target[1]),
        body_id=body_id,
        person_id=person_id,
        before=jsonable(before),
        after=jsonable(after),
        prev_hash=_last_hash(session),
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def _lock_chain(session: Session) -> None:
    # Two writers reading the same last hash would fork the chain; PostgreSQL
    # serializes them here, SQLite already allows one writer at a time.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7001)"))


def _last_hash(session: Session) -> str:
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    return last or GENESIS


def jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Plain JSON values (dates as ISO text), sorted, as stored in the trail."""
    if values is None:
        return None
    plain: dict[str, Any] = json.loads(json.dumps(values, default=str, sort_keys=True))
    return plain


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 over the entry's content and its predecessor's hash."""
    content = {
        "at": _as_utc(entry.at).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "target": [entry.target_type, entry.target_id],
        "body_id": entry.body_id,
        "person_id": entry.person_id,
        "before": entry.before,
        "after": entry.after,
        "prev": entry.prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands timestamps back without a zone; they were written in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops holding and what most likely happened there."""

    entry_id: int
    kind: str  # "edited", "inserted or deleted before"
    detail: str


def verify_chain(session: Session) -> list[ChainBreak]:
    """Walk the chain in order and report every entry that does not fit."""
    breaks: list[ChainBreak] = []
    expected_prev = GENESIS
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(5000):
        if entry.prev_hash != expected_prev:
            breaks.append(ChainBreak(entry.id, "inserted or deleted before", _gap(entry)))
        if entry_hash(entry) != entry.hash:
            breaks.append(ChainBreak(entry.id, "edited", "its content no longer matches its hash"))
        expected_prev = entry.hash
    return breaks


def _gap(entry: AuditEntry) -> str:
    return f"entry {entry.id} does not follow the entry stored before it"
