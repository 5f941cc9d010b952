"""docs/figures.md shows what `orgburo scenario figures` prints."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from orgburo.cli import app
from tests.scenarios.conftest import DOC_SCALE, REFERENCE, Replayed

DOC = Path(__file__).resolve().parents[2] / "docs" / "figures.md"
START, END = "<!-- figures:start -->\n", "<!-- figures:end -->"


def generated_block() -> str:
    text = DOC.read_text()
    return text[text.index(START) + len(START) : text.index(END)]


def test_the_figure_table_in_the_docs_is_the_commands_output(reference_sqlite: Replayed) -> None:
    assert reference_sqlite.scale == DOC_SCALE
    result = CliRunner().invoke(
        app,
        ["scenario", "figures", REFERENCE, "--store", str(reference_sqlite.path)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert generated_block() == result.stdout, (
        "docs/figures.md is out of date: regenerate the table with "
        f"`orgburo scenario figures {REFERENCE} --scale 1:100`"
    )


def test_the_docs_say_which_command_made_the_table() -> None:
    assert f"orgburo scenario figures {REFERENCE} --scale 1:100" in DOC.read_text()
