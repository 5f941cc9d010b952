"""Ballot marks, receipts and the box as BLT: the export reads back as what was cast, and a
count of the export equals a direct count of the ballots."""

from __future__ import annotations

import uuid
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orgburo.core.ballot_box import (
    Paper,
    blt,
    check_marks,
    group,
    marks_text,
    normal_receipt,
    one_line,
    parse_marks_text,
    receipt_code,
)
from orgburo.core.delegates import Norm, delegates
from orgburo.core.tally import METHODS, parse_blt
from orgburo.core.tally.ballots import ForAgainstBallot
from orgburo.core.tally.for_against import count_ballots
from orgburo.errors import Invalid

NAMES = ("Ann", "Bob", "Cid", "Dee")


def test_ranked_marks_keep_their_order() -> None:
    assert check_marks(Paper("irv", NAMES, 1), ["Cid", "Ann"]) == (2, 0)


def test_unordered_marks_are_kept_in_paper_order() -> None:
    assert check_marks(Paper("block", NAMES, 2), ["Dee", "Bob"]) == (1, 3)


def test_more_marks_than_seats_are_too_many_for_a_block_vote() -> None:
    with pytest.raises(Invalid, match="too many marks: 3 for 2 seats"):
        check_marks(Paper("block", NAMES, 2), ["Ann", "Bob", "Cid"])


def test_a_name_not_on_the_paper_is_refused() -> None:
    with pytest.raises(Invalid, match="'Eve' is not a candidate on this ballot"):
        check_marks(Paper("for-against", NAMES, 2), ["Eve"])


def test_the_same_name_twice_is_refused() -> None:
    with pytest.raises(Invalid, match="marked more than once"):
        check_marks(Paper("meek", NAMES, 2), ["Ann", "Ann"])


def test_a_receipt_depends_on_the_secret_nonce() -> None:
    ballot = uuid.uuid4()
    assert receipt_code(ballot, b"a" * 16) != receipt_code(ballot, b"b" * 16)
    assert receipt_code(ballot, b"a" * 16) == receipt_code(ballot, b"a" * 16)


def test_a_receipt_is_read_back_whatever_its_dashes_and_case() -> None:
    code = receipt_code(uuid.uuid4(), b"n" * 16)[:20]
    assert normal_receipt(group(code).upper()) == code


names = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8)
    .map(one_line)
    .filter(bool),
    min_size=1,
    max_size=6,
    unique=True,
)


@st.composite
def boxes(draw: st.DrawFn) -> tuple[Paper, list[tuple[int, ...]]]:
    candidates = tuple(draw(names))
    n = len(candidates)
    seats = draw(st.integers(1, n))
    rankings = draw(st.lists(st.permutations(range(n)).flatmap(_prefix), max_size=30))
    return Paper("stv-scottish", candidates, seats), rankings


def _prefix(order: list[int]) -> st.SearchStrategy[tuple[int, ...]]:
    return st.integers(0, len(order)).map(lambda k: tuple(order[:k]))


@settings(max_examples=40)
@given(boxes(), st.text(max_size=20).map(one_line))
def test_the_exported_box_reads_back_as_cast(
    box: tuple[Paper, list[tuple[int, ...]]], title: str
) -> None:
    paper, rankings = box
    election = parse_blt(blt(paper, [marks_text(r) for r in rankings], title))
    assert election.candidates == paper.candidates
    assert election.seats == paper.seats
    assert [b.ranking for b in election.ballots] == rankings
    assert all(b.weight == 1 for b in election.ballots)
    assert election.title == title


@given(boxes())
def test_stored_marks_read_back(box: tuple[Paper, list[tuple[int, ...]]]) -> None:
    assert [parse_marks_text(marks_text(r)) for r in box[1]] == box[1]


@settings(max_examples=40)
@given(boxes())
def test_a_for_against_count_of_the_export_equals_a_direct_count(
    box: tuple[Paper, list[tuple[int, ...]]],
) -> None:
    paper, rankings = box
    kept = [tuple(sorted(r)) for r in rankings]
    if not kept:
        return
    exported = parse_blt(blt(paper, [marks_text(k) for k in kept], ""))
    everyone = frozenset(range(len(paper.candidates)))
    direct = count_ballots(
        paper.candidates,
        paper.seats,
        [ForAgainstBallot(1, frozenset(k), everyone - frozenset(k)) for k in kept],
        seed=5,
    )
    assert METHODS["for-against"](exported, seed=5).to_dict() == direct.to_dict()


@settings(max_examples=40)
@given(boxes())
def test_a_block_count_of_the_export_counts_each_ticked_name_once(
    box: tuple[Paper, list[tuple[int, ...]]],
) -> None:
    paper, rankings = box
    ticked = [tuple(sorted(r))[: paper.seats] for r in rankings]
    exported = parse_blt(blt(paper, [marks_text(t) for t in ticked], ""))
    first = METHODS["block"](exported, seed=1).stages[0].totals
    votes = Counter(c for t in ticked for c in t)
    assert [int(v) for v in first] == [votes[c] for c in range(len(paper.candidates))]


def _half_up(members: int, per: int) -> int:
    if members == 0:
        return 0
    share = Fraction(members, per)
    return max(1, int(share) + (1 if share - int(share) >= Fraction(1, 2) else 0))


@given(st.lists(st.integers(0, 10_000), max_size=20), st.integers(1, 3_000))
def test_one_per_n_members_rounds_half_up_with_at_least_one(members: list[int], per: int) -> None:
    expected = tuple(_half_up(m, per) for m in members)
    assert delegates(members, Norm("per-members", per)) == expected


@settings(max_examples=40)
@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=20).filter(any),
    st.integers(1, 500),
    st.sampled_from(["hamilton", "jefferson", "webster", "huntington-hill", "adams"]),
)
def test_a_total_is_apportioned_exactly(members: list[int], total: int, method: str) -> None:
    given_out = delegates(members, Norm("total", total, method))
    assert sum(given_out) == total
    assert all(d == 0 for d, m in zip(given_out, members, strict=True) if m == 0)


def test_a_norm_of_zero_is_refused() -> None:
    with pytest.raises(Invalid, match="the number must be 1 or more"):
        Norm("per-members", 0)
