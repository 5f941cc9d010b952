"""Splitting a call-up quota down the tree of bodies, level by level.

The issuing committee's quota is split over its sub-bodies, each sub-body's share over
its own sub-bodies, and so on down to the primary organizations. At every body the
parties are its sub-bodies (each standing for its whole subtree) and, when the body has
members of its own, the body itself ("own" members). Each split is one call of
`orgburo.core.apportionment.apportion` with

* weights: the eligible members of each party, or for a share by zone the eligible
  members times the share of their zone (integers over a common denominator);
* caps: the eligible members of each party, so no body is asked for more than it has;
* floors: the sum of the primary organizations' floors inside each party.

Shortfall. When a body is asked for more than all its parties together have, the split
is made without caps (in proportion to the weights, by the same method), so every party
is asked for its fair part and falls short by the difference. A body's shortfall is
what its subtree is asked for less what it has; it is zero whenever the quota fits.

Ties are broken by the apportionment core: the larger weight, then the earlier party
(sub-bodies in the order given, the body's own members last).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from orgburo.core.apportionment import ApportionmentInput, Method, apportion
from orgburo.errors import Invalid

Counts = npt.NDArray[np.int64]


@dataclass(frozen=True)
class QuotaTree:
    """Bodies as a tree of indices: parents come before their children; node 0 is the root.

    `own_eligible` counts the qualifying members of each body itself (not of its
    sub-bodies); `own_weight` defaults to it; `own_floor` is the least each body's own
    members must give when they can (a floor above what a body has is cut to it).
    """

    parents: Sequence[int]
    own_eligible: Sequence[int]
    own_weight: Sequence[int] | None = None
    own_floor: Sequence[int] | None = None


@dataclass(frozen=True)
class QuotaSplit:
    """What each body's subtree and its own members are asked for, what they have, and by
    how much the subtree falls short (0 when the quota fits)."""

    demanded: Counts
    own_demanded: Counts
    eligible: Counts
    own_eligible: Counts
    shortfall: Counts

    @property
    def own_shortfall(self) -> Counts:
        """What each body's own members are asked for beyond what they have."""
        short: Counts = np.maximum(self.own_demanded - self.own_eligible, 0)
        return short


@dataclass(frozen=True)
class _Prepared:
    parents: npt.NDArray[np.intp]
    own_cap: Counts
    own_weight: list[int]
    own_floor: Counts
    cap: Counts
    weight: list[int]
    floor: Counts
    children: list[list[int]]


def split_quota(tree: QuotaTree, total: int, method: Method) -> QuotaSplit:
    """Split `total` down the tree, level by level, by `method` (see the module docstring)."""
    prepared = _prepare(tree)
    if total < 0:
        raise Invalid.one("quota", f"must not be negative, not {total}")
    if total < int(prepared.floor[0]):
        reason = f"{total} cannot cover the floors, which sum to {int(prepared.floor[0])}"
        raise Invalid.one("floor", reason)
    n = len(prepared.parents)
    demanded = np.zeros(n, dtype=np.int64)
    own = np.zeros(n, dtype=np.int64)
    demanded[0] = total
    for node in range(n):
        if demanded[node] > 0:
            _split_node(prepared, node, demanded, own, method)
    shortfall = np.maximum(demanded - prepared.cap, 0)
    return QuotaSplit(demanded, own, prepared.cap.copy(), prepared.own_cap.copy(), shortfall)


def _prepare(tree: QuotaTree) -> _Prepared:
    parents = np.asarray(tree.parents, dtype=np.intp)
    n = len(parents)
    if n == 0 or parents[0] != -1 or np.any(parents[1:] < 0) or np.any(parents[1:] >= _index(n)):
        raise Invalid.one("tree", "parents must come before their children, with the root first")
    own_cap = np.asarray(tree.own_eligible, dtype=np.int64)
    own_weight = list(tree.own_weight) if tree.own_weight is not None else own_cap.tolist()
    wanted_floor = np.zeros(n, dtype=np.int64) if tree.own_floor is None else tree.own_floor
    own_floor = np.minimum(np.asarray(wanted_floor, dtype=np.int64), own_cap)
    children: list[list[int]] = [[] for _ in range(n)]
    for child, parent in enumerate(parents.tolist()[1:], start=1):
        children[parent].append(child)
    cap, floor = own_cap.copy(), own_floor.copy()
    weight = list(own_weight)
    for child in range(n - 1, 0, -1):  # children before parents: subtree sums
        parent = int(parents[child])
        cap[parent] += cap[child]
        floor[parent] += floor[child]
        weight[parent] += weight[child]
    return _Prepared(parents, own_cap, own_weight, own_floor, cap, weight, floor, children)


def _index(n: int) -> npt.NDArray[np.intp]:
    found: npt.NDArray[np.intp] = np.arange(1, n, dtype=np.intp)
    return found


def _split_node(tree: _Prepared, node: int, demanded: Counts, own: Counts, method: Method) -> None:
    """Hand this body's demand to its sub-bodies and to its own members."""
    kids = tree.children[node]
    if not kids:
        own[node] = demanded[node]
        return
    caps = [int(tree.cap[k]) for k in kids] + [int(tree.own_cap[node])]
    weights = [tree.weight[k] for k in kids] + [tree.own_weight[node]]
    floors = [int(tree.floor[k]) for k in kids] + [int(tree.own_floor[node])]
    shares = _shares(int(demanded[node]), weights, caps, floors, method)
    for kid, share in zip(kids, shares, strict=False):
        demanded[kid] = share
    own[node] = shares[-1]


def _shares(
    seats: int, weights: list[int], caps: list[int], floors: list[int], method: Method
) -> list[int]:
    """One split; the shortcuts give what the core would, without calling it."""
    room = sum(caps)
    if seats == room:
        return caps
    if not any(weights):  # nobody below can take any of it: the body keeps its shortfall
        return [0] * (len(weights) - 1) + [seats]
    positive = [i for i, w in enumerate(weights) if w > 0]
    if len(positive) == 1 and not any(floors) and (seats <= caps[positive[0]] or seats > room):
        shares = [0] * len(weights)
        shares[positive[0]] = seats
        return shares
    request = ApportionmentInput(
        method=method,
        seats=seats,
        weights=tuple(weights),
        floors=tuple(floors) if any(floors) else None,
        caps=tuple(caps) if seats < room else None,  # over the pool: fair parts, uncapped
    )
    return list(apportion(request).allocation)


def total_for_shares(weighted: int, denominator: int) -> int:
    """A share of the pool as a whole number of people: the weighted count rounded up."""
    return -(-weighted // denominator)


def parse_share(text: str, field: str = "share") -> Fraction:
    """A share of a pool, exactly: "20%", "1/5", "0.2" or "1"; between 0 and 1."""
    raw = str(text).strip()
    try:
        share = Fraction(Decimal(raw[:-1])) / 100 if raw.endswith("%") else Fraction(raw)
    except (ArithmeticError, ValueError):
        reason = f"{raw!r} is not a share such as 20%, 1/5 or 0.2"
        raise Invalid.one(field, reason) from None
    if not 0 <= share <= 1:
        raise Invalid.one(field, f"{raw!r} is not between 0 and 100%")
    return share


def share_text(share: Fraction) -> str:
    """A share as it is stored: a reduced fraction ("1/5"), or "0" and "1"."""
    return str(share)
