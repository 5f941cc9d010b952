"""Call-ups in a scenario: decrees read from a data file, carried out by the mobilization
services a user calls (issue, apportion, propose, assign, then the tracking moves).

A data file under `data/mobilizations/` lists the destinations and role types its decrees
need and the decrees themselves, each as the document `orgburo mobilize decree` takes,
with the source of its numbers and the dated moves the replay makes. A timeline step
names the file and the decree's code. Counts are written at full size and scaled like
every other count; shares are not scaled. Moves dated after the replay's `--until` are
not made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.core.rounding import scaled
from orgburo.errors import Invalid, Problem
from orgburo.members import bulk_changes
from orgburo.members.models import Person
from orgburo.mobilizations import assignment, catalogs, decrees, quotas, selection, tracking
from orgburo.mobilizations.models import ARRIVED, Decree, Entry
from orgburo.mobilizations.schemas import DecreeCreate
from orgburo.scenarios.schema import Mobilization, Model, Scenario

DATA = Path(__file__).resolve().parent / "data" / "mobilizations"


class Named(Model):
    """A destination or a role type the file's decrees name."""

    code: str
    name: str
    kind: Literal["front", "labour"] | None = None


class Move(Model):
    """A dated move of the decree's entries: all that can move, `count` of them (at full
    size, the best-ranked first), or a `share` of them."""

    to: Literal["accepted", "ordered", "dispatched", "arrived", "returned", "refused", "exempted"]
    on: date
    count: int | None = Field(None, ge=0)
    share: float | None = Field(None, ge=0, le=1)
    reason: str | None = None
    source: str | None = None


class DecreeDoc(Model):
    """A decree as a scenario carries it out: the document, its source and its moves."""

    decree: dict[str, Any]
    source: str
    note: str | None = None
    accept_shortfall: bool = False
    join: str | None = None
    moves: list[Move] = Field(default_factory=list)


class MobilizationFile(Model):
    """A data file of decrees."""

    destinations: list[Named] = Field(default_factory=list)
    roles: list[Named] = Field(default_factory=list)
    decrees: list[DecreeDoc] = Field(min_length=1)


@dataclass(frozen=True)
class Call:
    """One decree of a file, checked, with the catalogs the file declares."""

    doc: DecreeDoc
    create: DecreeCreate
    destinations: tuple[Named, ...]
    roles: tuple[Named, ...]


Reader = Callable[[Path], tuple[str, Any]]
"""Reads a YAML file: its text and its data."""


def read_file(name: str, read: Reader) -> tuple[str, MobilizationFile]:
    """The text and the parsed contents of a mobilization data file."""
    path = DATA / name
    if not path.is_file():
        raise Invalid.one("mobilization.file", f"no data file {name!r} in {DATA.name}/")
    text, data = read(path)
    try:
        return text, MobilizationFile.model_validate(data)
    except ValidationError as error:
        raise Invalid([_problem(name, e) for e in error.errors()]) from None


def _problem(name: str, error: Any) -> Problem:
    where = ".".join(str(p) for p in error["loc"])
    return Problem(f"{name}: {where}", error["msg"])


def calls(scenario: Scenario, read: Reader) -> tuple[dict[str, Call], list[str]]:
    """Every decree the scenario's steps name, by step id, and the texts of the files."""
    files: dict[str, tuple[str, MobilizationFile]] = {}
    found: dict[str, Call] = {}
    for step in scenario.timeline:
        if step.mobilization is None:
            continue
        try:
            found[step.id] = _call(step.mobilization, files, read)
        except Invalid as error:
            where = f"step {step.id}, "
            raise Invalid([Problem(where + p.field, p.reason) for p in error.problems]) from None
    return found, [text for text, _ in files.values()]


def _call(ref: Mobilization, files: dict[str, tuple[str, MobilizationFile]], read: Reader) -> Call:
    if ref.file not in files:
        files[ref.file] = read_file(ref.file, read)
    content = files[ref.file][1]
    for doc in content.decrees:
        if doc.decree.get("code") == ref.decree:
            create = _create(ref.file, doc)
            return Call(doc, create, tuple(content.destinations), tuple(content.roles))
    raise Invalid.one("mobilization.decree", f"{ref.file!r} holds no decree {ref.decree!r}")


def _create(name: str, doc: DecreeDoc) -> DecreeCreate:
    try:
        return DecreeCreate.model_validate(doc.decree)
    except ValidationError as error:
        raise Invalid([_problem(name, e) for e in error.errors()]) from None


