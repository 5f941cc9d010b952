"""Admitting many applicants at once as candidate members.

New people go through the registry's bulk path (`members.importer.load`), which checks
them as any import is checked, inserts persons and memberships set-based, and keeps
the census tallies right. People already in the registry (former members) are
readmitted one by one through `members.service.admit`, which knows how to readmit.
The applications then point at their persons.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from sqlalchemy import String, Table, and_, case, cast, func, literal, select, update
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.bodies.models import Body
from orgburo.errors import Invalid, Problem
from orgburo.members import importer as members_importer
from orgburo.members import service as members
from orgburo.members.attributes import catalog
from orgburo.members.models import Membership, Person

from .models import ADMITTED, OPEN_MEETING, REFUSED, Application
from .outcome_staging import OutcomeStaging

CHUNK = 100_000
IDENTITY = ["id", "name", "body", "status", "joined"]
PERSONS: Table = Person.__table__  # type: ignore[assignment]
MEMBERSHIPS: Table = Membership.__table__  # type: ignore[assignment]


def decide(session: Session, staging: OutcomeStaging, ends: Table, actor: Actor) -> tuple[int, int]:
    """Admit (as candidate members) and refuse the applicants decided in `staging`:
    (admitted, refused)."""
    s = staging.s
    admitted = and_(staging.fresh(OPEN_MEETING), s.carried)
    _readmit(session, staging, actor)
    _register(session, staging, actor)  # the registry's loader rebuilds indexes when large
    decided = (
        select(s.app_id, s.held, s.carried, s.registry, Person.id.label("person_id"), ends.c.ends)
        .select_from(staging.table)
        .outerjoin(Person, and_(s.carried, Person.external_id == s.registry))
        .outerjoin(ends, and_(s.carried, ends.c.held == s.held))
        .where(staging.fresh(OPEN_MEETING))
        .subquery()
    )
    d = decided.c
    session.execute(
        update(Application)
        .where(Application.id == d.app_id)
        .values(
            status=case((d.carried, ADMITTED), else_=REFUSED),
            decided_on=d.held,
            registry_id=case((d.carried, d.registry), else_=Application.registry_id),
            stage_ends_on=d.ends,
            person_id=d.person_id,
        )
        .execution_options(synchronize_session=False)
    )
    session.expire_all()  # loaded applications now read their new values from the store
    refused = and_(staging.fresh(OPEN_MEETING), ~s.carried)
    count = session.scalar(select(func.count()).where(admitted)) or 0
    return count, session.scalar(select(func.count()).where(refused)) or 0


def _readmit(session: Session, staging: OutcomeStaging, actor: Actor) -> None:
    """Former members come back one by one, through the registry's own admission."""
    s = staging.s
    query = (
        select(Application, Body.code, s.held, s.registry)
        .join(Application, Application.id == s.app_id)
        .join(Body, Body.id == Application.body_id)
        .where(staging.fresh(OPEN_MEETING), s.carried, s.known_person)
        .order_by(s.row)
    )
    for application, body_code, held, registry_id in session.execute(query).all():
        members.admit(
            session,
            external_id=registry_id,
            name=application.name,
            body_code=body_code,
            on=held,
            status="candidate",
            attributes=application.attributes,
            actor=actor,
        )


def _register(session: Session, staging: OutcomeStaging, actor: Actor) -> None:
    """New people, through the registry's bulk path; its problems point at our rows."""
    plan = list(catalog(session).values())
    fed: list[int] = []
    batches = _batches(session, staging, plan, fed)
    owner = session.get_one(Body, staging.campaign.body_id)
    try:
        members_importer.load(session, batches, plan, actor=actor, within=owner)
    except Invalid as error:
        raise Invalid([_ours(p, fed) for p in error.problems]) from None


def _ours(problem: Problem, fed: list[int]) -> Problem:
    row = fed[problem.row - 1] if problem.row is not None and problem.row <= len(fed) else None
    return Problem(f"admission: {problem.field}", problem.reason, row)


def _batches(
    session: Session, staging: OutcomeStaging, plan: list[Any], fed: list[int]
) -> Iterator[pa.RecordBatch]:
    """Chunks of new candidates as text columns, in the file's row order.

    Chunks are ranges of row numbers (no LIMIT: the planner keeps to hash joins), and
    every value is turned into text by the database.
    """
    s = staging.s
    values = [cast(Application.attributes[a.name].as_string(), String) for a in plan]
    query = (
        select(
            s.row,
            s.registry,
            Application.name,
            Body.code,
            literal("candidate"),
            cast(s.held, String),
            *values,
        )
        .join(Application, Application.id == s.app_id)
        .join(Body, Body.id == Application.body_id)
        .where(staging.fresh(OPEN_MEETING), s.carried, ~s.known_person)
        .order_by(s.row)
    )
    names = IDENTITY + [a.name for a in plan]
    last = session.scalar(select(func.max(s.row))) or 0
    for start in range(0, last, CHUNK):
        rows = session.execute(query.where(s.row > start, s.row <= start + CHUNK)).all()
        if rows:
            fed += [r[0] for r in rows]
            columns = list(zip(*(r[1:] for r in rows), strict=True))
            arrays = [pa.array(c, pa.string()) for c in columns]
            yield pa.RecordBatch.from_arrays(arrays, names=names)
