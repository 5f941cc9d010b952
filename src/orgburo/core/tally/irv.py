"""Instant runoff (the alternative vote) for one seat.

Each round counts every paper for its highest-ranked continuing candidate. A candidate with
more than half of the papers still counting (exhausted papers left out) is elected, as is
the last candidate continuing; otherwise the candidate with fewest votes is excluded and
their papers move on. Candidates are excluded one at a time; ties for fewest by the most
recent earlier round at which the tied totals differed, then by lot.
"""

from __future__ import annotations

from orgburo.core.tally.ballots import Ballot, Election, grouped, seats_to_fill
from orgburo.core.tally.result import Result
from orgburo.core.tally.sheet import CountSheet, Outcome
from orgburo.errors import Invalid

METHOD = "irv"
RULE = (
    "instant runoff: elected with more than half of the continuing papers; otherwise the "
    "lowest is excluded, ties by the most recent round that differed, then lot"
)


def count(election: Election, *, seats: int | None = None, seed: int = 0) -> Result:
    """Count one seat by instant runoff; ties by earlier rounds, then lot (`seed`)."""
    if seats_to_fill(election, seats) != 1:
        raise Invalid.one(
            "seats", "instant runoff fills exactly one seat; use stv-scottish or meek for more"
        )
    runoff = _Runoff(election, grouped(election.ballots, election.withdrawn), seed)
    action = "first preferences"
    while not runoff.round_won(action):
        action = runoff.exclude_lowest()
    outcome = Outcome(METHOD, RULE, election.title, 1, runoff.valid, None)
    return runoff.sheet.result(outcome)


class _Runoff:
    """Piles of (ballot group, position) per candidate, moved only when their holder goes."""

    def __init__(self, election: Election, ballots: list[Ballot], seed: int) -> None:
        n = len(election.candidates)
        self.ballots = ballots
        self.sheet = CountSheet(election.candidates, 0, seed)
        self.continuing = [c not in election.withdrawn for c in range(n)]
        self.piles: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        self.votes = [0] * n
        self.valid = sum(b.weight for b in ballots)
        for index in range(len(ballots)):
            self._give(index, 0)

    def round_won(self, action: str) -> bool:
        """Record the round; elect and return True if someone has won it."""
        counting = sum(self.votes)
        self.sheet.record(action, self.votes, self.valid - counting, quota=counting // 2 + 1)
        left = [c for c, on in enumerate(self.continuing) if on]
        top = max(left, key=lambda c: self.votes[c])
        if 2 * self.votes[top] > counting or len(left) == 1:
            self.sheet.elect(top)
            return True
        return False

    def exclude_lowest(self) -> str:
        """Exclude the lowest candidate, move their papers on, and name the action."""
        left = [c for c, on in enumerate(self.continuing) if on]
        loser = self.sheet.lowest(left, self.votes, "excluded")
        self.sheet.exclude(loser)
        self.continuing[loser] = False
        papers, self.piles[loser], self.votes[loser] = self.piles[loser], [], 0
        for index, position in papers:
            ranking = self.ballots[index].ranking
            nxt = next(
                (p for p in range(position + 1, len(ranking)) if self.continuing[ranking[p]]), None
            )
            if nxt is not None:
                self._give(index, nxt)
        return f"papers of excluded {self.sheet.candidates[loser]} transferred"

    def _give(self, index: int, position: int) -> None:
        ballot = self.ballots[index]
        holder = ballot.ranking[position]
        self.piles[holder].append((index, position))
        self.votes[holder] += ballot.weight
