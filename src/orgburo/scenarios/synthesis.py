"""Synthesized members: an intake's counts and mixes turned into importer batches.

Each attribute's values are counted out exactly, not drawn at random: the table of
bodies by values (count x share) is rounded with `controlled_round`, so each body gets
its count and the whole intake gets each value's share to within one member. The
values are then shuffled within each body. Years of birth, dates of joining and names
are drawn at random from the step's own generator, so a replay with the same seed
gives the same people.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import numpy as np
import pyarrow as pa

from orgburo.core.attributes import BOOLEAN, CORE_ATTRIBUTES
from orgburo.core.rounding import controlled_round
from orgburo.scenarios.schema import BirthYears, Mix

BATCH_ROWS = 100_000
REQUIRED_ATTRIBUTES = ("social_situation", "occupation", "sex", "birth_year", "nationality")


@dataclass(frozen=True)
class Share:
    """Members for one body in an intake, with the mix they are drawn from."""

    body: str
    count: int
    first_day: date
    mix: Mix


@dataclass(frozen=True)
class Intake:
    """Everything needed to synthesize one step's admissions."""

    prefix: str
    status: str
    on: date
    shares: Sequence[Share]
    birth: BirthYears
    min_age: int
    given_names: Sequence[str]
    family_names: Sequence[str]

    @property
    def size(self) -> int:
        """How many members the intake makes."""
        return sum(s.count for s in self.shares)

    def attributes(self) -> list[str]:
        """The attribute columns the batches carry, in catalog order."""
        named = {name for share in self.shares for name in share.mix}
        wanted = set(REQUIRED_ATTRIBUTES) | named
        return [name for name in CORE_ATTRIBUTES if name in wanted]


def batches(intake: Intake, rng: np.random.Generator) -> Iterator[pa.RecordBatch]:
    """The intake as record batches in the members import layout (all text)."""
    columns = _columns(intake, rng)
    for start in range(0, intake.size, BATCH_ROWS):
        stop = min(start + BATCH_ROWS, intake.size)
        yield pa.RecordBatch.from_pydict({k: v[start:stop] for k, v in columns.items()})


def _columns(intake: Intake, rng: np.random.Generator) -> dict[str, pa.Array]:
    n = intake.size
    joined = _joined(intake, rng)
    columns: dict[str, pa.Array] = {
        "id": pa.array([f"{intake.prefix}-{i:07d}" for i in range(1, n + 1)]),
        "name": _names(intake, rng, n),
        "body": pa.array(np.repeat([s.body for s in intake.shares], _counts(intake))),
        "status": pa.array([intake.status] * n),
        "joined": pa.array(joined.astype(str)),
    }
    for name in intake.attributes():
        if name == "birth_year":
            columns[name] = pa.array(_birth_years(intake, joined, rng).astype(str))
        else:
            columns[name] = _values(intake, name, rng)
    return columns


def _counts(intake: Intake) -> list[int]:
    return [s.count for s in intake.shares]


def _values(intake: Intake, name: str, rng: np.random.Generator) -> pa.Array:
    """Each body's values of `name`, counted out by `controlled_round`, then shuffled."""
    options, table = _share_table(intake, name)
    parts: list[np.ndarray] = []
    for row in controlled_round(table):
        values = np.repeat(np.array(options, dtype=object), row)
        rng.shuffle(values)
        parts.append(values)
    joined = np.concatenate(parts) if parts else np.array([], dtype=object)
    return pa.array(joined.tolist(), pa.string())


def _share_table(intake: Intake, name: str) -> tuple[list[str | None], list[list[Fraction]]]:
    mixes = [_normalized(name, share.mix.get(name)) for share in intake.shares]
    options: list[str | None] = list(dict.fromkeys(v for m in mixes for v in m))
    table = [
        [share.count * mix.get(option, Fraction(0)) for option in options]
        for share, mix in zip(intake.shares, mixes, strict=True)
    ]
    return options, table


def _normalized(name: str, shares: dict[str, float] | float | None) -> dict[str | None, Fraction]:
    """A mix as exact fractions adding up to one; no mix means unknown values."""
    if shares is None:
        return {None: Fraction(1)}
    if CORE_ATTRIBUTES[name].type == BOOLEAN and not isinstance(shares, dict):
        yes = Fraction(str(shares))
        return {"true": yes, "false": 1 - yes}
    assert isinstance(shares, dict)
    exact = {k: Fraction(str(v)) for k, v in shares.items()}
    total = sum(exact.values())
    return {k: v / total for k, v in exact.items() if v}


def _joined(intake: Intake, rng: np.random.Generator) -> np.ndarray:
    """Dates of joining, uniform from each body's first day to the step's date."""
    parts = []
    for share in intake.shares:
        first = np.datetime64(share.first_day)
        days = (np.datetime64(intake.on) - first).astype(int)
        parts.append(first + rng.integers(0, days + 1, share.count).astype("timedelta64[D]"))
    return np.concatenate(parts) if parts else np.array([], dtype="datetime64[D]")


def _birth_years(intake: Intake, joined: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Years of birth, normal and clipped, and never less than `min_age` before joining."""
    born = intake.birth
    years = np.clip(rng.normal(born.mean, born.sd, len(joined)).round(), born.min, born.max)
    joined_years = joined.astype("datetime64[Y]").astype(np.int64) + 1970
    return np.maximum(np.minimum(years, joined_years - intake.min_age), 1800).astype(np.int64)


def _names(intake: Intake, rng: np.random.Generator, n: int) -> pa.Array:
    given = np.array(intake.given_names)[rng.integers(0, len(intake.given_names), n)]
    family = np.array(intake.family_names)[rng.integers(0, len(intake.family_names), n)]
    return pa.array(np.char.add(np.char.add(given, " "), family))
