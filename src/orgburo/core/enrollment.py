"""The arithmetic of enrollment: stage lengths, campaign weeks, quorum, majority, standing.

Pure functions on dates and counts; the enrollment services and the bulk path share
them, so one applicant is judged the same way whichever path brought them in.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from orgburo.errors import Invalid, Problem


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day if shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def whole_months(start: date, end: date) -> int:
    """Complete months from `start` to `end`: a month counts once its day-of-month is reached.

    31 January to 28 February is 0 months; to 1 March, 1. The bulk path computes the
    same in SQL. 0 when `end` is earlier.
    """
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def week_of(opens_on: date, on: date) -> int:
    """The campaign week of `on`: week 1 is the opening day and the six days after it."""
    return (on - opens_on).days // 7 + 1


def week_start(opens_on: date, week: int) -> date:
    """The first day of campaign week `week`."""
    return opens_on + timedelta(days=7 * (week - 1))


def quorum(on_roll: int) -> int:
    """Members who must be present: more than half of those on the roll."""
    return on_roll // 2 + 1


def carried(votes_for: int, votes_against: int, abstained: int) -> bool:
    """A motion carries with more than half of the votes cast, abstentions counted as cast."""
    return votes_for * 2 > votes_for + votes_against + abstained


def check_votes(
    votes_for: int, votes_against: int, abstained: int, present: int, row: int | None = None
) -> None:
    """Votes are whole, at least one is cast, and no more are cast than people present."""
    problems = [
        Problem(name, f"{value} is negative", row)
        for name, value in (
            ("votes_for", votes_for),
            ("votes_against", votes_against),
            ("abstained", abstained),
        )
        if value < 0
    ]
    cast = votes_for + votes_against + abstained
    if not problems and cast == 0:
        problems.append(Problem("votes_for", "no votes were cast", row))
    if not problems and cast > present:
        problems.append(
            Problem("votes_for", f"{cast} votes cast but only {present} present to vote", row)
        )
    if problems:
        raise Invalid(problems)


@dataclass(frozen=True)
class Spell:
    """A membership spell as standing is computed from it."""

    status: str
    started_on: date
    ended_on: date | None


def standing_since(spells: Iterable[Spell], on: date) -> date | None:
    """Since when the person has been a full member without a break, as of `on`.

    The spell covering `on` must be a full one; standing runs back through the full
    spells that end exactly where the next begins (a transfer), and stops at a gap or
    at the candidate spell before confirmation. None when not a full member on `on`.
    """
    ordered = sorted(
        (s for s in spells if s.started_on <= on), key=lambda s: s.started_on, reverse=True
    )
    current = next((s for s in ordered if s.ended_on is None or s.ended_on > on), None)
    if current is None or current.status != "full":
        return None
    since = current.started_on
    for spell in ordered:
        if spell.status == "full" and spell.ended_on == since:
            since = spell.started_on
    return since
