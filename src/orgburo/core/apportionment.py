"""Apportionment: split a whole number of seats over parties in proportion to their weights.

Methods (definitions as in Balinski and Young, "Fair Representation", and Pukelsheim,
"Proportional Representation", 2nd ed., 2017):

* Hamilton (largest remainders, Hare quota): each party gets the integer part of its quota
  q_i = w_i * S / W; the seats left go to the largest fractional parts.
* Divisor methods: seat number k + 1 of a party (the one that takes it from k to k + 1
  seats) has priority w_i / d(k); the S seats go to the S highest priorities. Signposts
  d(k): Jefferson (D'Hondt) k + 1, Webster (Sainte-Laguë) k + 1/2, Adams k, and
  Huntington-Hill sqrt(k (k + 1)). With d(0) = 0, Adams and Huntington-Hill give every
  party of positive weight a first seat before anyone gets a second.

Bounds. Party i may have a floor (min) and a cap (max). Divisor methods use the
min-max restricted variant (Pukelsheim, ch. 7): s_i = mid(min_i, R(w_i / D), max_i) with
D chosen so that the seats add up; equivalently each party starts at its floor and the
other seats go one at a time to the highest priority among parties below their cap.
Hamilton uses bounded quotas: q_i = mid(min_i, w_i * L, max_i) with L chosen so that the
quotas add up to S (parties whose plain quota falls outside their bounds are held at the
bound and the rest share what is left, as in Balinski and Young's treatment of a
minimum of one seat per state); then each party gets floor(q_i) and the seats left go to
the largest remainders. The result stays within one seat of the bounded quota.

Weights of zero. A party of weight zero gets exactly its floor. Input whose seats could
only be filled by giving a zero-weight party more than its floor is infeasible.

Tie-break. When parties are exactly tied for the last seats (equal priority, or equal
remainder for Hamilton), the larger weight wins, then the earlier position in the input;
the result is then not unique and `ties` lists every party in the tie, winners and losers.
Adams and Huntington-Hill with fewer seats than parties of positive weight leave the
first seats tied at infinite priority; the same rule gives them to the largest weights.

Arithmetic is exact: weights are scaled to integers (fractions by the least common
multiple of their denominators) and every seat is decided by integer comparison; see
`orgburo.core.apportionment_methods`, which does the counting for this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

import numpy as np

from orgburo.core.apportionment_methods import Arr, Parties, divisor, hamilton
from orgburo.errors import Invalid, Problem

Weight = int | Fraction

MAX_SEATS = 10**9


class Method(StrEnum):
    """The apportionment methods Orgburo offers."""

    HAMILTON = "hamilton"
    JEFFERSON = "jefferson"
    WEBSTER = "webster"
    HUNTINGTON_HILL = "huntington-hill"
    ADAMS = "adams"


@dataclass(frozen=True)
class ApportionmentInput:
    """What to apportion: seats over weights, with optional per-party floors and caps."""

    method: Method
    seats: int
    weights: tuple[Weight, ...]
    floors: tuple[int, ...] | None = None
    caps: tuple[int | None, ...] | None = None


@dataclass(frozen=True)
class ApportionmentResult:
    """Seats per party, in input order; `ties` lists parties whose seats a tie-break decided."""

    method: Method
    seats: int
    allocation: tuple[int, ...]
    ties: tuple[int, ...] = ()


def apportion(request: ApportionmentInput) -> ApportionmentResult:
    """Apportion `request.seats` by `request.method`; ties go to larger weight, then input order."""
    parties = _prepare(request)
    if request.method is Method.HAMILTON:
        counts, ties = hamilton(parties)
    else:
        counts, ties = divisor(parties, request.method)
    return ApportionmentResult(request.method, request.seats, tuple(counts.tolist()), ties)


# --- validation -------------------------------------------------------------------------


def _prepare(request: ApportionmentInput) -> Parties:
    problems = [
        *_method_problems(request.method),
        *_seat_problems(request.seats),
        *_weight_problems(request.weights),
        *_bound_problems(request),
    ]
    if problems:
        raise Invalid(problems)
    lo, room = _floors_and_room(request)
    parties = Parties.build(request.seats, _integer_weights(request.weights), lo, room)
    _check_fillable(request, room, parties.positive)
    return parties


def _method_problems(method: object) -> list[Problem]:
    if isinstance(method, Method):
        return []
    return [Problem("method", f"must be one of {', '.join(m.value for m in Method)}")]


def _seat_problems(seats: object) -> list[Problem]:
    if type(seats) is not int:
        return [Problem("seats", "must be a whole number")]
    if not 0 <= seats <= MAX_SEATS:
        return [Problem("seats", f"must be between 0 and {MAX_SEATS:,}, not {seats}")]
    return []


def _weight_problems(weights: Sequence[object]) -> list[Problem]:
    if all(type(w) is int and w >= 0 for w in weights):
        return []
    return [p for i, w in enumerate(weights) if (p := _weight_problem(i, w)) is not None]


def _weight_problem(index: int, weight: object) -> Problem | None:
    if not isinstance(weight, Fraction) and type(weight) is not int:
        return Problem(f"weights[{index}]", "must be a whole number or a fraction")
    if weight < 0:
        return Problem(f"weights[{index}]", f"must not be negative, not {weight}")
    return None


def _bound_problems(request: ApportionmentInput) -> list[Problem]:
    n = len(request.weights)
    problems = []
    for name, values in (("floors", request.floors), ("caps", request.caps)):
        if values is not None and len(values) != n:
            problems.append(Problem(name, f"has {len(values)} entries for {n} weights"))
    if problems or (request.floors is None and request.caps is None):
        return problems
    floors = request.floors if request.floors is not None else (0,) * n
    caps = request.caps if request.caps is not None else (None,) * n
    return [p for i in range(n) if (p := _bound_problem(i, floors[i], caps[i])) is not None]


def _bound_problem(index: int, floor: object, cap: object) -> Problem | None:
    if type(floor) is not int or floor < 0:
        return Problem(f"floors[{index}]", "must be a whole number, 0 or more")
    if cap is None:
        return None
    if type(cap) is not int or cap < 0:
        return Problem(f"caps[{index}]", "must be a whole number, 0 or more")
    if cap < floor:
        return Problem(f"caps[{index}]", f"is below the floor ({cap} < {floor})")
    return None


def _integer_weights(weights: Sequence[Weight]) -> list[int]:
    """Scale weights to integers; every method depends only on their ratios."""
    if all(type(w) is int for w in weights):
        return list(weights)  # type: ignore[arg-type]
    scale = math.lcm(*(w.denominator for w in weights if isinstance(w, Fraction)))
    return [int(w * scale) for w in weights]


def _floors_and_room(request: ApportionmentInput) -> tuple[Arr, Arr]:
    """Floors, and how many seats above its floor each party may take (cap, or the spare)."""
    n, seats = len(request.weights), request.seats
    floor_sum = sum(request.floors) if request.floors is not None else 0
    if seats < floor_sum:
        reason = f"{seats} seats cannot cover the floors, which sum to {floor_sum}"
        raise Invalid.one("seats", reason)
    spare = seats - floor_sum
    if request.floors is None:
        lo = np.zeros(n, dtype=np.int64)
    else:
        lo = np.array(request.floors, dtype=np.int64)
    if request.caps is None:
        return lo, np.full(n, spare, dtype=np.int64)
    floors = lo.tolist()
    room = [
        spare if c is None else min(c - f, spare) for f, c in zip(floors, request.caps, strict=True)
    ]
    return lo, np.array(room, dtype=np.int64)


def _check_fillable(request: ApportionmentInput, room: Arr, positive: Arr) -> None:
    """Raise unless the seats above the floors can all go to parties of positive weight."""
    seats, caps = request.seats, request.caps
    spare = seats - (sum(request.floors) if request.floors is not None else 0)
    cap_sum = sum(c for c in caps if c is not None) if caps is not None else 0
    if caps is not None and None not in caps and seats > cap_sum:
        raise Invalid.one("seats", f"{seats} seats exceed the caps, which sum to {cap_sum}")
    if spare > 0 and not positive.any():
        raise Invalid.one("weights", "all weights are zero, so no seat beyond the floors can go")
    if spare > (usable := int(room[positive].sum())):
        reason = f"parties of positive weight can take only {usable} seats above their floors"
        raise Invalid.one("seats", f"{seats} seats cannot be filled: {reason}")
