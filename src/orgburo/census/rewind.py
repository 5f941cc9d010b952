"""A past census as the nearest known census plus or minus what changed in between.

Counting every spell of a large subtree for a past date reads every member. But only
the people whose records changed between two dates count differently on them:
census(date) = census(base) − those people as they were on the base date + the same
people as they were on the date. The base is today's tallies or, for a large subtree,
the nearest snapshot (`snapshots`), so the people read are those changed within a few
weeks. A person counts as changed when a spell of theirs began or ended, an attribute
changed, or their body moved in between. When they are many all the same (a mass
admission), the spells are counted in full.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from orgburo.bodies.models import Body
from orgburo.census import snapshots
from orgburo.census.changes import changed_between, changed_count
from orgburo.census.counting import from_spells, summed
from orgburo.core.census import Key

FULL_COUNT_SHARE = 0.3


def counts_at(
    session: Session, body: Body, wanted: tuple[str, ...], at: date
) -> Iterable[tuple[Key, int]]:
    """Counts of a tallied body's subtree on a past date `at`."""
    base_on, base = snapshots.nearest(session, body, wanted, at)
    low, high = sorted((at, base_on))
    limit = int(FULL_COUNT_SHARE * sum(base.values()))
    if changed_count(session, low, high, limit) > limit:
        return from_spells(session, body, wanted, at)
    changed = changed_between(low, high)
    base.subtract(summed(from_spells(session, body, wanted, base_on, among=changed)))
    base.update(summed(from_spells(session, body, wanted, at, among=changed)))
    return base.items()
