"""Assigning members to role lines: most seats, then the best total fit, against brute force."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from orgburo.core.assignment import FitClass, classes_of, fit, hand_out, plan, seat
from orgburo.core.attributes import CORE_ATTRIBUTES
from orgburo.core.rules import compile_rule


def brute_force(fits: list[tuple[int, ...]], counts: list[int]) -> tuple[int, int]:
    """The best (seats, total fit) over every way of giving each member a line or none."""
    best = (0, 0)
    for choice in itertools.product(range(-1, len(counts)), repeat=len(fits)):
        used = [choice.count(line) for line in range(len(counts))]
        if any(u > c for u, c in zip(used, counts, strict=True)):
            continue
        if any(line >= 0 and fits[m][line] == 0 for m, line in enumerate(choice)):
            continue
        seats = sum(1 for line in choice if line >= 0)
        total = sum(fits[m][line] for m, line in enumerate(choice) if line >= 0)
        best = max(best, (seats, total))
    return best


@given(
    st.integers(1, 3).flatmap(
        lambda lines: st.tuples(
            st.lists(st.tuples(*[st.integers(0, 3)] * lines), min_size=1, max_size=5),
            st.lists(st.integers(0, 2), min_size=lines, max_size=lines),
        )
    )
)
@settings(max_examples=150, deadline=None)
def test_the_plan_fills_the_most_seats_with_the_best_fit_as_brute_force_does(
    case: tuple[list[tuple[int, ...]], list[int]],
) -> None:
    fits, counts = case
    classes, _ = classes_of(fits)
    solved = plan(classes, counts)
    assert (solved.filled, solved.total_fit) == brute_force(fits, counts)
    for line, count in enumerate(counts):
        assert sum(row[line] for row in solved.seats) <= count
    for c, member_class in enumerate(classes):
        assert sum(solved.seats[c]) <= member_class.size
        assert all(n == 0 or member_class.fits[line] > 0 for line, n in enumerate(solved.seats[c]))


def test_interchangeable_members_form_one_class() -> None:
    classes, member_class = classes_of([(1, 0), (2, 1), (1, 0)])
    assert classes == [FitClass((1, 0), 2), FitClass((2, 1), 1)]
    assert member_class == [0, 1, 0]


def test_the_best_ranked_members_of_a_class_take_the_best_fitting_lines() -> None:
    assert hand_out((1, 3, 3), [1, 1, 1], 4) == [1, 2, 0, None]


def test_fit_is_one_plus_the_conditions_met_and_zero_when_the_requirement_fails() -> None:
    rule = compile_rule("red_army or komsomol", CORE_ATTRIBUTES)
    assert fit(rule, {"red_army": True, "komsomol": True}) == 3
    assert fit(rule, {"red_army": True, "komsomol": None}) == 2
    assert fit(rule, {"red_army": False, "komsomol": None}) == 0
    assert fit(compile_rule("", CORE_ATTRIBUTES), {}) == 1


members_with_lines = st.integers(1, 3).flatmap(
    lambda requirements: st.tuples(
        st.lists(
            st.tuples(
                st.tuples(*[st.integers(0, 3)] * requirements),
                st.integers(0, 40),
            ),
            min_size=1,
            max_size=30,
        ),
        st.lists(st.integers(0, requirements - 1), min_size=1, max_size=4),
        st.lists(st.integers(0, 6), min_size=4, max_size=4),
    )
)


@given(members_with_lines)
@settings(max_examples=200, deadline=None)
def test_seating_over_arrays_hands_out_as_the_plan_of_each_class_does(
    case: tuple[list[tuple[tuple[int, ...], int]], list[int], list[int]],
) -> None:
    members, line_requirement, all_counts = case
    counts = all_counts[: len(line_requirement)]
    requirement_fits = np.array([fits for fits, _ in members], dtype=np.int64)
    score = np.array([score for _, score in members], dtype=np.int64)
    person = np.arange(len(members), dtype=np.int64)[::-1].copy()
    seating = seat(requirement_fits, line_requirement, score, person, counts)
    line_fits = [tuple(fits[r] for r in line_requirement) for fits, _ in members]
    expected = plan(classes_of(line_fits)[0], counts)
    assert (seating.plan.filled, seating.plan.total_fit) == (expected.filled, expected.total_fit)
    assert sorted(seating.classes, key=lambda c: c.fits) == sorted(
        classes_of(line_fits)[0], key=lambda c: c.fits
    )
    for c, member_class in enumerate(seating.classes):
        inside = [i for i in range(len(members)) if seating.member_class[i] == c]
        assert all(line_fits[i] == member_class.fits for i in inside)
        ranked = sorted(inside, key=lambda i: (-score[i], person[i]))
        handed = hand_out(member_class.fits, seating.plan.seats[c], member_class.size)
        assert [seating.line[i] for i in ranked] == [-1 if h is None else h for h in handed]
        for i in ranked:
            line = int(seating.line[i])
            assert seating.fit[i] == (0 if line < 0 else line_fits[i][line])


def test_seating_packs_wide_fit_vectors_or_compares_rows_alike() -> None:
    wide = np.array([[9] * 30, [0] * 30, [9] * 30], dtype=np.int64)
    seating = seat(wide, [0], np.array([1, 2, 3]), np.array([1, 2, 3]), [1])
    assert [c.fits for c in seating.classes] == [(0,), (9,)]
    assert seating.member_class.tolist() == [1, 0, 1]
    assert seating.line.tolist() == [-1, -1, 0]
