"""Block vote: each voter votes for up to N candidates; the N with most votes are elected.

A ranked ballot counts as a vote for each of its first N preferences among the candidates
standing (N = seats), so a BLT file of block ballots simply ranks up to N names. The elected
are ordered by votes; candidates with equal votes are ordered by lot (`random.Random(seed)`,
recorded), which also decides who takes the last seat when candidates tie across it.
"""

from __future__ import annotations

from orgburo.core.tally.ballots import Election, grouped, seats_to_fill
from orgburo.core.tally.result import Result
from orgburo.core.tally.sheet import CountSheet, Outcome

METHOD = "block"
RULE = "block vote: each ballot votes for up to N; the N with most votes, ties by lot"


def count(election: Election, *, seats: int | None = None, seed: int = 0) -> Result:
    """Elect the `seats` candidates with most votes; ties by lot (`seed`)."""
    seats = seats_to_fill(election, seats)
    ballots = grouped(election.ballots, election.withdrawn, keep_empty=True)
    votes = [0] * len(election.candidates)
    blank = 0
    for ballot in ballots:
        blank += 0 if ballot.ranking else ballot.weight
        for c in ballot.ranking[:seats]:
            votes[c] += ballot.weight
    sheet = CountSheet(election.candidates, 0, seed)
    sheet.record(f"votes for each ballot's first {seats} choices", votes, blank)
    standing = election.standing
    last = sorted((votes[c] for c in standing), reverse=True)[seats - 1]
    contenders = [c for c in standing if votes[c] >= last]
    for c in sheet.by_votes(contenders, votes, "placed higher")[:seats]:
        sheet.elect(c)
    valid = sum(b.weight for b in ballots)
    return sheet.result(Outcome(METHOD, RULE, election.title, seats, valid, None))
