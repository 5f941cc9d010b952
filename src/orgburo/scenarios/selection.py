"""Choosing which members a bulk step concerns, so a purge keeps a body's composition.

Each body's number is shared among its strata (members alike in status and in the
attributes the figures count: social situation, occupation, sex) in proportion to their
size, rounded with `controlled_round`, so the bodies keep their numbers and each
stratum's total is its exact share to within one. Within a stratum members are taken at
random (from the step's generator, over the members in registry-id order), or the
longest-serving first (then by registry id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np

from orgburo.core.rounding import controlled_round
from orgburo.errors import Invalid
from orgburo.members.bulk_changes import CurrentMember

Stratum = tuple[str, ...]
STRATA = ("social_situation", "occupation", "sex")
Strata = Mapping[Stratum, list[CurrentMember]]


def choose(
    members: Sequence[CurrentMember],
    wanted: Mapping[int, int],
    rng: np.random.Generator,
    *,
    oldest_first: bool = False,
) -> list[str]:
    """Registry ids: `wanted[body_id]` members of each body, stratified as described above."""
    by_body: dict[int, dict[Stratum, list[CurrentMember]]] = defaultdict(lambda: defaultdict(list))
    for member in members:
        by_body[member.body_id][(member.status, *member.values)].append(member)
    bodies = [b for b, n in wanted.items() if n]
    _check_enough(bodies, wanted, by_body)
    strata = sorted({s for b in bodies for s in by_body[b]})
    table = [_row(wanted[b], by_body[b], strata) for b in bodies]
    chosen: list[str] = []
    for body, row in zip(bodies, controlled_round(table), strict=True):
        for stratum, n in zip(strata, row, strict=True):
            chosen += _take(by_body[body][stratum], n, rng, oldest_first)
    return chosen


def _check_enough(
    bodies: list[int], wanted: Mapping[int, int], by_body: Mapping[int, Strata]
) -> None:
    for body in bodies:
        held = sum(len(v) for v in by_body.get(body, {}).values())
        if held < wanted[body]:
            raise Invalid.one(
                "count", f"a body holds {held} members who qualify, not {wanted[body]}"
            )


def _row(n: int, strata_of_body: Strata, strata: list[Stratum]) -> list[Fraction]:
    size = sum(len(v) for v in strata_of_body.values())
    return [Fraction(n * len(strata_of_body.get(s, [])), size) for s in strata]


def _take(
    members: list[CurrentMember], n: int, rng: np.random.Generator, oldest_first: bool
) -> list[str]:
    if n == 0:
        return []
    if oldest_first:
        ordered = sorted(members, key=lambda m: (m.started_on, m.external_id))
        return [m.external_id for m in ordered[:n]]
    picks = rng.choice(len(members), size=n, replace=False)
    return [members[int(i)].external_id for i in sorted(picks)]
