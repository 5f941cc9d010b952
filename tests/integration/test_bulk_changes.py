"""Ending, confirming and transferring many members at once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.audit import AuditEntry
from orgburo.census import service as census
from orgburo.census import tallies
from orgburo.errors import Invalid
from orgburo.members import bulk_changes
from orgburo.members import service as members
from orgburo.members.history import history
from tests.factories import member, small_tree, tally_rows

ON = date(1921, 6, 1)


def populate(session: Session) -> None:
    small_tree(session)
    for i, (where, social) in enumerate(
        [("N1", "worker"), ("N1", "peasant"), ("N2", "worker"), ("S1", "employee")]
    ):
        member(session, f"p{i}", where, status="candidate", social_situation=social)
    member(session, "p9", "NORTH", status="full", social_situation="worker")


def totals(session: Session, code: str, at: date | None = None) -> dict[tuple[str, ...], int]:
    composition = census.census(session, body_code=code, by=["status"], at=at, actor=SYSTEM)
    return {c.values: c.count for c in composition.cells}


def assert_tallies_match_a_recount(session: Session) -> None:
    kept = tally_rows(session)
    tallies.rebuild(session)
    assert kept == tally_rows(session)


def test_ending_many_closes_their_spells_and_the_census_follows(session: Session) -> None:
    populate(session)
    ended = bulk_changes.end_many(
        session, external_ids=["p0", "p3"], reason="expelled", on=ON, actor=SYSTEM, note="purge"
    )
    assert ended == 2
    assert totals(session, "CC") == {("candidate",): 2, ("full",): 1}
    assert totals(session, "CC", at=date(1921, 5, 31)) == {("candidate",): 4, ("full",): 1}
    assert [e.kind for e in history(session, members.get_or_raise(session, "p0"), actor=SYSTEM)][
        -1
    ] == "expelled"
    assert_tallies_match_a_recount(session)


def test_confirming_many_makes_candidates_full_members(session: Session) -> None:
    populate(session)
    bulk_changes.confirm_many(session, external_ids=["p1", "p2"], on=ON, actor=SYSTEM)
    assert totals(session, "NORTH") == {("full",): 3, ("candidate",): 1}
    assert members.current_spell(session, members.get_or_raise(session, "p1")).status == "full"  # type: ignore[union-attr]
    assert_tallies_match_a_recount(session)


def test_transferring_many_moves_them_and_keeps_their_status(session: Session) -> None:
    populate(session)
    bulk_changes.transfer_many(
        session, external_ids=["p0", "p1", "p9"], to_body_code="S1", on=ON, actor=SYSTEM
    )
    assert totals(session, "SOUTH") == {("candidate",): 3, ("full",): 1}
    assert totals(session, "NORTH", at=date(1921, 1, 1)) == {("candidate",): 3, ("full",): 1}
    assert_tallies_match_a_recount(session)


def test_one_audit_row_names_the_count_and_the_bodies(session: Session) -> None:
    populate(session)
    bulk_changes.end_many(session, external_ids=["p0", "p3"], reason="left", on=ON, actor=SYSTEM)
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    assert entry.action == "members.left"
    assert entry.after is not None
    assert entry.after["bodies"] == {"N1": 1, "S1": 1}


def test_every_bad_id_is_listed_and_nothing_changes(session: Session) -> None:
    populate(session)
    bulk_changes.end_many(session, external_ids=["p3"], reason="left", on=ON, actor=SYSTEM)
    with pytest.raises(Invalid) as raised:
        bulk_changes.confirm_many(
            session, external_ids=["p0", "p3", "nobody", "p9"], on=ON, actor=SYSTEM
        )
    assert [str(p) for p in raised.value.problems] == [
        "id: nobody has the registry id 'nobody'",
        "id: 'p3' is not a member now",
        "status: 'p9' is already a full member",
    ]
    assert members.current_spell(session, members.get_or_raise(session, "p0")).status == "candidate"  # type: ignore[union-attr]


def test_a_change_dated_before_a_members_last_change_is_refused(session: Session) -> None:
    populate(session)
    with pytest.raises(Invalid, match="before the last recorded change of 'p0'"):
        bulk_changes.end_many(
            session, external_ids=["p0"], reason="left", on=date(1919, 1, 1), actor=SYSTEM
        )


def test_an_id_listed_twice_is_refused(session: Session) -> None:
    populate(session)
    with pytest.raises(Invalid, match="'p0' is listed more than once"):
        bulk_changes.end_many(
            session, external_ids=["p0", "p0"], reason="left", on=ON, actor=SYSTEM
        )


def test_current_members_lists_a_bodys_own_members_by_id(session: Session) -> None:
    populate(session)
    body_ids = [members.bodies.get_or_raise(session, "N1").id]
    found = bulk_changes.current_members(session, body_ids=body_ids, on=ON)
    assert [(m.external_id, m.status, m.values) for m in found] == [
        ("p0", "candidate", ("worker",)),
        ("p1", "candidate", ("peasant",)),
    ]
