"""Instant runoff (the alternative vote) for one seat.

Each round counts every paper for its highest-ranked continuing candidate. A candidate with
more than half of the papers still counting (exhausted papers left out) is elected, as is
the last candidate continuing; otherwise the candidate with fewest votes is excluded and
their papers move on. Candidates are excluded one at a time; ties for fewest by the most
recent earlier round at which the tied totals differed, then by lot.
"""

from __future__ import annotations

from orgburo.core.tally.ballots import Election, grouped, seats_to_fill
from orgburo.core.tally.result import Result
from orgburo.core.tally.sheet import CountSheet, Outcome
from orgburo.errors import Invalid

METHOD = "irv"
RULE = ("instant runoff: elected with more than half of the continuing papers; otherwise the "
        "lowest is excluded, ties by the most recent round that differed, then lot")


def count(election: Election, *, seats: int | None = None, seed: int = 0) -> Result:
    """Count one seat by instant runoff; ties by earlier rounds, then lot (`seed`)."""
    if seats_to_fill(election, seats) != 1:
        raise Invalid.one("seats", "instant runoff fills exactly one seat; "
                                   "use stv-scottish or meek for more")
    ballots = grouped(election.ballots, election.withdrawn)
    n = len(election.candidates)
    sheet = CountSheet(election.candidates, 0, seed)
    piles: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    votes = [0] * n
    continuing = [c not in election.withdrawn for c in range(n)]
    for index, ballot in enumerate(ballots):
        piles[ballot.ranking[0]].append((index, 0))
        votes[ballot.ranking[0]] += ballot.weight
    valid = sum(b.weight for b in ballots)
    action = "first preferences"
    while True:
        counting = sum(votes)
        sheet.record(action, votes, valid - counting, quota=counting // 2 + 1)
        left = [c for c, on in enumerate(continuing) if on]
        top = max(left, key=lambda c: votes[c])
        if 2 * votes[top] > counting or len(left) == 1:
            sheet.elect(top)
            break
        loser = sheet.lowest(left, votes, "excluded")
        sheet.exclude(loser)
        continuing[loser] = False
        papers, piles[loser], votes[loser] = piles[loser], [], 0
        for index, position in papers:
            ballot = ballots[index]
            nxt = next((p for p in range(position + 1, len(ballot.ranking))
                        if continuing[ballot.ranking[p]]), None)
            if nxt is not None:
                piles[ballot.ranking[nxt]].append((index, nxt))
                votes[ballot.ranking[nxt]] += ballot.weight
        action = f"papers of excluded {election.candidates[loser]} transferred"
    return sheet.result(Outcome(METHOD, RULE, election.title, 1, valid, None))
