"""Finding members: a subtree's current members by name, registry id or attributes.

Members are listed by name (`name_key`, the lower-cased name) and id, a page at a time.
A page continues after the last member shown (keyset pagination), never by skipping
rows, so the thousandth page costs what the first one does. Two plans, chosen by the
size of the subtree, which the census tallies give for free:
- a large subtree walks the (name_key, id) index from the prefix onwards and keeps the
  members whose body is in the subtree: many of them are, so a page is a short walk;
- a small subtree first collects its members (one closure-table range, then the
  memberships index per body) and sorts those few by name.
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

COUNTED_BY = "sex"  # any tallied dimension: every member has one value of it


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
    """Whether to collect the subtree rather than walk the name index: walking costs about
    rows x registry / subtree probes, collecting costs about the subtree's size; so collect
    when size^2 is less than rows x registry (at a million members and 26 rows: subtrees
    up to ~5,000)."""
    size = subtree_size(session, body)
    return size * size <= rows * registry_size(session)


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
    # The name key is read with each collected member (one primary-key probe apiece), and
    # the prefix compares with that copy. Compared on `persons`, it let PostgreSQL hash
    # the prefix's whole range of the name index instead: for "ma" in a district of 4,089
    # members, 83,000 index entries to keep 348; 60 ms against 23 ms (EXPLAIN ANALYZE).
    members = (
        select(Membership.person_id, Membership.body_id, Membership.status, Person.name_key)
        .join(BodyLink, BodyLink.descendant_id == Membership.body_id)
        .join(Person, Person.id == Membership.person_id)
        .where(BodyLink.ancestor_id == bindparam("body_id"), BodyLink.valid_to.is_(None))
        .where(Membership.ended_on.is_(None))
        .cte("subtree_members")
        .prefix_with("MATERIALIZED")
    )
    key, person_id = members.c.name_key, members.c.person_id
    # Sort narrow rows (name key and ids), then read the whole rows of the page only.
    narrow = select(person_id, members.c.body_id, members.c.status)
    if filters:
        narrow = narrow.join(Person, Person.id == person_id).where(*filters)
    page = (
        narrow.where(*_key_conditions(shape, key, person_id))
        .order_by(key, person_id)
        .limit(bindparam("rows", type_=Integer))
        .subquery()
    )
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
    return _walked([*wanted, Person.external_id == bindparam("external_id")])


def _by_id(
    session: Session, body: Body, values: Mapping[str, AttributeValue], text: str
) -> RosterEntry | None:
    params = {"body_id": body.id, "rows": 1, "external_id": text, **_filter_params(values)}
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
