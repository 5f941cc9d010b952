"""Time the counting methods on large generated elections, and compare with another library.

Run: python benchmarks/bench_tally.py [--seed N] [--repeat N]

1. For/against: 5,000 ballots over 300 candidates (target < 100 ms).
2. Scottish STV: 100,000 ranked ballots, 20 candidates, 5 seats (target < 1 s), the ballots
   drawn the way real wards vote: a party first, its candidates in a noisy order of
   popularity, many voters stopping after one to three preferences, some going on to a
   second party. Identical rankings are frequent, as in real elections.
3. The same 100,000 ballots counted by stvpoll's Scottish STV (pip install stvpoll), if it
   is installed: do the winners agree, and how much slower or faster is it?
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from orgburo.core.tally import Ballot, Election, ForAgainstBallot, scottish_stv
from orgburo.core.tally.for_against import count_ballots

T = TypeVar("T")
PARTIES = (
    ("Red", 0.34, 5),
    ("Blue", 0.26, 4),
    ("Yellow", 0.18, 4),
    ("Green", 0.12, 4),
    ("Independent", 0.10, 3),
)


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `repeat` runs, in seconds, and the last run's value."""
    start = time.perf_counter()
    value = work()
    times = [time.perf_counter() - start]
    for _ in range(repeat - 1):
        start = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - start)
    return min(times), value


def for_against_ballots(
    rng: random.Random, n_ballots: int, n_candidates: int
) -> list[ForAgainstBallot]:
    """Party-list ballots: most names left standing, a few crossed out, some left unmarked."""
    dislike = [rng.betavariate(1.2, 12) for _ in range(n_candidates)]
    everyone = frozenset(range(n_candidates))
    ballots = []
    for _ in range(n_ballots):
        against = frozenset(c for c in range(n_candidates) if rng.random() < dislike[c])
        unmarked = frozenset(rng.sample(range(n_candidates), rng.choice((0, 0, 0, 2, 5))))
        ballots.append(ForAgainstBallot(1, everyone - against - unmarked, against - unmarked))
    return ballots


def ward_ballots(rng: random.Random, n_ballots: int) -> tuple[list[str], list[tuple[int, ...]]]:
    """Ranked ballots for 20 candidates of five parties, as a real ward casts them."""
    names, party_of, popularity = [], [], []
    for party, _, fielded in PARTIES:
        for k in range(fielded):
            names.append(f"{party} {k + 1}")
            party_of.append(party)
            popularity.append(rng.uniform(0.5, 2.0))
    shares = [share for _, share, _ in PARTIES]
    members = {p: [c for c in range(len(names)) if party_of[c] == p] for p, _, _ in PARTIES}
    rankings = [_ranking(rng, shares, members, popularity) for _ in range(n_ballots)]
    return names, rankings


def _ranking(
    rng: random.Random, shares: list[float], members: dict[str, list[int]], popularity: list[float]
) -> tuple[int, ...]:
    if rng.random() < 0.12:  # the long tail: voters ranking across every party
        everyone = [c for group in members.values() for c in group]
        return tuple(_noisy_order(rng, everyone, popularity, 0.2)[: rng.randint(4, 12)])
    parties = [p for p, _, _ in PARTIES]
    first, second = rng.choices(parties, shares, k=2)
    ranking = _noisy_order(rng, members[first], popularity)
    if second != first and rng.random() < 0.4:
        ranking += _noisy_order(rng, members[second], popularity)
    keep = rng.choices((1, 2, 3, 5, 20), (0.35, 0.25, 0.15, 0.1, 0.15))[0]
    return tuple(ranking[:keep])


def _noisy_order(
    rng: random.Random, candidates: list[int], popularity: list[float], floor: float = 0.6
) -> list[int]:
    return sorted(candidates, key=lambda c: -popularity[c] * rng.uniform(floor, 2 - floor))


def stvpoll_winners(names: list[str], rankings: list[tuple[int, ...]], seats: int) -> list[str]:
    """Count the same ballots with stvpoll's Scottish STV (identical ballots grouped)."""
    from stvpoll.scottish_stv import (  # type: ignore[import-untyped,import-not-found,unused-ignore]
        calculate_scottish_stv,
    )

    grouped = Counter(tuple(names[c] for c in r) for r in rankings)
    return list(calculate_scottish_stv(tuple(names), dict(grouped), seats))


def main() -> None:
    """Run the benchmarks and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows = [_bench_for_against(rng, args.repeat), *_bench_scottish(rng, args.repeat)]
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    for row in [HEADER, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


HEADER = ("count", "size", "time", "target", "result")


def _bench_for_against(rng: random.Random, repeat: int) -> tuple[str, ...]:
    ballots = for_against_ballots(rng, 5_000, 300)
    names = [f"Candidate {c + 1}" for c in range(300)]
    seconds, result = best_of(repeat, lambda: count_ballots(names, 250, ballots))
    verdict = "ok" if seconds < 0.1 else "SLOW"
    return (
        "for/against (orgburo)",
        "5,000 ballots x 300 candidates, 250 seats",
        f"{seconds * 1000:.1f} ms",
        f"< 100 ms {verdict}",
        f"{len(result.elected)} elected",
    )


def _bench_scottish(rng: random.Random, repeat: int) -> list[tuple[str, ...]]:
    names, rankings = ward_ballots(rng, 100_000)
    distinct = len(set(rankings))
    started = time.perf_counter()
    election = Election(tuple(names), 5, tuple(Ballot(1, r) for r in rankings))
    built = time.perf_counter() - started
    seconds, result = best_of(repeat, lambda: scottish_stv.count(election))
    size = f"100,000 ballots ({distinct:,} distinct), 20 candidates, 5 seats"
    verdict = "ok" if seconds < 1 else "SLOW"
    rows = [
        ("Election() validation", size, f"{built * 1000:.1f} ms", "", ""),
        (
            "Scottish STV (orgburo)",
            size,
            f"{seconds * 1000:.1f} ms",
            f"< 1 s {verdict}",
            ", ".join(result.elected),
        ),
    ]
    return [*rows, _compare_stvpoll(names, rankings, result.elected, seconds)]


def _compare_stvpoll(
    names: list[str], rankings: list[tuple[int, ...]], ours: tuple[str, ...], seconds: float
) -> tuple[str, ...]:
    try:
        from importlib.metadata import version

        label = f"Scottish STV (stvpoll {version('stvpoll')})"
        theirs_seconds, theirs = best_of(1, lambda: stvpoll_winners(names, rankings, 5))
    except ImportError:
        return (
            "Scottish STV (stvpoll)",
            "same ballots",
            "-",
            "",
            "not installed: pip install stvpoll",
        )
    agree = "winners agree" if set(theirs) == set(ours) else f"WINNERS DIFFER: {theirs}"
    ratio = theirs_seconds / seconds
    return (
        label,
        "same ballots",
        f"{theirs_seconds * 1000:.1f} ms",
        "",
        f"{agree}; {ratio:.1f}x orgburo's time",
    )


if __name__ == "__main__":
    main()
