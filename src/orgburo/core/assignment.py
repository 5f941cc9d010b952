"""Assigning selected members to role lines (a role at a destination, with a count).

Fit. A member's fit for a line is 0 when they do not meet the line's requirement (they
cannot fill it), otherwise 1 plus the number of the requirement's conditions they meet
(a line without a requirement gives every member a fit of 1). A stricter requirement
met is a better fit.

Objective: first fill as many seats as possible, then maximize the total fit. It is a
min-cost flow (OR-Tools `SimpleMinCostFlow.solve_max_flow_with_min_cost`): source ->
class of members (capacity: the class's size) -> line (cost: top fit less the fit) ->
sink (capacity: the line's count). The maximum flow fills the most seats; the least
cost among maximum flows is the greatest total fit.

Classes. Members with the same fit for every line are interchangeable, so the network
has one node per class, not per member: a million members with a few hundred distinct
fit vectors give a network of a few hundred nodes.

Handing out. Within a class, seats go to members in rank order (the selection score,
then the smaller person id); the best-ranked take the lines of highest fit, equal fits
in the lines' order. Members left without a seat are not assigned.

`seat` runs the whole of it over arrays, as the store does: classes found by one sort of
the members' fits for each distinct requirement (lines often share one), the plan, and
every member's line by positions within their class's rank order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from orgburo.core.rule_nodes import And, Compare, Flag, Node, Not, Or, Value, names_in
from orgburo.core.rules import Rule


@dataclass(frozen=True)
class FitClass:
    """Members with the same fit for every line (fit 0: cannot fill it), and how many."""

    fits: tuple[int, ...]
    size: int


@dataclass(frozen=True)
class Plan:
    """`seats[c][l]`: how many members of class c fill line l; and the objective reached."""

    seats: tuple[tuple[int, ...], ...]
    filled: int
    total_fit: int


def conditions(node: Node) -> list[Compare | Flag]:
    """The requirement's conditions: every comparison and flag in it, in reading order."""
    if isinstance(node, Compare | Flag):
        return [node]
    if isinstance(node, Not):
        return conditions(node.part)
    if isinstance(node, And | Or):
        return [c for part in node.parts for c in conditions(part)]
    return []


def fit(requirement: Rule, values: Mapping[str, Value]) -> int:
    """0 if the member does not meet the requirement, else 1 + the conditions they meet."""
    if not requirement.evaluate(values).passed:
        return 0
    return 1 + sum(_holds(c, values) for c in conditions(requirement.node))


def _holds(condition: Compare | Flag, values: Mapping[str, Value]) -> bool:
    rule = Rule("", condition, frozenset(names_in(condition)))
    return rule.evaluate(values).passed


def classes_of(fit_vectors: Sequence[tuple[int, ...]]) -> tuple[list[FitClass], list[int]]:
    """Group members by fit vector: the classes (first seen first) and each member's class."""
    index: dict[tuple[int, ...], int] = {}
    sizes: list[int] = []
    member_class = []
    for fits in fit_vectors:
        number = index.setdefault(fits, len(index))
        if number == len(sizes):
            sizes.append(0)
        sizes[number] += 1
        member_class.append(number)
    return [FitClass(f, sizes[i]) for f, i in index.items()], member_class


def plan(classes: Sequence[FitClass], counts: Sequence[int]) -> Plan:
    """Most seats filled, then the greatest total fit; classes x lines seat counts."""
    top = max((f for c in classes for f in c.fits), default=0)
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1 + len(classes) + len(counts)
    arcs: list[tuple[int, int, int]] = []
    for c, member_class in enumerate(classes):
        flow.add_arc_with_capacity_and_unit_cost(source, 1 + c, member_class.size, 0)
        for line, fit in enumerate(member_class.fits):
            if fit > 0 and counts[line] > 0:
                capacity = min(member_class.size, counts[line])
                arc = flow.add_arc_with_capacity_and_unit_cost(
                    1 + c, 1 + len(classes) + line, capacity, top - fit
                )
                arcs.append((arc, c, line))
    for line, count in enumerate(counts):
        flow.add_arc_with_capacity_and_unit_cost(1 + len(classes) + line, sink, max(count, 0), 0)
    flow.set_node_supply(source, sum(c.size for c in classes))
    flow.set_node_supply(sink, -sum(max(count, 0) for count in counts))
    seats = [[0] * len(counts) for _ in classes]
    if arcs and flow.solve_max_flow_with_min_cost() == flow.OPTIMAL:
        for arc, c, line in arcs:
            seats[c][line] = flow.flow(arc)
    return _plan(classes, seats)


