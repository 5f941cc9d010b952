"""Assigning a decree's proposed and accepted members to its role lines.

1. One pass over the open entries reads each member's fit for every distinct requirement
   of the lines (`rule_sql.fit_value`, the SQL twin of `core.assignment.fit`) as arrays:
   the rules are evaluated once, in the database, and nothing else is.
2. `core.assignment.seat` groups the members into classes, solves the min-cost flow on
   classes x lines (each line's count less the seats already held by members ordered or
   beyond) and hands every member their line in rank order within their class.
3. The classes are stored as `FitClassRow`s, and the seats written back by one UPDATE
   joined by entry id with a temporary table of them.

A call-up that selects and assigns in one command (`call_up`) seats its picks the same
way before they are written, with their fits read by person id instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from sqlalchemy import Column, Integer, Label, Table, delete, func, select, update
from sqlalchemy.orm import Session

from orgburo import audit, bulk
from orgburo.actors import Actor
from orgburo.core.assignment import FitClass, Seating, seat
from orgburo.core.selection import Ints
from orgburo.errors import Invalid
from orgburo.members.models import Person

from . import decrees, rule_sql
from .models import ACCEPTED, ORDERED, PROPOSED, SENT, Decree, Entry, FitClassRow
from .planning import keys_checked_after, large_statements
from .pool import Pool, pool_of

OPEN = (PROPOSED, ACCEPTED)
HELD = (ORDERED, *SENT)


@dataclass(frozen=True)
class LineFill:
    """A role line's count and how many seats it has filled."""

    position: int
    line_id: int
    count: int
    held: int
    assigned: int


@dataclass(frozen=True)
class Assigned:
    """The outcome of an assignment."""

    decree: str
    members: int
    assigned: int
    classes: int
    total_fit: int
    lines: tuple[LineFill, ...]


@dataclass(frozen=True)
class Seats:
    """Members seated: the seating over arrays, and the stored id of each class."""

    seating: Seating
    class_ids: list[int]

    def columns(self, pool: Pool) -> dict[str, pa.Array]:
        """Each member's role line, fit (both NULL when unseated) and class, for Arrow."""
        line_ids = np.array([line.id for line, _ in pool.rules.lines] + [0], dtype=np.int64)
        unseated = self.seating.line < 0
        classes = np.array(self.class_ids, dtype=np.int64)[self.seating.member_class]
        return {
            "role_line_id": pa.array(line_ids[self.seating.line], mask=unseated),
            "fit": pa.array(self.seating.fit, mask=unseated),
            "fit_class_id": pa.array(classes),
        }


def assign(session: Session, *, code: str, actor: Actor) -> Assigned:
    """Assign proposed and accepted members to role lines: most seats, then best total fit."""
    decree = decrees.get_or_raise(session, code)
    decrees.require_change(session, actor, decree)
    pool = pool_of(session, decree)
    if not pool.rules.lines:
        raise Invalid.one("roles", f"decree {code!r} has no role lines to assign to")
    large_statements(session)
    members = _open_members(session, pool)
    held = _held(session, decree.id)
    seats = seated(session, pool, members, counts_left(pool, held))
    _write_seats(session, pool, members["id"], seats)
    result = assigned_result(decree.code, pool, seats.seating, held)
    record(session, actor, decree, result)
    return result


def record(session: Session, actor: Actor, decree: Decree, result: Assigned) -> None:
    """The assignment in the audit trail."""
    audit.record(
        session,
        actor=actor,
        action="mobilization.assigned",
        target=("decree", decree.code),
        after={k: v for k, v in vars(result).items() if k != "lines"},
        body_id=decree.scope_body_id,
    )


def counts_left(pool: Pool, held: dict[int, int]) -> list[int]:
    """Each line's count less the seats `held` on it by members ordered or beyond."""
    return [max(line.count - held.get(line.id, 0), 0) for line, _ in pool.rules.lines]


def seated(session: Session, pool: Pool, members: dict[str, Ints], counts: Sequence[int]) -> Seats:
    """Seat `members` (arrays: person_id, score, and f0, f1, ... their fit for each
    distinct requirement) and store their classes."""
    distinct, line_requirement = _requirements(pool)
    fits = np.column_stack([members[f"f{r}"] for r in range(len(distinct))])
    seating = seat(fits, line_requirement, members["score"], members["person_id"], counts)
    return Seats(seating, _store_classes(session, pool.decree.id, seating.classes))


def _requirements(pool: Pool) -> tuple[list[Any], list[int]]:
    """The distinct requirements of the lines, and which one each line asks for."""
    texts = list(dict.fromkeys(str(rule) for _, rule in pool.rules.lines))
    rules = {str(rule): rule for _, rule in pool.rules.lines}
    return [rules[t] for t in texts], [texts.index(str(rule)) for _, rule in pool.rules.lines]


def fit_columns(pool: Pool) -> list[Label[int]]:
    """A person's fit for each distinct requirement (f0, f1, ...), as SQL over persons."""
    distinct, _ = _requirements(pool)
    return [
        rule_sql.fit_value(rule, pool.catalog, pool.year).label(f"f{r}")
        for r, rule in enumerate(distinct)
    ]


