"""The selection score of `orgburo.core.selection` as SQL expressions over the pool."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, literal
from sqlalchemy.sql.elements import Label

from orgburo.core.selection import (
    AGE_BANDS,
    ROLE_POINTS,
    STANDING_POINTS,
    STANDING_YEARS_CAP,
    TRAINING_POINTS,
    standing_bounds,
)
from orgburo.members.models import Membership, Person

from .pool import Pool


@dataclass(frozen=True)
class ScoreColumns:
    """The parts of the score and their sum, as labelled SQL expressions."""

    roles: Label[int]
    standing: Label[int]
    training: Label[int]
    age: Label[int]
    total: ColumnElement[int]

    def parts(self) -> Sequence[Label[int]]:
        """The four parts, labelled for a SELECT."""
        return (self.roles, self.standing, self.training, self.age)

    def labelled(self) -> Sequence[Label[int]]:
        """The parts and the total, labelled for a SELECT."""
        return (self.roles, self.standing, self.training, self.age, self.total.label("score"))


def part_maxima(pool: Pool) -> dict[str, int]:
    """The most points each part of the score can give, by its column's name."""
    return {
        "score_roles": ROLE_POINTS * len(pool.rules.lines),
        "score_standing": STANDING_POINTS * STANDING_YEARS_CAP,
        "score_training": TRAINING_POINTS,
        "score_age": max(points for _, _, points in AGE_BANDS),
    }


def score_columns(pool: Pool, on: date) -> ScoreColumns:
    """The score of each pool member for the decree dated `on` (see core.selection)."""
    roles = _roles(pool)
    standing = _standing(on)
    training = case((Person.red_army == literal(True), TRAINING_POINTS), else_=0)
    age = _age(on.year)
    return ScoreColumns(
        roles.label("score_roles"),
        standing.label("score_standing"),
        training.label("score_training"),
        age.label("score_age"),
        roles + standing + training + age,
    )


def _roles(pool: Pool) -> ColumnElement[int]:
    # Lines often share a requirement: each distinct one is tested once, times its lines.
    lines = Counter(str(rule) for _, rule in pool.rules.lines)
    rules = {str(rule): rule for _, rule in pool.rules.lines}
    total: ColumnElement[int] = literal(0)
    for text, count in lines.items():
        total = total + case((pool.condition(rules[text]), ROLE_POINTS * count), else_=0)
    return total


def _standing(on: date) -> ColumnElement[int]:
    bounds = list(enumerate(standing_bounds(on), start=1))
    whens = [
        (Membership.started_on <= bound, STANDING_POINTS * years)
        for years, bound in reversed(bounds)
    ]
    return case(*whens, else_=0)


def _age(year: int) -> ColumnElement[int]:
    whens = [
        (Person.birth_year.between(year - high, year - low), points)
        for low, high, points in AGE_BANDS
    ]
    return case(*whens, else_=0)
