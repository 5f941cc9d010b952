"""`orgburo apportion` through a Typer app built with register(), as the root app builds it."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from orgburo.apportionment.cli import register
from orgburo.errors import Invalid

US_1790 = """name,weight
Connecticut,236841
Delaware,55540
Georgia,70835
Kentucky,68705
Maryland,278514
Massachusetts,475327
New Hampshire,141822
New Jersey,179570
New York,331589
North Carolina,353523
Pennsylvania,432879
Rhode Island,68446
South Carolina,206236
Vermont,85533
Virginia,630560
"""


def app() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """A root app, as `orgburo` is."""

    register(root)
    return root


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app(), ["apportion", *args], input=stdin)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    return tmp_path / "parties.csv"


def test_jefferson_prints_the_1792_house_as_name_seats_in_input_order(csv_file: Path) -> None:
    csv_file.write_text(US_1790, encoding="utf-8")
    result = run("--method", "jefferson", "--seats", "105", str(csv_file))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "name,seats"
    assert lines[1:3] == ["Connecticut,7", "Delaware,1"]
    assert lines[-1] == "Virginia,19"
    assert len(lines) == 16


def test_the_csv_can_come_from_standard_input() -> None:
    result = run(
        "--method", "hamilton", "--seats", "10", "-", stdin="name,weight\nA,6100\nB,5000\nC,900\n"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "name,seats\nA,5\nB,4\nC,1\n"


def test_min_and_max_columns_bound_the_seats(csv_file: Path) -> None:
    csv_file.write_text(
        "name,weight,min,max\nBig,900,,3\nSmall,100,2,\nMid,500\n", encoding="utf-8"
    )
    result = run("--method", "webster", "--seats", "10", str(csv_file))
    assert result.exit_code == 0, result.output
    assert result.stdout == "name,seats\nBig,3\nSmall,2\nMid,5\n"


def test_decimal_weights_are_read_exactly(csv_file: Path) -> None:
    csv_file.write_text("name,weight\nA,0.1\nB,0.2\n", encoding="utf-8")
    result = run("--method", "webster", "--seats", "3", str(csv_file))
    assert result.stdout == "name,seats\nA,1\nB,2\n"


def test_names_with_commas_are_quoted_in_the_output(csv_file: Path) -> None:
    csv_file.write_text('name,weight\n"Smith, J.",3\nLee,1\n', encoding="utf-8")
    result = run("--method", "adams", "--seats", "4", str(csv_file))
    assert result.stdout == 'name,seats\n"Smith, J.",3\nLee,1\n'


def test_bad_rows_are_reported_with_row_column_and_reason(csv_file: Path) -> None:
    csv_file.write_text(
        "name,weight,min,max\nA,12,1,\nB,-3,x,2\nA,1.5,3,2\n,4\nC,1,2,3,4\n", encoding="utf-8"
    )
    result = run("--method", "webster", "--seats", "5", str(csv_file))
    assert result.exit_code == Invalid.exit_code
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{csv_file}:3: weight: must not be negative, not -3",
        f"{csv_file}:3: min: must be a whole number, 0 or more; not 'x'",
        f"{csv_file}:4: max: is below min (2 < 3)",
        f"{csv_file}:5: name: must not be empty",
        f"{csv_file}:6: row: has 5 fields where the header has 4",
    ]


def test_a_repeated_name_is_reported_at_its_second_row(csv_file: Path) -> None:
    csv_file.write_text("name,weight\nA,1\nB,2\nA,3\n", encoding="utf-8")
    result = run("--method", "webster", "--seats", "5", str(csv_file))
    assert result.exit_code == Invalid.exit_code
    assert result.stderr == f"{csv_file}:4: name: 'A' is already the name of row 2\n"


def test_a_header_without_weight_is_reported_at_row_one(csv_file: Path) -> None:
    csv_file.write_text("name,votes\nA,1\n", encoding="utf-8")
    result = run("--method", "webster", "--seats", "5", str(csv_file))
    assert result.exit_code == Invalid.exit_code
    assert result.stderr.splitlines() == [
        f"{csv_file}:1: votes: is not a column; expected name, weight, min, max",
        f"{csv_file}:1: weight: is missing from the header",
    ]


def test_seats_that_cannot_cover_the_floors_are_an_error_naming_seats(csv_file: Path) -> None:
    csv_file.write_text("name,weight,min\nA,1,3\nB,1,3\n", encoding="utf-8")
    result = run("--method", "hamilton", "--seats", "5", str(csv_file))
    assert result.exit_code == Invalid.exit_code
    assert result.stderr == "error: seats: 5 seats cannot cover the floors, which sum to 6\n"


def test_a_file_that_is_not_utf8_is_an_error(csv_file: Path) -> None:
    csv_file.write_bytes("name,weight\nK\xf6ln,1\n".encode("latin-1"))
    result = run("--method", "hamilton", "--seats", "5", str(csv_file))
    assert result.exit_code == Invalid.exit_code
    assert result.stderr == "error: file: is not UTF-8 text\n"


def test_an_unknown_method_is_a_usage_error(csv_file: Path) -> None:
    csv_file.write_text("name,weight\nA,1\n", encoding="utf-8")
    result = run("--method", "dhondt", "--seats", "5", str(csv_file))
    assert result.exit_code == 2
    assert "dhondt" in result.stderr


def test_a_tie_is_noted_on_stderr_and_the_output_still_printed(csv_file: Path) -> None:
    csv_file.write_text("name,weight\nA,4\nB,4\nC,4\n", encoding="utf-8")
    result = run("--method", "huntington-hill", "--seats", "5", str(csv_file))
    assert result.exit_code == 0
    assert result.stdout == "name,seats\nA,2\nB,2\nC,1\n"
    assert result.stderr.startswith("note: A, B, C tie for the last seats;")
