from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.bodies import service as bodies
from orgburo.census import counting, snapshots
from orgburo.census.models import CensusSnapshot
from orgburo.members import bulk_changes
from orgburo.members import service as members
from tests.factories import member, small_tree
from tests.integration.test_census import counts

DATES = [date(1921, 12, 20), date(1922, 1, 1), date(1922, 3, 10), date(1923, 2, 14)]


@pytest.fixture(autouse=True)
def every_subtree_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshots, "SNAPSHOT_MEMBERS", 1)


def history(session: Session) -> None:
    small_tree(session)
    for i in range(12):
        where = ("N1", "N2", "S1")[i % 3]
        on = date(1921, 1 + i, 10)
        member(session, str(i), where, on=on, social_situation=("worker", "peasant")[i % 2])
    members.end(session, external_id="0", reason="left", on=date(1922, 2, 1), actor=SYSTEM)
    members.change_attributes(
        session,
        external_id="1",
        changes={"social_situation": "employee"},
        on=date(1922, 2, 15),
        actor=SYSTEM,
    )
    bodies.move(session, code="N2", new_parent_code="SOUTH", on=date(1922, 6, 1), actor=SYSTEM)
    members.transfer(session, external_id="3", to_body_code="S1", on=date(1922, 7, 1), actor=SYSTEM)


def full_count(session: Session, code: str, at: date) -> dict[tuple[str, ...], int]:
    body = bodies.get_or_raise(session, code)
    found = dict(counting.from_spells(session, body, ("status", "social_situation"), at))
    return {k: n for k, n in found.items() if n}


def snapshot_dates(session: Session) -> list[date]:
    return list(session.scalars(select(CensusSnapshot.on).distinct().order_by(CensusSnapshot.on)))


def test_a_census_rewound_from_the_nearest_snapshot_equals_a_full_count(session: Session) -> None:
    history(session)
    assert snapshots.build(session) > 0
    for code in ("CC", "NORTH", "SOUTH"):
        for at in DATES:
            rewound = counts(session, code, "status,social_situation", at=at)
            assert {k: n for k, n in rewound.items() if n} == full_count(session, code, at)


def test_snapshots_are_taken_four_days_a_month_after_the_first_admission(
    session: Session,
) -> None:
    history(session)
    snapshots.build(session)
    taken = snapshot_dates(session)
    # The first admission is on 10 January 1921; the next change, on 10 February, makes
    # the census of 8 February differ from the later ones.
    assert taken[0] == date(1921, 2, 8)
    assert {d.day for d in taken} <= set(snapshots.SNAPSHOT_DAYS)


def test_a_change_dated_before_a_snapshot_forgets_it(session: Session) -> None:
    history(session)
    snapshots.build(session)
    member(session, "late", "N1", on=date(1921, 6, 15), social_situation="worker")
    assert max(snapshot_dates(session)) < date(1921, 6, 15)
    assert counts(session, "NORTH", "status,social_situation", at=date(1921, 7, 1)) == full_count(
        session, "NORTH", date(1921, 7, 1)
    )


def test_a_bulk_change_forgets_the_snapshots_from_its_date(session: Session) -> None:
    history(session)
    snapshots.build(session)
    bulk_changes.end_many(
        session, external_ids=["4", "5"], reason="left", on=date(1923, 3, 1), actor=SYSTEM
    )
    assert max(snapshot_dates(session)) < date(1923, 3, 1)
    assert session.scalar(select(func.count()).select_from(CensusSnapshot)) > 0


def test_ending_a_spell_forgets_only_the_snapshots_from_its_end(session: Session) -> None:
    history(session)
    snapshots.build(session)
    members.end(session, external_id="6", reason="left", on=date(1923, 3, 1), actor=SYSTEM)
    kept = snapshot_dates(session)
    assert date(1921, 8, 8) in kept
    assert max(kept) < date(1923, 3, 1)


@pytest.mark.parametrize(
    ("change", "day"),
    [
        (date(1921, 3, 10), date(1921, 3, 8)),
        (date(1921, 3, 8), date(1921, 3, 1)),
        (date(1921, 3, 31), date(1921, 3, 22)),
        (date(1921, 3, 1), date(1921, 2, 22)),
        (date(1921, 1, 1), date(1920, 12, 22)),
    ],
)
def test_the_snapshot_a_change_alters_last_is_the_snapshot_day_before_it(
    change: date, day: date
) -> None:
    assert snapshots.day_before(change) == day
