"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), rules 45-52.

- 45: first preferences; papers with no valid preference are not valid votes.
- 46: quota = (valid papers / (seats + 1)), decimals ignored, plus one.
- 47: a candidate whose votes equal or exceed the quota is elected.
- 48: a surplus moves every paper the candidate holds (weighted inclusive Gregory) at
  value x surplus / total, to five decimal places, any remainder ignored.
- 49: the largest surplus first; equal surpluses: the candidate with more votes at the most
  recent preceding stage at which their votes differed, else by lot.
- 50, 51: otherwise the lowest continuing candidate is excluded and all their papers move at
  the value at which they were received; ties as in 49, fewest votes excluded.
- 52: when the continuing candidates are no more than the vacancies, they are elected and
  nothing more is transferred.

Values are integers scaled by 10**5, so truncation is exact. What truncation drops from a
surplus is recorded as loss to fractions; sum of totals + exhausted + loss = valid papers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from orgburo.core.tally.ballots import Election, grouped, seats_to_fill
from orgburo.core.tally.result import Result
from orgburo.core.tally.sheet import CountSheet, Outcome

METHOD = "stv-scottish"
RULE = (
    "Scottish STV, SSI 2007/42 Sch. 1 rules 45-52: Droop quota floor(valid/(seats+1))+1, "
    "weighted inclusive Gregory, transfer values truncated to 5 d.p., largest surplus "
    "first, exclusion of the lowest, ties by the most recent stage that differed, then lot"
)
PLACES = 5
SCALE = 10**PLACES

Paper = tuple[int, int, int]
"""A parcel of identical papers: (ballot group, value scaled by 10**5, position of holder)."""


@dataclass
class _Count:
    """The state of a count: piles of parcels per candidate and everyone's votes, scaled."""

    rankings: list[tuple[int, ...]]
    weights: list[int]
    continuing: list[bool]
    vacancies: int
    quota: int
    sheet: CountSheet
    exhausted: int = 0
    loss: int = 0
    pending: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.piles: list[list[Paper]] = [[] for _ in self.continuing]
        self.votes = [0] * len(self.continuing)


def count(election: Election, *, seats: int | None = None, seed: int = 0) -> Result:
    """Count `election` under the Scottish rules; ties by earlier stages, then lot (`seed`)."""
    seats = seats_to_fill(election, seats)
    ballots = grouped(election.ballots, election.withdrawn)
    valid = sum(b.weight for b in ballots)
    quota = (valid // (seats + 1) + 1) * SCALE
    state = _Count(
        rankings=[b.ranking for b in ballots],
        weights=[b.weight for b in ballots],
        continuing=[c not in election.withdrawn for c in range(len(election.candidates))],
        vacancies=seats,
        quota=quota,
        sheet=CountSheet(election.candidates, PLACES, seed),
    )
    _first_stage(state)
    while state.vacancies:
        if state.pending:
            _transfer_surplus(state)
        else:
            _exclude_lowest(state)
    return state.sheet.result(Outcome(METHOD, RULE, election.title, seats, valid * SCALE, quota))


def _first_stage(state: _Count) -> None:
    for index, ranking in enumerate(state.rankings):
        first = ranking[0]
        state.piles[first].append((index, SCALE, 0))
        state.votes[first] += SCALE * state.weights[index]
    _close_stage(state, "first preferences")


def _close_stage(state: _Count, action: str) -> None:
    state.sheet.record(action, state.votes, state.exhausted, loss=state.loss, quota=state.quota)
    _elect_on_quota(state)
    _fill_last_vacancies(state)


def _elect_on_quota(state: _Count) -> None:
    """Rule 47, in order of votes: an earlier-elected surplus is larger."""
    reached = [c for c, on in enumerate(state.continuing) if on and state.votes[c] >= state.quota]
    for c in state.sheet.by_votes(reached, state.votes, "elected first"):
        if state.vacancies:
            _elect(state, c)
            if state.votes[c] > state.quota:
                state.pending.append(c)


def _fill_last_vacancies(state: _Count) -> None:
    """Rule 52: as many continuing candidates as vacancies are all elected."""
    left = [c for c, on in enumerate(state.continuing) if on]
    if state.vacancies and len(left) <= state.vacancies:
        state.sheet.note("rule 52: continuing candidates no more than vacancies; all elected")
        for c in state.sheet.by_votes(left, state.votes, "elected first"):
            _elect(state, c)


def _elect(state: _Count, candidate: int) -> None:
    state.continuing[candidate] = False
    state.vacancies -= 1
    state.sheet.elect(candidate)


def _transfer_surplus(state: _Count) -> None:
    """Rules 48-49: the largest surplus, each paper at value x surplus / total, truncated."""
    votes = state.votes
    top = max(votes[c] for c in state.pending)
    c = state.sheet.pick(
        [p for p in state.pending if votes[p] == top],
        lowest=False,
        chosen_for="surplus transferred first",
    )
    state.pending.remove(c)
    total, surplus = votes[c], votes[c] - state.quota
    papers, state.piles[c] = state.piles[c], []
    moved, lost = _move(state, papers, lambda value: value * surplus // total)
    votes[c] = state.quota
    state.loss += surplus - moved - lost
    state.exhausted += lost
    name = state.sheet.candidates[c]
    _close_stage(
        state,
        f"surplus of {name} ({state.sheet.text(surplus)}) transferred at "
        f"value x {state.sheet.text(surplus)} / {state.sheet.text(total)}",
    )


def _exclude_lowest(state: _Count) -> None:
    """Rules 50-51: the lowest continuing candidate's papers move at their current value."""
    left = [c for c, on in enumerate(state.continuing) if on]
    c = state.sheet.lowest(left, state.votes, "excluded")
    state.sheet.exclude(c)
    state.continuing[c] = False
    papers, state.piles[c] = state.piles[c], []
    _, lost = _move(state, papers, lambda value: value)
    state.votes[c] = 0
    state.exhausted += lost
    _close_stage(state, f"papers of excluded {state.sheet.candidates[c]} transferred")


def _move(state: _Count, papers: list[Paper], new_value: Callable[[int], int]) -> tuple[int, int]:
    """Send each parcel to its next continuing preference; returns (moved, non-transferable)."""
    rankings, weights, continuing = state.rankings, state.weights, state.continuing
    piles, votes = state.piles, state.votes
    values: dict[int, int] = {}
    moved = lost = 0
    for index, value, position in papers:
        if value not in values:
            values[value] = new_value(value)
        worth = values[value] * weights[index]
        ranking = rankings[index]
        position += 1
        while position < len(ranking) and not continuing[ranking[position]]:
            position += 1
        if position < len(ranking):
            holder = ranking[position]
            piles[holder].append((index, values[value], position))
            votes[holder] += worth
            moved += worth
        else:
            lost += worth
    return moved, lost
