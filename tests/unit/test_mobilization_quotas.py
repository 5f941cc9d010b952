"""Splitting a call-up quota down the tree: sums, caps, floors and shortfall."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orgburo.core.apportionment import Method
from orgburo.core.quotas import QuotaTree, parse_share, split_quota, total_for_shares
from orgburo.errors import Invalid


@st.composite
def trees(draw: st.DrawFn) -> QuotaTree:
    """A random tree, parents before children, with eligible members at any body."""
    size = draw(st.integers(1, 12))
    parents = [-1] + [draw(st.integers(0, i - 1)) for i in range(1, size)]
    eligible = draw(st.lists(st.integers(0, 9), min_size=size, max_size=size))
    return QuotaTree(parents, eligible)


def children(tree: QuotaTree, node: int) -> list[int]:
    return [i for i, p in enumerate(tree.parents) if p == node]


@given(trees(), st.sampled_from(list(Method)), st.data())
@settings(max_examples=150, deadline=None)
def test_a_fillable_quota_is_split_exactly_and_no_body_is_asked_beyond_its_pool(
    tree: QuotaTree, method: Method, data: st.DataObject
) -> None:
    pool = sum(tree.own_eligible)
    total = data.draw(st.integers(0, pool))
    split = split_quota(tree, total, method)
    assert int(split.demanded[0]) == total
    assert (split.demanded <= split.eligible).all()
    assert (split.own_demanded <= split.own_eligible).all()
    assert int(split.shortfall.sum()) == 0
    for node in range(len(tree.parents)):
        below = sum(int(split.demanded[k]) for k in children(tree, node))
        assert below + int(split.own_demanded[node]) == int(split.demanded[node])


@given(trees(), st.sampled_from(list(Method)), st.integers(1, 30))
@settings(max_examples=100, deadline=None)
def test_a_quota_over_the_pool_leaves_every_body_with_a_pool_short(
    tree: QuotaTree, method: Method, extra: int
) -> None:
    pool = sum(tree.own_eligible)
    split = split_quota(tree, pool + extra, method)
    assert int(split.shortfall[0]) == extra
    assert int(split.own_demanded.sum()) == pool + extra
    assert (split.demanded >= split.eligible).all()


def test_each_level_is_split_in_proportion_to_the_eligible_members() -> None:
    # root > (A > (a1: 30, a2: 10), B: 60): 50 of 100 eligible
    tree = QuotaTree([-1, 0, 0, 1, 1], [0, 0, 60, 30, 10])
    split = split_quota(tree, 50, Method.HAMILTON)
    assert split.demanded.tolist() == [50, 20, 30, 15, 5]


def test_no_body_is_asked_for_more_than_it_has_when_proportion_would() -> None:
    # A tiny body with a huge weight would be asked for more than it has without its cap.
    tree = QuotaTree([-1, 0, 0], [0, 2, 10], own_weight=[0, 100, 1])
    split = split_quota(tree, 8, Method.WEBSTER)
    assert split.demanded.tolist() == [8, 2, 6]


def test_floors_give_each_body_its_least_when_it_can() -> None:
    tree = QuotaTree([-1, 0, 0, 0], [0, 50, 1, 0], own_floor=[0, 2, 2, 2])
    split = split_quota(tree, 5, Method.JEFFERSON)
    assert split.own_demanded.tolist()[1:] == [4, 1, 0]


def test_floors_larger_than_the_quota_are_refused_naming_floor() -> None:
    tree = QuotaTree([-1, 0, 0], [0, 5, 5], own_floor=[0, 3, 3])
    with pytest.raises(Invalid) as caught:
        split_quota(tree, 4, Method.HAMILTON)
    assert caught.value.problems[0].field == "floor"


def test_a_body_with_members_of_its_own_shares_with_its_sub_bodies() -> None:
    tree = QuotaTree([-1, 0], [6, 6])
    split = split_quota(tree, 6, Method.HAMILTON)
    assert (int(split.own_demanded[0]), int(split.demanded[1])) == (3, 3)


@pytest.mark.parametrize(
    ("text", "numerator", "denominator"),
    [("20%", 1, 5), ("1/2", 1, 2), ("0.1", 1, 10), ("100%", 1, 1), ("12.5%", 1, 8)],
)
def test_shares_are_read_exactly(text: str, numerator: int, denominator: int) -> None:
    share = parse_share(text)
    assert (share.numerator, share.denominator) == (numerator, denominator)


@pytest.mark.parametrize("text", ["150%", "-1", "half", "2"])
def test_a_share_outside_zero_to_one_or_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(Invalid):
        parse_share(text)


def test_a_share_of_the_pool_is_rounded_up_to_whole_people() -> None:
    assert total_for_shares(21, 10) == 3
    assert total_for_shares(20, 10) == 2
