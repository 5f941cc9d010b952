"""`orgburo tally`: count a BLT ballot file and print the elected, or the whole count sheet."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from orgburo.core.tally import METHODS, Result, parse_blt
from orgburo.errors import Invalid, Problem


class MethodName(StrEnum):
    """The counting methods, by the names the CLI accepts."""

    for_against = "for-against"
    block = "block"
    stv_scottish = "stv-scottish"
    meek = "meek"
    irv = "irv"


class OutputFormat(StrEnum):
    """What `tally` prints."""

    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add the `tally` command to a root Typer app."""
    app.command("tally")(tally)


def tally(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="BLT ballot file")
    ],
    method: Annotated[MethodName, typer.Option(help="counting method")],
    seats: Annotated[
        int | None, typer.Option(min=1, help="seats to fill (default: the BLT file's)")
    ] = None,
    output: Annotated[
        OutputFormat,
        typer.Option("--format", help="text: the elected, one per line; json: and the count sheet"),
    ] = OutputFormat.text,
    seed: Annotated[int, typer.Option(help="seed of the lot that settles unbroken ties")] = 0,
) -> None:
    """Count FILE by METHOD and print the elected in order of election."""
    try:
        election = parse_blt(_read(file))
        result = METHODS[method.value](election, seats=seats, seed=seed)
    except Invalid as error:
        for problem in error.problems:
            typer.echo(f"{file}:{_where(problem)}", err=True)
        raise typer.Exit(error.exit_code) from None
    typer.echo(_render(result, output))


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Invalid.one("file", "is not UTF-8 text") from None


def _where(problem: Problem) -> str:
    line = f"{problem.row}:" if problem.row is not None else ""
    return f"{line} {problem.field}: {problem.reason}"


def _render(result: Result, output: OutputFormat) -> str:
    if output is OutputFormat.json:
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    return "\n".join(result.elected)
