"""Splitting totals and rounding tables: checked against brute force on small inputs."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from orgburo.core.rounding import controlled_round, scaled, split


def test_a_total_split_by_weights_adds_up_and_follows_largest_remainders() -> None:
    assert split(10, [1, 1, 1]) == [4, 3, 3]
    assert split(7, [5, 0, 2]) == [5, 0, 2]
    assert sum(split(220_495, [43_389, 26_159, 1_500])) == 220_495


def test_a_scaled_count_rounds_half_up() -> None:
    assert scaled(220_495, Fraction(1, 1000)) == 220
    assert scaled(29_706, Fraction(1, 1000)) == 30
    assert scaled(500, Fraction(1, 1000)) == 1


@st.composite
def tables(draw: st.DrawFn) -> list[list[Fraction]]:
    """Small tables of non-negative fractions whose rows add up to whole numbers."""
    rows, columns = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    table = []
    for _ in range(rows):
        total = draw(st.integers(0, 6))
        weights = draw(st.lists(st.integers(0, 5), min_size=columns, max_size=columns))
        weight = sum(weights) or 1
        cells = [Fraction(total * w, weight) for w in weights]
        if not sum(weights):
            cells = [Fraction(total, columns)] * columns
        table.append(cells)
    return table


def column_targets(table: list[list[Fraction]]) -> list[int]:
    columns = [sum(row[j] for row in table) for j in range(len(table[0]))]
    total = int(sum(columns))
    return split(total, columns) if total else [0] * len(columns)


def roundings(table: list[list[Fraction]]) -> list[list[list[int]]]:
    """Every table of floors and ceilings keeping the row totals (the oracle)."""
    options = [
        [[math.floor(v)] if v == math.floor(v) else [math.floor(v), math.ceil(v)] for v in row]
        for row in table
    ]
    per_row = [
        [list(c) for c in itertools.product(*row) if sum(c) == sum(table[i])]
        for i, row in enumerate(options)
    ]
    return [list(t) for t in itertools.product(*per_row)]


@settings(max_examples=200, deadline=None)
@given(tables())
def test_rounding_keeps_rows_and_meets_column_targets_whenever_brute_force_can(
    table: list[list[Fraction]],
) -> None:
    rounded = controlled_round(table)
    for row, exact in zip(rounded, table, strict=True):
        assert sum(row) == sum(exact)
        assert all(math.floor(v) <= r <= math.ceil(v) for r, v in zip(row, exact, strict=True))
    targets = column_targets(table)
    sums = [sum(row[j] for row in rounded) for j in range(len(table[0]))]
    reachable = any(
        [sum(r[j] for r in candidate) for j in range(len(targets))] == targets
        for candidate in roundings(table)
    )
    if reachable:
        assert sums == targets
    columns = [sum(row[j] for row in table) for j in range(len(table[0]))]
    assert all(math.floor(c) <= s <= math.ceil(c) for s, c in zip(sums, columns, strict=True))


def test_rounding_the_same_table_twice_gives_the_same_result() -> None:
    table = [[Fraction(1, 3), Fraction(2, 3)], [Fraction(1, 2), Fraction(1, 2)]]
    assert controlled_round(table) == controlled_round(table)
