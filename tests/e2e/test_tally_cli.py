"""`orgburo tally` on every real election file, through a Typer app built with register()."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from orgburo.core.tally import METHODS
from orgburo.elections.tally_cli import register

DATA = Path(__file__).resolve().parents[1] / "data" / "elections"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "elections-counting.md"
METHOD_FOR_FOLDER = {
    "stv_scotland": "stv-scottish",
    "irv_us": "irv",
    "stv_ireland": "stv-scottish",
    "stv_us": "stv-scottish",
    "stv_org": "meek",
}
FILES = sorted(DATA.glob("*/*.blt"))


def app() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """A root app, as `orgburo` is."""

    register(root)
    return root


def run(*args: str) -> Result:
    return CliRunner().invoke(app(), ["tally", *args])


def official(blt: Path) -> list[str]:
    elected: list[str] = json.loads(blt.with_suffix(".json").read_text(encoding="utf-8"))["elected"]
    return elected


@pytest.mark.parametrize("blt", FILES, ids=[f.stem for f in FILES])
def test_tally_prints_the_official_elected_one_per_line(blt: Path) -> None:
    result = run("--method", METHOD_FOR_FOLDER[blt.parent.name], str(blt))
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()) == sorted(official(blt))


@pytest.mark.parametrize("blt", FILES, ids=[f.stem for f in FILES])
def test_tally_json_gives_the_elected_and_the_count_sheet(blt: Path) -> None:
    result = run("--method", METHOD_FOR_FOLDER[blt.parent.name], "--format", "json", str(blt))
    assert result.exit_code == 0, result.output
    sheet = json.loads(result.output)
    assert sorted(sheet["elected"]) == sorted(official(blt))
    assert sheet["stages"][0]["action"] == "first preferences"
    assert set(sheet["stages"][-1]["totals"]) == set(sheet["candidates"])


def test_tally_prints_scottish_winners_in_order_of_election() -> None:
    blt = DATA / "stv_scotland" / "aberdeenshire_2017_ward3.blt"
    result = run("--method", "stv-scottish", str(blt))
    assert result.output.splitlines() == official(blt)


def test_seats_default_to_the_file_and_can_be_set() -> None:
    blt = DATA / "stv_scotland" / "orkney_2017_ward5.blt"
    assert len(run("--method", "block", str(blt)).output.splitlines()) == 3
    assert len(run("--method", "block", "--seats", "2", str(blt)).output.splitlines()) == 2


def test_the_seed_is_recorded_in_the_json(tmp_path: Path) -> None:
    blt = tmp_path / "tie.blt"
    blt.write_text('2 1\n1 1 0\n1 2 0\n0\n"Ann"\n"Bob"\n', encoding="utf-8")
    winners = {run("--method", "irv", "--seed", str(s), str(blt)).output for s in range(12)}
    assert winners == {"Ann\n", "Bob\n"}
    sheet = json.loads(run("--method", "irv", "--seed", "5", "--format", "json", str(blt)).output)
    assert sheet["seed"] == 5
    assert "by lot (seed 5)" in sheet["stages"][0]["notes"][0]


def test_a_malformed_file_exits_2_naming_the_file_line_and_reason(tmp_path: Path) -> None:
    blt = tmp_path / "bad.blt"
    blt.write_text('2 1\n1 1 3 0\n0\n"Ann"\n"Bob"\n', encoding="utf-8")
    result = run("--method", "irv", str(blt))
    assert result.exit_code == 2
    assert f"{blt}:2: ballot: preference 3 is not a candidate number 1..2" in result.output


def test_a_method_that_cannot_fill_the_seats_exits_2() -> None:
    blt = DATA / "stv_scotland" / "orkney_2017_ward5.blt"
    result = run("--method", "irv", str(blt))
    assert result.exit_code == 2
    assert "seats: instant runoff fills exactly one seat" in result.output


def test_an_unknown_method_is_a_usage_error() -> None:
    assert run("--method", "plurality", str(FILES[0])).exit_code == 2


def test_every_method_and_option_of_tally_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    command = typer.main.get_command(app()).commands["tally"]  # type: ignore[attr-defined]
    options = [opt for param in command.params for opt in param.opts if opt.startswith("--")]
    assert set(options) == {"--method", "--seats", "--format", "--seed"}
    for name in [*METHODS, *options]:
        assert f"`{name}" in text, name
