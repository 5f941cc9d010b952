"""Reading called-up members back: a body's list, and why one member was chosen and placed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from orgburo import access
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.core.assignment import fit
from orgburo.core.attributes import CORE_ATTRIBUTES
from orgburo.core.rules import Value
from orgburo.core.selection import ScoreParts
from orgburo.errors import Invalid
from orgburo.members.models import Person

from . import decrees, quotas
from .criteria import decree_rules
from .models import STATUSES, Destination, Entry, Quota, RoleLine, RoleType, SubQuota
from .tracking import entry_of

LIMIT = 1000


@dataclass(frozen=True)
class EntryRow:
    """One called-up member as listed: who, from where, where they stand, where they go."""

    id: str
    name: str
    body: str
    status: str
    status_on: date
    subquota: str | None
    rank: int
    score: int
    role: str | None
    destination: str | None
    fit: int | None
    reason: str | None


@dataclass(frozen=True)
class LineFit:
    """How one member fits one role line: the fit (0: cannot fill it) and why, in words."""

    position: int
    role: str
    destination: str
    fit: int
    met: bool
    why: str


@dataclass(frozen=True)
class Explanation:
    """Why a member was proposed (score parts) and placed (fit for every line)."""

    entry: EntryRow
    score: ScoreParts
    lines: tuple[LineFit, ...]


def entries(
    session: Session,
    *,
    code: str,
    actor: Actor,
    body_code: str | None = None,
    status: str | None = None,
    limit: int = LIMIT,
    offset: int = 0,
) -> list[EntryRow]:
    """The decree's entries in a body's subtree (default its scope), by body and rank,
    `limit` of them after the first `offset`."""
    decree = decrees.get_or_raise(session, code)
    body = (
        bodies.get_or_raise(session, body_code) if body_code else decrees.scope_of(session, decree)
    )
    decrees.require_read(session, actor, decree)
    access.require_read_body(session, actor, body)
    if status is not None and status not in STATUSES:
        raise Invalid.one("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    subtree = select(BodyLink.descendant_id).where(
        BodyLink.ancestor_id == body.id, BodyLink.valid_to.is_(None)
    )
    query = _rows().where(Entry.decree_id == decree.id, Entry.body_id.in_(subtree))
    if status is not None:
        query = query.where(Entry.status == status)
    query = query.order_by(Body.code, Entry.subquota_id.is_(None), Entry.rank, Person.id)
    return [_row(r) for r in session.execute(query.offset(offset).limit(limit))]


def _rows() -> Any:
    line_place = aliased(Destination)
    return (
        select(
            Person.external_id,
            Person.name,
            Body.code,
            Entry.status,
            Entry.status_on,
            SubQuota.name,
            Entry.rank,
            Entry.score,
            RoleType.code,
            line_place.code,
            Entry.fit,
            Entry.reason,
        )
        .select_from(Entry)
        .join(Person, Person.id == Entry.person_id)
        .join(Body, Body.id == Entry.body_id)
        .outerjoin(SubQuota, SubQuota.id == Entry.subquota_id)
        .outerjoin(RoleLine, RoleLine.id == Entry.role_line_id)
        .outerjoin(RoleType, RoleType.id == RoleLine.role_id)
        .outerjoin(line_place, line_place.id == RoleLine.destination_id)
    )


def _row(r: Sequence[Any]) -> EntryRow:
    return EntryRow(*r)


@dataclass(frozen=True)
class QuotaTable:
    """A decree, and the quota rows of one body and of its sub-bodies (empty before the
    quota is apportioned)."""

    decree: decrees.DecreeView
    body: tuple[Quota, Body] | None
    children: tuple[tuple[Quota, Body], ...]


def quota_table(
    session: Session, *, code: str, actor: Actor, body_code: str | None = None
) -> QuotaTable:
    """The decree and the quotas of `body_code` (default its scope) one level down."""
    shown = decrees.view(session, code=code, actor=actor)
    decree = shown.decree
    body = (
        bodies.get_or_raise(session, body_code) if body_code else decrees.scope_of(session, decree)
    )
    # The decree may reach into the actor's bodies without the whole scope being theirs.
    access.require_read_body(session, actor, body)
    own = session.execute(
        select(Quota, Body)
        .join(Body, Body.id == Quota.body_id)
        .where(Quota.decree_id == decree.id, Quota.subquota_id.is_(None), Quota.body_id == body.id)
    ).first()
    rows = quotas.quota_rows(session, decree, body.id)
    return QuotaTable(shown, (own[0], own[1]) if own else None, tuple(rows))


def explain(session: Session, *, code: str, external_id: str, actor: Actor) -> Explanation:
    """The member's score parts, and their fit for every role line with the reasons."""
    decree = decrees.get_or_raise(session, code)
    entry, person = entry_of(session, decree, external_id)
    access.require_read_person(session, actor, person)
    row = _row(session.execute(_rows().where(Entry.id == entry.id)).one())
    values = person_values(person, decree.issued_on.year)
    lines = tuple(
        _line_fit(session, line, rule, values) for line, rule in decree_rules(session, decree).lines
    )
    parts = ScoreParts(
        entry.score_roles, entry.score_standing, entry.score_training, entry.score_age
    )
    return Explanation(row, parts, lines)


def person_values(person: Person, year: int) -> dict[str, Value]:
    """A member's attribute values as rules read them, with `age` in the decree's year."""
    values: dict[str, Value] = {name: getattr(person, name) for name in CORE_ATTRIBUTES}
    values.update(person.extra or {})
    born = person.birth_year
    values["age"] = None if born is None else year - born
    return values


def _line_fit(session: Session, line: RoleLine, rule: Any, values: dict[str, Value]) -> LineFit:
    role = session.get_one(RoleType, line.role_id)
    where = session.get_one(Destination, line.destination_id)
    verdict = rule.evaluate(values)
    return LineFit(
        line.position, role.code, where.code, fit(rule, values), verdict.passed, verdict.reason
    )