def at_scale(create: DecreeCreate, scale: Fraction) -> DecreeCreate:
    """The decree with its counts (total, sub-quotas, role lines) at the replay's scale; a
    sub-quota or a role line that rounds to nobody is left out, as a decree cannot ask
    for none."""
    quota = create.quota
    subs = [s.model_copy(update={"count": scaled(s.count, scale)}) for s in quota.subquotas]
    total = None if quota.total is None else scaled(quota.total, scale)
    roles = [r.model_copy(update={"count": scaled(r.count, scale)}) for r in create.roles]
    subs, roles = [s for s in subs if s.count], [r for r in roles if r.count]
    new_quota = quota.model_copy(update={"total": total, "subquotas": subs})
    return create.model_copy(update={"quota": new_quota, "roles": roles})


@dataclass
class CallRunner:
    """Carries out one decree of a scenario on a store."""

    session: Session
    actor: Actor
    scale: Fraction
    until: date | None

    def run(self, call: Call) -> dict[str, Any]:
        """Issue, apportion, propose, assign and move; the numbers for the audit row."""
        self._catalogs(call)
        spec = at_scale(call.create, self.scale).spec()
        decrees.issue(self.session, spec=spec, actor=self.actor)
        shared = quotas.apportion(
            self.session,
            code=spec.code,
            actor=self.actor,
            accept_shortfall=call.doc.accept_shortfall,
        )
        proposed = selection.propose(
            self.session, code=spec.code, on=spec.issued_on, actor=self.actor
        )
        if spec.roles:
            assignment.assign(self.session, code=spec.code, actor=self.actor)
        moved = [self._move(spec.code, m, call.doc.join) for m in call.doc.moves if self._due(m)]
        return {
            "decree": spec.code,
            "demanded": shared.demanded,
            "eligible": shared.eligible,
            "shortfall": shared.shortfall,
            "subquotas": [list(s) for s in shared.subquotas],
            "proposed": proposed.proposed,
            "moves": moved,
        }

    def _due(self, move: Move) -> bool:
        return self.until is None or move.on <= self.until

    def _catalogs(self, call: Call) -> None:
        known = {d.code for d in catalogs.destinations(self.session)}
        for d in call.destinations:
            if d.code not in known:
                catalogs.add_destination(
                    self.session, code=d.code, name=d.name, kind=d.kind or "", actor=self.actor
                )
        held = {r.code for r in catalogs.roles(self.session)}
        for r in call.roles:
            if r.code not in held:
                catalogs.add_role(self.session, code=r.code, name=r.name, actor=self.actor)

    def _move(self, code: str, move: Move, join: str | None) -> dict[str, Any]:
        ready = movable(self.session, code, move.to)
        ids = ready[: self._how_many(move, len(ready))]
        if ids:
            tracking.move_many(
                self.session,
                code=code,
                to=move.to,
                on=move.on,
                actor=self.actor,
                external_ids=ids,
                reason=move.reason,
            )
        joined = self._join(ids, join, move.on) if join and move.to == ARRIVED else 0
        return {"to": move.to, "on": move.on.isoformat(), "moved": len(ids), "joined": joined}

    def _join(self, ids: list[str], join: str, on: date) -> int:
        # A scope that does not exclude the destination's own organization may call up
        # its members too; they are there already.
        body = bodies.get_or_raise(self.session, join)
        there = bulk_changes.current_members(self.session, body_ids=[body.id], on=on)
        already = {m.external_id for m in there}
        moving = [i for i in ids if i not in already]
        if not moving:
            return 0
        return bulk_changes.transfer_many(
            self.session, external_ids=moving, to_body_code=join, on=on, actor=self.actor
        )

    def _how_many(self, move: Move, ready: int) -> int:
        if move.count is not None:
            return min(scaled(move.count, self.scale), ready)
        if move.share is not None:
            return scaled(ready, Fraction(str(move.share)))
        return ready


def movable(session: Session, code: str, to: str) -> list[str]:
    """External ids of the decree's entries that may move to `to`, best-ranked first."""
    decree = decrees.get_or_raise(session, code)
    query = (
        select(Person.external_id)
        .join(Entry, Entry.person_id == Person.id)
        .where(Entry.decree_id == decree.id, Entry.status.in_(tracking.TRANSITIONS[to]))
        .order_by(Entry.rank, Entry.person_id)
    )
    return list(session.scalars(query))


def decree_codes(session: Session) -> Sequence[str]:
    """Every decree the store holds, by date of issue."""
    query = select(Decree.code).order_by(Decree.issued_on, Decree.id)
    return list(session.scalars(query))
