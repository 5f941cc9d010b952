"""Plain, slow, independent counts to check the real ones against on small elections.

Each recounts from the papers at every step, with Fractions, and shares nothing with
orgburo.core.tally but the published tie rule: most recent earlier stage at which the tied
totals differed, then `random.Random(seed).choice(sorted(tied))`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from math import floor

Ballots = list[tuple[int, tuple[int, ...]]]


def irv_possible_winners(n: int, ballots: Ballots) -> set[int]:
    """Every candidate instant runoff can elect, trying each way of breaking each tie."""

    def count(out: frozenset[int]) -> set[int]:
        left = [c for c in range(n) if c not in out]
        tally = dict.fromkeys(left, 0)
        for weight, ranking in ballots:
            top = next((c for c in ranking if c not in out), None)
            if top is not None:
                tally[top] += weight
        counting = sum(tally.values())
        majority = [c for c in left if 2 * tally[c] > counting]
        if majority or len(left) == 1:
            return {(majority or left)[0]}
        low = min(tally.values())
        return set().union(*(count(out | {c}) for c in left if tally[c] == low))

    return count(frozenset())


@dataclass
class Paper:
    """Identical ballot papers, their current value and who holds them (None: exhausted)."""

    ranking: tuple[int, ...]
    weight: int
    value: Fraction
    holder: int | None


class ScottishOracle:
    """SSI 2007/42 rules 45-52, recounting every paper at every stage."""

    def __init__(self, n: int, seats: int, ballots: Ballots, seed: int) -> None:
        self.n, self.vacancies = n, seats
        self.papers = [Paper(r, w, Fraction(1), r[0]) for w, r in ballots if r]
        valid = sum(w for w, r in ballots if r)
        self.quota = valid // (seats + 1) + 1
        self.hopeful = set(range(n))
        self.fixed: dict[int, Fraction] = {}
        self.history: list[list[Fraction]] = []
        self.elected: list[int] = []
        self.pending: list[int] = []
        self.lots = random.Random(seed)

    def run(self) -> tuple[list[int], list[list[Fraction]]]:
        """The elected in order and every stage's totals."""
        self.stage_done()
        while self.vacancies:
            if self.pending:
                top = max(self.totals()[c] for c in self.pending)
                c = self.tie([p for p in self.pending if self.totals()[p] == top], lowest=False)
                self.pending.remove(c)
                self.transfer_surplus(c)
            else:
                totals = self.totals()
                low = min(totals[c] for c in self.hopeful)
                c = self.tie(sorted(c for c in self.hopeful if totals[c] == low), lowest=True)
                self.hopeful.discard(c)
                self.move(c, lambda value: value)
            self.stage_done()
        return self.elected, self.history

    def totals(self) -> list[Fraction]:
        totals = [Fraction(0)] * self.n
        for p in self.papers:
            if p.holder is not None and p.holder not in self.fixed:
                totals[p.holder] += p.weight * p.value
        for c, value in self.fixed.items():
            totals[c] = value
        return totals

    def stage_done(self) -> None:
        totals = self.totals()
        self.history.append(totals)
        reached = [c for c in sorted(self.hopeful) if totals[c] >= self.quota]
        for c in self.order(reached, totals):
            if self.vacancies:
                self.elect(c)
                if totals[c] > self.quota:
                    self.pending.append(c)
        if self.vacancies and len(self.hopeful) <= self.vacancies:
            for c in self.order(sorted(self.hopeful), totals):
                self.elect(c)

    def elect(self, c: int) -> None:
        self.hopeful.discard(c)
        self.vacancies -= 1
        self.elected.append(c)

    def order(self, cands: list[int], totals: list[Fraction]) -> list[int]:
        out: list[int] = []
        while cands:
            best = max(totals[c] for c in cands)
            first = self.tie([c for c in cands if totals[c] == best], lowest=False)
            out.append(first)
            cands = [c for c in cands if c != first]
        return out

    def tie(self, tied: list[int], *, lowest: bool) -> int:
        for totals in reversed(self.history[:-1]):
            if len(tied) == 1:
                break
            pick = min if lowest else max
            best = pick(totals[c] for c in tied)
            tied = [c for c in tied if totals[c] == best]
        return tied[0] if len(tied) == 1 else self.lots.choice(sorted(tied))

    def transfer_surplus(self, c: int) -> None:
        total = self.totals()[c]
        surplus = total - self.quota
        self.move(c, lambda value: Fraction(floor(value * surplus / total * 10**5), 10**5))
        self.fixed[c] = Fraction(self.quota)

    def move(self, c: int, revalue: Callable[[Fraction], Fraction]) -> None:
        for paper in self.papers:
            if paper.holder == c:
                paper.value = revalue(paper.value)
                later = paper.ranking[paper.ranking.index(c) + 1 :]
                paper.holder = next((d for d in later if d in self.hopeful), None)
