"""Assigning a decree's proposed and accepted members to its role lines.

1. One pass over the open entries writes each member's class to a temporary table: the
   text of their fit for every line (`rule_sql.fit_value`, the SQL twin of
   `core.assignment.fit`). The rules are evaluated there once, not again per step.
2. One grouped query over that table gives the classes and their sizes, stored as
   `FitClassRow`s, whose ids then stand for the text in the sorts that follow.
3. `core.assignment.plan` solves the min-cost flow on classes x lines, with each line's
   count less the seats already held by members ordered or beyond.
4. The plan becomes position ranges within each class (`core.assignment.hand_out`),
   written to a second temporary table, and one UPDATE hands out the seats to members in
   rank order within their class (score, then person id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    String,
    Table,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from orgburo import audit, bulk
from orgburo.actors import Actor
from orgburo.core.assignment import FitClass, Plan, hand_out, plan
from orgburo.errors import Invalid
from orgburo.members.models import Person

from . import decrees, rule_sql
from .models import ACCEPTED, ORDERED, PROPOSED, SENT, Entry, FitClassRow, RoleLine
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


def assign(session: Session, *, code: str, actor: Actor) -> Assigned:
    """Assign proposed and accepted members to role lines: most seats, then best total fit."""
    decree = decrees.get_or_raise(session, code)
    decrees.require_change(session, actor, decree)
    pool = pool_of(session, decree)
    if not pool.rules.lines:
        raise Invalid.one("roles", f"decree {code!r} has no role lines to assign to")
    large_statements(session)
    keyed, ranges = _keyed_table(), _plan_table()
    keyed.create(session.connection())
    ranges.create(session.connection())
    try:
        _write_keys(session, pool, keyed)
        classes = _classes(session, keyed)
        held = _held(session, decree.id)
        counts = [max(line.count - held.get(line.id, 0), 0) for line, _ in pool.rules.lines]
        solved = plan(classes, counts)
        class_ids = _store_classes(session, decree.id, classes)
        _hand_out(session, pool, keyed, ranges, classes, class_ids, solved)
    finally:
        keyed.drop(session.connection())
        ranges.drop(session.connection())
    result = _result(decree.code, pool, classes, solved, held, counts)
    audit.record(
        session,
        actor=actor,
        action="mobilization.assigned",
        target=("decree", decree.code),
        after={k: v for k, v in vars(result).items() if k != "lines"},
        body_id=decree.scope_body_id,
    )
    return result


def _keyed_table() -> Table:
    """Open entries with their class: the text of their fit for every line, "3,0,1"."""
    return Table(
        "mobilization_keyed",
        MetaData(),
        Column("id", Integer),
        Column("person_id", Integer),
        Column("score", Integer),
        Column("key", String(2000)),
        prefixes=["TEMPORARY"],
    )


def _write_keys(session: Session, pool: Pool, keyed: Table) -> None:
    """Each proposed and accepted entry with its class, in one pass: the fit for each
    distinct requirement (f0, f1, ...) is evaluated once, as lines often share one."""
    distinct = list(dict.fromkeys(str(rule) for _, rule in pool.rules.lines))
    rules = {str(rule): rule for _, rule in pool.rules.lines}
    fits = [
        rule_sql.fit_value(rules[text], pool.catalog, pool.year).label(f"f{i}")
        for i, text in enumerate(distinct)
    ]
    entries = (
        select(Entry.id, Entry.person_id, Entry.score, *fits)
        .join(Person, Person.id == Entry.person_id)
        .where(Entry.decree_id == pool.decree.id, Entry.status.in_(OPEN))
        .offset(0)  # evaluated once per member, not wherever the key uses a fit
        .subquery()
    )
    parts = [entries.c[f"f{distinct.index(str(rule))}"] for _, rule in pool.rules.lines]
    key: ColumnElement[str] = cast(parts[0], String)
    for value in parts[1:]:
        key = key + literal(",") + cast(value, String)
    rows = select(entries.c.id, entries.c.person_id, entries.c.score, key)
    with bulk.settings(session, **_persons_join(session, pool)):
        session.execute(insert(keyed).from_select(["id", "person_id", "score", "key"], rows))
    bulk.analyze(session, keyed)


def _persons_join(session: Session, pool: Pool) -> dict[str, str]:
    """Planner settings that make the open entries find their persons by the persons'
    primary key, when they are few beside the registry (PostgreSQL).

    The planner hashes the entries and scans every person instead. Measured at 20
    million persons and 1.3 million entries: the join 10.0 s by hashing, 5.9 s by probing
    (about 4.5 us a probe against 0.5 us a person scanned, so probing pays below one
    entry in PROBED_SHARE persons).
    """
    persons = bulk.estimated_rows(session, Person.__table__)  # type: ignore[arg-type]
    if persons is None:
        return {}
    query = select(func.count()).where(Entry.decree_id == pool.decree.id, Entry.status.in_(OPEN))
    entries = session.scalar(query) or 0
    if entries * PROBED_SHARE >= persons:
        return {}
    return {"enable_hashjoin": "off", "enable_mergejoin": "off"}


PROBED_SHARE = 9


def _classes(session: Session, keyed: Table) -> list[FitClass]:
    query = select(keyed.c.key, func.count()).group_by(keyed.c.key).order_by(keyed.c.key)
    rows = session.execute(query).all()
    return [FitClass(tuple(int(f) for f in r[0].split(",")), int(r[1])) for r in rows]


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


def _hand_out(
    session: Session,
    pool: Pool,
    keyed: Table,
    ranges: Table,
    classes: Sequence[FitClass],
    class_ids: Sequence[int],
    solved: Plan,
) -> None:
    """Seats to members in rank order within each class, by one UPDATE over the plan's
    position ranges."""
    line_ids = [line.id for line, _ in pool.rules.lines]
    rows = [
        row
        for c, member_class in enumerate(classes)
        for row in _ranges(member_class, solved.seats[c], class_ids[c], line_ids)
    ]
    bulk.insert_rows(session, ranges, [col.name for col in ranges.columns], rows)
    bulk.analyze(session, ranges)
    written: Table = Entry.__table__  # type: ignore[assignment]
    members = sum(c.size for c in classes)
    with keys_checked_after(session, written, members, columns=("role_line_id",)):
        _apply_plan(session, pool, keyed, ranges)


def _plan_table() -> Table:
    return Table(
        "mobilization_plan",
        MetaData(),
        Column("class_id", Integer),
        Column("lo", Integer),
        Column("hi", Integer),
        Column("line_id", Integer),
        Column("fit", Integer),
        prefixes=["TEMPORARY"],
    )


def _ranges(
    member_class: FitClass, seats: Sequence[int], class_id: int, line_ids: Sequence[int]
) -> list[tuple[Any, ...]]:
    """(class, lo, hi, line, fit) position ranges; unseated members get no line."""
    handed = hand_out(member_class.fits, seats, member_class.size)
    rows: list[tuple[Any, ...]] = []
    start = 0
    for position in range(1, len(handed) + 1):
        if position == len(handed) or handed[position] != handed[start]:
            line = handed[start]
            rows.append(
                (
                    class_id,
                    start + 1,
                    position,
                    None if line is None else line_ids[line],
                    None if line is None else member_class.fits[line],
                )
            )
            start = position
    return rows


def _apply_plan(session: Session, pool: Pool, keyed: Table, ranges: Table) -> None:
    # Ranked by the class's id, not its text: a sort on a 100-character key cost more
    # than the rest of the ranking (and as an expression, PARTITION BY took each of its
    # parts for a sort key of its own: 1.6 s of sorting 65,000 members).
    position = func.row_number().over(
        partition_by=FitClassRow.id, order_by=(keyed.c.score.desc(), keyed.c.person_id)
    )
    ranked = (
        select(keyed.c.id, FitClassRow.id.label("class_id"), position.label("pos"))
        .join(FitClassRow, FitClassRow.key == keyed.c.key)
        .where(FitClassRow.decree_id == pool.decree.id)
        .subquery()
    )
    statement = (
        update(Entry)
        .values(role_line_id=ranges.c.line_id, fit=ranges.c.fit, fit_class_id=ranges.c.class_id)
        .where(
            Entry.id == ranked.c.id,
            ranked.c.class_id == ranges.c.class_id,
            ranked.c.pos.between(ranges.c.lo, ranges.c.hi),
        )
        .execution_options(synchronize_session=False)
    )
    # The planner cannot count the members a range join finds and expects a few
    # thousand, so it would probe the entries' primary key once for each: 8.5 s of a
    # 17.4 s UPDATE of 1.3 million entries, which a hash join does in 11.4 s all told.
    with bulk.settings(session, enable_nestloop="off"):
        session.execute(statement)
    session.expire_all()


def _result(
    code: str,
    pool: Pool,
    classes: Sequence[FitClass],
    solved: Plan,
    held: dict[int, int],
    counts: Sequence[int],
) -> Assigned:
    lines: list[tuple[RoleLine, Any]] = list(pool.rules.lines)
    fills = tuple(
        LineFill(
            line.position,
            line.id,
            line.count,
            held.get(line.id, 0),
            sum(row[i] for row in solved.seats),
        )
        for i, (line, _) in enumerate(lines)
    )
    return Assigned(
        decree=code,
        members=sum(c.size for c in classes),
        assigned=solved.filled,
        classes=len(classes),
        total_fit=solved.total_fit,
        lines=fills,
    )
