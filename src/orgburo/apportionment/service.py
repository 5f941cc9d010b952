"""Apportioning named parties: the one function behind `orgburo apportion` and the API.

Both entrypoints turn their input into `PartyRow`s (the CLI with `read_csv`, the API
from its JSON body), call `apportion_parties`, and render the `NamedApportionment`.
Weights given as text are whole numbers or decimals, read exactly ("12.5" is 25/2).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from orgburo.core.apportionment import ApportionmentInput, Method, Weight, apportion
from orgburo.errors import Invalid, Problem

COLUMNS = ("name", "weight", "min", "max")
MAX_NAME = 200
_WEIGHT = re.compile(r"\d{1,30}(\.\d{1,12})?")
_COUNT = re.compile(r"\d{1,10}")
_CORE_FIELD = re.compile(r"(weights|floors|caps)\[(\d+)\]")
T = TypeVar("T")
_PARTY_FIELD = {"weights": "weight", "floors": "min", "caps": "max"}


@dataclass(frozen=True)
class PartyRow:
    """One party to apportion to; `row` is where it came from in a file, if it did."""

    name: str
    weight: Weight
    min: int | None = None
    max: int | None = None
    row: int | None = None


@dataclass(frozen=True)
class Allocation:
    """The seats one party got."""

    name: str
    seats: int


@dataclass(frozen=True)
class NamedApportionment:
    """Seats per party, in input order; `ties` names the parties a tie-break decided between."""

    method: Method
    seats: int
    allocations: tuple[Allocation, ...]
    ties: tuple[str, ...]


def apportion_parties(
    *, method: Method, seats: int, parties: Sequence[PartyRow]
) -> NamedApportionment:
    """Split `seats` over `parties` by `method` (ties: larger weight, then earlier party)."""
    _check_names(parties)
    request = ApportionmentInput(
        method=method,
        seats=seats,
        weights=tuple(p.weight for p in parties),
        floors=tuple(p.min or 0 for p in parties) if any(p.min for p in parties) else None,
        caps=tuple(p.max for p in parties) if any(p.max is not None for p in parties) else None,
    )
    try:
        result = apportion(request)
    except Invalid as error:
        raise Invalid([_party_problem(p, parties) for p in error.problems]) from None
    allocations = tuple(
        Allocation(p.name, s) for p, s in zip(parties, result.allocation, strict=True)
    )
    ties = tuple(parties[i].name for i in result.ties)
    return NamedApportionment(method, seats, allocations, ties)


def parse_weight(value: int | float | str, field: str = "weight", row: int | None = None) -> Weight:
    """A weight read exactly: an int, a decimal string, or a float by its shortest decimal form."""
    if isinstance(value, bool):
        raise Invalid.one(field, "must be a number, not true or false", row)
    if isinstance(value, int):
        return _non_negative(value, field, row)
    text = repr(value) if isinstance(value, float) else value.strip()
    if text.startswith("-"):
        raise Invalid.one(field, f"must not be negative, not {text}", row)
    if isinstance(value, str) and not _WEIGHT.fullmatch(text):
        reason = (
            f"must be a number of at most 30 digits and 12 decimals, such as 12.5; not {value!r}"
        )
        raise Invalid.one(field, reason, row)
    try:
        exact = Fraction(Decimal(text))
    except (ArithmeticError, ValueError):
        raise Invalid.one(field, f"must be a finite number, not {value!r}", row) from None
    weight = _non_negative(exact, field, row)
    return int(weight) if weight.denominator == 1 else weight


def read_csv(text: str) -> list[PartyRow]:
    """Parties from CSV text with a header `name,weight` and optionally `min,max`."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise Invalid.one("file", "is empty; expected a header row name,weight[,min,max]", 1)
    columns = _read_header(header)
    rows, problems = _read_rows(columns, (r for r in reader if r))
    if problems:
        raise Invalid(problems)
    return rows


