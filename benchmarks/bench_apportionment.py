"""Time the apportionment methods on a large input, against a naive heap and another library.

Run: python benchmarks/bench_apportionment.py [--parties 400000] [--seats 1000000] [--seed 1]
                                              [--repeat 3] [--library-parties 2000]
                                              [--library-seats 5000]

1. Every method on --seats seats over --parties seeded random weights (member counts drawn
   from a log-normal, as branch sizes are), target < 1 s each, against a naive
   implementation on the same input: for divisor methods the one-seat-at-a-time heap with
   float priorities; for Hamilton, quotas and remainders as Python Fractions, sorted.
2. The `apportionment` library from PyPI (pip install apportionment), if installed. It is
   far too slow at full size (its divisor methods build a parties x seats table, its
   Hamilton re-sums the seats once per party), so both are timed on --library-parties x
   --library-seats, and the output says so. Agreement is checked exactly (its
   `fractions=True` mode) on 300 parties x 1,500 seats: the number of parties that differ.
"""

from __future__ import annotations

import argparse
import heapq
import math
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np

from orgburo.core.apportionment import ApportionmentInput, Method, apportion

T = TypeVar("T")
LIBRARY_NAMES = {
    Method.HAMILTON: "largest_remainder",
    Method.JEFFERSON: "dhondt",
    Method.WEBSTER: "saintelague",
    Method.HUNTINGTON_HILL: "huntington",
    Method.ADAMS: "adams",
}
SIGNPOSTS: dict[Method, Callable[[int], float]] = {
    Method.JEFFERSON: lambda k: k + 1.0,
    Method.WEBSTER: lambda k: k + 0.5,
    Method.ADAMS: lambda k: float(k),
    Method.HUNTINGTON_HILL: lambda k: math.sqrt(k * (k + 1)),
}


def main() -> None:
    """Parse options, run both comparisons and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=400_000)
    parser.add_argument("--seats", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--library-parties", type=int, default=2_000)
    parser.add_argument("--library-seats", type=int, default=5_000)
    args = parser.parse_args()
    weights = member_counts(args.seed, args.parties)
    print(f"{args.seats:,} seats over {args.parties:,} weights (seed {args.seed})\n")
    against_naive(weights, args.seats, args.repeat)
    print()
    against_library(args)


def member_counts(seed: int, n: int) -> list[int]:
    """Seeded log-normal member counts, at least 1: many small branches, a few large."""
    rng = np.random.default_rng(seed)
    return np.maximum(1, rng.lognormal(6.0, 1.5, n)).astype(np.int64).tolist()  # type: ignore[no-any-return]


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `repeat` runs, in seconds, and the last run's value."""
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - start)
    return min(times), value  # type: ignore[return-value]


def ours(method: Method, seats: int, weights: Sequence[int]) -> list[int]:
    return list(apportion(ApportionmentInput(method, seats, tuple(weights))).allocation)


def naive_heap(method: Method, seats: int, weights: Sequence[int]) -> list[int]:
    """One seat at a time to the highest float priority w / d(k); ties to weight, then order."""
    signpost = SIGNPOSTS[method]

    def entry(i: int, k: int) -> tuple[float, int, int]:
        d = signpost(k)
        return (-math.inf if d == 0 else -weights[i] / d, -weights[i], i)

    held = [0] * len(weights)
    heap = [entry(i, 0) for i in range(len(weights)) if weights[i] > 0]
    heapq.heapify(heap)
    for _ in range(seats):
        i = heapq.heappop(heap)[2]
        held[i] += 1
        heapq.heappush(heap, entry(i, held[i]))
    return held


def naive_fractions(seats: int, weights: Sequence[int]) -> list[int]:
    """Hamilton with each quota a Fraction: floors, then a sort of the remainders."""
    total = sum(weights)
    quotas = [Fraction(w * seats, total) for w in weights]
    held = [math.floor(q) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (held[i] - quotas[i], -weights[i], i))
    for i in order[: seats - sum(held)]:
        held[i] += 1
    return held


def differing(a: Sequence[int], b: Sequence[int]) -> str:
    count = sum(x != y for x, y in zip(a, b, strict=True))
    return "yes" if count == 0 else f"no: {count} parties differ"


def against_naive(weights: list[int], seats: int, repeat: int) -> None:
    """Table 1: every method at full size, ours against the naive implementation."""
    print(f"{'method':<16}{'ours':>10}{'naive':>10}{'naive/ours':>12}  agree  naive is")
    for method in Method:
        took, mine = best_of(repeat, lambda m=method: ours(m, seats, weights))  # type: ignore[misc]
        assert sum(mine) == seats
        if method is Method.HAMILTON:
            naive_took, theirs = best_of(1, lambda: naive_fractions(seats, weights))
            kind = "Fractions, sorted remainders"
        else:
            naive_took, theirs = best_of(1, lambda m=method: naive_heap(m, seats, weights))  # type: ignore[misc]
            kind = "heap, float priorities"
        ratio = naive_took / took
        print(
            f"{method.value:<16}{took:>9.3f}s{naive_took:>9.2f}s{ratio:>11.0f}x  "
            f"{differing(mine, theirs):<6} {kind}"
        )


def against_library(args: argparse.Namespace) -> None:
    """Table 2: the `apportionment` library, timed and checked for agreement."""
    try:
        from apportionment import methods as library  # type: ignore[import-untyped]
    except ImportError:
        print("library `apportionment` is not installed (pip install apportionment): skipped")
        return
    seats, weights = args.library_seats, member_counts(args.seed + 1, args.library_parties)
    print(
        f"library `apportionment` 1.0 on {len(weights):,} parties x {seats:,} seats: too slow "
        f"at {args.parties:,} x {args.seats:,} (its divisor methods build a parties x seats "
        "table; its Hamilton re-sums every party's seats once per party)"
    )
    print(f"{'method':<16}{'library':>10}{'ours':>10}{'library/ours':>14}  exact agreement")
    for method in Method:
        took_lib, _ = best_of(1, lambda m=method: run_library(library, m, seats, weights))  # type: ignore[misc]
        took, _ = best_of(args.repeat, lambda m=method: ours(m, seats, weights))  # type: ignore[misc]
        print(
            f"{method.value:<16}{took_lib:>9.3f}s{took:>9.4f}s{took_lib / took:>13.0f}x  "
            f"{agreement(library, method)}"
        )
    print("(timed in its float mode; agreement checked in its exact fractions=True mode)")


def run_library(library: Any, method: Method, seats: int, weights: Sequence[int]) -> list[int]:
    names = [str(i) for i in range(len(weights))]
    held: list[int] = library.compute(LIBRARY_NAMES[method], list(weights), seats, parties=names)
    return held


def agreement(library: Any, method: Method) -> str:
    """Exact results of both on 300 parties x 1,500 seats; ties are broken differently."""
    weights, seats = member_counts(99, 300), 1_500
    names = [str(i) for i in range(len(weights))]
    theirs = library.compute(LIBRARY_NAMES[method], weights, seats, fractions=True, parties=names)
    result = apportion(ApportionmentInput(method, seats, tuple(weights)))
    verdict = differing(list(result.allocation), theirs)
    if result.ties:
        verdict += f" ({len(result.ties)} parties tied; it breaks ties by order only)"
    return verdict


if __name__ == "__main__":
    main()
