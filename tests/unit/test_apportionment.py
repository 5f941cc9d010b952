"""Apportionment methods against published results and against plain, obviously-correct oracles.

The oracles are written from the definitions, with Fractions and no cleverness: divisor
methods hand out one seat at a time to the highest priority w / d(k) (Huntington-Hill
compares squared priorities w^2 / (k (k + 1)), the same order); Hamilton solves for the
bounded quota over the sorted breakpoints and gives the leftover seats to the largest
remainders. Both break ties by larger weight, then earlier position, as the core does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgburo.core.apportionment import (
    MAX_SEATS,
    ApportionmentInput,
    ApportionmentResult,
    Method,
    Weight,
    apportion,
)
from orgburo.errors import Invalid

DIVISOR_METHODS = [m for m in Method if m is not Method.HAMILTON]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# 1790 census, apportionment population (Balinski and Young, "Fair Representation").
US_1790 = {
    "Connecticut": 236_841,
    "Delaware": 55_540,
    "Georgia": 70_835,
    "Kentucky": 68_705,
    "Maryland": 278_514,
    "Massachusetts": 475_327,
    "New Hampshire": 141_822,
    "New Jersey": 179_570,
    "New York": 331_589,
    "North Carolina": 353_523,
    "Pennsylvania": 432_879,
    "Rhode Island": 68_446,
    "South Carolina": 206_236,
    "Vermont": 85_533,
    "Virginia": 630_560,
}


def run(
    method: Method,
    seats: int,
    weights: Sequence[Weight],
    floors: Sequence[int] | None = None,
    caps: Sequence[int | None] | None = None,
) -> ApportionmentResult:
    return apportion(
        ApportionmentInput(
            method,
            seats,
            tuple(weights),
            tuple(floors) if floors is not None else None,
            tuple(caps) if caps is not None else None,
        )
    )


def seats_of(
    method: Method, seats: int, weights: Sequence[Weight], floors: Sequence[int] | None = None
) -> list[int]:
    return list(run(method, seats, weights, floors).allocation)


# --- oracles ------------------------------------------------------------------------------


def priority(method: Method, weight: Fraction, k: int) -> tuple[int, Fraction]:
    """(1, 0) for infinite priority, else (0, priority); HH squared. Zero weight: 0."""
    if weight == 0:
        return (0, Fraction(0))
    signpost = {
        Method.JEFFERSON: Fraction(k + 1),
        Method.WEBSTER: Fraction(2 * k + 1, 2),
        Method.ADAMS: Fraction(k),
        Method.HUNTINGTON_HILL: Fraction(k * (k + 1)),
    }[method]
    if signpost == 0:
        return (1, Fraction(0))
    power = 2 if method is Method.HUNTINGTON_HILL else 1
    return (0, weight**power / signpost)


def limits(
    seats: int, n: int, floors: Sequence[int] | None, caps: Sequence[int | None] | None
) -> tuple[list[int], list[int]]:
    lo = list(floors) if floors is not None else [0] * n
    hi = [seats if c is None else c for c in (caps if caps is not None else [None] * n)]
    return lo, hi


def one_seat_at_a_time(
    method: Method,
    seats: int,
    weights: Sequence[Weight],
    floors: Sequence[int] | None = None,
    caps: Sequence[int | None] | None = None,
) -> tuple[list[int], list[int]]:
    """Divisor method by its definition; also the parties tied for the last seat given."""
    w = [Fraction(x) for x in weights]
    lo, hi = limits(seats, len(w), floors, caps)
    held = list(lo)
    last = None
    for _ in range(seats - sum(lo)):
        open_ = [i for i in range(len(w)) if held[i] < hi[i]]
        best = max(open_, key=lambda i: (priority(method, w[i], held[i]), w[i], -i))
        last = priority(method, w[best], held[best])
        held[best] += 1
    if last is None:
        return held, []
    at_last = [
        i for i in range(len(w)) if held[i] < hi[i] and priority(method, w[i], held[i]) == last
    ]
    if not at_last:
        return held, []
    given = [
        i for i in range(len(w)) if held[i] > lo[i] and priority(method, w[i], held[i] - 1) == last
    ]
    return held, sorted(at_last + given)


def bounded_quotas(
    seats: int, weights: Sequence[Fraction], lo: list[int], hi: list[int]
) -> list[Fraction]:
    """q_i = mid(lo_i, w_i * L, hi_i) summing to seats: scan the breakpoints of L in order."""

    def quotas(scale: Fraction) -> list[Fraction]:
        return [
            min(max(w * scale, Fraction(f)), Fraction(h)) if w else Fraction(f)
            for w, f, h in zip(weights, lo, hi, strict=True)
        ]

    points = sorted(
        {Fraction(b) / w for w, f, h in zip(weights, lo, hi, strict=True) if w for b in (f, h)}
    )
    start = Fraction(0)
    for end in points:
        if sum(quotas(end)) >= seats:
            below, above = sum(quotas(start)), sum(quotas(end))
            scale = (
                end if above == below else start + (end - start) * (seats - below) / (above - below)
            )
            return quotas(scale)
        start = end
    return quotas(start)


def largest_remainders(
    seats: int,
    weights: Sequence[Weight],
    floors: Sequence[int] | None = None,
    caps: Sequence[int | None] | None = None,
) -> tuple[list[int], list[int]]:
    """Hamilton by its definition on the bounded quotas; also the parties tied at the cut."""
    w = [Fraction(x) for x in weights]
    lo, hi = limits(seats, len(w), floors, caps)
    q = bounded_quotas(seats, w, lo, hi)
    held = [math.floor(x) for x in q]
    left = seats - sum(held)
    order = sorted(range(len(w)), key=lambda i: (-(q[i] - held[i]), -w[i], i))
    ties: list[int] = []
    if left:
        cut = q[order[left - 1]] - held[order[left - 1]]
        if any(q[i] - held[i] == cut for i in order[left:]):
            ties = sorted(i for i in range(len(w)) if q[i] - held[i] == cut)
    for i in order[:left]:
        held[i] += 1
    return held, ties


def feasible(
    seats: int,
    weights: Sequence[Weight],
    floors: Sequence[int] | None,
    caps: Sequence[int | None] | None,
) -> bool:
    lo, hi = limits(seats, len(weights), floors, caps)
    room = sum(h - f for w, f, h in zip(weights, lo, hi, strict=True) if w > 0)
    return all(h >= f for f, h in zip(lo, hi, strict=True)) and sum(lo) <= seats <= sum(lo) + room


def oracle(
    method: Method,
    seats: int,
    weights: Sequence[Weight],
    floors: Sequence[int] | None = None,
    caps: Sequence[int | None] | None = None,
) -> tuple[list[int], list[int]]:
    if method is Method.HAMILTON:
        return largest_remainders(seats, weights, floors, caps)
    return one_seat_at_a_time(method, seats, weights, floors, caps)


# --- strategies ---------------------------------------------------------------------------

weights_ = st.one_of(
    st.integers(0, 12),
    st.integers(0, 10_000),
    st.fractions(min_value=0, max_value=50, max_denominator=9),
)


@dataclass(frozen=True)
class Case:
    """One input: seats over weights, with optional floors and caps."""

    seats: int
    weights: list[Weight]
    floors: list[int] | None = None
    caps: list[int | None] | None = None

    def run(self, method: Method) -> ApportionmentResult:
        return run(method, self.seats, self.weights, self.floors, self.caps)

    def oracle(self, method: Method) -> tuple[list[int], list[int]]:
        return oracle(method, self.seats, self.weights, self.floors, self.caps)

    def feasible(self) -> bool:
        return feasible(self.seats, self.weights, self.floors, self.caps)

    def limits(self) -> tuple[list[int], list[int]]:
        return limits(self.seats, len(self.weights), self.floors, self.caps)


@st.composite
def cases(draw: st.DrawFn, max_parties: int = 7, max_seats: int = 80) -> Case:
    weights: list[Weight] = draw(st.lists(weights_, min_size=0, max_size=max_parties))
    n = len(weights)
    floors = draw(st.none() | st.lists(st.integers(0, 4), min_size=n, max_size=n))
    caps = draw(st.none() | st.lists(st.none() | st.integers(0, 25), min_size=n, max_size=n))
    if floors is not None and caps is not None:
        caps = [None if c is None else max(c, f) for c, f in zip(caps, floors, strict=True)]
    return Case(draw(st.integers(0, max_seats)), weights, floors, caps)


plain = st.lists(st.integers(1, 10**6), min_size=1, max_size=40)


# --- published results --------------------------------------------------------------------


def test_jefferson_gives_the_1792_house_of_105_seats() -> None:
    # The Apportionment Act of 1792: Virginia 19, Delaware 1.
    expected = [7, 1, 2, 2, 8, 14, 4, 5, 10, 10, 13, 2, 6, 2, 19]
    assert seats_of(Method.JEFFERSON, 105, list(US_1790.values())) == expected


def test_hamilton_gives_the_vetoed_1792_bill_of_120_seats() -> None:
    # The bill Washington vetoed on 5 April 1792: Virginia 21, Delaware 2.
    expected = [8, 2, 2, 2, 9, 16, 5, 6, 11, 12, 14, 2, 7, 3, 21]
    assert seats_of(Method.HAMILTON, 120, list(US_1790.values())) == expected


def test_hamilton_at_105_seats_moves_a_seat_from_virginia_to_delaware() -> None:
    result = dict(zip(US_1790, seats_of(Method.HAMILTON, 105, list(US_1790.values())), strict=True))
    assert (result["Virginia"], result["Delaware"]) == (18, 2)


def test_dhondt_worked_example_of_thirty_seats() -> None:
    # Whigs, Tories, Liberals, Centrists: a d'Hondt table from "For All Practical Purposes".
    votes = [5_525_381, 3_470_152, 3_864_226, 201_203]
    assert seats_of(Method.JEFFERSON, 30, votes) == [13, 8, 9, 0]


@pytest.mark.parametrize(
    ("method", "expected"),
    [(Method.JEFFERSON, [6, 4, 0]), (Method.WEBSTER, [5, 4, 1]), (Method.HAMILTON, [5, 4, 1])],
)
def test_ten_seats_over_6100_5000_and_900_votes(method: Method, expected: list[int]) -> None:
    assert seats_of(method, 10, [6100, 5000, 900]) == expected


@pytest.mark.parametrize(
    ("method", "expected"),
    [(Method.JEFFERSON, [4, 3, 1, 0]), (Method.WEBSTER, [3, 3, 1, 1])],
)
def test_eight_seats_over_four_parties(method: Method, expected: list[int]) -> None:
    assert seats_of(method, 8, [100_000, 80_000, 30_000, 20_000]) == expected


# --- against the oracles ------------------------------------------------------------------


@SETTINGS
@given(st.sampled_from(list(Method)), cases())
def test_every_method_agrees_with_its_oracle_or_both_call_it_infeasible(
    method: Method, case: Case
) -> None:
    if not case.feasible():
        with pytest.raises(Invalid):
            case.run(method)
        return
    result = case.run(method)
    assert (list(result.allocation), list(result.ties)) == case.oracle(method)


@SETTINGS
@given(st.sampled_from(list(Method)), cases(max_parties=12, max_seats=400))
def test_every_method_agrees_with_its_oracle_on_larger_bounded_houses(
    method: Method, case: Case
) -> None:
    if case.feasible():
        result = case.run(method)
        assert (list(result.allocation), list(result.ties)) == case.oracle(method)


@SETTINGS
@given(st.sampled_from(DIVISOR_METHODS), plain, st.integers(0, 3000))
def test_divisor_methods_agree_with_one_seat_at_a_time_on_larger_houses(
    method: Method, weights: list[int], seats: int
) -> None:
    assert seats_of(method, seats, weights) == one_seat_at_a_time(method, seats, weights)[0]


# --- properties ---------------------------------------------------------------------------


@SETTINGS
@given(st.sampled_from(list(Method)), plain, st.integers(0, 100_000))
def test_seats_always_add_up(method: Method, weights: list[int], seats: int) -> None:
    assert sum(seats_of(method, seats, weights)) == seats


@SETTINGS
@given(plain, st.integers(0, 100_000))
def test_hamilton_stays_within_one_seat_of_the_quota(weights: list[int], seats: int) -> None:
    total = sum(weights)
    for w, s in zip(weights, seats_of(Method.HAMILTON, seats, weights), strict=True):
        quota = Fraction(w * seats, total)
        assert math.floor(quota) <= s <= math.ceil(quota)


@SETTINGS
@given(cases())
def test_bounded_hamilton_stays_within_one_seat_of_the_bounded_quota(case: Case) -> None:
    if not case.feasible():
        return
    lo, hi = case.limits()
    quotas = bounded_quotas(case.seats, [Fraction(w) for w in case.weights], lo, hi)
    for q, s in zip(quotas, case.run(Method.HAMILTON).allocation, strict=True):
        assert math.floor(q) <= s <= math.ceil(q)


@SETTINGS
@given(st.sampled_from(DIVISOR_METHODS), plain, st.integers(0, 2000))
def test_divisor_methods_are_house_monotone(method: Method, weights: list[int], seats: int) -> None:
    smaller, larger = seats_of(method, seats, weights), seats_of(method, seats + 1, weights)
    assert all(a <= b for a, b in zip(smaller, larger, strict=True))


@SETTINGS
@given(st.sampled_from(list(Method)), cases(max_parties=12, max_seats=400))
def test_floors_and_caps_are_respected(method: Method, case: Case) -> None:
    if not case.feasible():
        return
    lo, hi = case.limits()
    held = case.run(method).allocation
    assert all(f <= s <= h for f, s, h in zip(lo, held, hi, strict=True))
    assert sum(held) == case.seats


@SETTINGS
@given(
    st.sampled_from(list(Method)), st.lists(weights_, min_size=1, max_size=6), st.integers(0, 60)
)
def test_fractions_apportion_like_the_same_weights_scaled_to_integers(
    method: Method, weights: list[Weight], seats: int
) -> None:
    scale = math.lcm(*(Fraction(w).denominator for w in weights))
    scaled = [int(w * scale) for w in weights]
    if not any(scaled):
        return
    assert run(method, seats, weights) == run(method, seats, scaled)


@SETTINGS
@given(st.sampled_from(list(Method)), plain, st.integers(0, 5000))
def test_huge_weights_apportion_like_small_ones(
    method: Method, weights: list[int], seats: int
) -> None:
    huge = [w * 10**40 + 0 for w in weights]
    assert run(method, seats, huge) == run(method, seats, weights)


@pytest.mark.parametrize("method", DIVISOR_METHODS)
def test_a_large_divisor_apportionment_admits_a_divisor(method: Method) -> None:
    rng = random.Random(7)
    weights = [rng.choice([rng.randint(1, 60), rng.randint(1, 10**6)]) for _ in range(20_000)]
    seats = 75_000
    held = seats_of(method, seats, weights)
    given_ = [
        priority(method, Fraction(w), s - 1) for w, s in zip(weights, held, strict=True) if s > 0
    ]
    next_ = [priority(method, Fraction(w), s) for w, s in zip(weights, held, strict=True)]
    assert sum(held) == seats
    assert max(next_) <= min(given_)


def test_large_hamilton_gives_leftover_seats_to_the_largest_remainders() -> None:
    rng = random.Random(8)
    weights = [rng.randint(1, 10**6) for _ in range(20_000)]
    seats, total = 75_000, sum(weights)
    held = seats_of(Method.HAMILTON, seats, weights)
    remainders = [(w * seats) % total for w in weights]
    extra = [r for r, w, s in zip(remainders, weights, held, strict=True) if s > w * seats // total]
    plain_ = [
        r for r, w, s in zip(remainders, weights, held, strict=True) if s == w * seats // total
    ]
    assert len(extra) == seats - sum(w * seats // total for w in weights)
    assert min(extra) >= max(plain_)


@pytest.mark.parametrize("method", list(Method))
def test_weights_too_close_for_floats_are_told_apart_exactly(method: Method) -> None:
    result = run(method, 3, [10**20, 10**20 + 1])
    assert (list(result.allocation), result.ties) == ([1, 2], ())


@pytest.mark.parametrize("method", list(Method))
def test_weights_beyond_the_range_of_floats_are_ranked_exactly(method: Method) -> None:
    weights = [10**400, 10**400 + 1, 2 * 10**400]
    result = run(method, 5, weights)
    assert (list(result.allocation), list(result.ties)) == oracle(method, 5, weights)


# --- zero weights, first seats, ties ------------------------------------------------------


@pytest.mark.parametrize("method", list(Method))
def test_a_party_of_weight_zero_gets_exactly_its_floor(method: Method) -> None:
    held = seats_of(method, 10, [0, 5, 0, 3], floors=[0, 0, 2, 0])
    assert held[0::2] == [0, 2]
    assert held[1::2] == seats_of(method, 8, [5, 3])


@pytest.mark.parametrize("method", [Method.ADAMS, Method.HUNTINGTON_HILL])
def test_adams_and_huntington_hill_give_every_party_a_first_seat(method: Method) -> None:
    assert min(seats_of(method, 12, [10_000, 20, 3, 1])) >= 1


@pytest.mark.parametrize("method", [Method.ADAMS, Method.HUNTINGTON_HILL])
def test_with_fewer_seats_than_parties_first_seats_go_to_the_largest_as_a_tie(
    method: Method,
) -> None:
    result = run(method, 2, [5, 9, 7])
    assert list(result.allocation) == [0, 1, 1]
    assert result.ties == (0, 1, 2)


def test_a_tie_on_priority_goes_to_the_larger_weight_and_is_reported() -> None:
    # Jefferson: the second seat of weight 6 (6 / 2) ties with the first of weight 3 (3 / 1).
    result = run(Method.JEFFERSON, 2, [3, 6])
    assert list(result.allocation) == [0, 2]
    assert result.ties == (0, 1)


def test_a_tie_on_remainder_goes_to_the_larger_weight_and_is_reported() -> None:
    result = run(Method.HAMILTON, 2, [1, 3])  # quotas 0.5 and 1.5
    assert list(result.allocation) == [0, 2]
    assert result.ties == (0, 1)


@pytest.mark.parametrize("method", list(Method))
def test_equal_weights_tie_and_the_earlier_parties_win(method: Method) -> None:
    result = run(method, 5, [4, 4, 4])
    assert list(result.allocation) == [2, 2, 1]
    assert result.ties == (0, 1, 2)


@pytest.mark.parametrize("method", list(Method))
def test_a_unique_result_reports_no_tie(method: Method) -> None:
    assert run(method, 8, [100_000, 80_000, 30_000, 20_000]).ties == ()


@pytest.mark.parametrize("method", list(Method))
def test_no_seats_and_no_parties_is_an_empty_apportionment(method: Method) -> None:
    assert run(method, 0, []).allocation == ()


# --- infeasible and malformed input ------------------------------------------------------


def field_of(error: pytest.ExceptionInfo[Invalid]) -> list[str]:
    return [p.field for p in error.value.problems]


@pytest.mark.parametrize(
    ("seats", "weights", "floors", "caps", "field"),
    [
        (3, [1, 1], [2, 2], None, "seats"),
        (9, [1, 1], None, [4, 4], "seats"),
        (5, [0, 0], None, None, "weights"),
        (5, [], None, None, "weights"),
        (9, [1, 0], None, [4, None], "seats"),
        (4, [1, -1], None, None, "weights[1]"),
        (4, [1, 1], [1, 2], [3, 1], "caps[1]"),
        (4, [1, 1], [1], None, "floors"),
        (4, [1, 1], None, [1, 2, 3], "caps"),
        (4, [1, 1], [-1, 0], None, "floors[0]"),
        (-1, [1, 1], None, None, "seats"),
        (MAX_SEATS + 1, [1, 1], None, None, "seats"),
    ],
)
@pytest.mark.parametrize("method", list(Method))
def test_infeasible_input_is_invalid_and_names_the_field(
    method: Method,
    seats: int,
    weights: list[int],
    floors: list[int] | None,
    caps: list[int | None] | None,
    field: str,
) -> None:
    with pytest.raises(Invalid) as error:
        run(method, seats, weights, floors, caps)
    assert field_of(error) == [field]


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (ApportionmentInput(Method.WEBSTER, 2.0, (1, 1)), "seats"),  # type: ignore[arg-type]
        (ApportionmentInput(Method.WEBSTER, True, (1, 1)), "seats"),
        (ApportionmentInput(Method.WEBSTER, 2, (1, 1.5)), "weights[1]"),  # type: ignore[arg-type]
        (ApportionmentInput(Method.WEBSTER, 2, (True, 1)), "weights[0]"),
        (ApportionmentInput("dhondt", 2, (1, 1)), "method"),  # type: ignore[arg-type]
        (ApportionmentInput(Method.WEBSTER, 2, (1, 1), caps=(1.5, None)), "caps[0]"),  # type: ignore[arg-type]
    ],
)
def test_malformed_input_is_invalid_and_names_the_field(
    request_: ApportionmentInput, field: str
) -> None:
    with pytest.raises(Invalid) as error:
        apportion(request_)
    assert field_of(error) == [field]


def test_every_bad_weight_is_reported_at_once() -> None:
    with pytest.raises(Invalid) as error:
        run(Method.HAMILTON, 3, [-1, 2, -3])
    assert field_of(error) == ["weights[0]", "weights[2]"]
