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
multiple of their denominators) and every seat is decided by integer comparison. Floats
only choose where to look: trial divisors, and a prefilter whose rounding is monotone.
Divisor methods jump to a trial divisor, count seats at it in O(n) vectorised integer
arithmetic, narrow the divisor until few seats remain undecided, then rank those exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from orgburo.errors import Invalid, Problem

Arr = npt.NDArray[Any]
Weight = int | Fraction

MAX_SEATS = 10**9
_INT64_SAFE = 2**62
_FLOAT_EXACT = 2**53
_ZERO = (0, 1)
_INFINITY = (1, 0)


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


@dataclass(frozen=True)
class _Parties:
    """Validated input as arrays: integer weights, floors, and caps cut to what can be used."""

    seats: int
    weights: list[int]
    w: Arr  # the weights again: int64 where they fit, else Python ints
    lo: Arr
    hi: Arr  # min(cap, floor + spare); a party of weight zero stays at its floor
    positive: Arr
    total_weight: int
    max_weight: int

    @property
    def size(self) -> int:
        return len(self.weights)


def apportion(request: ApportionmentInput) -> ApportionmentResult:
    """Apportion `request.seats` by `request.method`; ties go to larger weight, then input order."""
    parties = _prepare(request)
    if request.method is Method.HAMILTON:
        counts, ties = _hamilton(parties)
    else:
        counts, ties = _divisor(parties, _RULES[request.method])
    return ApportionmentResult(request.method, request.seats, tuple(counts.tolist()), ties)


# --- validation -------------------------------------------------------------------------


def _prepare(request: ApportionmentInput) -> _Parties:
    problems = [
        *_method_problems(request.method),
        *_seat_problems(request.seats),
        *_weight_problems(request.weights),
        *_bound_problems(request),
    ]
    if problems:
        raise Invalid(problems)
    weights = _integer_weights(request.weights)
    w = _int_array(weights)
    lo, room = _floors_and_room(request)
    positive = w > 0
    _check_fillable(request, room, positive)
    hi = lo + np.where(positive, room, 0)
    total, largest = sum(weights), max(weights, default=0)
    return _Parties(request.seats, weights, w, lo, hi, positive, total, largest)


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
    if problems:
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
    if caps is not None and None not in caps and seats > (cap_sum := sum(caps)):  # type: ignore[arg-type]
        raise Invalid.one("seats", f"{seats} seats exceed the caps, which sum to {cap_sum}")
    if spare > 0 and not positive.any():
        raise Invalid.one("weights", "all weights are zero, so no seat beyond the floors can go")
    if spare > (usable := int(room[positive].sum())):
        reason = f"parties of positive weight can take only {usable} seats above their floors"
        raise Invalid.one("seats", f"{seats} seats cannot be filled: {reason}")


# --- shared helpers ---------------------------------------------------------------------


def _int_array(values: list[int]) -> Arr:
    """An int64 array when every value leaves room for a product, else Python ints."""
    if max(values, default=0) < _INT64_SAFE:
        return np.array(values, dtype=np.int64)
    return np.array(values, dtype=object)


def _fits(*magnitudes: int) -> bool:
    return math.prod(magnitudes) < _INT64_SAFE


def _total(values: Arr) -> int:
    return int(sum(values.tolist())) if values.dtype == object else int(values.sum())


def _break_ties(parties: _Parties, candidates: Arr, need: int) -> tuple[Arr, tuple[int, ...]]:
    """Pick `need` of the tied candidates: larger weight first, then earlier input position."""
    if len(candidates) == need:
        return candidates, ()
    ranked = sorted(candidates.tolist(), key=lambda i: (-parties.weights[i], i))
    return np.array(ranked[:need], dtype=np.intp), tuple(sorted(ranked))


# --- Hamilton ---------------------------------------------------------------------------


