"""Replaying a scenario: its steps carried out in date order through the services users call.

Bodies are opened, moved, changed and closed by `bodies.service`; named people change
through `members.service`; synthesized admissions are loaded by `members.importer.load`
as an imported file would be; aggregate departures, confirmations and transfers go
through `members.bulk_changes`. Every step adds one `scenario.step` row to the audit
trail beside the rows the services write, and the replay ends with one
`scenario.replayed` row naming the scenario, its digest, the scale and the seed.

Each step draws from its own random generator, seeded by the replay's seed and the
step's id, so the same seed gives the same members, and a what-if that changes one
step leaves the others' draws alone.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.audit import AuditEntry
from orgburo.errors import Invalid, OrgburoError, Problem
from orgburo.scenarios.loader import Loaded
from orgburo.scenarios.schema import Admit, Scenario, Step
from orgburo.scenarios.steps import StepRunner

Progress = Callable[[int, int], None]
REPLAYED = "scenario.replayed"


@dataclass(frozen=True)
class ReplayRecord:
    """What the audit trail says about a replay held in a store."""

    scenario: str
    scale: Fraction
    seed: int
    until: date | None
    steps: int
    last_step: str | None
    digest: str


def replay(
    session: Session,
    loaded: Loaded,
    *,
    scale: Fraction,
    actor: Actor,
    seed: int | None = None,
    until: date | None = None,
    progress: Progress | None = None,
) -> ReplayRecord:
    """Carry out the scenario's steps up to `until` (all of them when None)."""
    access.require_admin(actor, "replay a scenario")
    check_scale(scale)
    scenario = loaded.scenario
    seed = scenario.seed if seed is None else seed
    steps = [s for s in first_day(scenario) + scenario.timeline if until is None or s.on <= until]
    runner = StepRunner(session, scenario, scale, actor, loaded.calls, until)
    for done, step in enumerate(steps, start=1):
        numbers = _run(runner, loaded, step, _generator(seed, step.id))
        _record_step(session, actor, scenario, step, scale, numbers)
        if progress is not None:
            progress(done, len(steps))
    last = steps[-1].id if steps else None
    record = ReplayRecord(scenario.name, scale, seed, until, len(steps), last, loaded.digest)
    _record_replay(session, actor, loaded, record)
    return record


def check_scale(scale: Fraction) -> None:
    """A scale is a fraction of the full size: above 0, at most 1."""
    if not 0 < scale <= 1:
        raise Invalid.one("scale", f"{scale} is not above 0 and at most 1")


def first_day(scenario: Scenario) -> list[Step]:
    """The organization as steps: its bodies, its named people, its members."""
    organization = scenario.organization
    day, source = organization.on, organization.source
    steps = [
        _step(
            "organization",
            day,
            "The organization's bodies on the first day",
            source,
            open=organization.bodies,
        ),
        *[
            _step(f"person-{p.id}", day, f"{p.name or p.id} on the first day", None, member=p)
            for p in organization.people
        ],
    ]
    if organization.members:
        admit = Admit(into=organization.members)
        steps.append(_step("members", day, "Members on the first day", source, admit=admit))
    return steps


def _step(step_id: str, on: date, title: str, source: str | None, **action: Any) -> Step:
    return Step.model_construct(id=step_id, on=on, title=title, source=source, **action)


def _generator(seed: int, step_id: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(step_id.encode())])


def _run(
    runner: StepRunner, loaded: Loaded, step: Step, rng: np.random.Generator
) -> dict[str, Any]:
    try:
        return runner.run(step, rng)
    except Invalid as error:
        where = f"{loaded.where(step.id)}, step {step.id}"
        located = [Problem(f"{where}: {p.field}", p.reason, p.row) for p in error.problems]
        raise Invalid(located) from None
    except OrgburoError as error:
        raise type(error)(f"{loaded.where(step.id)}, step {step.id}: {error.message}") from None


def _record_step(
    session: Session,
    actor: Actor,
    scenario: Scenario,
    step: Step,
    scale: Fraction,
    numbers: dict[str, Any],
) -> None:
    audit.record(
        session,
        actor=actor,
        action="scenario.step",
        target=("scenario", f"{scenario.name}:{step.id}"[:100]),
        after={
            "scenario": scenario.name,
            "step": step.id,
            "on": step.on,
            "action": step.action,
            "title": step.title,
            "source": step.source,
            "scale": str(scale),
            **numbers,
        },
    )


def _record_replay(session: Session, actor: Actor, loaded: Loaded, record: ReplayRecord) -> None:
    audit.record(
        session,
        actor=actor,
        action=REPLAYED,
        target=("scenario", record.scenario),
        after={
            "scenario": record.scenario,
            "title": loaded.scenario.title,
            "files": [p.name for p in loaded.files],
            "digest": record.digest,
            "scale": str(record.scale),
            "seed": record.seed,
            "until": record.until,
            "steps": record.steps,
            "last_step": record.last_step,
        },
    )


def last_replay(session: Session, name: str | None = None) -> ReplayRecord | None:
    """The latest replay the store holds (of scenario `name` when given)."""
    query = select(AuditEntry).where(AuditEntry.action == REPLAYED)
    if name is not None:
        query = query.where(AuditEntry.target_id == name)
    entry = session.scalar(query.order_by(AuditEntry.id.desc()).limit(1))
    if entry is None or entry.after is None:
        return None
    after = entry.after
    return ReplayRecord(
        scenario=after["scenario"],
        scale=Fraction(after["scale"]),
        seed=int(after["seed"]),
        until=date.fromisoformat(after["until"]) if after.get("until") else None,
        steps=int(after["steps"]),
        last_step=after.get("last_step"),
        digest=after["digest"],
    )
