"""Call-ups in a scenario: decrees from a data file, carried out through the mobilization
services, scaled, audited, deterministic, and stopped by `--until`."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, select

from orgburo.actors import SYSTEM
from orgburo.audit import AuditEntry
from orgburo.db import unit_of_work
from orgburo.errors import Invalid
from orgburo.members.models import Person
from orgburo.mobilizations.fulfilment import Fulfilment, FulfilmentRow
from orgburo.mobilizations.models import Decree, Entry, Quota
from orgburo.scenarios import mobilization, service
from orgburo.scenarios.loader import Loaded
from orgburo.scenarios.service import callup_series
from tests.scenarios.conftest import REFERENCE, Replayed

SPRING_1919 = date(1919, 5, 20)
SCALE = Fraction(1, 1000)


@pytest.fixture(scope="module")
def reference() -> Loaded:
    return service.load(REFERENCE)


def entries(engine: Engine, code: str) -> list[tuple[str, str]]:
    with unit_of_work(engine) as session:
        query = (
            select(Person.external_id, Entry.status)
            .join(Entry, Entry.person_id == Person.id)
            .join(Decree, Decree.id == Entry.decree_id)
            .where(Decree.code == code)
            .order_by(Person.external_id)
        )
        return [(i, s) for i, s in session.execute(query)]


def spring_replay(path: Path, loaded: Loaded) -> Engine:
    engine, _ = service.replay_into_file(path, loaded, scale=SCALE, actor=SYSTEM, until=SPRING_1919)
    return engine


def read_yaml(path: Path) -> tuple[str, object]:
    text = path.read_text()
    return text, yaml.safe_load(text)


def test_every_call_up_names_a_decree_of_its_data_file(reference: Loaded) -> None:
    steps = [s for s in reference.scenario.timeline if s.mobilization]
    assert set(reference.calls) == {s.id for s in steps}
    assert all(call.doc.source for call in reference.calls.values())


def test_a_step_naming_a_missing_decree_is_refused_with_its_step(reference: Loaded) -> None:
    step = next(s for s in reference.scenario.timeline if s.mobilization)
    assert step.mobilization is not None
    missing = step.mobilization.model_copy(update={"decree": "NOPE"})
    broken = step.model_copy(update={"mobilization": missing})
    scenario = reference.scenario.model_copy(update={"timeline": [broken]})
    with pytest.raises(Invalid) as error:
        mobilization.calls(scenario, read_yaml)
    assert f"step {step.id}" in error.value.problems[0].field


def test_a_replay_until_a_date_makes_no_move_after_it(tmp_path: Path, reference: Loaded) -> None:
    engine = spring_replay(tmp_path / "a.sqlite3", reference)
    statuses = {s for _, s in entries(engine, "E-1919-04")}
    engine.dispose()
    assert statuses == {"dispatched"}


def test_the_same_seed_calls_up_the_same_members(tmp_path: Path, reference: Loaded) -> None:
    first = spring_replay(tmp_path / "a.sqlite3", reference)
    second = spring_replay(tmp_path / "b.sqlite3", reference)
    try:
        assert entries(first, "E-1919-04") == entries(second, "E-1919-04")
        assert entries(first, "S-1918-11")
    finally:
        first.dispose()
        second.dispose()


def test_each_call_up_writes_its_step_row_and_the_services_rows(
    reference_sqlite: Replayed,
) -> None:
    with unit_of_work(reference_sqlite.engine) as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    calls = len(reference_sqlite.loaded.calls)
    for action in ("mobilization.decree_issued", "mobilization.apportioned"):
        assert actions.count(action) == calls, action
    assert actions.count("mobilization.proposed") == calls
    assert "mobilization.bulk_arrived" in actions
    assert "members.transferred" in actions


def test_a_quota_is_scaled_like_every_count(reference_sqlite: Replayed) -> None:
    with unit_of_work(reference_sqlite.engine) as session:
        decree = session.scalar(select(Decree).where(Decree.code == "S-1918-11"))
        assert decree is not None
        assert decree.total == 26  # 2,557 at 1:100, rounded half up


def test_a_sub_quota_the_members_cannot_fill_is_recorded_as_a_shortfall(
    reference_sqlite: Replayed,
) -> None:
    with unit_of_work(reference_sqlite.engine) as session:
        row = session.scalar(
            select(AuditEntry.after).where(
                AuditEntry.action == "scenario.step",
                AuditEntry.target_id.like("%western-front-call-up-1920"),
            )
        )
        assert row is not None
        assert row["subquotas"] == [["responsible", 1, 1]]
        sent = len([s for _, s in entries(reference_sqlite.engine, "W-1920-04") if s == "arrived"])
        assert sent == 30
        shortfall = session.scalars(
            select(Quota.shortfall).join(Decree).where(Decree.code == "W-1920-04")
        ).all()
        assert sum(shortfall) >= 1


def test_the_call_up_chart_has_every_month_with_decreed_sent_and_arrived(
    reference_sqlite: Replayed,
) -> None:
    with unit_of_work(reference_sqlite.engine) as session:
        drawn = service.callups(session, reference_sqlite.loaded, SYSTEM)
    assert drawn is not None
    assert [name for name, _ in drawn.series] == ["decreed", "sent", "arrived"]
    assert drawn.labels[0] == "1918-07"
    assert len(drawn.labels) == 27  # July 1918 to September 1920
    _, sent, arrived = (values for _, values in drawn.series)
    assert sum(arrived) <= sum(sent)


def test_empty_months_stay_on_the_call_up_axis() -> None:
    rows = (FulfilmentRow("1919-11", "", 1, 2, 0), FulfilmentRow("1920-02", "", 0, 0, 2))
    report = Fulfilment("month", None, (), rows, FulfilmentRow("", "total", 1, 2, 2))
    drawn = callup_series(report, Fraction(1, 10))
    assert drawn.labels == ("", "", "1920-01", "")
    assert drawn.series[1] == ("sent", (20, 0, 0, 0))
