"""A member's history as one timeline, merged from spells and recorded events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.bodies.models import Body
from orgburo.members.models import MemberEvent, Membership, Person
from orgburo.members.service import attribute_events, spells


@dataclass(frozen=True)
class HistoryEntry:
    """One dated step in a member's history."""

    on: date
    kind: str
    body: str | None
    status: str | None
    detail: str


def history(session: Session, person: Person, *, actor: Actor) -> list[HistoryEntry]:
    """Everything that happened to the person, oldest first."""
    access.require_read_person(session, actor, person)
    return timeline(spells(session, person), attribute_events(session, person))


def timeline(
    spelled: Sequence[tuple[Membership, Body]], events: Sequence[MemberEvent]
) -> list[HistoryEntry]:
    """Spells (with their bodies) and recorded events as one history, oldest first."""
    entries: list[tuple[date, int, HistoryEntry]] = []
    for spell, body in spelled:
        if spell.start_reason == "admitted":
            entries.append(
                (
                    spell.started_on,
                    0,
                    HistoryEntry(
                        spell.started_on,
                        "admitted",
                        body.code,
                        spell.status,
                        f"admitted as {spell.status}",
                    ),
                )
            )
        elif spell.start_reason == "transferred":
            entries.append(
                (
                    spell.started_on,
                    0,
                    HistoryEntry(
                        spell.started_on,
                        "transferred",
                        body.code,
                        spell.status,
                        f"transferred to {body.code}",
                    ),
                )
            )
        elif spell.start_reason == "confirmed":
            entries.append(
                (
                    spell.started_on,
                    0,
                    HistoryEntry(
                        spell.started_on,
                        "confirmed",
                        body.code,
                        spell.status,
                        "confirmed as full member",
                    ),
                )
            )
        if spell.ended_on is not None and spell.end_reason not in ("confirmed", "transferred"):
            entries.append(
                (
                    spell.ended_on,
                    1,
                    HistoryEntry(
                        spell.ended_on,
                        spell.end_reason or "ended",
                        body.code,
                        spell.status,
                        spell.note or "",
                    ),
                )
            )
    for event in events:
        old, new = event.old_value or "(unknown)", event.new_value or "(unknown)"
        detail = f"{event.attribute}: {old} → {new}"
        entries.append(
            (event.on, 2, HistoryEntry(event.on, event.kind, None, None, event.note or detail))
        )
    return [entry for _, _, entry in sorted(entries, key=lambda t: (t[0], t[1]))]
