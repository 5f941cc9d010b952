"""`orgburo apportion`: split seats over the parties of a CSV file and print `name,seats`."""

from __future__ import annotations

from typing import Annotated

import typer

from orgburo.apportionment import service
from orgburo.core.apportionment import MAX_SEATS, Method
from orgburo.errors import Invalid, Problem


def register(app: typer.Typer) -> None:
    """Add the `apportion` command to a root Typer app."""
    app.command("apportion")(apportion)


def apportion(
    file: Annotated[
        typer.FileText,
        typer.Argument(
            encoding="utf-8",
            metavar="FILE",
            help="CSV with a header name,weight and optionally min,max; - reads standard input",
        ),
    ],
    method: Annotated[Method, typer.Option(help="apportionment method")],
    seats: Annotated[int, typer.Option(min=0, max=MAX_SEATS, help="seats to apportion")],
) -> None:
    """Apportion SEATS over the parties in FILE by METHOD; print name,seats in input order."""
    try:
        parties = service.read_csv(_read(file))
        result = service.apportion_parties(method=method, seats=seats, parties=parties)
    except Invalid as error:
        for problem in error.problems:
            typer.echo(_where(file.name, problem), err=True)
        raise typer.Exit(error.exit_code) from None
    typer.echo(service.write_csv(result), nl=False)
    if result.ties:
        rule = "the larger weight, then the earlier row, got them: the result is not unique"
        typer.echo(f"note: {', '.join(result.ties)} tie for the last seats; {rule}", err=True)


def _read(file: typer.FileText) -> str:
    try:
        return file.read()
    except UnicodeDecodeError:
        raise Invalid.one("file", "is not UTF-8 text") from None


def _where(name: str, problem: Problem) -> str:
    if problem.row is None:
        return f"error: {problem.field}: {problem.reason}"
    return f"{name}:{problem.row}: {problem.field}: {problem.reason}"
