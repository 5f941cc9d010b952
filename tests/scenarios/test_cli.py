"""The `orgburo scenario` commands."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from orgburo.cli import app
from tests.e2e.conftest import Run
from tests.scenarios.conftest import DATA, REFERENCE, Replayed

TINY = str(DATA / "tiny.yaml")
OVERLAY = str(DATA / "tiny_no_purge.yaml")


def orgburo(*args: object) -> Result:
    """The command on its own stores (files it is told of, or temporary ones)."""
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_run_replays_into_the_configured_store_up_to_a_date(run: Run) -> None:
    result = run("scenario", "run", TINY, "--scale", "1", "--until", "1919-06-30")
    assert result.exit_code == 0, result.stderr
    assert "replayed 6 steps of tiny at scale 1 (seed 7), last step call-up" in result.stdout


def test_run_refuses_a_store_that_already_holds_bodies(run: Run) -> None:
    assert run("scenario", "run", TINY, "--scale", "1:10").exit_code == 0
    again = run("scenario", "run", TINY, "--scale", "1:10")
    assert again.exit_code == 4
    assert "the store already holds" in again.stderr


def test_run_into_a_new_sqlite_file_with_a_what_if(tmp_path: Path) -> None:
    store = tmp_path / "fork.sqlite3"
    result = orgburo(
        "scenario", "run", TINY, "--with", OVERLAY, "--scale", "1", "--database", store
    )
    assert result.exit_code == 0, result.stderr
    assert "of tiny_no_purge" in result.stdout
    assert store.exists()


def test_a_scale_above_one_is_refused() -> None:
    result = orgburo("scenario", "run", TINY, "--scale", "2")
    assert result.exit_code == 2
    assert "--scale: '2' is not above 0 and at most 1" in result.stderr


def test_check_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = (DATA / "tiny.yaml").read_text()
    broken.write_text(
        text.replace("reason: expelled", "reason: exiled").replace("seed: 7", "seed: x")
    )
    result = orgburo("scenario", "check", broken)
    assert result.exit_code == 2
    assert "broken.yaml, line 5, seed: Input should be a valid integer" in result.stderr
    assert (
        "timeline[5].depart.reason: Input should be 'left', 'expelled' or 'died'" in result.stderr
    )


def test_list_and_show_name_the_reference_scenario_and_its_steps() -> None:
    assert REFERENCE in orgburo("scenario", "list").stdout
    shown = orgburo("scenario", "show", REFERENCE).stdout
    assert "eighth-congress" in shown
    assert "1919-03-18" in shown


def test_figures_read_from_a_store_print_the_markdown_table(reference_sqlite: Replayed) -> None:
    result = orgburo("scenario", "figures", REFERENCE, "--store", reference_sqlite.path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"Orgburo's values: scenario `{REFERENCE}` replayed at scale 1:100"
    )
    assert "| derived | 8th Congress: members represented" in result.stdout


def test_figures_of_a_store_without_the_scenario_are_not_found(tmp_path: Path) -> None:
    store = tmp_path / "tiny.sqlite3"
    assert orgburo("scenario", "run", TINY, "--database", store).exit_code == 0
    result = orgburo("scenario", "figures", REFERENCE, "--store", store)
    assert result.exit_code == 3
    assert f"it holds no replay of '{REFERENCE}'" in result.stderr


def test_chart_writes_a_png_and_an_svg_for_a_slide(tmp_path: Path) -> None:
    store = tmp_path / "tiny.sqlite3"
    assert orgburo("scenario", "run", TINY, "--scale", "1", "--database", store).exit_code == 0
    for name in ("chart.png", "chart.svg"):
        result = orgburo("scenario", "chart", TINY, "--store", store, "--output", tmp_path / name)
        assert result.exit_code == 0, result.stderr
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "chart.svg").read_text()


def test_chart_refuses_a_file_that_is_not_png_or_svg(tmp_path: Path) -> None:
    result = orgburo("scenario", "chart", TINY, "--output", tmp_path / "chart.pdf")
    assert result.exit_code == 2
    assert "must end in .png or .svg" in result.stderr


def test_compare_replays_both_and_shows_them_side_by_side(tmp_path: Path) -> None:
    output = tmp_path / "what-if.svg"
    result = orgburo(
        "scenario", "compare", TINY, "--with", OVERLAY, "--scale", "1", "--output", output
    )
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if "1920-01-01" in line]
    assert rows
    assert "+200" in rows[0]
    assert "<svg" in output.read_text()


def test_demo_replays_a_scenario_prints_its_figures_and_opens_accounts(tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite3"
    result = orgburo(
        "demo", "--scenario", TINY, "--scale", "1", "--database", database, "--no-serve"
    )
    assert result.exit_code == 0, result.stderr
    assert "built tiny at scale 1" in result.stdout
    assert "1,100" in result.stdout
    assert "secretary (of NORTH)" in result.stdout
    assert "/scenarios/tiny" in result.stdout
