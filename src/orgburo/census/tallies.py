"""Keeping census tallies equal to the registry: per change, and rebuilt after bulk loads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Select,
    String,
    Subquery,
    Table,
    case,
    cast,
    delete,
    func,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from orgburo.bodies.models import Body, BodyLink
from orgburo.census import forgetting  # noqa: F401  (every registry writer keeps snapshots right)
from orgburo.census.models import CensusTally
from orgburo.core.attributes import CORE_ATTRIBUTES, AttributeValue, tally_key
from orgburo.members.models import Membership, Person

TALLIED = tuple(name for name, a in CORE_ATTRIBUTES.items() if a.tallied)
TALLY_TABLE: Table = CensusTally.__table__  # type: ignore[assignment]


def tallied_values(person: Person) -> dict[str, str]:
    """The tally key of each tallied attribute of `person`."""
    return {name: tally_key(getattr(person, name)) for name in TALLIED}


def add_member(session: Session, body_id: int, status: str, values: Mapping[str, str]) -> None:
    """Count one current member in every tallied subtree that contains `body_id`."""
    _shift(session, body_id, status, values, +1)


def remove_member(session: Session, body_id: int, status: str, values: Mapping[str, str]) -> None:
    """Stop counting one current member in every tallied subtree containing `body_id`."""
    _shift(session, body_id, status, values, -1)


def change_value(
    session: Session,
    body_id: int,
    status: str,
    dimension: str,
    old: AttributeValue,
    new: AttributeValue,
) -> None:
    """Move one current member from one value of `dimension` to another."""
    if dimension not in TALLIED:
        return
    _shift(session, body_id, status, {dimension: tally_key(old)}, -1)
    _shift(session, body_id, status, {dimension: tally_key(new)}, +1)


def _shift(
    session: Session, body_id: int, status: str, values: Mapping[str, str], sign: int
) -> None:
    rows = [
        {"body_id": a, "status": status, "dimension": d, "value": v, "n": sign}
        for a in _tallied_ancestors(session, body_id)
        for d, v in values.items()
    ]
    if rows:
        session.execute(_upsert_adding(session), rows)


def _tallied_ancestors(session: Session, body_id: int) -> Sequence[int]:
    query = (
        select(BodyLink.ancestor_id)
        .join(Body, Body.id == BodyLink.ancestor_id)
        .where(BodyLink.descendant_id == body_id, BodyLink.valid_to.is_(None), Body.has_children)
    )
    return session.scalars(query).all()


def _upsert_adding(
    session: Session, rows: Select[Any] | None = None, columns: list[str] | None = None
) -> Any:
    """INSERT that adds `n` to an existing tally row instead of failing on it."""
    dialect = session.get_bind().dialect.name
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(TALLY_TABLE)
    if rows is not None:
        stmt = stmt.from_select(columns or [], rows)
    return stmt.on_conflict_do_update(
        index_elements=["body_id", "status", "dimension", "value"],
        set_={"n": TALLY_TABLE.c.n + stmt.excluded.n},
    )


def start_tallying(session: Session, body: Body) -> None:
    """A body gets its first sub-body: from now on its subtree is counted in tallies."""
    rows = [
        {"body_id": body.id, "status": s, "dimension": d, "value": v, "n": n}
        for s, d, v, n in subtree_counts(session, body)
    ]
    body.has_children = True
    if rows:
        session.execute(_upsert_adding(session), rows)


def stop_tallying(session: Session, body: Body) -> None:
    """A body lost its last sub-body: it is counted live from now on."""
    session.execute(delete(CensusTally).where(CensusTally.body_id == body.id))
    body.has_children = False


def move_subtree(session: Session, body: Body, subtree: Sequence[int], *, detach: bool) -> None:
    """Take a subtree's members out of (detach) or into its current ancestors' tallies."""
    sign = -1 if detach else +1
    ancestors = [a for a in _tallied_ancestors(session, body.id) if a not in set(subtree)]
    rows = [
        {"body_id": a, "status": s, "dimension": d, "value": v, "n": sign * n}
        for s, d, v, n in subtree_counts(session, body)
        for a in ancestors
    ]
    if rows:
        session.execute(_upsert_adding(session), rows)


def subtree_counts(session: Session, body: Body) -> list[tuple[str, str, str, int]]:
    """(status, dimension, value, n) for the body's whole current subtree."""
    if body.has_children:
        query = select(CensusTally.status, CensusTally.dimension, CensusTally.value, CensusTally.n)
        return [tuple(r) for r in session.execute(query.where(CensusTally.body_id == body.id))]  # type: ignore[misc]
    rows: list[tuple[str, str, str, int]] = []
    for dimension in TALLIED:
        column = _dimension_column(dimension)
        counts = (
            select(Membership.status, column, func.count())
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.body_id == body.id, Membership.ended_on.is_(None))
            .group_by(Membership.status, column)
        )
        rows += [(s, dimension, tally_key(v), n) for s, v, n in session.execute(counts)]
    return rows


