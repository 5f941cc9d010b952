"""What every CLI command shares: the transaction, error reporting, progress and output."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from orgburo.core.dates import parse_date
from orgburo.db import unit_of_work
from orgburo.errors import Invalid, OrgburoError

console = Console()
errors = Console(stderr=True)
T = TypeVar("T")


@contextmanager
def transaction(engine: Engine | None = None) -> Iterator[Session]:
    """One command, one transaction; an OrgburoError is printed and becomes the exit code."""
    try:
        with unit_of_work(engine) as session:
            yield session
    except OrgburoError as error:
        report(error)
        raise typer.Exit(error.exit_code) from None


def report(error: OrgburoError) -> None:
    """Print an error: one line per problem, so each can be found and fixed."""
    if isinstance(error, Invalid) and len(error.problems) > 1:
        errors.print(
            f"[red]error:[/red] {len(error.problems)} problems, nothing was changed:",
            highlight=False,
        )
        for problem in error.problems:
            errors.print(f"  {problem}", markup=False, highlight=False, soft_wrap=True)
    else:
        errors.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)


def date_option(value: str | None, field: str) -> date | None:
    """Parse an optional ISO date given on the command line."""
    if value is None:
        return None
    try:
        return parse_date(field, value)
    except Invalid as error:
        report(error)
        raise typer.Exit(error.exit_code) from None


def required_date(value: str | None, field: str) -> date:
    """Parse an ISO date; today when omitted."""
    return date_option(value, field) or date.today()


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on stderr; yields the callback that advances it."""
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=errors, transient=not sys.stderr.isatty()) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def fail(field: str, reason: str) -> Any:
    """Stop a command with a usage error naming the option."""
    report(Invalid.one(field, reason))
    raise typer.Exit(Invalid.exit_code)
