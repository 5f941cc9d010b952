"""Reading BLT files: what is accepted, and each malformed file names its line and reason."""

from __future__ import annotations

import pytest

from orgburo.core.tally import Ballot, parse_blt
from orgburo.errors import Invalid

GOOD = """\
4 2
-3
12 1 3 2 0

1 4 0
1 0
0
"Ann" "Bob"
"Cid"
"Dee \\"D\\" Ray"
"A test election"
"""


def test_a_blt_file_gives_candidates_seats_ballots_withdrawn_and_title() -> None:
    election = parse_blt(GOOD)
    assert election.candidates == ("Ann", "Bob", "Cid", 'Dee "D" Ray')
    assert election.seats == 2
    assert election.ballots == (Ballot(12, (0, 2, 1)), Ballot(1, (3,)), Ballot(1, ()))
    assert election.withdrawn == frozenset({2})
    assert election.title == "A test election"
    assert election.standing == (0, 1, 3)


def test_lines_are_read_from_any_iterable_and_the_title_is_optional() -> None:
    election = parse_blt(iter(["2 1\n", "3 2 1 0\n", "0\n", "Ann\n", "Bob\n"]))
    assert election.candidates == ("Ann", "Bob")
    assert election.ballots == (Ballot(3, (1, 0)),)
    assert election.title == ""


MALFORMED = [
    ("", 1, "header", "empty"),
    ("2\n0\n", 1, "header", "two whole numbers"),
    ("two 1\n0\n", 1, "header", "two whole numbers"),
    ("0 1\n0\n", 1, "header", "at least one candidate"),
    ('2 3\n1 1 0\n0\n"A"\n"B"\n', 1, "seats", "between 1 and 2"),
    ('3 1\n-4\n1 1 0\n0\n"A"\n"B"\n"C"\n', 2, "withdrawn", "-1..-3"),
    ('2 1\n1 1 2\n0\n"A"\n"B"\n', 2, "ballot", "weight preferences... 0"),
    ('2 1\n1 1 3 0\n0\n"A"\n"B"\n', 2, "ballot", "preference 3 is not a candidate number 1..2"),
    ('2 1\n1 1 1 0\n0\n"A"\n"B"\n', 2, "ballot", "ranked twice"),
    ('3 1\n1 1 2=3 0\n0\n"A"\n"B"\n"C"\n', 2, "ballot", "equal rankings"),
    ('3 1\n1 1 - 3 0\n0\n"A"\n"B"\n"C"\n', 2, "ballot", "skipped ranks"),
    ('2 1\n(b7) 1 1 0\n0\n"A"\n"B"\n', 2, "ballot", "ballot ids"),
    ('2 1\n1.5 1 0\n0\n"A"\n"B"\n', 2, "ballot weight", "'1.5' is not a whole number"),
    ('2 1\n0 1 0\n0\n"A"\n"B"\n', 2, "ballot weight", "must be positive"),
    ('2 1\n1 x 0\n0\n"A"\n"B"\n', 2, "ballot", "'x' is not a whole number"),
    ("2 1\n1 1 0\n1 2 0\n", 3, "ballots", "no '0' line ends the ballots"),
    ('2 1\n1 1 0\n0\n"A"\n', 4, "candidate names", "expected 2 names, found 1"),
    ('2 1\n1 1 0\n0\n"A"\n"A"\n', 5, "candidate names", "'A' appears twice"),
    ('2 1\n1 1 0\n0\n"A" "B\n', 4, "candidate names", "quote not closed"),
    ('2 1\n1 1 0\n0\n"A"\n"B"\n"Title"\n"More"\n', 7, "title", "unexpected text"),
]


@pytest.mark.parametrize(("text", "row", "field", "reason"), MALFORMED)
def test_a_malformed_blt_file_is_invalid_naming_the_line_and_the_reason(
    text: str, row: int, field: str, reason: str
) -> None:
    with pytest.raises(Invalid) as caught:
        parse_blt(text)
    problem = caught.value.problems[0]
    assert (problem.row, problem.field) == (row, field)
    assert reason in problem.reason


def test_every_bad_ballot_line_is_reported_not_only_the_first() -> None:
    with pytest.raises(Invalid) as caught:
        parse_blt('2 1\n1 3 0\n1 1 0\n1 1 1 0\n0\n"A"\n"B"\n')
    assert [p.row for p in caught.value.problems] == [2, 4]
    assert "row 2, ballot" in str(caught.value)
