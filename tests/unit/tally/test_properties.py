"""Property tests on small random elections, against plain oracles and conservation laws."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from orgburo.core.tally import Ballot, Election, ForAgainstBallot, block, irv, meek, scottish_stv
from orgburo.core.tally.for_against import count_ballots

from .oracles import ScottishOracle, irv_possible_winners

seeds = st.integers(0, 2**32)


@st.composite
def elections(draw: st.DrawFn, max_candidates: int = 5, one_seat: bool = False) -> Election:
    n = draw(st.integers(2, max_candidates))
    seats = 1 if one_seat else draw(st.integers(1, n))
    ranking = st.permutations(range(n)).flatmap(
        lambda order: st.integers(1, n).map(lambda k: tuple(order[:k]))
    )
    papers = draw(st.lists(st.tuples(st.integers(1, 9), ranking), min_size=1, max_size=14))
    names = tuple(f"C{i}" for i in range(n))
    return Election(names, seats, tuple(Ballot(w, r) for w, r in papers))


def plain(election: Election) -> list[tuple[int, tuple[int, ...]]]:
    return [(b.weight, b.ranking) for b in election.ballots]


def winner(names: tuple[str, ...], result_elected: tuple[str, ...]) -> int:
    (name,) = result_elected
    return names.index(name)


@given(elections(one_seat=True), seeds)
def test_instant_runoff_elects_a_winner_the_brute_oracle_allows(e: Election, seed: int) -> None:
    possible = irv_possible_winners(len(e.candidates), plain(e))
    elected = winner(e.candidates, irv.count(e, seed=seed).elected)
    assert elected in possible
    if len(possible) == 1:
        assert {elected} == possible


@given(elections(one_seat=True), seeds)
def test_single_seat_scottish_stv_elects_the_instant_runoff_winner(e: Election, seed: int) -> None:
    assert scottish_stv.count(e, seed=seed).elected == irv.count(e, seed=seed).elected


@given(elections(one_seat=True), seeds)
def test_single_seat_meek_elects_the_instant_runoff_winner(e: Election, seed: int) -> None:
    assert meek.count(e, seed=seed).elected == irv.count(e, seed=seed).elected


@given(elections(), seeds)
def test_scottish_stv_matches_a_plain_paper_by_paper_count(e: Election, seed: int) -> None:
    oracle_elected, oracle_stages = ScottishOracle(len(e.candidates), e.seats, plain(e), seed).run()
    result = scottish_stv.count(e, seed=seed)
    assert [e.candidates.index(name) for name in result.elected] == oracle_elected
    assert [[Fraction(t) for t in s.totals] for s in result.stages] == oracle_stages


@given(elections(max_candidates=7), seeds)
def test_scottish_totals_exhausted_and_loss_add_up_to_the_valid_votes(
    e: Election, seed: int
) -> None:
    result = scottish_stv.count(e, seed=seed)
    for stage in result.stages:
        assert sum(stage.totals) + stage.exhausted + stage.loss == result.valid
        assert stage.loss >= 0
    assert len(result.elected) == e.seats


@given(elections(max_candidates=6), seeds)
def test_meek_totals_and_excess_add_up_to_the_valid_votes(e: Election, seed: int) -> None:
    result = meek.count(e, seed=seed)
    for stage in result.stages:
        assert sum(stage.totals) + stage.exhausted == result.valid
    assert len(result.elected) == e.seats


@given(elections(max_candidates=6), seeds)
def test_block_elects_the_candidates_with_most_votes(e: Election, seed: int) -> None:
    votes = [
        sum(b.weight for b in e.ballots if c in b.ranking[: e.seats])
        for c in range(len(e.candidates))
    ]
    result = block.count(e, seed=seed)
    assert [int(t) for t in result.stages[0].totals] == votes
    elected = {e.candidates.index(name) for name in result.elected}
    assert len(elected) == e.seats
    others = set(range(len(e.candidates))) - elected
    assert all(votes[w] >= votes[o] for w in elected for o in others)


@st.composite
def for_against_ballots(draw: st.DrawFn) -> tuple[int, list[ForAgainstBallot]]:
    n = draw(st.integers(1, 6))
    marks = st.lists(st.sampled_from("fa-"), min_size=n, max_size=n)
    rows = draw(st.lists(st.tuples(st.integers(1, 5), marks), min_size=1, max_size=12))
    return n, [
        ForAgainstBallot(
            w,
            frozenset(c for c, m in enumerate(row) if m == "f"),
            frozenset(c for c, m in enumerate(row) if m == "a"),
        )
        for w, row in rows
    ]


@given(for_against_ballots(), st.integers(1, 6), seeds)
def test_for_against_elects_majorities_by_votes_for_up_to_the_seats(
    case: tuple[int, list[ForAgainstBallot]], seats: int, seed: int
) -> None:
    n, ballots = case
    seats = min(seats, n)
    valid = sum(b.weight for b in ballots)
    votes_for = [sum(b.weight for b in ballots if c in b.for_) for c in range(n)]
    majority = {c for c in range(n) if 2 * votes_for[c] > valid}
    result = count_ballots([f"C{c}" for c in range(n)], seats, ballots, seed=seed)
    elected = [int(name[1:]) for name in result.elected]
    assert set(elected) <= majority
    assert len(elected) == min(seats, len(majority))
    assert [votes_for[c] for c in elected] == sorted((votes_for[c] for c in elected), reverse=True)
    assert all(votes_for[c] <= votes_for[elected[-1]] for c in majority - set(elected))
