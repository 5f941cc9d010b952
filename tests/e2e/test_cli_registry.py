"""The registry through the `orgburo` command, on a store that commits."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from orgburo.members.models import Membership, Person
from tests.e2e.conftest import Run

IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"


def load_sample(run: Run) -> None:
    assert run("bodies", "import", IMPORTS / "bodies.csv").exit_code == 0
    assert run("members", "import", IMPORTS / "members.csv").exit_code == 0


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_import_registers_every_row_and_the_census_sees_them(run: Run) -> None:
    load_sample(run)
    result = run("census", "--body", "CC", "--by", "social_situation", "--format", "json")
    census = json.loads(result.stdout)
    assert census["total"] == 4
    assert {c["social_situation"]: c["count"] for c in census["cells"]} == {
        "worker": 2,
        "peasant": 1,
        "employee": 1,
    }


def test_reimporting_the_same_files_changes_nothing(run: Run, fresh_engine: Engine) -> None:
    load_sample(run)
    again = run("members", "import", IMPORTS / "members.csv")
    assert again.exit_code == 0
    assert "0 members registered, 4 unchanged" in again.stdout
    assert run("bodies", "import", IMPORTS / "bodies.csv").exit_code == 0
    assert count(fresh_engine, Person) == 4
    assert count(fresh_engine, Membership) == 4


def test_a_bad_file_reports_every_row_and_imports_nothing(run: Run, fresh_engine: Engine) -> None:
    assert run("bodies", "import", IMPORTS / "bodies.csv").exit_code == 0
    result = run("members", "import", IMPORTS / "members_bad.csv")
    assert result.exit_code == 2
    for expected in (
        "row 3, status: 'member' is not one of candidate, full",
        "row 3, social_situation: 'noble' is not one of",
        "row 4, joined: '1921-02-30' is not a date",
        "row 6, joined: 1919-03-01 is before the person's birth",
        "row 7, joined: 2999-01-01 is in the future",
    ):
        assert expected in result.stderr
    assert count(fresh_engine, Person) == 0


def test_unknown_bodies_and_repeated_ids_are_found_in_the_store(
    run: Run, fresh_engine: Engine
) -> None:
    assert run("bodies", "import", IMPORTS / "bodies.csv").exit_code == 0
    rows = (IMPORTS / "members_bad.csv").read_text().splitlines()
    clean = IMPORTS.parent / "tmp_members_store_checks.csv"
    clean.write_text("\n".join([rows[0], rows[1], rows[2], rows[5]]) + "\n")
    try:
        result = run("members", "import", clean)
    finally:
        clean.unlink()
    assert result.exit_code == 2
    assert "row 2, body: no body has the code 'NOWHERE'" in result.stderr
    assert "row 3, id: '1' also appears on row 1" in result.stderr
    assert count(fresh_engine, Person) == 0


def test_a_malformed_csv_row_is_reported_with_its_line(run: Run) -> None:
    assert run("bodies", "import", IMPORTS / "bodies.csv").exit_code == 0
    result = run("members", "import", IMPORTS / "members_ragged.csv")
    assert result.exit_code == 2
    assert "line 2 has 4 fields, the header has 10" in result.stderr


def test_an_undeclared_attribute_column_is_refused_until_declared(run: Run) -> None:
    assert run("bodies", "import", IMPORTS / "bodies.csv").exit_code == 0
    refused = run("members", "import", IMPORTS / "members_unknown_column.csv")
    assert refused.exit_code == 2
    assert "shoe_size: is not a known attribute" in refused.stderr
    assert run("attributes", "add", "shoe_size", "--type", "integer").exit_code == 0
    assert run("members", "import", IMPORTS / "members_unknown_column.csv").exit_code == 0
    shown = run("members", "show", "1")
    assert "shoe_size: 38" in shown.stdout


def test_export_then_import_elsewhere_gives_the_same_members(run: Run, tmp_path: Path) -> None:
    load_sample(run)
    for suffix in ("csv", "parquet"):
        target = tmp_path / f"members.{suffix}"
        assert run("members", "export", target, "--body", "CC").exit_code == 0
        table = pq.read_table(target) if suffix == "parquet" else pacsv.read_csv(target)
        assert sorted(table.column("id").to_pylist(), key=str) == [1, 2, 3, 4] or sorted(
            map(str, table.column("id").to_pylist())
        ) == ["1", "2", "3", "4"]
    assert run("members", "import", tmp_path / "members.parquet").exit_code == 0


def test_member_history_is_shown_after_each_change(run: Run) -> None:
    load_sample(run)
    assert run("members", "confirm", "2", "--on", "1921-01-01").exit_code == 0
    assert run("members", "transfer", "2", "--to", "S1", "--on", "1922-01-01").exit_code == 0
    assert (
        run("members", "update", "2", "--set", "occupation=worker", "--on", "1923-01-01").exit_code
        == 0
    )
    assert run("members", "end", "2", "--reason", "expelled", "--on", "1924-01-01").exit_code == 0
    shown = run("members", "show", "2").stdout
    for step in ("admitted", "confirmed", "transferred", "attribute_changed", "expelled"):
        assert step in shown


def test_census_change_between_two_dates(run: Run) -> None:
    load_sample(run)
    result = run(
        "census",
        "--body",
        "CC",
        "--by",
        "status",
        "--at",
        "1921-06-01",
        "--since",
        "1919-06-01",
        "--format",
        "csv",
    )
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "status,before,after,difference,share_before,share_after"
    assert "full,2,3,1,1.0,0.75" in lines


def test_census_to_parquet(run: Run, tmp_path: Path) -> None:
    load_sample(run)
    target = tmp_path / "census.parquet"
    assert run("census", "--body", "NORTH", "--by", "sex,status", "--output", target).exit_code == 0
    rows = pq.read_table(target).to_pylist()
    assert {(r["sex"], r["status"], r["count"]) for r in rows} == {
        ("female", "full", 1),
        ("male", "candidate", 1),
    }


def test_a_failed_command_leaves_the_store_exactly_as_it_was(
    run: Run, fresh_engine: Engine
) -> None:
    load_sample(run)
    result = run("members", "transfer", "1", "--to", "NOWHERE", "--on", "1925-01-01")
    assert result.exit_code == 3
    assert "body: no body has the code 'NOWHERE'" in result.stderr
    with Session(fresh_engine) as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Membership).where(Membership.ended_on.is_not(None))
            )
            == 0
        )


def test_moving_a_body_into_its_own_subtree_is_refused(run: Run) -> None:
    load_sample(run)
    result = run("bodies", "move", "NORTH", "--parent", "N1", "--on", "1925-01-01")
    assert result.exit_code == 2
    assert "parent: the move would make the body its own ancestor" in result.stderr


def test_generate_is_deterministic_for_a_seed(run: Run, fresh_engine: Engine) -> None:
    assert run("generate", "--members", "3000", "--bodies", "60", "--seed", "7").exit_code == 0
    first = run(
        "census", "--body", "ROOT", "--by", "social_situation,sex", "--format", "csv"
    ).stdout
    assert count(fresh_engine, Person) == 3000
    with fresh_engine.begin() as connection:
        from orgburo.models import Base

        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    assert run("generate", "--members", "3000", "--bodies", "60", "--seed", "7").exit_code == 0
    assert (
        run("census", "--body", "ROOT", "--by", "social_situation,sex", "--format", "csv").stdout
        == first
    )


def test_the_audit_trail_verifies_and_finds_an_edited_entry(run: Run, fresh_engine: Engine) -> None:
    load_sample(run)
    assert run("audit", "verify").exit_code == 0
    with fresh_engine.begin() as connection:
        from sqlalchemy import text

        connection.execute(
            text(
                "UPDATE audit_entries SET actor = 'someone else' WHERE id = "
                "(SELECT MIN(id) FROM audit_entries)"
            )
        )
    result = run("audit", "verify")
    assert result.exit_code == 6
    assert "edited" in result.stderr
