"""The audit trail: one hash-chained row per change, written in the change's transaction.

Each entry's hash covers its content and the previous entry's hash, so editing,
inserting or deleting an entry breaks the chain at that point and `verify_chain` says
where. The chain alone cannot show that its *last* entries were removed, so a separate
head row records the last entry and the number of entries, sealed with an HMAC under
the application's secret key: someone who can write to the database but does not hold
the key can neither truncate the trail nor rewrite it and recompute the hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from orgburo.actors import Actor
from orgburo.config import get_settings
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


class AuditHead(Base):
    """The last entry of the trail and the number of entries, sealed with the secret key."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer)
    seal: Mapped[str] = mapped_column(String(64))


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
    )
    head = session.get(AuditHead, 1)
    entry.prev_hash = head.last_hash if head else _last_hash(session)
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    _advance_head(session, head, entry)
    return entry


def _advance_head(session: Session, head: AuditHead | None, entry: AuditEntry) -> None:
    if head is None:
        count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        head = AuditHead(id=1, last_id=entry.id, last_hash=entry.hash, entries=count, seal="")
        session.add(head)
    else:
        head.last_id, head.last_hash, head.entries = entry.id, entry.hash, head.entries + 1
    head.seal = head_seal(head.last_id, head.last_hash, head.entries)
    session.flush()


def head_seal(last_id: int, last_hash: str, entries: int) -> str:
    """HMAC-SHA256 of the head's values under ORGBURO_SECRET_KEY."""
    key = get_settings().secret_key.encode()
    message = f"{last_id}:{last_hash}:{entries}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


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
    kind: str  # edited, inserted or deleted before, deleted at the end, count differs, head ...
    detail: str


def verify_chain(session: Session) -> list[ChainBreak]:
    """Walk the chain in order and report every entry that does not fit, then the head."""
    breaks: list[ChainBreak] = []
    expected_prev = GENESIS
    last: AuditEntry | None = None
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(5000):
        if entry.prev_hash != expected_prev:
            breaks.append(ChainBreak(entry.id, "inserted or deleted before", _gap(entry)))
        if entry_hash(entry) != entry.hash:
            breaks.append(ChainBreak(entry.id, "edited", "its content no longer matches its hash"))
        expected_prev, last, count = entry.hash, entry, count + 1
    return breaks + _head_breaks(session.get(AuditHead, 1), last, count)


def _head_breaks(head: AuditHead | None, last: AuditEntry | None, count: int) -> list[ChainBreak]:
    if head is None:
        missing = "the trail has entries but no head: it was deleted"
        return [] if last is None else [ChainBreak(last.id, "head missing", missing)]
    if not hmac.compare_digest(head.seal, head_seal(head.last_id, head.last_hash, head.entries)):
        return [ChainBreak(head.last_id, "head edited", _UNSEALED)]
    if last is None or (head.last_id, head.last_hash) != (last.id, last.hash):
        return [ChainBreak(head.last_id, "deleted at the end", _truncated(head, last, count))]
    if head.entries != count:
        return [ChainBreak(head.last_id, "count differs", _truncated(head, last, count))]
    return []


_UNSEALED = (
    "the head's seal does not match: the head was edited, or ORGBURO_SECRET_KEY changed "
    "(then check the chain and run `orgburo audit verify --reseal`)"
)


def _truncated(head: AuditHead, last: AuditEntry | None, count: int) -> str:
    now = f"entry {last.id}" if last else "no entry"
    return (
        f"the head records {head.entries} entries ending at entry {head.last_id}; "
        f"the trail holds {count}, ending at {now}"
    )


def reseal(session: Session) -> AuditHead | None:
    """Rebuild the head from the stored trail and seal it with the current secret key."""
    last = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    head = session.get(AuditHead, 1)
    if last is None:
        return head
    count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    if head is None:
        head = AuditHead(id=1)
        session.add(head)
    head.last_id, head.last_hash, head.entries = last.id, last.hash, count
    head.seal = head_seal(last.id, last.hash, count)
    session.flush()
    return head


def _gap(entry: AuditEntry) -> str:
    return f"entry {entry.id} does not follow the entry stored before it"