def _hamilton(parties: _Parties) -> tuple[Arr, tuple[int, ...]]:
    """Hamilton on bounded quotas: integer parts, then largest remainders (ties: weight, order)."""
    w = _weight_array(parties)
    share, whole, free, held = _bounded_quota(parties, w)
    scaled = np.where(free, w * share, 0)
    whole = max(whole, 1)
    counts = np.where(free, scaled // whole, held).astype(np.int64)
    left = parties.seats - _total(counts)
    if left == 0:
        return counts, ()
    remainders = np.where(free, scaled % whole, -1)
    cutoff = np.partition(remainders, len(remainders) - left)[len(remainders) - left]
    above = np.flatnonzero(remainders > cutoff)
    winners, ties = _break_ties(parties, np.flatnonzero(remainders == cutoff), left - len(above))
    counts[above] += 1
    counts[winners] += 1
    return counts, ties


def _weight_array(parties: _Parties) -> Arr:
    """Weights as int64 when w * seats and seats * total weight fit, else Python ints."""
    if _fits(parties.total_weight + 1, parties.seats + 1):
        return parties.w
    return parties.w.astype(object)


def _bounded_quota(parties: _Parties, w: Arr) -> tuple[int, int, Arr, Arr]:
    """Find L = share / whole with sum(mid(lo, w * L, hi)) == seats, by water-filling.

    Free parties take w * L; the others are held at a bound. If holding the free parties
    that overshoot their caps frees more seats than those under their floors need, L must
    rise and the capped ones stay capped; if fewer, L must fall and the floored stay
    floored; if as many, L is right and both are held. Each round holds at least one more.
    """
    lo, hi = parties.lo.astype(w.dtype), parties.hi.astype(w.dtype)
    free = parties.positive & (parties.lo < parties.hi)
    held = lo.copy()
    while True:
        share = parties.seats - _total(held[~free])
        whole = _total(w[free])
        below = free & (w * share < lo * whole)
        above = free & (w * share > hi * whole)
        if not (below.any() or above.any()):
            return share, whole, free, held
        excess = _excess(w, share, whole, hi, above) + _excess(w, share, whole, lo, below)
        if excess >= 0:
            held[above], free = hi[above], free & ~above
        if excess <= 0:
            held[below], free = lo[below], free & ~below


def _excess(w: Arr, share: int, whole: int, bound: Arr, where: Arr) -> int:
    """Sum of (w * share - bound * whole) over `where`, in Python integers."""
    return sum(int(x) * share - int(y) * whole for x, y in zip(w[where], bound[where], strict=True))


# --- divisor methods --------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """A divisor method in integer form: priority of seat k + 1 is w**power / den(k)."""

    power: int
    den: Callable[[Arr], Arr]
    count: Callable[[Arr], Arr]  # number of k >= 0 with den(k) <= y
    unit: int  # den(k) grows like unit * k**power
    offset: float  # seats(D) is about W / D + offset * n: where to start looking


def _isqrt(y: Arr) -> Arr:
    root = np.floor(np.sqrt(y.astype(np.float64))).astype(np.int64)
    root -= root * root > y
    root += (root + 1) * (root + 1) <= y
    return root


def _hh_count(y: Arr) -> Arr:
    return np.where(y < 0, 0, (_isqrt(4 * np.maximum(y, 0) + 1) + 1) // 2)


_RULES = {
    Method.JEFFERSON: _Rule(1, lambda k: k + 1, lambda y: np.maximum(y, 0), 1, 0.5),
    Method.WEBSTER: _Rule(1, lambda k: 2 * k + 1, lambda y: (y + 1) // 2, 2, 0.0),
    Method.ADAMS: _Rule(1, lambda k: k, lambda y: y + 1, 1, -0.5),
    Method.HUNTINGTON_HILL: _Rule(2, lambda k: k * (k + 1), _hh_count, 1, -0.1),
}


@dataclass(frozen=True)
class _Field:
    """Parties ready for one divisor method: priority numerators and where to cut counts."""

    parties: _Parties
    rule: _Rule
    num: Arr  # w ** power, int64 where it fits
    num_max: int
    top_den: int  # den(largest cap): counts beyond it are clipped anyway
    total_weight: int

    @property
    def cap(self) -> int:
        """How many undecided seats may be ranked one by one (an exact tie spans <= n)."""
        return self.parties.size + 16


@dataclass(frozen=True)
class _Probe:
    """Seat counts at one trial threshold (a priority, as the fraction A/B)."""

    value: tuple[int, int]
    mu: float  # the same threshold as seats per unit of total weight: guidance only
    counts: Arr
    total: int


def _divisor(parties: _Parties, rule: _Rule) -> tuple[Arr, tuple[int, ...]]:
    """A bounded divisor method: the S highest priorities w / d(k) among seats floor..cap-1."""
    field = _field(parties, rule)
    top = _probe(field, _INFINITY, 0.0)
    if top.total >= parties.seats:
        return _settle_infinite(field, top)
    bottom = _Probe(_ZERO, math.inf, parties.hi, _total(parties.hi))
    low, high = _narrow(field, bottom, top)
    return _settle(field, low, high)


def _field(parties: _Parties, rule: _Rule) -> _Field:
    num_max = parties.max_weight**rule.power
    if rule.power == 1:
        num = parties.w
    elif parties.w.dtype != object and num_max < _INT64_SAFE:
        num = parties.w * parties.w
    else:
        num = np.array([w**rule.power for w in parties.weights], dtype=object)
    top_den = int(rule.den(np.array([int(parties.hi.max(initial=0))], dtype=object))[0])
    return _Field(parties, rule, num, num_max, max(top_den, 1), parties.total_weight)


def _probe(field: _Field, value: tuple[int, int], mu: float) -> _Probe:
    """Seats each party holds at threshold A/B: clamp(#{k : w**p / den(k) >= A/B}, lo, hi)."""
    a, b = value
    small = _fits(field.num_max + 1, b + 1) and a < _INT64_SAFE
    num = field.num if small else field.num.astype(object)
    reach = np.minimum((num * b) // a, field.top_den).astype(np.int64)
    counts = np.clip(field.rule.count(reach), field.parties.lo, field.parties.hi)
    return _Probe(value, mu, counts, _total(counts))


def _settle_infinite(field: _Field, top: _Probe) -> tuple[Arr, tuple[int, ...]]:
    """Fewer seats than first seats at infinite priority (Adams, Huntington-Hill): by weight."""
    lo = field.parties.lo
    candidates = np.flatnonzero(top.counts > lo)
    winners, ties = _break_ties(field.parties, candidates, field.parties.seats - _total(lo))
    counts = lo.copy()
    counts[winners] += 1
    return counts, ties


def _narrow(field: _Field, low: _Probe, high: _Probe) -> tuple[_Probe, _Probe]:
    """Shrink [low, high) until at most `cap` seats have a priority inside it.

    Invariant: low holds >= S seats, high holds < S, so the S-th priority lies between.
    Trial thresholds come from a linear model of seats against the divisor (guidance
    only); a trial that fails to halve the distance to S is followed by an exact
    bisection of the interval, so the loop always ends.
    """
    seats = field.parties.seats
    mu, trust = seats + field.rule.offset * field.parties.size, True
    while low.total - high.total > field.cap:
        gap = min(low.total - seats, seats - high.total)
        value = _threshold(field, mu) if trust else None
        guessed = value is not None and _between(low.value, value, high.value)
        if value is None or not guessed:
            value = _midpoint(low.value, high.value)
        probe = _probe(field, value, _mu_of(field, value))
        low, high = (probe, high) if probe.total >= seats else (low, probe)
        trust = not guessed or 2 * abs(probe.total - seats) <= gap
        mu = _guess(seats, low, high, 2 * math.sqrt(field.parties.size) + 8)
    return low, high


def _threshold(field: _Field, mu: float) -> tuple[int, int] | None:
    """The priority that gives about `mu` seats per unit of total weight, to 24 bits."""
    if not mu > 0 or math.isinf(mu):
        return None
    rule = field.rule
    value = (Fraction(field.total_weight) / Fraction(mu)) ** rule.power / rule.unit
    shift = max(24 - (value.numerator.bit_length() - value.denominator.bit_length()), 0)
    return max((value.numerator << shift) // value.denominator, 1), 1 << shift


def _mu_of(field: _Field, value: tuple[int, int]) -> float:
    """Seats per unit of total weight at threshold A/B: W / (unit * A/B) ** (1 / power)."""
    a, b = value
    power = field.rule.power
    try:
        ratio = Fraction(field.total_weight**power * b, a * field.rule.unit)
        return float(float(ratio) ** (1 / power))
    except OverflowError:
        return math.inf


def _between(low: tuple[int, int], value: tuple[int, int], high: tuple[int, int]) -> bool:
    return low[0] * value[1] < value[0] * low[1] and value[0] * high[1] < high[0] * value[1]


def _midpoint(low: tuple[int, int], high: tuple[int, int]) -> tuple[int, int]:
    if high == _INFINITY:
        return (2 * low[0], low[1]) if low[0] else (1, 1)
    return low[0] * high[1] + high[0] * low[1], 2 * low[1] * high[1]


def _guess(seats: int, low: _Probe, high: _Probe, margin: float) -> float:
    """Next trial in seats per unit weight: a step past the known end, or a secant."""
    if math.isinf(low.mu):
        return high.mu + (seats - high.total) + margin
    if high.mu == 0.0:
        return max(low.mu - (low.total - seats) - margin, low.mu / 2)
    share = (seats - high.total) / (low.total - high.total)
    return high.mu + share * (low.mu - high.mu)


def _settle(field: _Field, low: _Probe, high: _Probe) -> tuple[Arr, tuple[int, ...]]:
    """Rank the seats between the two probes exactly and hand out what `high` lacks."""
    owner, nums, dens = _open_seats(field, low.counts, high.counts)
    rank = field.parties.seats - high.total
    above, level = _select(nums, dens, rank)
    counts = high.counts + np.bincount(owner[above], minlength=field.parties.size)
    winners, ties = _break_ties(field.parties, owner[level], rank - int(above.sum()))
    counts[winners] += 1
    return counts, ties


def _open_seats(field: _Field, more: Arr, fewer: Arr) -> tuple[Arr, Arr, Arr]:
    """Every seat held at `more` but not at `fewer`: owner, priority numerator, denominator."""
    extra = more - fewer
    owners = np.flatnonzero(extra)
    sizes = extra[owners]
    owner = np.repeat(owners, sizes)
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    k = fewer[owner] + (np.arange(len(owner)) - starts)
    return owner, field.num[owner], field.rule.den(k)


def _select(nums: Arr, dens: Arr, rank: int) -> tuple[Arr, Arr]:
    """Masks of the priorities above, and equal to, the `rank`-th largest of nums / dens.

    Floats prefilter: correctly rounded division is monotone, so a float strictly above
    the rank-th largest float belongs to a strictly larger fraction. Only the fractions
    whose float equals it are compared exactly, by cross-multiplying Python integers.
    """
    floats = _floats(nums, dens)
    pivot = np.partition(floats, len(floats) - rank)[len(floats) - rank]
    above, group = floats > pivot, np.flatnonzero(floats == pivot)
    a, b = nums[group].astype(object), dens[group].astype(object)
    value = _exact_rank(a, b, rank - int(above.sum()))
    above[group] = a * value[1] > value[0] * b
    level = np.zeros(len(floats), dtype=bool)
    level[group] = a * value[1] == value[0] * b
    return above, level


def _floats(nums: Arr, dens: Arr) -> Arr:
    if nums.dtype != object and int(nums.max()) < _FLOAT_EXACT and int(dens.max()) < _FLOAT_EXACT:
        return nums.astype(np.float64) / dens.astype(np.float64)
    return np.array(
        [x / y for x, y in zip(nums.tolist(), dens.tolist(), strict=True)], dtype=np.float64
    )


def _exact_rank(a: Arr, b: Arr, rank: int) -> tuple[int, int]:
    """The rank-th largest of the fractions a / b, by exact quickselect."""
    while True:
        pa, pb = int(a[len(a) // 2]), int(b[len(b) // 2])
        greater, equal = a * pb > pa * b, a * pb == pa * b
        n_greater, n_equal = int(greater.sum()), int(equal.sum())
        if rank <= n_greater:
            a, b = a[greater], b[greater]
        elif rank <= n_greater + n_equal:
            return pa, pb
        else:
            keep = ~(greater | equal)
            a, b, rank = a[keep], b[keep], rank - n_greater - n_equal
