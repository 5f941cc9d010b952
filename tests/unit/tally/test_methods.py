"""Behaviour of each counting method on small hand-made elections."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from orgburo.core.tally import (
    METHODS,
    Ballot,
    Election,
    ForAgainstBallot,
    block,
    for_against,
    irv,
    meek,
    parse_blt,
    scottish_stv,
)
from orgburo.core.tally.for_against import count_ballots
from orgburo.errors import Invalid


def election(seats: int, *ballots: tuple[int, str], withdrawn: str = "") -> Election:
    """Candidates A, B, C, D; each ballot is (weight, "ranking as letters")."""
    index = {name: i for i, name in enumerate("ABCD")}
    return Election(
        ("A", "B", "C", "D"),
        seats,
        tuple(Ballot(w, tuple(index[c] for c in r)) for w, r in ballots),
        frozenset(index[c] for c in withdrawn),
    )


def test_a_tie_nothing_else_breaks_is_drawn_by_lot_from_the_recorded_seed() -> None:
    tied = election(1, (3, "A"), (3, "B"), (1, "C"))
    winners = {block.count(tied, seed=seed).elected for seed in range(20)}
    assert winners == {("A",), ("B",)}
    result = block.count(tied, seed=7)
    assert result.seed == 7
    assert "by lot (seed 7)" in result.stages[0].notes[0]
    assert block.count(tied, seed=7) == result


def test_an_exclusion_tie_goes_to_the_most_recent_stage_at_which_they_differed() -> None:
    # After C's papers move, A and B are equal; at stage 1 B had fewer, so B is excluded.
    e = election(1, (4, "D"), (3, "A"), (2, "B"), (1, "CB"))
    result = irv.count(e)
    assert [s.excluded for s in result.stages[:2]] == [("C",), ("B",)]
    assert "fewer votes at stage 1" in result.stages[1].notes[0]


def test_instant_runoff_refuses_more_than_one_seat() -> None:
    with pytest.raises(Invalid) as caught:
        irv.count(election(2, (1, "AB")))
    assert caught.value.problems[0].field == "seats"


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_refuses_more_seats_than_candidates_standing(method: str) -> None:
    with pytest.raises(Invalid) as caught:
        METHODS[method](election(1, (1, "AB"), withdrawn="C"), seats=4)
    assert "between 1 and 3" in caught.value.problems[0].reason


def test_an_election_refuses_a_ballot_naming_no_candidate() -> None:
    with pytest.raises(Invalid) as caught:
        Election(("A", "B"), 1, (Ballot(1, (0,)), Ballot(1, (2,))))
    assert (caught.value.problems[0].row, caught.value.problems[0].field) == (2, "ballot")


def test_withdrawn_candidates_get_no_votes_and_papers_pass_over_them() -> None:
    result = scottish_stv.count(election(1, (5, "CA"), (4, "B"), withdrawn="C"))
    assert result.stages[0].totals == (Decimal(5), Decimal(4), Decimal(0), Decimal(0))
    assert result.elected == ("A",)


def test_seats_default_to_the_election_and_can_be_overridden() -> None:
    e = election(2, (5, "AB"), (4, "BA"), (3, "C"), (1, "D"))
    assert len(scottish_stv.count(e).elected) == 2
    assert len(scottish_stv.count(e, seats=3).elected) == 3


def test_a_surplus_moves_every_paper_at_a_truncated_transfer_value() -> None:
    # quota = 10 // 3 + 1 = 4; A has 7, surplus 3: each paper moves at 3/7 = 0.42857
    e = election(2, (6, "AB"), (1, "A"), (2, "C"), (1, "D"))
    result = scottish_stv.count(e)
    assert result.quota == 4
    stage2 = result.stages[1]
    assert stage2.totals[:2] == (Decimal(4), Decimal("2.57142"))  # 6 papers x 0.42857
    assert stage2.exhausted == Decimal("0.42857")  # the paper with no second preference
    assert stage2.loss == Decimal("0.00001")


def test_meek_reduces_the_keep_value_of_a_candidate_with_a_surplus() -> None:
    result = meek.count(election(2, (6, "AB"), (1, "A"), (2, "C"), (1, "D")))
    keep = dict(result.stages[-1].columns)["keep value"]
    assert Decimal(0) < keep[0] < Decimal(1)
    assert result.elected[0] == "A"


def test_for_against_needs_more_than_half_of_the_valid_ballots() -> None:
    ballots = [
        ForAgainstBallot(3, frozenset({0, 1}), frozenset({2})),
        ForAgainstBallot(2, frozenset({0}), frozenset({1, 2})),
        ForAgainstBallot(1, frozenset({2}), frozenset()),
    ]
    result = count_ballots(["A", "B", "C"], 2, ballots)
    assert result.elected == ("A",)
    assert dict(result.stages[0].columns)["against"] == (Decimal(0), Decimal(2), Decimal(5))


def test_for_against_fills_no_more_than_the_seats_and_notes_who_else_passed() -> None:
    ballots = [ForAgainstBallot(5, frozenset({0, 1, 2})), ForAgainstBallot(1, frozenset({0}))]
    result = count_ballots(["A", "B", "C"], 1, ballots, seed=3)
    assert result.elected == ("A",)
    assert any("the seats were filled: " in note for note in result.stages[0].notes)


def test_for_against_refuses_a_candidate_marked_both_ways() -> None:
    with pytest.raises(Invalid):
        ForAgainstBallot(1, frozenset({0}), frozenset({0}))


def test_ranked_ballots_count_for_against_as_ranked_for_the_rest_against() -> None:
    result = for_against.count(election(2, (3, "AB"), (2, "B"), (1, "")))
    assert result.stages[0].totals[:2] == (Decimal(3), Decimal(5))
    assert result.elected == ("B",)


def test_a_result_serialises_to_json_with_every_stage() -> None:
    e = parse_blt('3 1\n4 1 0\n3 2 0\n2 3 2 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    data = json.loads(json.dumps(scottish_stv.count(e).to_dict()))
    assert data["elected"] == ["B"]
    assert data["quota"] == "5.00000"
    assert data["stages"][0]["totals"] == {"A": "4.00000", "B": "3.00000", "C": "2.00000"}
    assert data["stages"][0]["excluded"] == ["C"]
