"""Whom a primary organization proposes: eligible members ranked by a documented score.

Score (points; higher is proposed first):

    score = 10 * R  +  2 * S  +  5 * M  +  A

* R, role fit: the number of the decree's role lines whose requirement the member
  meets (a line without a requirement is met by everyone);
* S, standing: full years since the start of the member's current membership spell on
  the decree's date, at most 10 (a confirmation or a transfer starts a new spell);
* M, military training: 1 if the member has served in the army (`red_army` is true),
  0 if not or unknown;
* A, age band on the decree's date (its year less the birth year): 18-30 gives 6,
  31-40 gives 4, 41-50 gives 2, any other age or an unknown one 0.

Ties are broken by the person's id, the smaller first, so a ranking never depends on
the order rows come back from the database.

Sub-quotas pick first: for each sub-quota in the decree's order, the best-ranked members
meeting its rule and not yet picked fill the body's part of that sub-quota; then the
best-ranked of everyone left fill the rest of the body's quota. A sub-quota never takes
more than the body's whole quota has room for.

The database computes the score (`orgburo.mobilizations.scoring`); `propose` here is
the plain statement of the choice for one body, and `propose_all` makes the same choice
for every body at once, over arrays, as the selection runs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]

ROLE_POINTS = 10
STANDING_POINTS = 2
STANDING_YEARS_CAP = 10
TRAINING_POINTS = 5
AGE_BANDS = ((18, 30, 6), (31, 40, 4), (41, 50, 2))
"""(youngest, oldest, points) for each band, inclusive."""


@dataclass(frozen=True)
class ScoreParts:
    """The parts of a member's score, as points."""

    roles: int
    standing: int
    training: int
    age: int

    @property
    def total(self) -> int:
        """The score: the sum of the parts."""
        return self.roles + self.standing + self.training + self.age


@dataclass(frozen=True)
class Candidate:
    """An eligible member of one body: their id, score, and which sub-quotas they meet."""

    person_id: int
    score: int
    subquotas: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Pick:
    """A proposed member, and the sub-quota they fill (None: the general quota)."""

    person_id: int
    subquota: int | None


def full_years(start: date, on: date) -> int:
    """Whole years from `start` to `on` (0 if `on` is earlier)."""
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return max(years, 0)


def standing_bounds(on: date) -> list[date]:
    """For k = 1..cap, the latest start date that gives at least k years on `on`."""
    return [_years_before(on, k) for k in range(1, STANDING_YEARS_CAP + 1)]


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February in a year that has none
        return on.replace(year=on.year - years, day=28)


def age_points(age: int | None) -> int:
    """Points for the age band (see the module docstring)."""
    if age is None:
        return 0
    return next((points for low, high, points in AGE_BANDS if low <= age <= high), 0)


def score_parts(
    *, roles_met: int, started_on: date, on: date, red_army: bool | None, birth_year: int | None
) -> ScoreParts:
    """The score of one member for a decree dated `on`."""
    years = min(full_years(started_on, on), STANDING_YEARS_CAP)
    age = None if birth_year is None else on.year - birth_year
    return ScoreParts(
        roles=ROLE_POINTS * roles_met,
        standing=STANDING_POINTS * years,
        training=TRAINING_POINTS if red_army is True else 0,
        age=age_points(age),
    )


