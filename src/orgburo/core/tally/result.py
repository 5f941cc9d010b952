"""What a count returns: the elected in order of election and the full count sheet."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

Column = tuple[str, tuple[Decimal, ...]]


@dataclass(frozen=True)
class Stage:
    """One stage of the count: totals after its action and the decisions taken on them.

    `totals` follow the candidates' ballot-paper order. `elected` and `excluded` are the
    candidates deemed elected or excluded on these totals (an exclusion's papers move at the
    next stage, as on an official count sheet). `exhausted` is the cumulative value of
    non-transferable papers and `loss` the cumulative value lost to truncation.
    """

    number: int
    action: str
    totals: tuple[Decimal, ...]
    exhausted: Decimal
    loss: Decimal = Decimal(0)
    quota: Decimal | None = None
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()


@dataclass(frozen=True)
class Result:
    """The outcome of one count under one method, with every stage that led to it."""

    method: str
    rule: str
    title: str
    candidates: tuple[str, ...]
    seats: int
    valid: Decimal
    quota: Decimal | None
    elected: tuple[str, ...]
    stages: tuple[Stage, ...]
    seed: int
    places: int

    def total(self, stage: int, candidate: str) -> Decimal:
        """A candidate's total at the end of a stage (numbered from 1)."""
        return self.stages[stage - 1].totals[self.candidates.index(candidate)]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form: numbers as fixed-point strings, totals keyed by candidate."""
        return {
            "method": self.method,
            "rule": self.rule,
            "title": self.title,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "valid": self.text(self.valid),
            "quota": None if self.quota is None else self.text(self.quota),
            "seed": self.seed,
            "elected": list(self.elected),
            "stages": [self._stage_dict(stage) for stage in self.stages],
        }

    def text(self, value: Decimal) -> str:
        """A value written with this count's number of decimal places."""
        return f"{value:.{self.places}f}"

    def _stage_dict(self, stage: Stage) -> dict[str, object]:
        return {
            "number": stage.number,
            "action": stage.action,
            "totals": self._by_candidate(stage.totals),
            "exhausted": self.text(stage.exhausted),
            "loss_to_fractions": self.text(stage.loss),
            "quota": None if stage.quota is None else self.text(stage.quota),
            "elected": list(stage.elected),
            "excluded": list(stage.excluded),
            "notes": list(stage.notes),
            **{name: self._by_candidate(values) for name, values in stage.columns},
        }

    def _by_candidate(self, values: tuple[Decimal, ...]) -> dict[str, str]:
        return {name: self.text(v) for name, v in zip(self.candidates, values, strict=True)}
