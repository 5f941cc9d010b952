"""For/against: the historic practice of party elections with a list of candidates.

Each ballot marks every candidate for or against (a name crossed out is against; a name
left unmarked counts as neither). A candidate with votes for from more than half of the
valid ballots is elected. When more pass than there are seats, those with most votes for
take them. The elected are ordered by votes for, then fewer votes against, then by lot
(`random.Random(seed)`, recorded), which also settles a tie across the last seat.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain

from orgburo.core.tally.ballots import (
    Election,
    ForAgainstBallot,
    for_against_from_ranked,
    seats_to_fill,
)
from orgburo.core.tally.result import Result
from orgburo.core.tally.sheet import CountSheet, Outcome
from orgburo.errors import Invalid

METHOD = "for-against"
RULE = (
    "for/against: elected with votes for on more than half of the valid ballots, by votes "
    "for up to the seats; ties by fewer against, then lot"
)


def count(election: Election, *, seats: int | None = None, seed: int = 0) -> Result:
    """Count ranked ballots as for/against: a ranked candidate is for, the rest against."""
    seats = seats_to_fill(election, seats)
    ballots = for_against_from_ranked(election)
    return count_ballots(election.candidates, seats, ballots, seed=seed, title=election.title)


def count_ballots(
    candidates: Sequence[str],
    seats: int,
    ballots: Sequence[ForAgainstBallot],
    *,
    seed: int = 0,
    title: str = "",
) -> Result:
    """Elect those with more than half of the valid ballots for, by votes for, up to `seats`."""
    n = len(candidates)
    if not 1 <= seats <= n:
        raise Invalid.one("seats", f"must be between 1 and {n}, not {seats}")
    votes_for = _weighted_counts(((b.weight, b.for_) for b in ballots), n)
    against = _weighted_counts(((b.weight, b.against) for b in ballots), n)
    valid = sum(b.weight for b in ballots)
    blank = sum(b.weight for b in ballots if not b.for_)
    sheet = CountSheet(candidates, 0, seed)
    sheet.record(
        "votes for and against",
        votes_for,
        blank,
        quota=valid // 2 + 1,
        columns=[("against", against)],
    )
    _elect_majorities(sheet, seats, votes_for, against, valid)
    return sheet.result(Outcome(METHOD, RULE, title, seats, valid, valid // 2 + 1))


def _elect_majorities(
    sheet: CountSheet, seats: int, votes_for: list[int], against: list[int], valid: int
) -> None:
    """By votes for, then fewer against (one key: against never exceeds valid), then lot."""
    passed = [c for c, k in enumerate(votes_for) if 2 * k > valid]
    key = [k * (valid + 1) + valid - a for k, a in zip(votes_for, against, strict=True)]
    ordered = sheet.by_votes(passed, key, "placed higher")
    for c in ordered[:seats]:
        sheet.elect(c)
    if len(ordered) > seats:
        names = ", ".join(sheet.candidates[c] for c in ordered[seats:])
        sheet.note(f"also had a majority but the seats were filled: {names}")


def _weighted_counts(marks: Iterable[tuple[int, frozenset[int]]], n: int) -> list[int]:
    """Marks per candidate, counted in C by Counter, ballots of one weight together.

    A ballot marking more than half of the candidates is counted by the candidates it does
    not mark (a typical for/against ballot leaves most names standing).
    """
    everyone = frozenset(range(n))
    direct: dict[int, list[frozenset[int]]] = defaultdict(list)
    unmarked: dict[int, list[frozenset[int]]] = defaultdict(list)
    for weight, marked in marks:
        if 2 * len(marked) <= n:
            direct[weight].append(marked)
            continue
        rest = everyone - marked
        if len(rest) != n - len(marked):
            raise Invalid.one("ballot", f"marks a candidate who is not one of 1..{n}")
        unmarked[weight].append(rest)
    by_complement = sum(weight * len(sets) for weight, sets in unmarked.items())
    missing = _counts(unmarked, n)
    return [k + by_complement - m for k, m in zip(_counts(direct, n), missing, strict=True)]


def _counts(by_weight: dict[int, list[frozenset[int]]], n: int) -> list[int]:
    totals = [0] * n
    for weight, sets in by_weight.items():
        for c, k in Counter(chain.from_iterable(sets)).items():
            if not 0 <= c < n:
                raise Invalid.one("ballot", f"marks a candidate who is not one of 1..{n}")
            totals[c] += k * weight
    return totals
