"""The exact arithmetic behind `orgburo.core.apportionment`, on validated arrays.

Callers use `orgburo.core.apportionment.apportion`; this module trusts its input. Every
seat is decided by integer comparison: int64 where the magnitudes provably fit, Python
integers (object arrays) where they might not. Floats only choose where to look: trial
divisors, and a prefilter whose rounding is monotone (see `_select`).

Divisor methods jump to a trial divisor, count the seats every party holds at it in one
vectorised pass, narrow the divisor until at most n + 16 seats remain undecided, then
rank those exactly. Hamilton finds the bounded quota by water-filling and compares
remainders as integers over one common denominator.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

Arr = npt.NDArray[Any]

_INT64_SAFE = 2**62
_FLOAT_EXACT = 2**53
_ZERO = (0, 1)
_INFINITY = (1, 0)


@dataclass(frozen=True)
class Parties:
    """Validated input as arrays: integer weights, floors, and caps cut to what can be used."""

    seats: int
    weights: list[int]
    w: Arr  # the weights again: int64 where they fit, else Python ints
    lo: Arr
    hi: Arr  # min(cap, floor + spare); a party of weight zero stays at its floor
    positive: Arr
    total_weight: int
    max_weight: int

    @classmethod
    def build(cls, seats: int, weights: list[int], lo: Arr, room: Arr) -> Parties:
        """Parties from integer weights, floors, and the seats each may take above its floor."""
        w = _int_array(weights)
        positive = w > 0
        hi = lo + np.where(positive, room, 0)
        return cls(seats, weights, w, lo, hi, positive, sum(weights), max(weights, default=0))

    @property
    def size(self) -> int:
        return len(self.weights)


def _int_array(values: list[int]) -> Arr:
    """An int64 array when every value leaves room for a product, else Python ints."""
    if max(values, default=0) < _INT64_SAFE:
        return np.array(values, dtype=np.int64)
    return np.array(values, dtype=object)


def _fits(*magnitudes: int) -> bool:
    return math.prod(magnitudes) < _INT64_SAFE


def _total(values: Arr) -> int:
    return int(sum(values.tolist())) if values.dtype == object else int(values.sum())


def _break_ties(parties: Parties, candidates: Arr, need: int) -> tuple[Arr, tuple[int, ...]]:
    """Pick `need` of the tied candidates: larger weight first, then earlier input position."""
    if need == 0 or len(candidates) == need:
        return candidates[:need], ()
    ranked = sorted(candidates.tolist(), key=lambda i: (-parties.weights[i], i))
    return np.array(ranked[:need], dtype=np.intp), tuple(sorted(ranked))


# --- Hamilton ---------------------------------------------------------------------------


def hamilton(parties: Parties) -> tuple[Arr, tuple[int, ...]]:
    """Hamilton on bounded quotas: integer parts, then largest remainders (ties: weight, order)."""
    counts, remainders = _bounded_quotas(parties)
    left = parties.seats - _total(counts)
    if left == 0:
        return counts, ()
    cutoff = np.partition(remainders, len(remainders) - left)[len(remainders) - left]
    above = np.flatnonzero(remainders > cutoff)
    winners, ties = _break_ties(parties, np.flatnonzero(remainders == cutoff), left - len(above))
    counts[above] += 1
    counts[winners] += 1
    return counts, ties


def _bounded_quotas(parties: Parties) -> tuple[Arr, Arr]:
    """Integer parts and remainders (over one denominator; -1 if held) of the bounded quotas.

    The quotas are mid(lo, w * L, hi) with L = share / whole making them sum to the seats,
    found by water-filling. Free parties take w * L; the others are held at a bound. If
    holding the free parties that overshoot their caps frees more seats than those under
    their floors need, L must rise and the capped stay capped; if fewer, L must fall and
    the floored stay floored; if as many, L is right and both are held. Each round holds
    at least one more party.
    """
    w, lo, hi = _weight_array(parties), parties.lo, parties.hi
    free = parties.positive & (lo < hi)
    held = lo.copy()
    while True:
        share, whole = parties.seats - _total(held[~free]), max(_total(w[free]), 1)
        quotient, remainder = _divmod(w * share, whole)
        below = free & (quotient < lo)
        above = free & ((quotient > hi) | ((quotient == hi) & (remainder > 0)))
        if not (below.any() or above.any()):
            return np.where(free, quotient, held).astype(np.int64), np.where(free, remainder, -1)
        excess = _excess(w, share, whole, hi, above) + _excess(w, share, whole, lo, below)
        if excess >= 0:
            held[above], free = hi[above], free & ~above
        if excess <= 0:
            held[below], free = lo[below], free & ~below


def _divmod(values: Arr, divisor: int) -> tuple[Arr, Arr]:
    if values.dtype != object:
        return np.divmod(values, divisor)
    quotient = values // divisor
    return quotient, values - quotient * divisor


def _weight_array(parties: Parties) -> Arr:
    """Weights as int64 when w * seats and the total weight fit, else Python ints."""
    if _fits(parties.max_weight + 1, parties.seats + 1) and parties.total_weight < _INT64_SAFE:
        return parties.w
    return parties.w.astype(object)


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
    "jefferson": _Rule(1, lambda k: k + 1, lambda y: np.maximum(y, 0), 1, 0.5),
    "webster": _Rule(1, lambda k: 2 * k + 1, lambda y: (y + 1) // 2, 2, 0.0),
    "adams": _Rule(1, lambda k: k, lambda y: y + 1, 1, -0.5),
    "huntington-hill": _Rule(2, lambda k: k * (k + 1), _hh_count, 1, -0.1),
}


@dataclass(frozen=True)
class _Field:
    """Parties ready for one divisor method: priority numerators and where to cut counts."""

    parties: Parties
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


def divisor(parties: Parties, method: str) -> tuple[Arr, tuple[int, ...]]:
    """A bounded divisor method: the S highest priorities w / d(k) among seats floor..cap-1."""
    if parties.seats == _total(parties.lo):
        return parties.lo.copy(), ()
    field = _field(parties, _RULES[method])
    top = _probe(field, _INFINITY, 0.0)
    if top.total >= parties.seats:
        return _settle_infinite(field, top)
    bottom = _Probe(_ZERO, math.inf, parties.hi, _total(parties.hi))
    low, high = _narrow(field, bottom, top)
    return _settle(field, low, high)


def _field(parties: Parties, rule: _Rule) -> _Field:
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
    mu, trust = max(seats + field.rule.offset * field.parties.size, seats / 2), True
    while low.total - high.total > field.cap:
        gap = min(low.total - seats, seats - high.total)
        value = _threshold(field, mu)
        guessed = trust and _between(low.value, value, high.value)
        if not guessed:
            value = _midpoint(low.value, high.value)
        probe = _probe(field, value, _mu_of(field, value))
        low, high = (probe, high) if probe.total >= seats else (low, probe)
        trust = not guessed or 2 * abs(probe.total - seats) <= gap
        mu = _guess(seats, low, high, 2 * math.sqrt(field.parties.size) + 8)
    return low, high


def _threshold(field: _Field, mu: float) -> tuple[int, int]:
    """The priority that gives about `mu` (> 0) seats per unit of total weight, to 24 bits."""
    rule = field.rule
    value = (Fraction(field.total_weight) / Fraction(mu)) ** rule.power / rule.unit
    shift = max(24 - (value.numerator.bit_length() - value.denominator.bit_length()), 0)
    return max((value.numerator << shift) // value.denominator, 1), 1 << shift


def _mu_of(field: _Field, value: tuple[int, int]) -> float:
    """Seats per unit of total weight at threshold A/B: W / (unit * A/B) ** (1 / power)."""
    a, b = value
    power = field.rule.power
    ratio = Fraction(field.total_weight**power * b, a * field.rule.unit)
    return float(float(ratio) ** (1 / power))


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
    """nums / dens correctly rounded; all zero (one group, ranked exactly) if out of range."""
    if nums.dtype != object and int(nums.max()) < _FLOAT_EXACT and int(dens.max()) < _FLOAT_EXACT:
        return nums.astype(np.float64) / dens.astype(np.float64)
    pairs = zip(nums.tolist(), dens.tolist(), strict=True)
    try:
        return np.array([x / y for x, y in pairs], dtype=np.float64)
    except OverflowError:
        return np.zeros(len(nums), dtype=np.float64)


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
