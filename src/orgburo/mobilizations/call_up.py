"""A call-up in one command: apportion, select and assign a decree from one read of its pool.

The three steps run one after another (`quotas.apportion`, `selection.propose`,
`assignment.assign`) let officers look at the quotas and the proposals in between; each
reads what the one before wrote, and two of them scan the whole eligible pool (at 20
million members: 15 s to count it by body, 42 s to score it). A decree issued to be
carried out as it stands needs none of that in between, so here:

1. the pool is scored once and read as arrays (`selection.read_scored`), every eligible
   member of every body of the scope, whose ids are read first and looked up in one
   array;
2. its eligible counts, by body and sub-quota, come from those arrays
   (`pool.counts_of`), and the quota is split and stored as `quotas.apportion` does;
3. every body's proposals are picked from the same arrays (`core.selection.propose_all`);
4. the picks are seated (`core.assignment.seat`), with their fits read by person id;
5. the entries are written once, with their role lines: no UPDATE after.

The outcome is the same as the three steps' on the same data (a test runs both), and the
audit trail records the same three actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from orgburo import bulk
from orgburo.actors import Actor
from orgburo.core.apportionment import Method

from . import assignment, quotas, selection
from .planning import large_statements
from .pool import counts_of, pool_of


@dataclass(frozen=True)
class CalledUp:
    """The outcome of each step; `assigned` is None for a decree without role lines."""

    apportioned: quotas.Apportioned
    proposed: selection.Proposed
    assigned: assignment.Assigned | None


def call_up(
    session: Session,
    *,
    code: str,
    on: date,
    actor: Actor,
    method: Method = Method.HAMILTON,
    floor: int = 0,
    accept_shortfall: bool = False,
) -> CalledUp:
    """Apportion the decree's quota, propose members for it and assign them to its role
    lines, as the three commands would one after the other."""
    decree = quotas.apportionable(session, code, actor, floor)
    pool = pool_of(session, decree)
    large_statements(session)
    scope = quotas.scope_tree(session, decree)
    bodies = scope.ids if bulk.is_postgres(session) else None
    scored = selection.read_scored(session, pool, with_room=False, bodies=bodies)
    apportioned = quotas.apportion_counted(
        session,
        pool,
        counts_of(scored.columns["body_id"], scored.meets),
        actor=actor,
        method=method,
        floor=floor,
        accept_shortfall=accept_shortfall,
        scope=scope,
    )
    picks = scored.picks(selection.room_left(session, pool))
    seats, assigned = None, None
    if pool.rules.lines:
        chosen = scored.columns["person_id"][picks.index]
        members = {
            **assignment.fits_of(session, pool, chosen),
            "score": scored.total[picks.index],
        }
        seated = assignment.seated(session, pool, members, assignment.counts_left(pool, {}))
        seats = seated.columns(pool)
        assigned = assignment.assigned_result(decree.code, pool, seated.seating, {})
    selection.write_proposals(session, pool, on, scored, picks, seats)
    proposed = selection.tallies(pool, picks)
    selection.record(session, actor, decree, proposed, on=on)
    if assigned is not None:
        assignment.record(session, actor, decree, assigned)
    return CalledUp(apportioned, proposed, assigned)
