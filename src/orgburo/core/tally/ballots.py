"""Ballots and elections as counting rules see them: frozen, validated, indexed from 0."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from orgburo.errors import Invalid, Problem


@dataclass(frozen=True)
class Ballot:
    """`weight` identical ballot papers ranking candidates (0-based) in order of preference."""

    weight: int
    ranking: tuple[int, ...]


@dataclass(frozen=True)
class ForAgainstBallot:
    """`weight` papers marking each candidate for, against, or (in neither set) not at all."""

    weight: int
    for_: frozenset[int]
    against: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if self.weight <= 0:
            raise Invalid.one("ballot", f"weight must be positive, not {self.weight}")
        if not self.for_.isdisjoint(self.against):
            raise Invalid.one("ballot", "a candidate is marked both for and against")


@dataclass(frozen=True)
class Election:
    """Candidates, seats to fill, ranked ballots, withdrawn candidates and a title."""

    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[Ballot, ...]
    withdrawn: frozenset[int] = field(default_factory=frozenset)
    title: str = ""

    def __post_init__(self) -> None:
        problems = _election_problems(self)
        if problems:
            raise Invalid(problems)

    @property
    def standing(self) -> tuple[int, ...]:
        """Candidates not withdrawn, in ballot-paper order."""
        return tuple(c for c in range(len(self.candidates)) if c not in self.withdrawn)


def _election_problems(election: Election) -> list[Problem]:
    n = len(election.candidates)
    problems = [
        Problem("withdrawn", f"{c + 1} is not a candidate")
        for c in sorted(election.withdrawn)
        if not 0 <= c < n
    ]
    if len(set(election.candidates)) != n:
        problems.append(Problem("candidates", "two candidates have the same name"))
    standing = n - len(election.withdrawn)
    if not 1 <= election.seats <= standing:
        problems.append(
            Problem(
                "seats",
                f"must be between 1 and {standing} (the candidates standing), not {election.seats}",
            )
        )
    problems.extend(ballot_problems(election.ballots, n))
    return problems


def ballot_problems(ballots: Sequence[Ballot], n_candidates: int) -> list[Problem]:
    """What is wrong with each ballot (row = its position from 1), at most 20 reported."""
    problems: list[Problem] = []
    for row, ballot in enumerate(ballots, start=1):
        reason = _ballot_problem(ballot, n_candidates)
        if reason:
            problems.append(Problem("ballot", reason, row))
            if len(problems) == 20:
                break
    return problems


def _ballot_problem(ballot: Ballot, n: int) -> str:
    if ballot.weight <= 0:
        return f"weight must be positive, not {ballot.weight}"
    ranking = ballot.ranking
    if ranking and (min(ranking) < 0 or max(ranking) >= n):
        return f"ranks a candidate outside 1..{n}"
    if len(set(ranking)) != len(ranking):
        return "ranks the same candidate twice"
    return ""


def seats_to_fill(election: Election, seats: int | None) -> int:
    """The seats asked for (the election's own when None), checked against those standing."""
    if seats is None:
        return election.seats
    standing = len(election.standing)
    if not 1 <= seats <= standing:
        raise Invalid.one(
            "seats", f"must be between 1 and {standing} (the candidates standing), not {seats}"
        )
    return seats


def grouped(
    ballots: Iterable[Ballot], withdrawn: frozenset[int] = frozenset(), *, keep_empty: bool = False
) -> list[Ballot]:
    """Identical rankings merged into one weighted ballot, withdrawn candidates struck out.

    Ballots left with no preference are dropped unless `keep_empty` (for a ranked count they
    are not valid votes); the result keeps the order in which each ranking first appears.
    """
    weights: dict[tuple[int, ...], int] = {}
    for ballot in ballots:
        ranking = ballot.ranking
        if withdrawn and not withdrawn.isdisjoint(ranking):
            ranking = tuple(c for c in ranking if c not in withdrawn)
        if ranking or keep_empty:
            weights[ranking] = weights.get(ranking, 0) + ballot.weight
    return [Ballot(weight, ranking) for ranking, weight in weights.items()]


def for_against_from_ranked(election: Election) -> list[ForAgainstBallot]:
    """Ranked ballots read as for/against: ranked means for, every other standing one against."""
    standing = frozenset(election.standing)
    ballots = []
    for ballot in grouped(election.ballots, election.withdrawn, keep_empty=True):
        marked = frozenset(ballot.ranking)
        ballots.append(ForAgainstBallot(ballot.weight, marked, standing - marked))
    return ballots