def _dimension_column(dimension: str):  # type: ignore[no-untyped-def]
    return getattr(Person, dimension)


def rebuild(session: Session) -> None:
    """Recount every tally from the registry (the oracle that incremental upkeep must equal)."""
    session.execute(delete(CensusTally))
    count_members(session, current_members())


def current_members() -> Subquery:
    """Every current membership as (body_id, status, tallied attributes...)."""
    return (
        select(Membership.body_id, Membership.status, *[_dimension_column(d) for d in TALLIED])
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.ended_on.is_(None))
        .subquery()
    )


OWNER = case((Body.has_children, Body.id), else_=Body.parent_id)
"""The nearest tallied body of a member's body: itself, or its parent when it is a leaf."""


def count_members(session: Session, members: Subquery) -> None:
    """Add `members` — rows of (body_id, status, tallied attributes) — to the tallies.

    Each member is counted first in its nearest tallied body, and those few rows are
    then added to every tallied ancestor: the expensive grouping runs once, not once
    per ancestor.
    """
    for dimension in TALLIED:
        value = tally_text(members.c[dimension])
        own = (
            select(
                OWNER.label("owner_id"),
                members.c.status,
                value.label("value"),
                func.count().label("n"),
            )
            .join(Body, Body.id == members.c.body_id)
            .group_by(OWNER, members.c.status, value)
            .subquery()
        )
        session.execute(_roll_up(session, own, literal(dimension)))


def count_counted(session: Session, counts: Subquery) -> None:
    """Add pre-counted rows (body_id, status, dimension, value, n) to the tallies."""
    own = (
        select(
            OWNER.label("owner_id"),
            counts.c.status,
            counts.c.dimension,
            counts.c.value,
            func.sum(counts.c.n).label("n"),
        )
        .join(Body, Body.id == counts.c.body_id)
        .group_by(OWNER, counts.c.status, counts.c.dimension, counts.c.value)
        .subquery()
    )
    session.execute(_roll_up(session, own, own.c.dimension))


def _roll_up(session: Session, own: Subquery, dimension: Any) -> Any:
    rolled = (
        select(BodyLink.ancestor_id, own.c.status, dimension, own.c.value, func.sum(own.c.n))
        .join(BodyLink, (BodyLink.descendant_id == own.c.owner_id) & BodyLink.valid_to.is_(None))
        .where(own.c.owner_id.is_not(None))
        .group_by(BodyLink.ancestor_id, own.c.status, dimension, own.c.value)
    )
    return _upsert_adding(session, rolled, ["body_id", "status", "dimension", "value", "n"])


def tally_text(column: Any) -> Any:
    """SQL spelling of tally_key: '' for unknown, true/false for booleans, text otherwise."""
    if column.type.python_type is bool:
        return case((column.is_(None), ""), (column, "true"), else_="false")
    return func.coalesce(cast(column, String), "")
