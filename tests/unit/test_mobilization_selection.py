"""The selection score and the order members are proposed in."""

from __future__ import annotations

from datetime import date
from random import Random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from orgburo.core.selection import (
    Candidate,
    Rooms,
    age_points,
    full_years,
    propose,
    propose_all,
    score_parts,
)

ON = date(1920, 4, 26)


def test_the_score_adds_role_fit_standing_training_and_age_band() -> None:
    parts = score_parts(
        roles_met=2, started_on=date(1915, 4, 26), on=ON, red_army=True, birth_year=1895
    )
    assert (parts.roles, parts.standing, parts.training, parts.age) == (20, 10, 5, 6)
    assert parts.total == 41


def test_standing_counts_whole_years_and_stops_at_ten() -> None:
    assert full_years(date(1919, 4, 27), ON) == 0
    assert full_years(date(1919, 4, 26), ON) == 1
    old = score_parts(
        roles_met=0, started_on=date(1890, 1, 1), on=ON, red_army=None, birth_year=None
    )
    assert old.standing == 20


def test_unknown_age_and_training_give_no_points() -> None:
    parts = score_parts(roles_met=0, started_on=ON, on=ON, red_army=None, birth_year=None)
    assert (parts.training, parts.age) == (0, 0)
    assert [age_points(a) for a in (17, 18, 30, 31, 40, 41, 50, 51)] == [0, 6, 6, 4, 4, 2, 2, 0]


def test_sub_quota_picks_come_first_then_the_best_ranked_of_the_rest() -> None:
    people = [
        Candidate(1, 50, (False,)),
        Candidate(2, 40, (False,)),
        Candidate(3, 10, (True,)),
        Candidate(4, 30, (True,)),
    ]
    picks = propose(people, 3, [1])
    assert [(p.person_id, p.subquota) for p in picks] == [(4, 0), (1, None), (2, None)]


def test_equal_scores_are_broken_by_the_smaller_person_id() -> None:
    picks = propose([Candidate(9, 10), Candidate(3, 10), Candidate(5, 10)], 2, [])
    assert [p.person_id for p in picks] == [3, 5]


@given(
    st.lists(st.tuples(st.integers(0, 60), st.booleans()), max_size=15, unique_by=lambda t: t),
    st.integers(0, 20),
    st.integers(0, 20),
)
@settings(max_examples=100, deadline=None)
def test_a_body_never_proposes_more_than_its_quota_or_anyone_twice(
    raw: list[tuple[int, bool]], quota: int, sub: int
) -> None:
    people = [Candidate(i, s, (m,)) for i, (s, m) in enumerate(raw)]
    picks = propose(people, quota, [sub])
    ids = [p.person_id for p in picks]
    assert len(ids) == len(set(ids)) == min(quota, len(people))
    assert all(people[p.person_id].subquotas[0] for p in picks if p.subquota == 0)


BODIES = st.lists(
    st.tuples(
        st.integers(0, 12),  # whole room
        st.lists(st.integers(0, 6), min_size=2, max_size=2),  # sub-quota rooms
        st.lists(st.tuples(st.integers(0, 9), st.booleans(), st.booleans()), max_size=12),
    ),
    max_size=6,
)


@given(BODIES, st.randoms(use_true_random=False))
@settings(max_examples=200, deadline=None)
def test_proposing_for_every_body_at_once_picks_as_each_body_alone_would(
    bodies: list[tuple[int, list[int], list[tuple[int, bool, bool]]]], shuffler: Random
) -> None:
    # Body ids 10, 20, ...; a body with no room is left out of the rooms, as the store does.
    rows = [
        (10 * (b + 1), 100 * b + i, score, (m0, m1))
        for b, (_, _, people) in enumerate(bodies)
        for i, (score, m0, m1) in enumerate(people)
    ]
    shuffler.shuffle(rows)  # the store returns candidates in no particular order
    listed = [b for b, (whole, _, _) in enumerate(bodies) if whole > 0]
    rooms = Rooms(
        bodies=np.array([10 * (b + 1) for b in listed], dtype=np.int64),
        whole=np.array([bodies[b][0] for b in listed], dtype=np.int64),
        parts=np.array([bodies[b][1] for b in listed], dtype=np.int64).reshape(len(listed), 2),
    )
    picks = propose_all(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        np.array([r[2] for r in rows], dtype=np.int64),
        np.array([r[3] for r in rows], dtype=np.bool_).reshape(len(rows), 2),
        rooms,
    )
    got = {
        (rows[i][1], None if k < 0 else int(k))
        for i, k in zip(picks.index, picks.subquota, strict=True)
    }
    wanted = {
        (p.person_id, p.subquota)
        for b, (whole, parts, _) in enumerate(bodies)
        if whole > 0
        for p in propose(
            [Candidate(r[1], r[2], r[3]) for r in rows if r[0] == 10 * (b + 1)], whole, parts
        )
    }
    assert got == wanted
    assert len(picks.index) == len(got)


def test_ranks_count_the_candidates_each_fill_ranked_in_its_body() -> None:
    # Body 1: person 3 (sub-quota) first; then 1 and 2 rank 1 and 2 among those left.
    rooms = Rooms(np.array([1, 2]), np.array([3, 1]), np.array([[1], [0]]))
    picks = propose_all(
        body=np.array([1, 1, 1, 2, 2]),
        person=np.array([1, 2, 3, 4, 5]),
        score=np.array([9, 8, 1, 5, 7]),
        meets=np.array([[False], [False], [True], [False], [False]]),
        rooms=rooms,
    )
    person = np.array([1, 2, 3, 4, 5])[picks.index]
    assert list(zip(person, picks.subquota, picks.rank, strict=True)) == [
        (3, 0, 1),
        (1, -1, 1),
        (2, -1, 2),
        (5, -1, 1),
    ]


def test_ids_too_wide_to_pack_into_one_sort_key_are_ranked_the_same() -> None:
    rooms = Rooms(np.array([1, 2]), np.array([2, 2]), np.zeros((2, 0), dtype=np.int64))
    body, score = np.array([1, 1, 1, 2, 2, 2]), np.array([5, 7, 5, 1, 1, 3])
    meets = np.zeros((6, 0), dtype=np.bool_)
    narrow = np.array([3, 1, 2, 6, 5, 4])
    packed = propose_all(body, narrow, score, meets, rooms)
    wide = propose_all(body, narrow + 2**60, score, meets, rooms)
    assert packed.index.tolist() == wide.index.tolist() == [1, 2, 5, 4]


def test_body_ids_too_sparse_for_a_table_are_searched_for_with_the_same_picks() -> None:
    rooms = Rooms(np.array([1, 3]), np.array([1, 2]), np.zeros((2, 0), dtype=np.int64))
    body, score = np.array([3, 1, 2, 3, 1, 3]), np.array([5, 7, 9, 1, 8, 3])
    person, meets = np.arange(6), np.zeros((6, 0), dtype=np.bool_)
    dense = propose_all(body, person, score, meets, rooms)
    far = Rooms(rooms.bodies * 10**12, rooms.whole, rooms.parts)
    sparse = propose_all(body * 10**12, person, score, meets, far)
    assert dense.index.tolist() == sparse.index.tolist() == [4, 0, 5]
    assert dense.rank.tolist() == sparse.rank.tolist() == [1, 1, 2]
