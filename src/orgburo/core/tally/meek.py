"""Meek's method (Hill, Wichmann & Woodall 1987, ERS Algorithm 123; NZ Schedule 1A).

Every candidate has a keep value: 1 while hopeful, 0 once excluded, and between them once
elected. Each ballot gives each candidate it ranks, in order, the keep value's share of what
is left of it; what passes the last preference is excess. Iteration:

1. distribute every ballot with the current keep values;
2. quota = (valid - excess) / (seats + 1), truncated to 9 places, plus 10**-9;
3. hopefuls with votes at or above the quota are elected (the round ends);
4. otherwise, if the total surplus of the elected is below 0.00001 or has stopped
   falling, the round ends and the lowest hopeful is excluded (ties by the most recent
   earlier round at which the tied totals differed, then lot);
5. else each elected keep value becomes keep x quota / votes (each step rounded up)
   and the iteration repeats.

Arithmetic is fixed point with 9 decimal places (integers scaled by 10**9): a candidate's
share of a ballot is rounded up and the ballot keeps exactly the rest, so totals plus
excess always equal the valid ballots. When hopeful and elected candidates are no more than
the seats, the hopefuls are elected.
"""

from __future__ import annotations

from orgburo.core.tally.ballots import Ballot, Election, grouped, seats_to_fill
from orgburo.core.tally.result import Result
from orgburo.core.tally.sheet import CountSheet, Outcome

METHOD = "meek"
RULE = (
    "Meek STV (ERS Algorithm 123 / NZ Schedule 1A): keep values, quota (valid - excess) / "
    "(seats + 1) recomputed each iteration, 9 decimal places, converged when the total "
    "surplus < 0.00001; exclusion ties by the most recent round that differed, then lot"
)
PLACES = 9
SCALE = 10**PLACES
OMEGA = 10**4
"""Convergence tolerance: 0.00001 of a vote, scaled."""


def count(election: Election, *, seats: int | None = None, seed: int = 0) -> Result:
    """Count by Meek's method; ties by earlier rounds, then lot (`seed`)."""
    meek = _Meek(election, seats_to_fill(election, seats), seed)
    while not meek.finished():
        meek.round()
    valid = sum(b.weight for b in meek.ballots) * SCALE
    outcome = Outcome(METHOD, RULE, election.title, meek.seats, valid, meek.quota)
    return meek.sheet.result(outcome)


class _Meek:
    def __init__(self, election: Election, seats: int, seed: int) -> None:
        n = len(election.candidates)
        self.seats = seats
        self.ballots: list[Ballot] = grouped(election.ballots, election.withdrawn)
        self.sheet = CountSheet(election.candidates, PLACES, seed)
        self.keep = [0 if c in election.withdrawn else SCALE for c in range(n)]
        self.hopeful = [c not in election.withdrawn for c in range(n)]
        self.elected: list[int] = []
        self.votes = [0] * n
        self.excess = 0
        self.quota = 0

    def finished(self) -> bool:
        """Seats all filled, or the hopefuls elected because no more are left than seats."""
        vacancies = self.seats - len(self.elected)
        left = [c for c, on in enumerate(self.hopeful) if on]
        if vacancies and len(left) <= vacancies:
            if not self.sheet.stage:
                self._distribute()
                self._record("first preferences")
            self.sheet.note("hopeful candidates no more than vacancies: all elected")
            for c in self.sheet.by_votes(left, self.votes, "elected first"):
                self._elect(c)
            vacancies = 0
        return vacancies == 0

    def round(self) -> None:
        """Iterate to a new election or to convergence, record it, then elect or exclude."""
        iterations, reached = self._iterate()
        self._record(
            "first preferences"
            if not self.sheet.stage and iterations == 1
            else f"keep values iterated {iterations} times"
        )
        if reached:
            for c in self.sheet.by_votes(reached, self.votes, "elected first"):
                self._elect(c)
            return
        left = [c for c, on in enumerate(self.hopeful) if on]
        loser = self.sheet.lowest(left, self.votes, "excluded")
        self.sheet.exclude(loser)
        self.hopeful[loser] = False
        self.keep[loser] = 0

    def _record(self, action: str) -> None:
        self.sheet.record(
            action, self.votes, self.excess, quota=self.quota, columns=[("keep value", self.keep)]
        )

    def _elect(self, candidate: int) -> None:
        self.hopeful[candidate] = False
        self.elected.append(candidate)
        self.sheet.elect(candidate)

    def _iterate(self) -> tuple[int, list[int]]:
        last_surplus = None
        iterations = 0
        while True:
            iterations += 1
            self._distribute()
            reached = [c for c, on in enumerate(self.hopeful) if on and self.votes[c] >= self.quota]
            if reached:
                return iterations, reached
            surplus = sum(self.votes[c] - self.quota for c in self.elected)
            if surplus < OMEGA or (last_surplus is not None and surplus >= last_surplus):
                return iterations, []
            last_surplus = surplus
            self._update_keep_values()

    def _distribute(self) -> None:
        keep = self.keep
        votes = [0] * len(keep)
        excess = 0
        for ballot in self.ballots:
            left = SCALE
            for c in ballot.ranking:
                k = keep[c]
                if k:
                    share = -(-left * k // SCALE)
                    votes[c] += share * ballot.weight
                    left -= share
                    if not left:
                        break
            excess += left * ballot.weight
        self.votes, self.excess = votes, excess
        self.quota = sum(votes) // (self.seats + 1) + 1

    def _update_keep_values(self) -> None:
        for c in self.elected:
            kept = -(-self.keep[c] * self.quota // SCALE)
            self.keep[c] = min(SCALE, -(-kept * SCALE // self.votes[c]))
