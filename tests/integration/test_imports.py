from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import bulk
from orgburo.actors import SYSTEM
from orgburo.bodies import importer as bodies_importer
from orgburo.census import service as census
from orgburo.census import tallies
from orgburo.errors import Invalid
from orgburo.generate import service as generator
from orgburo.members import importer as members_importer
from orgburo.members.models import Person
from tests.factories import member, tally_rows

IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"


def test_tallies_of_an_import_in_many_batches_equal_a_recount(session: Session) -> None:
    bodies_importer.import_file(session, IMPORTS / "bodies.csv", actor=SYSTEM)
    members_importer.import_file(session, IMPORTS / "members.csv", actor=SYSTEM, batch_rows=1)
    loaded = tally_rows(session)
    tallies.rebuild(session)
    assert loaded == tally_rows(session)
    assert census.census(session, body_code="CC", by=["status"], actor=SYSTEM).total == 4


def test_a_generated_organization_is_counted_whole(session: Session) -> None:
    generator.generate(session, members=2500, bodies=40, seed=3, actor=SYSTEM)
    assert census.census(session, body_code="ROOT", by=["sex"], actor=SYSTEM).total == 2500
    loaded = tally_rows(session)
    tallies.rebuild(session)
    assert loaded == tally_rows(session)


def test_two_imports_in_a_row_give_their_people_different_ids(session: Session) -> None:
    bodies_importer.import_file(session, IMPORTS / "bodies.csv", actor=SYSTEM)
    members_importer.import_file(session, IMPORTS / "members.csv", actor=SYSTEM)
    rows = (IMPORTS / "members.csv").read_text().splitlines()
    renamed = [rows[0], *[f"again-{line}" for line in rows[1:]]]
    second = IMPORTS.parent / "tmp_members_second_import.csv"
    second.write_text("\n".join(renamed) + "\n")
    try:
        result = members_importer.import_file(session, second, actor=SYSTEM)
    finally:
        second.unlink()
    admitted = member(session, "after-both", "N1")
    ids = session.scalars(select(Person.id)).all()
    assert result.created == len(rows) - 1
    assert len(ids) == len(set(ids)) == 2 * (len(rows) - 1) + 1
    assert admitted.id == max(ids)


def test_reimporting_a_file_changes_nothing_and_reports_changed_rows(session: Session) -> None:
    bodies_importer.import_file(session, IMPORTS / "bodies.csv", actor=SYSTEM)
    members_importer.import_file(session, IMPORTS / "members.csv", actor=SYSTEM)
    before = tally_rows(session)
    again = members_importer.import_file(session, IMPORTS / "members.csv", actor=SYSTEM)
    assert (again.created, again.unchanged) == (0, again.rows)
    assert tally_rows(session) == before
    rows = (IMPORTS / "members.csv").read_text().splitlines()
    header = rows[0].split(",")
    changed = rows[1].split(",")
    changed[header.index("name")] = "Someone Else"
    edited = IMPORTS.parent / "tmp_members_edited.csv"
    edited.write_text("\n".join([rows[0], rows[2], ",".join(changed)]) + "\n")
    try:
        with pytest.raises(Invalid) as raised:
            members_importer.import_file(session, edited, actor=SYSTEM)
    finally:
        edited.unlink()
    assert [(p.row, p.field) for p in raised.value.problems] == [(2, "name")]
    assert "already registered with another name" in raised.value.problems[0].reason


def test_a_large_load_finds_ids_repeated_across_batches_and_rebuilds_indexes(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "BULK_THRESHOLD", 1)
    bodies_importer.import_file(session, IMPORTS / "bodies.csv", actor=SYSTEM)
    rows = (IMPORTS / "members.csv").read_text().splitlines()
    repeated = IMPORTS.parent / "tmp_members_repeated.csv"
    repeated.write_text("\n".join([*rows, rows[1]]) + "\n")
    try:
        with pytest.raises(Invalid) as raised:
            members_importer.import_file(session, repeated, actor=SYSTEM, batch_rows=2)
    finally:
        repeated.unlink()
    assert [(p.row, p.field, p.reason) for p in raised.value.problems] == [
        (len(rows), "id", "'1' also appears on row 1")
    ]
    result = members_importer.import_file(session, IMPORTS / "members.csv", actor=SYSTEM)
    assert result.created == len(rows) - 1
    loaded = tally_rows(session)
    tallies.rebuild(session)
    assert loaded == tally_rows(session)