def _open_members(session: Session, pool: Pool) -> dict[str, Ints]:
    """The proposed and accepted entries: id, person, score and fits, as arrays."""
    query = (
        select(Entry.id, Entry.person_id, Entry.score, *fit_columns(pool))
        .join(Person, Person.id == Entry.person_id)
        .where(Entry.decree_id == pool.decree.id, Entry.status.in_(OPEN))
    )
    count = select(func.count()).where(Entry.decree_id == pool.decree.id, Entry.status.in_(OPEN))
    with bulk.settings(session, **persons_probed(session, session.scalar(count) or 0)):
        return bulk.read_integers(session, query)


def persons_probed(session: Session, members: int) -> dict[str, str]:
    """Planner settings that make `members` rows find their persons by the persons'
    primary key, when they are few beside the registry (PostgreSQL).

    The planner hashes the members and scans every person instead. Measured at 20
    million persons and 1.3 million entries: the join 10.0 s by hashing, 5.9 s by probing
    (about 4.5 us a probe against 0.5 us a person scanned, so probing pays below one
    member in PROBED_SHARE persons).
    """
    persons = bulk.estimated_rows(session, Person.__table__)  # type: ignore[arg-type]
    if persons is None or members * PROBED_SHARE >= persons:
        return {}
    return {"enable_hashjoin": "off", "enable_mergejoin": "off"}


PROBED_SHARE = 9


def _held(session: Session, decree_id: int) -> dict[int, int]:
    query = (
        select(Entry.role_line_id, func.count())
        .where(
            Entry.decree_id == decree_id, Entry.status.in_(HELD), Entry.role_line_id.is_not(None)
        )
        .group_by(Entry.role_line_id)
    )
    return {int(line or 0): int(n) for line, n in session.execute(query)}


def _store_classes(session: Session, decree_id: int, classes: Sequence[FitClass]) -> list[int]:
    session.execute(delete(FitClassRow).where(FitClassRow.decree_id == decree_id))
    rows = [
        FitClassRow(decree_id=decree_id, key=_key(c), fits=list(c.fits), size=c.size)
        for c in classes
    ]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def _key(member_class: FitClass) -> str:
    return ",".join(str(f) for f in member_class.fits)


def _write_seats(session: Session, pool: Pool, entry_ids: Ints, seats: Seats) -> None:
    """The seats onto the entries: one UPDATE joined by id with a temporary table."""
    with bulk.temporary_table(
        session,
        "mobilization_seats",
        Column("id", Integer),
        Column("role_line_id", Integer),
        Column("fit", Integer),
        Column("fit_class_id", Integer),
    ) as table:
        columns = {"id": pa.array(entry_ids), **seats.columns(pool)}
        bulk.insert_arrow(session, table, pa.RecordBatch.from_pydict(columns))
        bulk.analyze(session, table)
        statement = (
            update(Entry)
            .values(
                role_line_id=table.c.role_line_id,
                fit=table.c.fit,
                fit_class_id=table.c.fit_class_id,
            )
            .where(Entry.id == table.c.id)
            .execution_options(synchronize_session=False)
        )
        written: Table = Entry.__table__  # type: ignore[assignment]
        with keys_checked_after(session, written, len(entry_ids), columns=("role_line_id",)):
            session.execute(statement)
    session.expire_all()


def fits_of(session: Session, pool: Pool, person_ids: Ints) -> dict[str, Ints]:
    """The fits (f0, f1, ...) of distinct persons, aligned with `person_ids`: the ids go
    to a temporary table, in order, and are joined with persons by their key."""
    with bulk.temporary_table(session, "mobilization_picked", Column("id", Integer)) as table:
        ordered = pa.array(np.sort(person_ids))
        bulk.insert_arrow(session, table, pa.RecordBatch.from_pydict({"id": ordered}))
        bulk.analyze(session, table)
        query = select(Person.id.label("person_id"), *fit_columns(pool)).join(
            table, table.c.id == Person.id
        )
        with bulk.settings(session, **persons_probed(session, len(person_ids))):
            found = bulk.read_integers(session, query)
    order = np.argsort(found["person_id"], kind="stable")
    at = order[np.searchsorted(found["person_id"][order], person_ids)]
    return {name: values[at] for name, values in found.items()}


def assigned_result(code: str, pool: Pool, seating: Seating, held: dict[int, int]) -> Assigned:
    """The outcome: members, seats filled, classes, total fit, and each line's fill."""
    solved = seating.plan
    fills = tuple(
        LineFill(
            line.position,
            line.id,
            line.count,
            held.get(line.id, 0),
            sum(row[i] for row in solved.seats),
        )
        for i, (line, _) in enumerate(pool.rules.lines)
    )
    return Assigned(
        decree=code,
        members=len(seating.line),
        assigned=solved.filled,
        classes=len(seating.classes),
        total_fit=solved.total_fit,
        lines=fills,
    )
