"""Replaying a scenario: every step through the services, audited, deterministic."""

from __future__ import annotations

from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM, Actor
from orgburo.audit import AuditEntry
from orgburo.bodies import service as bodies
from orgburo.census import service as census
from orgburo.census import tallies
from orgburo.db import unit_of_work
from orgburo.errors import Conflict, Invalid, PermissionDenied
from orgburo.members.models import Membership, Person
from orgburo.scenarios import service
from orgburo.scenarios.loader import Loaded
from tests.factories import body, tally_rows
from tests.scenarios.conftest import DATA


def actions(session: Session) -> Counter[str]:
    return Counter(session.scalars(select(AuditEntry.action)))


def registry(engine: Engine) -> list[tuple[object, ...]]:
    with unit_of_work(engine) as session:
        query = (
            select(Person.external_id, Person.name, Person.birth_year, Membership.body_id)
            .join(Membership, Membership.person_id == Person.id)
            .order_by(Person.external_id, Membership.id)
        )
        return [tuple(row) for row in session.execute(query)]


def test_every_step_goes_through_the_services_and_is_audited(
    session: Session, tiny: Loaded
) -> None:
    record = service.replay(session, tiny, scale=Fraction(1), actor=SYSTEM)
    done = actions(session)
    assert done["scenario.step"] == record.steps == 3 + len(tiny.scenario.timeline)
    assert done["scenario.replayed"] == 1
    for action in ("body.opened", "body.moved", "body.changed", "body.closed"):
        assert done[action] >= 1, action
    for action in ("member.admitted", "member.transferred", "members.transferred"):
        assert done[action] >= 1, action
    assert done["members.confirmed"] == 1
    assert done["members.expelled"] == 1


def test_the_census_after_a_replay_matches_a_recount(session: Session, tiny: Loaded) -> None:
    service.replay(session, tiny, scale=Fraction(1), actor=SYSTEM)
    kept = tally_rows(session)
    tallies.rebuild(session)
    assert kept == tally_rows(session)
    composition = census.census(session, body_code="ROOT", by=["status"], actor=SYSTEM)
    assert composition.total == 1100 - 200


def test_a_replay_can_stop_at_a_date(sqlite_session: Session, tiny: Loaded) -> None:
    record = service.replay(
        sqlite_session, tiny, scale=Fraction(1), actor=SYSTEM, until=date(1919, 6, 30)
    )
    assert record.last_step == "call-up"
    assert bodies.get_or_raise(sqlite_session, "EAST").closed_on is None
    assert service.replayed(sqlite_session, "tiny") == record


def test_a_replay_at_a_scale_scales_every_count(sqlite_session: Session, tiny: Loaded) -> None:
    service.replay(sqlite_session, tiny, scale=Fraction(1, 10), actor=SYSTEM)
    at = date(1919, 1, 1)
    composition = census.census(
        sqlite_session, body_code="ROOT", by=["status"], at=at, actor=SYSTEM
    )
    assert composition.total == 100 + 10


def test_the_same_seed_gives_the_same_members(tmp_path: Path, tiny: Loaded) -> None:
    stores = []
    for name, seed in (("a", None), ("b", None), ("c", 8)):
        engine, _ = service.replay_into_file(
            tmp_path / f"{name}.sqlite3",
            tiny,
            scale=Fraction(1),
            actor=SYSTEM,
            seed=seed,
            until=date(1919, 1, 1),
        )
        stores.append(registry(engine))
        engine.dispose()
    assert stores[0] == stores[1]
    assert stores[0] != stores[2]


def test_a_failing_step_names_its_file_line_and_id(sqlite_session: Session, tmp_path: Path) -> None:
    text = (DATA / "tiny.yaml").read_text()
    text = text.replace("{group: cells, count: 200}", "{body: SOUTH, count: 5000}")
    path = tmp_path / "greedy.yaml"
    path.write_text(text)
    with pytest.raises(Invalid) as raised:
        service.replay(sqlite_session, service.load(str(path)), scale=Fraction(1), actor=SYSTEM)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "id: purge" in t)
    [problem] = raised.value.problems
    assert str(problem).startswith(f"greedy.yaml, line {line}, step purge: count: 'SOUTH' holds")


def test_only_an_administrator_may_replay(sqlite_session: Session, tiny: Loaded) -> None:
    with pytest.raises(PermissionDenied):
        service.replay(sqlite_session, tiny, scale=Fraction(1), actor=Actor(name="clerk"))


def test_a_replay_needs_an_empty_store(session: Session) -> None:
    body(session, "CC")
    with pytest.raises(Conflict, match="already holds 1 bodies"):
        service.check_empty(session)