def write_csv(result: NamedApportionment) -> str:
    """`name,seats` rows in input order, with a header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("name", "seats"))
    writer.writerows((a.name, a.seats) for a in result.allocations)
    return out.getvalue()


def _non_negative(value: Fraction | int, field: str, row: int | None) -> Fraction | int:
    if value < 0:
        raise Invalid.one(field, f"must not be negative, not {value}", row)
    return value


def _check_names(parties: Sequence[PartyRow]) -> None:
    first: dict[str, int] = {}
    problems = []
    for i, party in enumerate(parties):
        if party.name in first:
            j = first[party.name]
            reason = f"{party.name!r} is already the name of {_where(parties[j], j)}"
            problems.append(_problem(party, i, "name", reason))
        else:
            first[party.name] = i
    if problems:
        raise Invalid(problems)


def _where(party: PartyRow, index: int) -> str:
    return f"row {party.row}" if party.row is not None else f"parties[{index}]"


def _problem(party: PartyRow, index: int, column: str, reason: str) -> Problem:
    if party.row is not None:
        return Problem(column, reason, party.row)
    return Problem(f"parties[{index}].{column}", reason)


def _party_problem(problem: Problem, parties: Sequence[PartyRow]) -> Problem:
    """A problem the core names by position (weights[3]), renamed for the caller's input."""
    match = _CORE_FIELD.fullmatch(problem.field)
    if match is None:
        return problem
    index = int(match.group(2))
    return _problem(parties[index], index, _PARTY_FIELD[match.group(1)], problem.reason)


def _read_header(header: list[str]) -> list[str]:
    columns = [c.strip().lower() for c in header]
    expected = ", ".join(COLUMNS)
    problems = [
        Problem(c or "header", f"is not a column; expected {expected}", 1)
        for c in columns
        if c not in COLUMNS
    ]
    problems += [
        Problem(c, "is missing from the header", 1) for c in COLUMNS[:2] if c not in columns
    ]
    problems += [
        Problem(c, "appears twice in the header", 1) for c in COLUMNS if columns.count(c) > 1
    ]
    if problems:
        raise Invalid(problems)
    return columns


def _read_rows(
    columns: list[str], records: Iterable[list[str]]
) -> tuple[list[PartyRow], list[Problem]]:
    rows: list[PartyRow] = []
    problems: list[Problem] = []
    for number, record in enumerate(records, start=2):
        try:
            rows.append(_read_row(columns, record, number))
        except Invalid as error:
            problems.extend(error.problems)
    return rows, problems


def _read_row(columns: list[str], record: list[str], row: int) -> PartyRow:
    if len(record) > len(columns):
        reason = f"has {len(record)} fields where the header has {len(columns)}"
        raise Invalid.one("row", reason, row)
    cells = dict(zip(columns, (c.strip() for c in record), strict=False))
    problems: list[Problem] = []
    name = _cell(problems, _name, cells, "name", row)
    weight = _cell(problems, parse_weight, cells, "weight", row)
    low = _cell(problems, _count, cells, "min", row)
    high = _cell(problems, _count, cells, "max", row)
    if low is not None and high is not None and high < low:
        problems.append(Problem("max", f"is below min ({high} < {low})", row))
    if problems or name is None or weight is None:
        raise Invalid(problems)
    return PartyRow(name, weight, low, high, row)


def _cell(
    problems: list[Problem],
    parse: Callable[[str, str, int], T],
    cells: dict[str, str],
    column: str,
    row: int,
) -> T | None:
    """The parsed cell, or None with its problem added to `problems`."""
    try:
        return parse(cells.get(column, ""), column, row)
    except Invalid as error:
        problems.extend(error.problems)
        return None


def _name(text: str, field: str, row: int) -> str:
    if not text:
        raise Invalid.one(field, "must not be empty", row)
    if len(text) > MAX_NAME:
        raise Invalid.one(field, f"must be at most {MAX_NAME} characters", row)
    return text


def _count(text: str, field: str, row: int) -> int | None:
    if not text:
        return None
    if not _COUNT.fullmatch(text):
        raise Invalid.one(field, f"must be a whole number, 0 or more; not {text!r}", row)
    return int(text)
