"""Census queries: the composition of a subtree today (from tallies) or on any date.

Today's census of a body with sub-bodies by tallied dimensions is a lookup of one
body's tally rows. Everything else is counted from the spells: members whose spell
covers the date, in bodies linked to the subtree on that date, with each attribute
taken as it was then (the old value of the first change after the date, if any).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.census.models import CensusTally
from orgburo.census.tallies import TALLIED, tally_text
from orgburo.core.attributes import CORE_ATTRIBUTES, parse_value, tally_key
from orgburo.core.census import Composition, CompositionChange, Key, age_band, compare, compose
from orgburo.core.dates import check_not_future
from orgburo.errors import Invalid
from orgburo.members.attributes import catalog
from orgburo.members.models import MemberEvent, Membership, Person

DERIVED = {"status": "Membership status", "age": "Age band (from year of birth)"}


def dimensions(session: Session) -> dict[str, str]:
    """Every dimension a census can be broken down by, with its label."""
    return {**DERIVED, **{n: a.label or n for n, a in catalog(session).items()}}


def census(
    session: Session, *, body_code: str, by: Sequence[str], at: date | None = None
) -> Composition:
    """Composition of the body's subtree on `at` (today when omitted) by one or two dimensions."""
    body = bodies.get_or_raise(session, body_code)
    wanted = _check_dimensions(session, by)
    today = date.today()
    on = check_not_future("at", at, today) if at else today
    if on == today and body.has_children and _tallied(wanted):
        counts = _from_tallies(session, body, wanted)
    else:
        counts = _from_spells(session, body, wanted, None if on == today else on)
    return compose(body.code, on, wanted, (_band(k, wanted, on) for k in counts))


def change(
    session: Session, *, body_code: str, by: Sequence[str], start: date, end: date
) -> CompositionChange:
    """The subtree's composition on `start` and on `end`, cell by cell."""
    if end < start:
        raise Invalid.one("end", f"{end} is before the start date {start}")
    before = census(session, body_code=body_code, by=by, at=start)
    after = census(session, body_code=body_code, by=by, at=end)
    return compare(before, after)


def _check_dimensions(session: Session, by: Sequence[str]) -> tuple[str, ...]:
    known = dimensions(session)
    wanted = tuple(d.strip() for d in by if d.strip())
    if not 1 <= len(wanted) <= 2:
        raise Invalid.one("by", "name one or two dimensions, separated by a comma")
    for name in wanted:
        if name not in known:
            raise Invalid.one("by", f"{name!r} is not a dimension; use one of {', '.join(known)}")
    if len(set(wanted)) != len(wanted):
        raise Invalid.one("by", "the two dimensions must differ")
    return wanted


def _source(dimension: str) -> str:
    return "birth_year" if dimension == "age" else dimension


def _tallied(wanted: tuple[str, ...]) -> bool:
    attributes = [_source(d) for d in wanted if d != "status"]
    return len(attributes) <= 1 and all(a in TALLIED for a in attributes)


def _band(item: tuple[Key, int], wanted: tuple[str, ...], on: date) -> tuple[Key, int]:
    key, n = item
    if "age" not in wanted:
        return key, n
    return tuple(age_band(v, on) if d == "age" else v for d, v in zip(wanted, key, strict=True)), n


def _from_tallies(
    session: Session, body: Body, wanted: tuple[str, ...]
) -> Iterable[tuple[Key, int]]:
    attribute = next((_source(d) for d in wanted if d != "status"), "social_situation")
    query = select(CensusTally.status, CensusTally.value, CensusTally.n).where(
        CensusTally.body_id == body.id, CensusTally.dimension == attribute
    )
    for status, value, n in session.execute(query):
        yield tuple(status if d == "status" else value for d in wanted), n


def _from_spells(
    session: Session, body: Body, wanted: tuple[str, ...], at: date | None
) -> Iterable[tuple[Key, int]]:
    known = catalog(session)
    columns = [_value_at(d, at, known) for d in wanted]
    query: Select[Any] = (
        select(*[c for c, _ in columns], func.count())
        .select_from(Membership)
        .join(
            BodyLink,
            and_(
                BodyLink.descendant_id == Membership.body_id,
                BodyLink.ancestor_id == body.id,
                *bodies.links_valid(at),
            ),
        )
        .join(Person, Person.id == Membership.person_id)
        .where(*_spell_valid(at))
    )
    for _, join in columns:
        if join is not None:
            query = query.outerjoin(join, join.c.person_id == Person.id)
    query = query.group_by(*[c for c, _ in columns])
    for row in session.execute(query):
        yield tuple(_normalize(d, v, known) for d, v in zip(wanted, row[:-1], strict=True)), row[-1]


def _spell_valid(at: date | None) -> list[Any]:
    if at is None:
        return [Membership.ended_on.is_(None)]
    return [
        Membership.started_on <= at,
        or_(Membership.ended_on.is_(None), Membership.ended_on > at),
    ]


def _value_at(dimension: str, at: date | None, known: dict[str, Any]) -> tuple[Any, Any]:
    """The SQL expression of a dimension on `at`, and the subquery it needs joined."""
    if dimension == "status":
        return Membership.status, None
    name = _source(dimension)
    current = (
        tally_text(getattr(Person, name))
        if name in CORE_ATTRIBUTES
        else Person.extra[name].as_string()
    )
    if at is None:
        return current, None
    first_change = _first_change_after(name, at)
    then = case(
        (first_change.c.person_id.is_not(None), func.coalesce(first_change.c.old_value, "")),
        else_=current,
    )
    return then, first_change


def _first_change_after(name: str, at: date) -> Any:
    ranked = (
        select(
            MemberEvent.person_id,
            MemberEvent.old_value,
            func.row_number()
            .over(partition_by=MemberEvent.person_id, order_by=(MemberEvent.on, MemberEvent.id))
            .label("rank"),
        )
        .where(MemberEvent.attribute == name, MemberEvent.on > at)
        .subquery()
    )
    return select(ranked.c.person_id, ranked.c.old_value).where(ranked.c.rank == 1).subquery()


def _normalize(dimension: str, value: Any, known: dict[str, Any]) -> str:
    if dimension == "status" or _source(dimension) in CORE_ATTRIBUTES:
        return "" if value is None else str(value)
    attribute = known[_source(dimension)]
    if value is None or value == "":
        return ""
    return tally_key(parse_value(attribute, value))
