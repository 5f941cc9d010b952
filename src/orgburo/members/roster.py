"""Finding members: a subtree's current members by name, registry id or attributes.

Members are listed by name (`name_key`, the lower-cased name) and id, a page at a time.
A page continues after the last member shown (keyset pagination), never by skipping
rows, so the thousandth page costs what the first one does. Two plans, chosen by the
size of the subtree, which the census tallies give for free:
- a large subtree walks the (name_key, id) index from the prefix onwards and keeps the
  members whose body is in the subtree: many of them are, so a page is a short walk;
- a smaller subtree collects its members in the name prefix: one closure-table range of
  bodies, then for each body one range of its current spells by name (spells carry the
  name key), and sorts those by name.
A registry id is looked up by its unique index first, and listed only if it is found.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    SQLColumnExpression,
    String,
    and_,
    bindparam,
    exists,
    func,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.census.models import CensusTally
from orgburo.core.attributes import CORE_ATTRIBUTES, AttributeValue
from orgburo.errors import Invalid
from orgburo.members.attributes import parse_attributes
from orgburo.members.models import Membership, Person, name_key
from orgburo.recent import Recent

COUNTED_BY = "sex"  # any tallied dimension: every member has one value of it
COLLECT_FACTOR = 16
# Sizes only choose between plans that give the same rows, so a minute-old one will do:
# a secretary typing a name asks for the same subtree's roster at every letter.
RECENT_SIZES: Recent[int] = Recent(seconds=60, size=10_000)


@dataclass(frozen=True)
class RosterEntry:
    """A current member as lists show them."""

    person: Person
    body: str
    status: str


@dataclass(frozen=True)
class RosterPage:
    """One page of a roster and the cursor of the next one (None on the last page)."""

    entries: Sequence[RosterEntry]
    limit: int
    next_after: str | None
    body: Body


def roster(
    session: Session,
    *,
    body_code: str,
    actor: Actor,
    q: str | None = None,
    filters: Mapping[str, str] | None = None,
    after: str | None = None,
    limit: int = 50,
) -> RosterPage:
    """Current members of the subtree by name, matching `q` and the attribute `filters`.

    `q` is a registry id (that member alone) or the start of a name, in any case.
    """
    body = bodies.view(session, code=body_code, actor=actor)
    text = (q or "").strip()
    values = _filter_values(filters or {})
    if text and (found := _by_id(session, body, values, text)):
        return RosterPage([found], limit, None, body)
    params: dict[str, object] = {"body_id": body.id, "rows": limit + 1, **_filter_params(values)}
    if text:
        params["key_from"], params["key_to"] = _prefix(name_key(text))
    if after:
        params["after_key"], params["after_id"] = decode_cursor(after)
    collects = _collects(session, body, limit + 1)
    shape = _Shape(collects, _filter_shape(values), bool(text), bool(after))
    rows = session.execute(_statement(shape), params).all()
    entries = [RosterEntry(p, code, status) for p, code, status in rows[:limit]]
    more = len(rows) > limit
    return RosterPage(entries, limit, encode_cursor(entries[-1].person) if more else None, body)


@dataclass(frozen=True)
class _Shape:
    """What a roster statement looks like; the values it compares with are bound at run time.

    Statements are built once per shape: building one and computing its cache key costs
    more than running it (architecture.md, "Statements built once").
    """

    collected: bool
    filters: tuple[tuple[str, bool], ...]  # (attribute, compared with unknown) by name
    prefix: bool
    after: bool


def _collects(session: Session, body: Body, rows: int) -> bool:
    """Whether to collect the subtree rather than walk the name index. Walking costs about
    rows x registry / subtree probes (persons, then their spell and its place in the
    tree); collecting reads the subtree's index entries in the prefix, about 16 times
    cheaper apiece. So collect when size^2 <= 16 x rows x registry: at a million members
    and 26 rows, subtrees up to ~20,000 (measured: a district of 14,990 members, 3-9 ms
    collected against 11-47 ms walked; one of 63,108, 6-29 ms against 2-7 ms)."""
    bind = session.get_bind().engine.url
    size = RECENT_SIZES.get_or_put((bind, body.id), lambda: subtree_size(session, body))
    registry = RECENT_SIZES.get_or_put((bind, None), lambda: registry_size(session))
    return size * size <= COLLECT_FACTOR * rows * registry


@lru_cache(maxsize=256)
def _statement(shape: _Shape) -> Select[Person, str, str]:
    filters = [_filter_condition(name, unknown) for name, unknown in shape.filters]
    if shape.collected:
        return _collected(shape, filters)
    return _walked([*filters, *_key_conditions(shape, Person.name_key, Person.id)])


def _key_conditions(
    shape: _Shape, key: SQLColumnExpression[str], id: SQLColumnExpression[int]
) -> list[ColumnElement[bool]]:
    """The name prefix and the cursor, on the (name key, id) columns given."""
    wanted = []
    if shape.prefix:
        wanted += [key >= bindparam("key_from"), key < bindparam("key_to")]
    if shape.after:
        cursor = tuple_(bindparam("after_key", type_=String), bindparam("after_id", type_=Integer))
        wanted.append(tuple_(key, id) > cursor)
    return wanted


def _filter_condition(name: str, unknown: bool) -> ColumnElement[bool]:
    column: InstrumentedAttribute[Any] = getattr(Person, name)
    return column.is_(None) if unknown else column == bindparam(f"where_{name}")


def _walked(wanted: list[ColumnElement[bool]]) -> Select[Person, str, str]:
    in_subtree = exists().where(
        BodyLink.descendant_id == Membership.body_id,
        BodyLink.ancestor_id == bindparam("body_id"),
        BodyLink.valid_to.is_(None),
    )
    return (
        select(Person, Body.code, Membership.status)
        .join(Membership, and_(Membership.person_id == Person.id, Membership.ended_on.is_(None)))
        .join(Body, Body.id == Membership.body_id)
        .where(in_subtree, *wanted)
        .order_by(Person.name_key, Person.id)
        .limit(bindparam("rows", type_=Integer))
    )


def _collected(shape: _Shape, filters: list[ColumnElement[bool]]) -> Select[Person, str, str]:
    # Each body's current spells carry the name key, in the index (body, name key, person,
    # status): a prefix is one short range per body, read without visiting persons.
    spells = (
        select(Membership.person_id, Membership.body_id, Membership.status)
        .join(BodyLink, BodyLink.descendant_id == Membership.body_id)
        .where(BodyLink.ancestor_id == bindparam("body_id"), BodyLink.valid_to.is_(None))
        .where(Membership.ended_on.is_(None))
        .where(*_key_conditions(shape, Membership.name_key, Membership.person_id))
    )
    if filters:
        spells = spells.join(Person, Person.id == Membership.person_id).where(*filters)
    page = (
        spells.order_by(Membership.name_key, Membership.person_id)
        .limit(bindparam("rows", type_=Integer))
        .subquery()
    )
    # Sort narrow rows, then read the whole rows of the page only.
    return (
        select(Person, Body.code, type_coerce(page.c.status, String))
        .join(page, page.c.person_id == Person.id)
        .join(Body, Body.id == page.c.body_id)
        .order_by(Person.name_key, Person.id)
    )


# The sizes that choose the plan, built once.
_TALLIED_SIZE = select(func.sum(CensusTally.n)).where(
    CensusTally.body_id == bindparam("body_id"), CensusTally.dimension == COUNTED_BY
)
_COUNTED_SIZE = select(func.count()).where(
    Membership.body_id == bindparam("body_id"), Membership.ended_on.is_(None)
)
_REGISTRY_SIZE = select(
    select(func.coalesce(func.sum(CensusTally.n), 0))
    .join(Body, Body.id == CensusTally.body_id)
    .where(Body.parent_id.is_(None), Body.has_children, CensusTally.dimension == COUNTED_BY)
    .scalar_subquery()
    + select(func.count())
    .select_from(Membership)
    .join(Body, Body.id == Membership.body_id)
    .where(Body.parent_id.is_(None), ~Body.has_children, Membership.ended_on.is_(None))
    .scalar_subquery()
)


def registry_size(session: Session) -> int:
    """Current members of the whole organization: the roots' tallies, or their own spells."""
    return int(session.scalar(_REGISTRY_SIZE) or 0)


