"""Read the BLT ballot format (ERS, OpenSTV, droop) from text into an `Election`.

Accepted layout, blank lines ignored::

    4 2                 number of candidates, number of seats
    -3                  optional: withdrawn candidates as negative numbers
    12 1 3 2 0          weight, preferences (candidates numbered from 1), 0
    1 0                 a ballot with no preference (kept; not a valid ranked vote)
    0                   end of ballots
    "Ann" "Bob"         candidate names, quoted, one or more to a line
    "Cid"
    "Dee"
    "The title"         optional title

Equal rankings (`2=3`), skipped ranks (`-`) and ballot ids (`(a1)`) are rejected with the
line and the reason. Every problem is an `Invalid` whose `row` is the line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from orgburo.core.tally.ballots import Ballot, Election
from orgburo.errors import Invalid, Problem

Line = tuple[int, str]
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def parse_blt(text: str | Iterable[str]) -> Election:
    """The election a BLT text describes; raises `Invalid` naming the line and the reason."""
    lines = _numbered(text.splitlines() if isinstance(text, str) else text)
    header = next(lines, None)
    if header is None:
        raise Invalid.one("header", "the file is empty: expected 'candidates seats'", 1)
    n, seats = _header(header)
    withdrawn, ballots, end = _ballot_section(lines, n)
    names, title = _names_and_title(lines, n, end)
    try:
        return Election(tuple(names), seats, tuple(ballots), frozenset(withdrawn), title)
    except Invalid as error:
        raise Invalid([_at_header(p, header[0]) for p in error.problems]) from None


def _numbered(raw: Iterable[str]) -> Iterator[Line]:
    for number, line in enumerate(raw, start=1):
        stripped = line.strip()
        if stripped:
            yield number, stripped


def _header(line: Line) -> tuple[int, int]:
    row, text = line
    parts = text.split()
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise Invalid.one(
            "header", f"expected two whole numbers 'candidates seats', got {text!r}", row
        )
    n, seats = int(parts[0]), int(parts[1])
    if n < 1:
        raise Invalid.one("header", "there must be at least one candidate", row)
    return n, seats


def _ballot_section(lines: Iterator[Line], n: int) -> tuple[set[int], list[Ballot], int]:
    withdrawn: set[int] = set()
    ballots: list[Ballot] = []
    problems: list[Problem] = []
    last_row = 1
    for row, text in lines:
        last_row = row
        if text == "0":
            if problems:
                raise Invalid(problems)
            return withdrawn, ballots, row
        if text.startswith("-") and not ballots and not withdrawn:
            withdrawn = _withdrawn(row, text, n)
            continue
        try:
            ballots.append(_ballot(row, text, n))
        except Invalid as error:
            problems.extend(error.problems)
    problems.append(Problem("ballots", "no '0' line ends the ballots", last_row))
    raise Invalid(problems)


def _withdrawn(row: int, text: str, n: int) -> set[int]:
    numbers = [_integer(row, "withdrawn", token) for token in text.split()]
    if any(not -n <= k <= -1 for k in numbers):
        raise Invalid.one("withdrawn", f"each must be a candidate number -1..-{n}", row)
    return {-k - 1 for k in numbers}


def _ballot(row: int, text: str, n: int) -> Ballot:
    tokens = text.split()
    _reject_extensions(row, text)
    if len(tokens) < 2 or tokens[-1] != "0":
        raise Invalid.one("ballot", "a ballot line must be 'weight preferences... 0'", row)
    weight = _integer(row, "ballot weight", tokens[0])
    if weight <= 0:
        raise Invalid.one("ballot weight", f"must be positive, not {weight}", row)
    ranking = tuple(_preference(row, token, n) for token in tokens[1:-1])
    if len(set(ranking)) != len(ranking):
        raise Invalid.one("ballot", "the same candidate is ranked twice", row)
    return Ballot(weight, ranking)


def _reject_extensions(row: int, text: str) -> None:
    if "=" in text:
        raise Invalid.one("ballot", "equal rankings ('2=3') are not supported", row)
    if text.startswith("("):
        raise Invalid.one("ballot", "ballot ids in parentheses are not supported", row)
    if " - " in f" {text} ":
        raise Invalid.one("ballot", "skipped ranks ('-') are not supported", row)


def _preference(row: int, token: str, n: int) -> int:
    number = _integer(row, "ballot", token)
    if not 1 <= number <= n:
        raise Invalid.one("ballot", f"preference {token} is not a candidate number 1..{n}", row)
    return number - 1


def _integer(row: int, field: str, token: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise Invalid.one(field, f"{token!r} is not a whole number", row) from None


def _names_and_title(lines: Iterator[Line], n: int, end: int) -> tuple[list[str], str]:
    strings: list[Line] = []
    for row, text in lines:
        strings.extend((row, s) for s in _strings(row, text))
    if len(strings) < n:
        row = strings[-1][0] if strings else end
        raise Invalid.one("candidate names", f"expected {n} names, found {len(strings)}", row)
    if len(strings) > n + 1:
        raise Invalid.one("title", "unexpected text after the title", strings[n + 1][0])
    seen: set[str] = set()
    for row, name in strings[:n]:
        if name in seen:
            raise Invalid.one("candidate names", f"{name!r} appears twice", row)
        seen.add(name)
    title = strings[n][1] if len(strings) > n else ""
    return [s for _, s in strings[:n]], title


def _strings(row: int, text: str) -> list[str]:
    if not text.startswith('"'):
        return [text]
    found = _QUOTED.findall(text)
    if _QUOTED.sub("", text).strip():
        raise Invalid.one("candidate names", "text outside the quotes, or a quote not closed", row)
    return [s.replace('\\"', '"').replace("\\\\", "\\") for s in found]


def _at_header(problem: Problem, header_row: int) -> Problem:
    if problem.row is None:
        return Problem(problem.field, problem.reason, header_row)
    return problem
