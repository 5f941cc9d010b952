"""Changing many memberships at once: ending, confirming and transferring sets of members.

The bulk counterparts of `service.end`, `service.confirm` and `service.transfer`, as
`importer.load` is the bulk counterpart of `service.admit`: the same rules, checked in
SQL over the whole set; spells closed and opened by a few statements; the census
tallies kept in step by subtracting and adding grouped counts (`tallies.count_counted`);
one audit row for the whole change, naming how many members in which bodies and the
digest of their registry ids. All or nothing: any problem raises Invalid listing the
members concerned, and nothing is changed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    Integer,
    MetaData,
    String,
    Subquery,
    Table,
    and_,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.bulk import insert_rows
from orgburo.census import tallies
from orgburo.census.forgetting import forget_from
from orgburo.core.dates import check_not_before, check_not_future
from orgburo.errors import Invalid, Problem
from orgburo.members.models import MemberEvent, Membership, Person
from orgburo.members.service import END_REASONS

MEMBERSHIPS: Table = Membership.__table__  # type: ignore[assignment]
PERSONS: Table = Person.__table__  # type: ignore[assignment]
MAX_LISTED = 1000


@dataclass(frozen=True)
class CurrentMember:
    """A member as bulk selections see them: where, with what status, since when."""

    external_id: str
    body_id: int
    status: str
    started_on: date
    values: tuple[str, ...]


def current_members(
    session: Session,
    *,
    body_ids: Sequence[int],
    on: date,
    status: str | None = None,
    by: Sequence[str] = ("social_situation",),
) -> list[CurrentMember]:
    """Members whose current spell is in one of `body_ids` (not their subtrees) and began
    on or before `on`, with the tally values of the attributes `by`, by registry id."""
    values = [tallies.tally_text(getattr(Person, name)) for name in by]
    query = (
        select(Person.external_id, Membership.body_id, Membership.status, Membership.started_on)
        .add_columns(*values)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.ended_on.is_(None),
            Membership.body_id.in_(list(body_ids)),
            Membership.started_on <= on,
            *([Membership.status == status] if status else []),
        )
        .order_by(Person.external_id)
    )
    found = []
    for external_id, body_id, status_, started_on, *values in session.execute(query):
        found.append(CurrentMember(external_id, body_id, status_, started_on, tuple(values)))
    return found


def members_per_body(
    session: Session, *, body_ids: Sequence[int], on: date, status: str | None = None
) -> dict[int, int]:
    """How many members (of `status`) each body holds itself, as `current_members` counts."""
    query = (
        select(Membership.body_id, func.count())
        .where(
            Membership.ended_on.is_(None),
            Membership.body_id.in_(list(body_ids)),
            Membership.started_on <= on,
            *([Membership.status == status] if status else []),
        )
        .group_by(Membership.body_id)
    )
    return dict(session.execute(query).all())


def end_many(
    session: Session,
    *,
    external_ids: Sequence[str],
    reason: str,
    on: date,
    actor: Actor,
    note: str | None = None,
) -> int:
    """End the memberships of all `external_ids` on `on` (left, expelled or died)."""
    if reason not in END_REASONS:
        raise Invalid.one("reason", f"{reason!r} is not one of {', '.join(END_REASONS)}")
    change = _Change.start(session, external_ids, on)
    change.check()
    by_body = change.per_body(actor)
    change.close(reason, note)
    if reason == "died":
        session.execute(
            update(PERSONS).where(PERSONS.c.id.in_(change.person_ids())).values(died_on=on)
        )
    return change.finish(actor, f"members.{reason}", by_body, {"reason": reason, "note": note})


def confirm_many(session: Session, *, external_ids: Sequence[str], on: date, actor: Actor) -> int:
    """Make all `external_ids`, candidates now, full members from `on`."""
    change = _Change.start(session, external_ids, on)
    change.check(Membership.status != "candidate", "status: {} is already a full member")
    by_body = change.per_body(actor)
    change.reopen("confirmed", status="full")
    return change.finish(actor, "members.confirmed", by_body, {})


def transfer_many(
    session: Session, *, external_ids: Sequence[str], to_body_code: str, on: date, actor: Actor
) -> int:
    """Move all `external_ids` to the body `to_body_code` from `on`, keeping their status."""
    target = bodies.get_or_raise(session, to_body_code)
    access.require_change_body(session, actor, target)
    if target.closed_on is not None and target.closed_on <= on:
        raise Invalid.one("body", f"{to_body_code!r} was closed on {target.closed_on}")
    check_not_before("on", on, target.opened_on, f"the opening of {to_body_code!r}")
    change = _Change.start(session, external_ids, on)
    change.check(Membership.body_id == target.id, f"body: {{}} is already in {to_body_code!r}")
    by_body = change.per_body(actor)
    change.reopen("transferred", body_id=target.id)
    return change.finish(actor, "members.transferred", by_body, {"to": to_body_code})


@dataclass
class _Change:
    """The registry ids of one bulk change and their current spells, in a temporary table."""

    session: Session
    ids: Table
    count: int
    on: date
    digest: str

    @classmethod
    def start(cls, session: Session, external_ids: Sequence[str], on: date) -> _Change:
        """Stage the ids; each must be listed once."""
        check_not_future("on", on, date.today())
        repeated = sorted(i for i, n in Counter(external_ids).items() if n > 1)
        if repeated:
            raise Invalid([Problem("id", f"{i!r} is listed more than once") for i in repeated[:20]])
        session.flush()
        # One name for every change, so the statements that use it compile once.
        table = Table(
            "bulk_change_ids",
            MetaData(),
            Column("external_id", String, primary_key=True),
            Column("person_id", Integer),
            Column("spell_id", Integer),
            prefixes=["TEMPORARY"],
        )
        table.drop(session.connection(), checkfirst=True)
        table.create(session.connection())
        insert_rows(session, table, ("external_id",), [(i,) for i in external_ids])
        digest = hashlib.sha256("\n".join(sorted(external_ids)).encode()).hexdigest()
        change = cls(session, table, len(external_ids), on, digest)
        change._find_spells()
        forget_from(session, on)
        return change

    def _find_spells(self) -> None:
        person = select(Person.id).where(Person.external_id == self.ids.c.external_id)
        spell = select(Membership.id).where(
            Membership.person_id == self.ids.c.person_id, Membership.ended_on.is_(None)
        )
        self.session.execute(update(self.ids).values(person_id=person.scalar_subquery()))
        self.session.execute(update(self.ids).values(spell_id=spell.scalar_subquery()))

    def person_ids(self) -> Any:
        """The persons of the listed ids, as a subquery."""
        return select(self.ids.c.person_id)

    def current_spells(self) -> ColumnElement[bool]:
        """The condition selecting the listed persons' spells that were current at the start."""
        return Membership.id.in_(select(self.ids.c.spell_id))

    def check(self, refused: ColumnElement[bool] | None = None, reason: str = "") -> None:
        """Every id is a current member whose history allows a change on this date, and
        no current spell matches `refused` (`reason` names the field and the member)."""
        problems = self._not_members() + self._too_early()
        if refused is not None:
            problems += self._refused(refused, reason)
        if problems:
            raise Invalid(problems[:MAX_LISTED])

    def _not_members(self) -> list[Problem]:
        query = (
            select(self.ids.c.external_id, self.ids.c.person_id)
            .where(self.ids.c.spell_id.is_(None))
            .order_by(self.ids.c.external_id)
            .limit(MAX_LISTED)
        )
        return [
            Problem("id", f"nobody has the registry id {eid!r}")
            if person is None
            else Problem("id", f"{eid!r} is not a member now")
            for eid, person in self.session.execute(query)
        ]

    def _too_early(self) -> list[Problem]:
        later = select(MemberEvent.person_id).where(MemberEvent.on > self.on)
        changed_later = or_(Membership.started_on > self.on, Person.id.in_(later))
        query = (
            select(Person.external_id, Person.birth_year, changed_later)
            .join(Membership, Membership.person_id == Person.id)
            .where(self.current_spells(), changed_later | (Person.birth_year > self.on.year))
            .order_by(Person.external_id)
            .limit(MAX_LISTED)
        )
        return [
            Problem("on", f"{self.on} is before the last recorded change of {eid!r}")
            if changed
            else Problem("on", f"{self.on} is before the birth of {eid!r} ({born})")
            for eid, born, changed in self.session.execute(query)
        ]

    def _refused(self, refused: ColumnElement[bool], reason: str) -> list[Problem]:
        field, _, text = reason.partition(": ")
        query = (
            select(Person.external_id)
            .join(Membership, Membership.person_id == Person.id)
            .where(self.current_spells(), refused)
            .order_by(Person.external_id)
            .limit(MAX_LISTED)
        )
        return [Problem(field, text.format(repr(e))) for e in self.session.scalars(query)]

    def per_body(self, actor: Actor) -> dict[str, int]:
        """How many of the listed members each body holds now; the actor must be allowed
        to change every one of those bodies."""
        query = (
            select(Body.code, func.count())
            .join(Membership, Membership.body_id == Body.id)
            .where(self.current_spells())
            .group_by(Body.code)
            .order_by(Body.code)
        )
        counts = dict(self.session.execute(query).all())
        for code in counts:
            access.require_change_body(self.session, actor, bodies.get_or_raise(self.session, code))
        return counts

    def close(self, reason: str, note: str | None = None) -> None:
        """End the current spells on the change's date, taking them out of the tallies."""
        tallies.count_counted(self.session, _signed_counts(self.current_spells(), -1))
        self.session.execute(
            update(MEMBERSHIPS)
            .where(MEMBERSHIPS.c.id.in_(select(self.ids.c.spell_id)))
            .values(ended_on=self.on, end_reason=reason, note=note)
        )

    def reopen(self, reason: str, *, body_id: int | None = None, status: str | None = None) -> None:
        """Close the current spells with `reason` and open the next ones, same or changed."""
        self.close(reason)
        columns = {
            "person_id": Membership.person_id,
            "body_id": Membership.body_id if body_id is None else literal(body_id),
            "status": Membership.status if status is None else literal(status),
            "started_on": literal(self.on, Date),
            "start_reason": literal(reason),
            "name_key": Membership.name_key,
        }
        self.session.execute(
            insert(MEMBERSHIPS).from_select(
                list(columns), select(*columns.values()).where(self.current_spells())
            )
        )
        opened = and_(Membership.person_id.in_(self.person_ids()), Membership.ended_on.is_(None))
        tallies.count_counted(self.session, _signed_counts(opened, +1))

    def finish(
        self, actor: Actor, action: str, by_body: dict[str, int], details: dict[str, Any]
    ) -> int:
        """Write the audit row, refresh what the session holds, and say how many changed."""
        self.ids.drop(self.session.connection())
        audit.record(
            self.session,
            actor=actor,
            action=action,
            target=("members", f"{self.count} members"),
            after={
                "on": self.on,
                "count": self.count,
                "bodies": by_body,
                "ids_sha256": self.digest,
                **details,
            },
        )
        for instance in list(self.session.identity_map.values()):
            if isinstance(instance, Person | Membership):
                self.session.expire(instance)
        return self.count


def _signed_counts(where: ColumnElement[bool], sign: int) -> Subquery:
    """(body_id, status, dimension, value, n) of the spells matching `where`, n times `sign`."""
    parts = []
    for dimension in tallies.TALLIED:
        value = tallies.tally_text(getattr(Person, dimension))
        parts.append(
            select(
                Membership.body_id.label("body_id"),
                Membership.status.label("status"),
                literal(dimension).label("dimension"),
                value.label("value"),
                (func.count() * sign).label("n"),
            )
            .join(Person, Person.id == Membership.person_id)
            .where(where)
            .group_by(Membership.body_id, Membership.status, value)
        )
    return union_all(*parts).subquery()
