"""Stage lengths, campaign weeks, quorum, majority and standing, checked by brute force."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orgburo.core.enrollment import (
    Spell,
    add_months,
    carried,
    check_votes,
    quorum,
    standing_since,
    week_of,
    week_start,
    whole_months,
)
from orgburo.errors import Invalid

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def brute_whole_months(start: date, end: date) -> int:
    """Count month steps of the same day-of-month (clamped) until past `end`."""
    months = 0
    while end >= start and (end.year, end.month, end.day) >= _shifted(start, months + 1):
        months += 1
    return months


def _shifted(start: date, months: int) -> tuple[int, int, int]:
    index = start.month - 1 + months
    return start.year + index // 12, index % 12 + 1, start.day


@given(days, st.integers(0, 60))
def test_adding_months_keeps_the_day_or_takes_the_months_last(start: date, months: int) -> None:
    later = add_months(start, months)
    assert (later.year * 12 + later.month) - (start.year * 12 + start.month) == months
    assert later.day == start.day or (
        later.day < start.day and (later + timedelta(days=1)).day == 1
    )


@given(days, days)
def test_whole_months_count_each_month_once_its_day_is_reached(start: date, end: date) -> None:
    assert whole_months(start, end) == brute_whole_months(start, end)


@given(days, st.integers(0, 400))
def test_every_day_falls_in_the_week_that_starts_on_or_before_it(opens: date, offset: int) -> None:
    day = opens + timedelta(days=offset)
    first = week_start(opens, week_of(opens, day))
    assert first <= day < first + timedelta(days=7)


@given(st.integers(1, 10_000))
def test_a_quorum_is_the_smallest_number_above_half(on_roll: int) -> None:
    assert quorum(on_roll) * 2 > on_roll >= (quorum(on_roll) - 1) * 2


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_a_motion_carries_with_more_than_half_of_the_votes_cast(
    yes: int, no: int, abstained: int
) -> None:
    assert carried(yes, no, abstained) == (yes > (yes + no + abstained) / 2)


def test_votes_must_be_cast_and_no_more_than_those_present() -> None:
    with pytest.raises(Invalid, match="no votes were cast"):
        check_votes(0, 0, 0, 5)
    with pytest.raises(Invalid, match="6 votes cast but only 5 present"):
        check_votes(3, 2, 1, 5)
    with pytest.raises(Invalid, match="abstained: -1 is negative"):
        check_votes(3, 0, -1, 5)


def test_standing_runs_through_a_transfer_and_stops_at_confirmation() -> None:
    spells = [
        Spell("candidate", date(1920, 1, 1), date(1920, 7, 1)),
        Spell("full", date(1920, 7, 1), date(1922, 3, 1)),
        Spell("full", date(1922, 3, 1), None),
    ]
    assert standing_since(spells, date(1924, 1, 1)) == date(1920, 7, 1)
    assert standing_since(spells, date(1920, 3, 1)) is None


def test_standing_starts_again_after_a_break() -> None:
    spells = [
        Spell("full", date(1918, 1, 1), date(1921, 1, 1)),
        Spell("full", date(1922, 1, 1), None),
    ]
    assert standing_since(spells, date(1924, 1, 1)) == date(1922, 1, 1)
    assert standing_since(spells, date(1921, 6, 1)) is None
