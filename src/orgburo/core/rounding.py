"""Whole numbers from proportions: splitting a total by weights, and rounding a table.

`split` gives each part its share of a total by the Hamilton method (largest remainders;
ties to the larger weight, then the earlier part), so the parts always add up.

`controlled_round` rounds a table whose rows add up to whole numbers so that every row
keeps its total, every cell moves to an adjacent whole number, and every column total
is its Hamilton rounding (within one when no such table exists). Method: a network flow
as in controlled rounding (Cox, "A constructive procedure for unbiased controlled
rounding", JASA 1987): every cell starts at its floor; the units a row still needs flow
through its cells with a fractional part (one unit each) to their columns, whose
capacity is what their target still needs. Augmenting paths are found breadth first,
rows and columns taken in input order, so the result is deterministic. A second pass
lets columns go up to their ceiling when the targets cannot all be met.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from fractions import Fraction

from orgburo.core.apportionment import ApportionmentInput, Method, apportion
from orgburo.errors import Invalid

Number = int | Fraction


def scaled(count: int, scale: Fraction) -> int:
    """`count` at `scale`, rounded half up: the size of an aggregate in a scaled run."""
    return math.floor(count * scale + Fraction(1, 2))


def split(total: int, weights: Sequence[Number]) -> list[int]:
    """`total` split in proportion to `weights` (Hamilton); the parts add up to `total`."""
    if total == 0:
        return [0] * len(weights)
    if not any(weights):
        raise Invalid.one("weights", "at least one part must have a positive weight")
    request = ApportionmentInput(Method.HAMILTON, total, tuple(weights))
    return list(apportion(request).allocation)


def controlled_round(table: Sequence[Sequence[Fraction]]) -> list[list[int]]:
    """Round `table` keeping its (whole) row totals and its columns' Hamilton totals."""
    rows = [list(r) for r in table]
    if not rows or not rows[0]:
        return [[] for _ in rows]
    _check_rows(rows)
    floors = [[math.floor(v) for v in row] for row in rows]
    columns = [sum((row[j] for row in rows), Fraction(0)) for j in range(len(rows[0]))]
    targets = _column_targets(columns)
    flow = _Flow(rows, floors)
    flow.fill([t - sum(f[j] for f in floors) for j, t in enumerate(targets)])
    flow.fill([math.ceil(c) - sum(f[j] for f in floors) for j, c in enumerate(columns)])
    return flow.result()


def _check_rows(rows: list[list[Fraction]]) -> None:
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise Invalid.one("table", f"row {i} has {len(row)} cells, the first has {width}")
        if any(v < 0 for v in row) or sum(row) != math.floor(sum(row)):
            raise Invalid.one("table", f"row {i} must be non-negative and add up to a whole number")


def _column_targets(columns: list[Fraction]) -> list[int]:
    total = int(sum(columns))
    if total == 0:
        return [0] * len(columns)
    return split(total, columns)


class _Flow:
    """Units each row still needs, routed through fractional cells to columns with room."""

    def __init__(self, rows: list[list[Fraction]], floors: list[list[int]]) -> None:
        self.cells = floors
        self.need = [int(sum(r)) - sum(f) for r, f in zip(rows, floors, strict=True)]
        self.open = [[j for j, v in enumerate(r) if v != math.floor(v)] for r in rows]
        self.taken = [[False] * len(r) for r in rows]
        self.width = len(rows[0])

    def fill(self, room: list[int]) -> None:
        """Route units while an augmenting path exists, columns taking at most `room`."""
        used = [sum(self.taken[i][j] for i in range(len(self.cells))) for j in range(self.width)]
        while any(self.need):
            path = self._path([r - u for r, u in zip(room, used, strict=True)])
            if path is None:
                return
            self._augment(path)
            used[path[-1][1]] += 1

    def _path(self, spare: list[int]) -> list[tuple[int, int]] | None:
        """Cells along a shortest alternating path from a needy row to a column with room."""
        parent: dict[int, tuple[int, int] | None] = {}
        queue: deque[int] = deque()
        for i, need in enumerate(self.need):
            if need > 0:
                parent[i] = None
                queue.append(i)
        seen_columns: set[int] = set()
        while queue:
            i = queue.popleft()
            for j in self.open[i]:
                if self.taken[i][j] or j in seen_columns:
                    continue
                seen_columns.add(j)
                if spare[j] > 0:
                    return self._walk_back(parent, (i, j))
                for k in range(len(self.cells)):
                    if self.taken[k][j] and k not in parent:
                        parent[k] = (i, j)
                        queue.append(k)
        return None

    def _walk_back(
        self, parent: dict[int, tuple[int, int] | None], last: tuple[int, int]
    ) -> list[tuple[int, int]]:
        path = [last]
        step = parent[last[0]]
        while step is not None:
            path.append(step)
            step = parent[step[0]]
        return list(reversed(path))

    def _augment(self, path: list[tuple[int, int]]) -> None:
        # The path alternates: take (row, col), give back the unit the next row held there.
        first_row = path[0][0]
        self.need[first_row] -= 1
        for index, (i, j) in enumerate(path):
            self.taken[i][j] = True
            if index + 1 < len(path):
                self.taken[path[index + 1][0]][j] = False

    def result(self) -> list[list[int]]:
        """Floors plus the units routed through each cell."""
        return [
            [f + int(t) for f, t in zip(row, taken, strict=True)]
            for row, taken in zip(self.cells, self.taken, strict=True)
        ]
