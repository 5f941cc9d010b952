"""The count sheet as a count writes it: stages in scaled integers, ties and lots.

Every method counts in integers scaled by 10**places (Scottish STV: 5 places, Meek: 9,
whole-vote methods: 0) and hands its stages here. Ties are broken one way for every method:
by the most recent earlier stage at which the tied candidates' totals differed, and if they
were equal at every stage, by lot drawn from `random.Random(seed)`; the seed is recorded.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from orgburo.core.tally.result import Result, Stage


@dataclass
class _Draft:
    action: str
    totals: tuple[int, ...]
    exhausted: int
    loss: int
    quota: int | None
    columns: tuple[tuple[str, tuple[int, ...]], ...]
    elected: list[int] = field(default_factory=list)
    excluded: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    """How a finished count is described in its result."""

    method: str
    rule: str
    title: str
    seats: int
    valid: int
    quota: int | None


class CountSheet:
    """Collects the stages of one count and breaks its ties."""

    def __init__(self, candidates: Sequence[str], places: int, seed: int) -> None:
        self.candidates = tuple(candidates)
        self.places = places
        self.seed = seed
        self.elected: list[int] = []
        self._lots = random.Random(seed)
        self._drafts: list[_Draft] = []

    def record(
        self,
        action: str,
        totals: Sequence[int],
        exhausted: int,
        *,
        loss: int = 0,
        quota: int | None = None,
        columns: Iterable[tuple[str, Sequence[int]]] = (),
    ) -> None:
        """Close a stage: its action and the totals, exhausted and loss after it."""
        cols = tuple((name, tuple(values)) for name, values in columns)
        self._drafts.append(_Draft(action, tuple(totals), exhausted, loss, quota, cols))

    @property
    def stage(self) -> int:
        """The number of the last stage recorded (the first is 1)."""
        return len(self._drafts)

    def elect(self, candidate: int) -> None:
        """Deem a candidate elected at the current stage (order of calls = order of election)."""
        self.elected.append(candidate)
        self._drafts[-1].elected.append(candidate)

    def exclude(self, candidate: int) -> None:
        """Exclude a candidate on the current stage's totals."""
        self._drafts[-1].excluded.append(candidate)

    def note(self, text: str) -> None:
        """Add a note (a tie and how it was broken, a rule applied) to the current stage."""
        self._drafts[-1].notes.append(text)

    def value(self, scaled: int) -> Decimal:
        """A scaled integer as an exact decimal."""
        return Decimal(scaled).scaleb(-self.places)

    def text(self, scaled: int) -> str:
        """A scaled integer written with this sheet's decimal places."""
        return f"{self.value(scaled):.{self.places}f}"

    def pick(self, tied: Sequence[int], *, lowest: bool, chosen_for: str) -> int:
        """Break a tie: most recent earlier stage at which the totals differed, then lot."""
        if len(tied) == 1:
            return tied[0]
        names = ", ".join(self.candidates[c] for c in tied)
        head = f"{names} tied on {self.text(self._drafts[-1].totals[tied[0]])}"
        still = list(tied)
        for number in range(len(self._drafts) - 1, 0, -1):
            still = _narrow(still, self._drafts[number - 1].totals, lowest)
            if len(still) == 1:
                more_or_fewer = "fewer" if lowest else "more"
                self.note(
                    f"{head}; {self.candidates[still[0]]} {chosen_for}: {more_or_fewer} "
                    f"votes at stage {number}, the most recent stage at which they differed"
                )
                return still[0]
        choice = self._lots.choice(sorted(still))
        self.note(f"{head}; {self.candidates[choice]} {chosen_for} by lot (seed {self.seed})")
        return choice

    def by_votes(
        self, candidates: Iterable[int], votes: Sequence[int], chosen_for: str
    ) -> list[int]:
        """Candidates from most votes to fewest, equal votes ordered by `pick`."""
        left = sorted(candidates, key=lambda c: -votes[c])
        ordered: list[int] = []
        while left:
            top = [c for c in left if votes[c] == votes[left[0]]]
            first = self.pick(top, lowest=False, chosen_for=chosen_for)
            ordered.append(first)
            left.remove(first)
        return ordered

    def lowest(self, candidates: Iterable[int], votes: Sequence[int], chosen_for: str) -> int:
        """The candidate with fewest votes, equal votes broken by `pick`."""
        pool = list(candidates)
        low = min(votes[c] for c in pool)
        return self.pick([c for c in pool if votes[c] == low], lowest=True, chosen_for=chosen_for)

    def result(self, outcome: Outcome) -> Result:
        """The finished, immutable result."""
        quota = None if outcome.quota is None else self.value(outcome.quota)
        return Result(
            method=outcome.method,
            rule=outcome.rule,
            title=outcome.title,
            candidates=self.candidates,
            seats=outcome.seats,
            valid=self.value(outcome.valid),
            quota=quota,
            elected=self._names(self.elected),
            stages=tuple(self._stage(n, d) for n, d in enumerate(self._drafts, start=1)),
            seed=self.seed,
            places=self.places,
        )

    def _names(self, candidates: Iterable[int]) -> tuple[str, ...]:
        return tuple(self.candidates[c] for c in candidates)

    def _values(self, scaled: Iterable[int]) -> tuple[Decimal, ...]:
        return tuple(self.value(v) for v in scaled)

    def _stage(self, number: int, draft: _Draft) -> Stage:
        return Stage(
            number=number,
            action=draft.action,
            totals=self._values(draft.totals),
            exhausted=self.value(draft.exhausted),
            loss=self.value(draft.loss),
            quota=None if draft.quota is None else self.value(draft.quota),
            elected=self._names(draft.elected),
            excluded=self._names(draft.excluded),
            notes=tuple(draft.notes),
            columns=tuple((name, self._values(v)) for name, v in draft.columns),
        )


def _narrow(tied: list[int], totals: tuple[int, ...], lowest: bool) -> list[int]:
    best = min(totals[c] for c in tied) if lowest else max(totals[c] for c in tied)
    return [c for c in tied if totals[c] == best]