def _plan(classes: Sequence[FitClass], seats: list[list[int]]) -> Plan:
    filled = sum(sum(row) for row in seats)
    total = sum(
        n * classes[c].fits[line] for c, row in enumerate(seats) for line, n in enumerate(row)
    )
    return Plan(tuple(tuple(row) for row in seats), filled, total)


def hand_out(fits: tuple[int, ...], seats: Sequence[int], members: int) -> list[int | None]:
    """Lines for a class's members in rank order: best fit first, equal fits by line order."""
    handed: list[int | None] = [line for line in taking_order(fits) for _ in range(seats[line])]
    return (handed + [None] * members)[:members]


def taking_order(fits: tuple[int, ...]) -> list[int]:
    """The lines in the order a class's best-ranked members take them: best fit first,
    equal fits by line order."""
    return sorted(range(len(fits)), key=lambda line: (-fits[line], line))


Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Seating:
    """An assignment over arrays of members: the classes (ordered by fit vector), the
    plan, and for member i their class, their line (-1: none) and its fit (0: none)."""

    classes: list[FitClass]
    plan: Plan
    member_class: Ints
    line: Ints
    fit: Ints


def seat(
    requirement_fits: Ints,
    line_requirement: Sequence[int],
    score: Ints,
    person: Ints,
    counts: Sequence[int],
) -> Seating:
    """`classes_of`, `plan` and `hand_out` for members given as arrays: member i has the
    fit `requirement_fits[i, r]` for requirement r, line l asks for requirement
    `line_requirement[l]`, and members rank by `score` (higher first), then `person`.

    Classes are found over the distinct requirements, not the lines: two members with the
    same fits for every requirement have the same fits for every line, and the matrix is
    a fifth of the size when 50 lines share 10 requirements.
    """
    members = len(score)
    used = sorted(set(line_requirement))
    vectors, member_class, sizes = _distinct_rows(requirement_fits[:, used])
    by_line = vectors[:, [used.index(r) for r in line_requirement]]
    classes = [
        FitClass(tuple(int(f) for f in row), int(size))
        for row, size in zip(by_line, sizes, strict=True)
    ]
    solved = plan(classes, counts)
    order = np.lexsort((person, -score, member_class))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    line = np.full(members, -1, dtype=np.int64)
    for c, member_class_ in enumerate(classes):
        taking = taking_order(member_class_.fits)
        bounds = np.cumsum([solved.seats[c][t] for t in taking], dtype=np.int64)
        ranked = order[starts[c] : starts[c] + member_class_.size]
        slot = np.searchsorted(bounds, np.arange(len(ranked)), side="right")
        seated = slot < len(taking)
        line[ranked[seated]] = np.asarray(taking, dtype=np.int64)[slot[seated]]
    fit = np.zeros(members, dtype=np.int64)
    if members and len(line_requirement):
        placed = line >= 0
        requirement = np.asarray(line_requirement, dtype=np.int64)[line[placed]]
        fit[placed] = requirement_fits[np.flatnonzero(placed), requirement]
    return Seating(classes, solved, member_class, line, fit)


def _distinct_rows(matrix: Ints) -> tuple[Ints, Ints, Ints]:
    """The distinct rows in ascending order, each row's index among them, and their counts.

    Rows of small values are packed into one int64 first: NumPy sorts one integer column
    several times faster than rows compared as wholes.
    """
    rows, width = matrix.shape
    if rows == 0:
        return matrix.reshape(0, width), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    low, high = int(matrix.min()), int(matrix.max())
    base = high - low + 1
    if low >= 0 and base**width < 2**62:
        weights = base ** np.arange(width - 1, -1, -1, dtype=np.int64)
        packed = (matrix - low) @ weights
        _, first, inverse, counts = np.unique(
            packed, return_index=True, return_inverse=True, return_counts=True
        )
        return matrix[first], inverse.astype(np.int64), counts.astype(np.int64)
    vectors, inverse, counts = np.unique(matrix, axis=0, return_inverse=True, return_counts=True)
    return vectors, inverse.reshape(-1).astype(np.int64), counts.astype(np.int64)