def subtree_size(session: Session, body: Body) -> int:
    """Current members of the subtree: from the census tallies, or the body's own spells."""
    query = _TALLIED_SIZE if body.has_children else _COUNTED_SIZE
    return int(session.scalar(query, {"body_id": body.id}) or 0)


def _filter_values(filters: Mapping[str, str]) -> dict[str, AttributeValue]:
    unknown = [n for n in filters if n not in CORE_ATTRIBUTES]
    if unknown:
        raise Invalid.one(unknown[0], "members can be searched by core attributes only")
    return parse_attributes(CORE_ATTRIBUTES, {n: v for n, v in filters.items() if v != ""})


def _filter_shape(values: Mapping[str, AttributeValue]) -> tuple[tuple[str, bool], ...]:
    return tuple(sorted((name, value is None) for name, value in values.items()))


def _filter_params(values: Mapping[str, AttributeValue]) -> dict[str, AttributeValue]:
    return {f"where_{n}": v for n, v in values.items() if v is not None}


@lru_cache(maxsize=64)
def _by_id_statement(filters: tuple[tuple[str, bool], ...]) -> Select[Person, str, str]:
    wanted = [_filter_condition(n, unknown) for n, unknown in filters]
    return _walked([*wanted, Person.id == bindparam("person_id")])


# Most searches are names, so the id is first looked up alone: one probe of the unique
# index, planned in microseconds (the roster statement takes a millisecond to plan).
_PERSON_BY_EXTERNAL_ID = select(Person.id).where(Person.external_id == bindparam("external_id"))


def _by_id(
    session: Session, body: Body, values: Mapping[str, AttributeValue], text: str
) -> RosterEntry | None:
    person_id = session.scalar(_PERSON_BY_EXTERNAL_ID, {"external_id": text})
    if person_id is None:
        return None
    params = {"body_id": body.id, "rows": 1, "person_id": person_id, **_filter_params(values)}
    row = session.execute(_by_id_statement(_filter_shape(values)), params).first()
    return RosterEntry(row[0], row[1], row[2]) if row else None


def _prefix(key: str) -> tuple[str, str]:
    # In code-point (= UTF-8 byte) order, the strings that start with "iva" are those in
    # ["iva", "ivb"): an upper bound the planner's statistics can place, unlike U+10FFFF.
    last = key[-1]
    if ord(last) >= 0x10FFFF:
        return key, key + "\U0010ffff"
    return key, key[:-1] + chr(ord(last) + 1)


def where_pairs(where: Sequence[str]) -> dict[str, str]:
    """`NAME=VALUE` filters (as pages and the API take them) as a mapping; empty ones dropped."""
    pairs = (item.partition("=") for item in where[:20])
    return {name: value for name, _, value in pairs if value}


def encode_cursor(person: Person) -> str:
    """The cursor that continues a roster after `person`."""
    raw = json.dumps([person.name_key, person.id], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    """The (name_key, id) a cursor continues after."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, person_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise Invalid.one("after", "is not a cursor from a previous page") from None
    if not isinstance(key, str) or not isinstance(person_id, int):
        raise Invalid.one("after", "is not a cursor from a previous page")
    return key, person_id
