"""One handler per kind of step, each calling the service a user would call for it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.errors import Invalid
from orgburo.members import bulk_changes, importer
from orgburo.members import service as members
from orgburo.members.attributes import catalog
from orgburo.scenarios import selection, synthesis
from orgburo.scenarios.allocation import Allocator, Layout
from orgburo.scenarios.mobilization import Call, CallRunner
from orgburo.scenarios.schema import Admit, MemberChange, Mix, Part, Scenario, Step

NOTE_LIMIT = 500


class StepRunner:
    """Carries out steps on one store, remembering what the timeline has opened."""

    def __init__(
        self,
        session: Session,
        scenario: Scenario,
        scale: Fraction,
        actor: Actor,
        calls: dict[str, Call] | None = None,
        until: date | None = None,
    ):
        self.session = session
        self.scenario = scenario
        self.actor = actor
        self.layout = Layout()
        self.allocator = Allocator(session, self.layout, scale, actor)
        self.calls = calls or {}
        self.call_runner = CallRunner(session, actor, scale, until)

    def run(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        """Carry out `step`; returns the numbers the audit row records."""
        handler = getattr(self, f"_{step.action}")
        result: dict[str, Any] = handler(step, rng)
        return result

    # --- bodies ---------------------------------------------------------------------

    def _open(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        for spec in step.open or []:
            body = bodies.create(
                self.session,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                parent_code=spec.parent,
                level=spec.level,
                zone=spec.zone,
                opened_on=spec.opened or step.on,
                actor=self.actor,
            )
            self.layout.add(spec, body.id, body.opened_on)
        return {"opened": [s.code for s in step.open or []]}

    def _move(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        assert step.move is not None
        move = step.move
        bodies.move(
            self.session, code=move.body, new_parent_code=move.parent, on=step.on, actor=self.actor
        )
        return {"body": move.body, "parent": move.parent}

    def _change(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        assert step.change is not None
        change = step.change
        bodies.change(
            self.session,
            code=change.body,
            on=step.on,
            actor=self.actor,
            name=change.name,
            level=change.level,
            zone=change.zone,
        )
        return change.model_dump(exclude_none=True)

    def _close(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        assert step.close is not None
        close = step.close
        moved = 0
        if close.transfer_to is not None:
            body_id = self.layout.ids[close.body]
            current = bulk_changes.current_members(self.session, body_ids=[body_id], on=step.on)
            ids = [m.external_id for m in current]
            if ids:
                moved = bulk_changes.transfer_many(
                    self.session,
                    external_ids=ids,
                    to_body_code=close.transfer_to,
                    on=step.on,
                    actor=self.actor,
                )
        bodies.close(self.session, code=close.body, on=step.on, actor=self.actor)
        self.layout.closed.add(close.body)
        return {"body": close.body, "transferred": moved}

    # --- named people -----------------------------------------------------------------

    def _member(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        assert step.member is not None
        change = step.member
        common = {"external_id": change.id, "on": step.on, "actor": self.actor}
        if change.action == "admit":
            members.admit(
                self.session,
                name=change.name or change.id,
                body_code=change.body or "",
                status=change.status,
                attributes=change.attributes,
                **common,  # type: ignore[arg-type]
            )
        else:
            _individual(self.session, change, common)
        return {"person": change.id, "change": change.action}

    # --- aggregates ---------------------------------------------------------------------

    def _admit(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        assert step.admit is not None
        admit = step.admit
        shares = [
            synthesis.Share(
                code, n, self._first_day(code, admit, step), self._mix(code, admit, part)
            )
            for part in admit.into
            for code, n in self._counts(part, step).items()
            if n
        ]
        defaults = self.scenario.defaults
        intake = synthesis.Intake(
            prefix=step.id,
            status=admit.status,
            on=step.on,
            shares=shares,
            birth=admit.birth_year or defaults.birth_year,
            min_age=defaults.min_age,
            given_names=defaults.given_names,
            family_names=defaults.family_names,
        )
        known = catalog(self.session)
        plan = [known[name] for name in intake.attributes()]
        loaded = importer.load(self.session, synthesis.batches(intake, rng), plan, actor=self.actor)
        return {"admitted": loaded.created, "bodies": _per_body((s.body, s.count) for s in shares)}

    def _depart(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        assert step.depart is not None
        depart = step.depart
        wanted = self._wanted(depart.from_, step, status=depart.status)
        chosen = self._choose(wanted, step.on, depart.status, rng)
        note = f"{step.title} (scenario {self.scenario.name}, step {step.id})"[:NOTE_LIMIT]
        ended = bulk_changes.end_many(
            self.session,
            external_ids=chosen,
            reason=depart.reason,
            on=step.on,
            actor=self.actor,
            note=note,
        )
        return {"ended": ended, "reason": depart.reason, "bodies": wanted}

    def _confirm(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        assert step.confirm is not None
        cutoff = step.confirm.admitted_before or step.on
        wanted: dict[str, int] = {}
        for part in step.confirm.in_:
            counts = self.allocator.counts(
                part,
                step.on,
                sign=+1,
                status="full",
                default_split="size",
                size_status="candidate",
                size_on=cutoff,
            )
            _add(wanted, counts)
        chosen = self._choose(wanted, cutoff, "candidate", rng, oldest_first=True)
        confirmed = bulk_changes.confirm_many(
            self.session, external_ids=chosen, on=step.on, actor=self.actor
        )
        return {"confirmed": confirmed, "bodies": wanted}

    def _transfer(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        assert step.transfer is not None
        wanted = self._wanted(step.transfer.from_, step, status=None)
        chosen = self._choose(wanted, step.on, None, rng)
        moved = bulk_changes.transfer_many(
            self.session,
            external_ids=chosen,
            to_body_code=step.transfer.to,
            on=step.on,
            actor=self.actor,
        )
        return {"transferred": moved, "to": step.transfer.to, "bodies": wanted}

    def _mobilization(self, step: Step, rng: np.random.Generator) -> dict[str, Any]:
        # Moves follow rank, not chance: the services' own order decides who goes first.
        return self.call_runner.run(self.calls[step.id])

    # --- helpers ------------------------------------------------------------------------

    def _counts(self, part: Part, step: Step) -> dict[str, int]:
        return self.allocator.counts(part, step.on, sign=+1, status=None, default_split="weight")

    def _wanted(self, parts: list[Part], step: Step, *, status: str | None) -> dict[str, int]:
        wanted: dict[str, int] = {}
        for part in parts:
            counts = self.allocator.counts(
                part, step.on, sign=-1, status=status, default_split="size", size_status=status
            )
            _add(wanted, counts)
        return wanted

    def _choose(
        self,
        wanted: dict[str, int],
        on: date,
        status: str | None,
        rng: np.random.Generator,
        oldest_first: bool = False,
    ) -> list[str]:
        ids = self.allocator.ids(list(wanted))
        current = bulk_changes.current_members(
            self.session, body_ids=list(ids.values()), on=on, status=status, by=selection.STRATA
        )
        held = Counter(m.body_id for m in current)
        for code, n in wanted.items():
            if n > held[ids[code]]:
                reason = f"{code!r} holds {held[ids[code]]} members who qualify, not {n}"
                raise Invalid.one("count", reason)
        by_id = {ids[code]: n for code, n in wanted.items()}
        return selection.choose(current, by_id, rng, oldest_first=oldest_first)

    def _first_day(self, code: str, admit: Admit, step: Step) -> date:
        return max(admit.since or step.on, self.layout.opened[code])

    def _mix(self, code: str, admit: Admit, part: Part) -> Mix:
        spec = self.layout.specs.get(code)
        return {
            **self.scenario.defaults.mix,
            **(spec.mix if spec else {}),
            **admit.mix,
            **part.mix,
        }


def _individual(session: Session, change: MemberChange, common: dict[str, Any]) -> None:
    if change.action == "confirm":
        members.confirm(session, **common)
    elif change.action == "transfer":
        members.transfer(session, to_body_code=change.to or "", **common)
    elif change.action == "end":
        members.end(session, reason=change.reason or "left", note=change.note, **common)
    else:
        members.change_attributes(session, changes=change.attributes, **common)


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for code, n in counts.items():
        total[code] = total.get(code, 0) + n


def _per_body(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for code, n in pairs:
        total[code] = total.get(code, 0) + n
    return total
