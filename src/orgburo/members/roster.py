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

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    exists,
    func,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.census.models import CensusTally
from orgburo.core.attributes import CORE_ATTRIBUTES
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
    wanted = _conditions(filters or {})
    if text and (found := _by_id(session, body, wanted, text)):
        return RosterPage([found], limit, None)
    if text:
        wanted += _prefix(name_key(text))
    if after:
        wanted.append(tuple_(Person.name_key, Person.id) > tuple_(*decode_cursor(after)))
    rows = session.execute(_page(session, body, wanted, limit + 1)).all()
    entries = [RosterEntry(p, code, status) for p, code, status in rows[:limit]]
    more = len(rows) > limit
    return RosterPage(entries, limit, encode_cursor(entries[-1].person) if more else None)


def _page(
    session: Session, body: Body, wanted: list[ColumnElement[bool]], rows: int
) -> Select[Person, str, str]:
    """The cheaper plan: walking the name index costs about rows x registry / subtree
    probes, collecting the subtree costs about its size; so collect when size^2 is less
    than rows x registry (at a million members and 26 rows: subtrees up to ~5,000)."""
    size = subtree_size(session, body)
    if size * size <= rows * registry_size(session):
        return _collected(body, wanted, rows)
    return _walked(body, wanted, rows)


def _walked(body: Body, wanted: list[ColumnElement[bool]], rows: int) -> Select[Person, str, str]:
    in_subtree = exists().where(
        BodyLink.descendant_id == Membership.body_id,
        BodyLink.ancestor_id == body.id,
        BodyLink.valid_to.is_(None),
    )
    return (
        select(Person, Body.code, Membership.status)
        .join(Membership, and_(Membership.person_id == Person.id, Membership.ended_on.is_(None)))
        .join(Body, Body.id == Membership.body_id)
        .where(in_subtree, *wanted)
        .order_by(Person.name_key, Person.id)
        .limit(rows)
    )


def _collected(
    body: Body, wanted: list[ColumnElement[bool]], rows: int
) -> Select[Person, str, str]:
    members = (
        select(Membership.person_id, Membership.body_id, Membership.status)
        .join(BodyLink, BodyLink.descendant_id == Membership.body_id)
        .where(BodyLink.ancestor_id == body.id, BodyLink.valid_to.is_(None))
        .where(Membership.ended_on.is_(None))
        .cte("subtree_members")
        .prefix_with("MATERIALIZED")
    )
    # Sort narrow rows (name key and ids), then read the whole rows of the page only.
    page = (
        select(Person.id.label("person_id"), members.c.body_id, members.c.status)
        .join(members, members.c.person_id == Person.id)
        .where(*wanted)
        .order_by(Person.name_key, Person.id)
        .limit(rows)
        .subquery()
    )
    return (
        select(Person, Body.code, type_coerce(page.c.status, String))
        .join(page, page.c.person_id == Person.id)
        .join(Body, Body.id == page.c.body_id)
        .order_by(Person.name_key, Person.id)
    )


def registry_size(session: Session) -> int:
    """Current members of the whole organization, from the roots' tallies."""
    roots = session.scalars(select(Body).where(Body.parent_id.is_(None)))
    return sum(subtree_size(session, root) for root in roots)


def subtree_size(session: Session, body: Body) -> int:
    """Current members of the subtree: from the census tallies, or the body's own spells."""
    if body.has_children:
        query = select(func.sum(CensusTally.n)).where(
            CensusTally.body_id == body.id, CensusTally.dimension == COUNTED_BY
        )
    else:
        query = select(func.count()).where(
            Membership.body_id == body.id, Membership.ended_on.is_(None)
        )
    return int(session.scalar(query) or 0)


def _conditions(filters: Mapping[str, str]) -> list[ColumnElement[bool]]:
    unknown = [n for n in filters if n not in CORE_ATTRIBUTES]
    if unknown:
        raise Invalid.one(unknown[0], "members can be searched by core attributes only")
    values = parse_attributes(CORE_ATTRIBUTES, {n: v for n, v in filters.items() if v != ""})
    return [getattr(Person, n) == v for n, v in values.items()]


def _by_id(
    session: Session, body: Body, wanted: list[ColumnElement[bool]], text: str
) -> RosterEntry | None:
    row = session.execute(_walked(body, [*wanted, Person.external_id == text], 1)).first()
    return RosterEntry(row[0], row[1], row[2]) if row else None


def _prefix(key: str) -> list[ColumnElement[bool]]:
    # In code-point (= UTF-8 byte) order, the strings that start with "iva" are those in
    # ["iva", "ivb"): an upper bound the planner's statistics can place, unlike U+10FFFF.
    last = key[-1]
    if ord(last) >= 0x10FFFF:
        return [Person.name_key >= key, Person.name_key < key + "\U0010ffff"]
    return [Person.name_key >= key, Person.name_key < key[:-1] + chr(ord(last) + 1)]


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
