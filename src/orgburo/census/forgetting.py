"""Census snapshots are forgotten from the date of any change recorded after them.

A snapshot counts the members of a past date; a change dated on or before it (an
admission back-dated, a spell ended, an attribute changed, a body moved) makes it
wrong, and it is deleted in the same transaction. Changes written through the ORM are
caught by mapper events here; bulk writes call `forget_from` themselves.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, delete, event, inspect
from sqlalchemy.orm import Session

from orgburo.bodies.models import BodyEvent
from orgburo.census.models import CensusSnapshot
from orgburo.members.models import MemberEvent, Membership

SNAPSHOTS: Table = CensusSnapshot.__table__  # type: ignore[assignment]


def forget_from(bind: Session | Connection, day: date | None) -> None:
    """Delete the snapshots on or after `day`, which a change dated `day` makes wrong."""
    if day is not None:
        bind.execute(delete(SNAPSHOTS).where(SNAPSHOTS.c.on >= day))


@event.listens_for(Membership, "after_insert")
def _spell_opened(_mapper: Any, connection: Connection, spell: Membership) -> None:
    forget_from(connection, spell.started_on)


@event.listens_for(Membership, "after_update")
def _spell_changed(_mapper: Any, connection: Connection, spell: Membership) -> None:
    forget_from(connection, earliest_changed_day(spell))


def earliest_changed_day(spell: Membership) -> date | None:
    """The first day on which the spell, as updated, counts differently than before.

    Ending a spell today changes nothing before today: the snapshots of the years it
    covered stay right. A spell moved to another body or status counts differently
    over its whole length.
    """
    state = inspect(spell)
    if any(state.attrs[n].history.has_changes() for n in ("person_id", "body_id", "status")):
        return spell.started_on
    days = [
        d
        for name in ("started_on", "ended_on")
        for d in (*state.attrs[name].history.added, *state.attrs[name].history.deleted)
        if d is not None
    ]
    return min(days, default=None)


@event.listens_for(MemberEvent, "after_insert")
def _attribute_changed(_mapper: Any, connection: Connection, change: MemberEvent) -> None:
    forget_from(connection, change.on)


@event.listens_for(BodyEvent, "after_insert")
def _body_changed(_mapper: Any, connection: Connection, change: BodyEvent) -> None:
    forget_from(connection, change.on)