def ranked(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Highest score first; equal scores by the smaller person id."""
    return sorted(candidates, key=lambda c: (-c.score, c.person_id))


def propose(candidates: Sequence[Candidate], quota: int, subquotas: Sequence[int]) -> list[Pick]:
    """Whom one body proposes for its `quota`, of which `subquotas[k]` from sub-quota k."""
    order = ranked(candidates)
    picked: list[Pick] = []
    taken: set[int] = set()
    for k, wanted in enumerate(subquotas):
        room = min(wanted, quota - len(picked))
        matching = [c for c in order if c.person_id not in taken and _meets(c, k)][: max(room, 0)]
        picked += [Pick(c.person_id, k) for c in matching]
        taken.update(c.person_id for c in matching)
    rest = [c for c in order if c.person_id not in taken][: max(quota - len(picked), 0)]
    return picked + [Pick(c.person_id, None) for c in rest]


def _meets(candidate: Candidate, subquota: int) -> bool:
    return subquota < len(candidate.subquotas) and candidate.subquotas[subquota]


@dataclass(frozen=True)
class Rooms:
    """What each body may still propose: `whole[i]` in all, `parts[i, k]` of it from
    sub-quota k, for the body `bodies[i]` (ids ascending; a body not listed has none)."""

    bodies: Ints
    whole: Ints
    parts: Ints


@dataclass(frozen=True)
class Picks:
    """Proposals over arrays of candidates: the position of each one picked in the input,
    the sub-quota it fills (-1: the general quota) and its rank (1 first) among the
    candidates of its body that the same fill ranked."""

    index: Ints
    subquota: Ints
    rank: Ints


def propose_all(
    body: Ints, person: Ints, score: Ints, meets: npt.NDArray[np.bool_], rooms: Rooms
) -> Picks:
    """`propose` for every body at once: candidate i (of `body[i]`, with `score[i]`,
    meeting sub-quota k where `meets[i, k]`) is picked as `propose` would pick them.

    One sort by (body, score descending, person) serves every fill: each fill keeps the
    candidates still open in that order and takes, body by body, the first ones up to
    the body's room, found by positions within each body's run of the sorted array.
    """
    slot = _slots(rooms.bodies, body)
    listed = np.flatnonzero(slot < len(rooms.bodies))  # bodies without room pick nobody
    order = listed[_ranking_order(slot[listed], score[listed], person[listed])]
    slot = slot[order]
    left = rooms.whole.astype(np.int64, copy=True)
    open_ = np.ones(len(order), dtype=np.bool_)
    picked: list[tuple[Ints, Ints, Ints]] = []
    for k in range(rooms.parts.shape[1]):
        room = np.minimum(rooms.parts[:, k], left)
        taken, rank = _first_in_each_body(open_ & meets[order, k], slot, room)
        picked.append((taken, np.full(len(taken), k, dtype=np.int64), rank))
        np.subtract.at(left, slot[taken], 1)
        open_[taken] = False
    taken, rank = _first_in_each_body(open_, slot, left)
    picked.append((taken, np.full(len(taken), -1, dtype=np.int64), rank))
    return Picks(
        index=order[np.concatenate([p[0] for p in picked])],
        subquota=np.concatenate([p[1] for p in picked]),
        rank=np.concatenate([p[2] for p in picked]),
    )


def _slots(bodies: Ints, body: Ints) -> Ints:
    """Each candidate's body's position in `bodies` (ascending), or len(bodies) if absent.

    Ids are serial keys, so a table with a slot for every id up to the largest is
    usually small, and one lookup a candidate is linear (18 million candidates: 0.3 s,
    where a binary search took up to 3 s); other ids are searched for.
    """
    absent = len(bodies)
    if not len(body):
        return np.zeros(0, dtype=np.int64)
    top = max(int(body.max()), int(bodies.max()) if absent else 0)
    if int(body.min()) >= 0 and top <= DENSE_IDS * (len(body) + absent) + 1024:
        table = np.full(top + 1, absent, dtype=np.int64)
        table[bodies] = np.arange(absent)
        return table[body]
    slot = np.searchsorted(bodies, body)
    found = slot < absent
    found[found] = bodies[slot[found]] == body[found]
    return np.where(found, slot, absent)


DENSE_IDS = 4
"""How many table slots a candidate or body may cost before ids are searched for."""


def _ranking_order(slot: Ints, score: Ints, person: Ints) -> Ints:
    """Positions sorted by body (its slot among the rooms), score descending, person id.

    The three packed into one int64 when their ranges fit (they nearly always do: slots
    under 2**20, scores under 2**10, ids under 2**31), sorted at once: at 18 million
    candidates 0.8 s where `np.lexsort` on the three took 10 s.
    """
    if not len(slot):
        return np.zeros(0, dtype=np.int64)
    top = int(score.max())
    widths = [_bits(int(slot.max())), _bits(top - int(score.min())), _bits(int(person.max()))]
    if int(person.min()) < 0 or sum(widths) > 63:
        return np.lexsort((person, -score, slot))
    key = (slot << (widths[1] + widths[2])) | ((top - score) << widths[2]) | person
    return np.argsort(key)


def _bits(value: int) -> int:
    return max(value, 0).bit_length()


def _first_in_each_body(
    candidates: npt.NDArray[np.bool_], slot: Ints, room: Ints
) -> tuple[Ints, Ints]:
    """Of the sorted positions where `candidates` holds, the first `room[slot]` of each
    body's run: their positions, and their ranks (1 first) within the run."""
    where = np.flatnonzero(candidates)
    bodies = slot[where]
    starts = np.flatnonzero(np.r_[True, bodies[1:] != bodies[:-1]]) if len(where) else where
    run = np.repeat(starts, np.diff(np.r_[starts, len(where)]))
    rank = np.arange(len(where)) - run + 1
    chosen = rank <= room[bodies]
    return where[chosen], rank[chosen]
