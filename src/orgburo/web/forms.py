"""Posting a form: one service call, then post/redirect/get, or the page again with the
reasons beside the fields; and reading what was typed (counts, lines of `|` parts).

A refused change leaves nothing behind: the request's transaction is rolled back before
the page is drawn again, so what the page shows is what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Form
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from orgburo.errors import Invalid, OrgburoError, Problem
from orgburo.web.errors import field_errors

Refused = Callable[[dict[str, str], int], Response]
# A form field as typed: a line, or a block of lines (rules, group or role lines, YAML).
Text = Annotated[str, Form(max_length=500)]
LongText = Annotated[str, Form(max_length=20_000)]
Made = TypeVar("Made")


def submit(
    session: Session,
    change: Callable[[], Made],
    then: str | Callable[[Made], Response],
    refused: Refused,
) -> Response:
    """Make the change, then go to the address `then` (or answer `then(what was made)`,
    for what is shown only once); or answer `refused(errors by field, status)`."""
    try:
        made = change()
    except OrgburoError as error:
        session.rollback()
        return refused(field_errors(error), error.http_status)
    if isinstance(then, str):
        return RedirectResponse(then, status_code=303)
    return then(made)


def whole_number(field: str, text: str) -> int | None:
    """A count typed into a form: empty is None; anything but digits is refused."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise Invalid.one(field, f"{text!r} is not a whole number")
    return int(text)


def typed_lines(
    text: str, field: str, width: int, make: Callable[[str, list[str]], Made]
) -> tuple[Made, ...]:
    """A textarea typed one item per line as `width` parts cut by `|` (`name | rule |
    count`; missing parts are empty): each non-blank line made by `make(field[K], parts)`.
    Invalid with the problems of every line at once, each naming its line
    (`roles[1].count`, K counting non-blank lines from 0)."""
    found, problems = [], []
    lines = [line for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > width:
            problems.append(Problem(f"{field}[{i}]", f"has more than {width} parts"))
            continue
        try:
            found.append(make(f"{field}[{i}]", parts + [""] * (width - len(parts))))
        except Invalid as error:
            problems += error.problems
    if problems:
        raise Invalid(problems)
    return tuple(found)
